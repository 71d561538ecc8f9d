"""The inputs of supervision and bulletins as small frozen dataclasses; the web app maps its models onto them.

Ids are strings (the web app passes `str(pk)`), so every list of ids sorts the same way everywhere.
Sequences are stored as tuples, so a fact can be shared between threads and never changes under a caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from luoshi.supervision.periods import Period, parse_period

# Report statuses as units write them; 滞后 is the unit's own admission of lateness.
STATUSES = ("未启动", "推进中", "已完成", "滞后")


@dataclass(frozen=True)
class TargetFacts:
    """A quantified target of a task: goal and baseline in `unit`, achieved so far if known."""

    metric: str
    unit: str
    goal: float
    baseline: float | None = None
    achieved: float | None = None
    # The statistics indicator the achieved figure comes from, when staff linked one: its figure
    # then counts before a report's own, and the light's reason says so.
    measured_by: str = ""


@dataclass(frozen=True)
class TaskFacts:
    """One ledger task: where it sits in the plan, who owns it, when it runs and what it must reach."""

    id: str
    label_path: str
    title: str
    plan_title: str
    domain: str
    city: str
    lead_unit: str
    support_units: tuple[str, ...] = ()
    start: date = date(1970, 1, 1)
    deadline: date | None = None
    # (date, fraction 0..1 of the whole task expected done by then), in any order.
    milestones: tuple[tuple[date, float], ...] = ()
    targets: tuple[TargetFacts, ...] = ()
    # The plan asks for evidence (photos, documents) with every report.
    evidence_required: bool = False

    def __post_init__(self) -> None:
        # Accept lists from callers but keep tuples, so the fact stays immutable.
        object.__setattr__(self, "support_units", tuple(self.support_units))
        object.__setattr__(self, "milestones", tuple(sorted((d, float(f)) for d, f in self.milestones)))
        object.__setattr__(self, "targets", tuple(self.targets))
        for _, fraction in self.milestones:
            if not 0.0 <= fraction <= 1.0:
                raise ValueError(f"任务{self.id}的节点进度{fraction}不在0到1之间")


@dataclass(frozen=True)
class ReportFacts:
    """One version of a unit's progress report on a task for a period."""

    id: str
    task_id: str
    period: str
    unit: str
    submitted_at: datetime
    status: str
    progress_percent: float | None = None
    narrative: str = ""
    achieved: Mapping[str, float] = field(default_factory=dict)
    attachments: int = 0
    version: int = 1

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"报送状态“{self.status}”不正确：应为{'/'.join(STATUSES)}之一")
        # Normalise "2024-q1" to "2024-Q1" so reports group by one spelling.
        object.__setattr__(self, "period", parse_period(self.period).code)

    @property
    def period_value(self) -> Period:
        """The report's period as a Period."""
        return parse_period(self.period)


@dataclass(frozen=True)
class NoticeFacts:
    """A supervision notice (督办单) about a task, with its state and dates."""

    number: str
    task_id: str
    state: str
    issued: date
    reply_due: date
    reason: str = ""
    rule: str = ""
    escalated_to: str = ""
    replied: date | None = None
    closed: date | None = None


def latest_reports(reports: Iterable[ReportFacts]) -> dict[tuple[str, str], ReportFacts]:
    """The newest version of each (task id, period) report; later versions replace earlier ones."""
    out: dict[tuple[str, str], ReportFacts] = {}
    for r in reports:
        key = (r.task_id, r.period)
        old = out.get(key)
        if old is None or (r.version, r.submitted_at, r.id) > (old.version, old.submitted_at, old.id):
            out[key] = r
    return out


def first_versions(reports: Iterable[ReportFacts]) -> dict[tuple[str, str], ReportFacts]:
    """The first submission of each (task id, period); timeliness is judged on it, not on later fixes."""
    out: dict[tuple[str, str], ReportFacts] = {}
    for r in reports:
        key = (r.task_id, r.period)
        old = out.get(key)
        if old is None or (r.submitted_at, r.version, r.id) < (old.submitted_at, old.version, old.id):
            out[key] = r
    return out


def id_key(value: str) -> tuple[int, int | str]:
    """Sort key for ids: numeric ids in numeric order, then the rest alphabetically."""
    return (0, int(value)) if value.isdigit() else (1, value)
