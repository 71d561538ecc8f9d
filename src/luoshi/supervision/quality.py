"""Report quality flags: things a reviewer should look at twice. Flags are data; nothing is rejected.

| code                   | when |
|------------------------|------|
| narrative.copied       | the narrative repeats the previous period's (identical, or ≥ 0.95 similar by difflib) |
| completed.short        | 已完成 is claimed but an achieved value is short of its target |
| narrative.percent      | a progress percentage in the narrative (完成进度80%, 已完成全年任务的60%) disagrees |
|                        | with progress_percent by more than the tolerance, or with the status |
| evidence.missing       | the plan asks for evidence with every report and there is no attachment |
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from luoshi.supervision.facts import ReportFacts, TaskFacts, id_key, latest_reports

# A percentage counts as progress only after a completion/progress cue with no number, comma or
# full stop in between, so 同比增长15% and 完成投资3亿元，增长12% are not read as progress.
_PERCENT = re.compile(r"(?:完成|进度|进展)[^，,。；;！!？?\d%％]{0,12}?(\d+(?:\.\d+)?)\s*[%％]")
_COPY_RATIO = 0.95


@dataclass(frozen=True)
class Flag:
    """One finding about a report: a stable code and a Chinese message for the reviewer."""

    code: str
    message: str


def narrative_percents(text: str) -> list[float]:
    """Progress percentages stated in a narrative, in order."""
    return [float(m[1]) for m in _PERCENT.finditer(text)]


def check_report(
    task: TaskFacts,
    report: ReportFacts,
    previous: ReportFacts | None = None,
    *,
    tolerance: float = 10.0,
) -> list[Flag]:
    """Every quality flag for `report`, given the same task's report for the previous period."""
    flags: list[Flag] = []
    flags += _copied(report, previous)
    flags += _completed_short(task, report)
    flags += _percent_mismatch(report, tolerance)
    if task.evidence_required and report.attachments == 0:
        flags.append(Flag("evidence.missing", "该任务要求报送佐证材料，本次报送没有附件"))
    return flags


def check_period(
    tasks: Iterable[TaskFacts], reports: Iterable[ReportFacts], period: str, *, tolerance: float = 10.0
) -> dict[str, list[Flag]]:
    """Flags for the latest version of every report of `period`, keyed by report id (reports with no flag left out)."""
    by_id = {t.id: t for t in tasks}
    latest = latest_reports(reports)
    out: dict[str, list[Flag]] = {}
    for (task_id, p), report in sorted(latest.items(), key=lambda kv: (id_key(kv[0][0]), kv[0][1])):
        task = by_id.get(task_id)
        if p != period or task is None:
            continue
        # The previous period is the latest earlier one the unit reported, so a skipped month still compares.
        earlier = [
            r
            for (t, q), r in latest.items()
            if t == task_id and r.period_value.end < report.period_value.start
        ]
        previous = max(earlier, key=lambda r: r.period_value.end, default=None)
        if flags := check_report(task, report, previous, tolerance=tolerance):
            out[report.id] = flags
    return out


def _copied(report: ReportFacts, previous: ReportFacts | None) -> list[Flag]:
    """narrative.copied when the text repeats the previous period's."""
    if previous is None or not report.narrative.strip() or previous.period == report.period:
        return []
    a, b = _squash(report.narrative), _squash(previous.narrative)
    if a == b:
        return [Flag("narrative.copied", f"进展情况与{previous.period_value.label}报送内容完全相同")]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio is an upper bound; the exact ratio is only computed when it could pass.
    if matcher.quick_ratio() >= _COPY_RATIO and (ratio := matcher.ratio()) >= _COPY_RATIO:
        return [
            Flag(
                "narrative.copied",
                f"进展情况与{previous.period_value.label}报送内容高度相似（相似度{ratio:.0%}）",
            )
        ]
    return []


def _completed_short(task: TaskFacts, report: ReportFacts) -> list[Flag]:
    """completed.short when 已完成 is claimed but a target's achieved value falls short."""
    if report.status != "已完成":
        return []
    flags = []
    for t in task.targets:
        achieved = report.achieved.get(t.metric, t.achieved)
        if achieved is not None and achieved < t.goal:
            flags.append(
                Flag(
                    "completed.short",
                    f"报送为已完成，但“{t.metric}”完成{_n(achieved)}{t.unit}，未达到目标{_n(t.goal)}{t.unit}",
                )
            )
    return flags


def _percent_mismatch(report: ReportFacts, tolerance: float) -> list[Flag]:
    """narrative.percent when no stated percentage agrees with the reported figure or status."""
    stated = narrative_percents(report.narrative)
    if not stated:
        return []
    shown = "、".join(f"{_n(v)}%" for v in stated)
    if report.progress_percent is not None:
        if all(abs(v - report.progress_percent) > tolerance for v in stated):
            return [
                Flag(
                    "narrative.percent",
                    f"进展情况写明完成{shown}，与填报的进度{_n(report.progress_percent)}%不一致",
                )
            ]
        return []
    if report.status == "已完成" and max(stated) < 100 - tolerance:
        return [Flag("narrative.percent", f"报送为已完成，但进展情况写明完成{shown}")]
    if report.status == "未启动" and max(stated) > 0:
        return [Flag("narrative.percent", f"报送为未启动，但进展情况写明完成{shown}")]
    return []


def _squash(text: str) -> str:
    """Text without whitespace, so re-wrapped copies still compare equal."""
    return "".join(text.split())


def _n(value: float) -> str:
    """A number without a needless .0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
