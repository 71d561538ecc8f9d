"""Ledger rows → the frozen facts the framework-free supervision and bulletin code works on.

Reads with `values()` in a handful of queries per call (never one per task), so 100,000 tasks map
in seconds. Only leaf tasks count: a heading such as “一、推进交通互联” is reported through its items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from luoshi.ledger.models import (
    Plan,
    ProgressReport,
    ReportValue,
    Role,
    Task,
    TaskAssignment,
    TaskTarget,
)
from luoshi.ledger.periods import plan_start
from luoshi.supervision.facts import NoticeFacts, ReportFacts, TargetFacts, TaskFacts
from luoshi.supervision.periods import parse_period
from luoshi.web import clock

# Ledger statuses that the core also knows; anything else is left out of supervision.
_CORE_STATUSES = {"未启动", "推进中", "已完成", "滞后"}


@dataclass
class Facts:
    """Everything supervision needs about some plans."""

    tasks: list[TaskFacts]
    reports: list[ReportFacts]
    notices: list[NoticeFacts]
    lead_unit_ids: dict[str, int]  # task id → lead unit pk, for notices and reminder recipients


def load(
    plans: Iterable[Plan],
    *,
    task_ids: Iterable[int] | None = None,
    known_on: dt.date | dt.datetime | None = None,
) -> Facts:
    """Facts of the leaf tasks of `plans` (or only `task_ids` among them), their reports and notices;
    linked targets carry their indicator's figure as known at `known_on` (a date: the end of that
    day; None: now), so lights and bulletins of a past day read the figures known that day.

    Reports carry no narrative or attachment count: the quality checks that read those run on the
    task page, from what it has read itself (see report_flags).
    """
    plans = {p.pk: p for p in plans}
    plan_ids = list(plans)
    wanted = None if task_ids is None else list(task_ids)
    # A task page asks about one task: every query below is then bounded by it, not by its plan.
    # Withdrawn tasks are neither lit nor reminded; having no parent, they make no task a heading.
    # Background and safeguard rows (Task.role) are not chased either: no light, reminder, notice
    # or bulletin figure.
    rows = Task.objects.chased().filter(plan_id__in=plan_ids)
    children = Task.objects.filter(plan_id__in=plan_ids, parent__isnull=False)
    assignments = TaskAssignment.objects.filter(task__plan_id__in=plan_ids)
    target_rows = TaskTarget.objects.filter(task__plan_id__in=plan_ids, kind="target")
    if wanted is not None:
        rows = rows.filter(pk__in=wanted)
        children = Task.objects.filter(parent_id__in=wanted)
        assignments = assignments.filter(task_id__in=wanted)
        target_rows = target_rows.filter(task_id__in=wanted)
    rows = list(
        rows.values_list("id", "parent_id", "plan_id", "path", "label", "title", "domain", "deadline")
    )
    parent_ids = set(children.values_list("parent_id", flat=True).distinct())
    leaves = [r for r in rows if r[0] not in parent_ids]
    ids = [r[0] for r in leaves]

    lead: dict[int, tuple[int, str, str]] = {}
    support: dict[int, list[str]] = defaultdict(list)
    assignments = assignments.order_by("task_id", "position", "id")
    for task_id, unit_id, unit_name, city, role in assignments.values_list(
        "task_id", "unit_id", "unit__name", "unit__city__name", "role"
    ):
        if role == Role.LEAD:
            lead.setdefault(task_id, (unit_id, unit_name, city or ""))
        else:
            support[task_id].append(unit_name)

    target_list = list(
        target_rows.order_by("task_id", "position", "id").values_list(
            "id", "task_id", "metric", "text", "unit", "value", "low", "high", "baseline"
        )
    )
    targets, metric_of = target_facts(target_list, measured_targets(target_list, known_on))

    plan_info = {pk: (p.title, p.city.name if p.city_id else "", plan_start(p)) for pk, p in plans.items()}
    tasks = []
    for task_id, _parent, plan_id, path, label, title, domain, deadline in leaves:
        title_, plan_city, start = plan_info[plan_id]
        unit_id, unit_name, unit_city = lead.get(task_id, (0, "", ""))
        tasks.append(
            TaskFacts(
                id=str(task_id),
                label_path=path or label,
                title=title,
                plan_title=title_,
                domain=domain,
                city=plan_city or unit_city,
                lead_unit=unit_name,
                support_units=tuple(support.get(task_id, ())),
                start=start,
                deadline=deadline,
                targets=tuple(targets.get(task_id, ())),
            )
        )
    lead_ids = {str(t): lead[t][0] for t in ids if t in lead}
    reports = _reports(plan_ids, ids, metric_of)
    return Facts(tasks, reports, notices_of(plans, task_ids=wanted), lead_ids)


def _reports(plan_ids: list[int], task_ids: list[int], metric_of: dict[int, str]) -> list[ReportFacts]:
    """The reports on the given tasks whose period the core reads (a malformed one is skipped)."""
    values: dict[int, dict[str, float]] = defaultdict(dict)
    wanted = set(task_ids)
    if len(task_ids) <= 2000:
        qs = ProgressReport.objects.filter(task_id__in=task_ids)
    else:
        # A long IN list is slow (and limited on SQLite): read the plans' reports, keep the wanted tasks.
        qs = ProgressReport.objects.filter(task__plan_id__in=plan_ids)
    for report_id, target_id, value in ReportValue.objects.filter(report__in=qs).values_list(
        "report_id", "target_id", "value"
    ):
        if target_id in metric_of:
            values[report_id][metric_of[target_id]] = value
    out = []
    fields = ("id", "task_id", "period", "unit__name", "submitted_at", "status", "version")
    for row in qs.values_list(*fields):
        report_id, task_id = row[:2]
        if task_id in wanted and (fact := report_fact(row, "", values.get(report_id, {}), 0)):
            out.append(fact)
    return out


def measured_targets(
    rows: list[tuple], known_on: dt.date | dt.datetime | None = None
) -> dict[int, tuple[float, str]]:
    """For targets linked to a statistics indicator: target id → (the indicator's latest figure in
    the target's unit as known at ``known_on``, None: now; the indicator's name), from the same rows
    as ``target_facts``."""
    from luoshi.indicators.links import measured

    wanted = []
    for tid, task_id, _metric, _text, unit, value, low, high, baseline in rows:
        goal = value if value is not None else (high if high is not None else low)
        if goal is not None:
            wanted.append((tid, task_id, unit, goal, baseline))
    return {
        tid: (m.latest, m.indicator.name)
        for tid, m in measured(wanted, known_on if known_on is not None else clock.now()).items()
        if m.latest is not None
    }


def target_facts(
    rows, measures: dict[int, tuple[float, str]] | None = None
) -> tuple[dict[int, list[TargetFacts]], dict[int, str]]:
    """Targets with a goal by task id, and each such target's metric name by target id, from rows of
    (id, task id, metric, text, unit, value, low, high, baseline) in plan order; ``measures`` gives
    the figure of the targets a statistics indicator measures."""
    measures = measures or {}
    metric_of: dict[int, str] = {}
    targets: dict[int, list[TargetFacts]] = defaultdict(list)
    for tid, task_id, metric, text, unit, value, low, high, baseline in rows:
        goal = value if value is not None else (high if high is not None else low)
        if goal is None:
            continue
        name = metric or text or f"指标{len(targets[task_id]) + 1}"
        metric_of[tid] = name
        achieved, by = measures.get(tid, (None, ""))
        targets[task_id].append(TargetFacts(name, unit, float(goal), baseline, achieved, by))
    return targets, metric_of


def report_fact(
    row: tuple, narrative: str, achieved: dict[str, float], attachments: int
) -> ReportFacts | None:
    """One report version as facts, from (id, task id, period, unit name, submitted at, status,
    version); None for a status or a period the core does not know."""
    report_id, task_id, period, unit, submitted, status, version = row
    if status not in _CORE_STATUSES or not _core_period(period):
        return None
    return ReportFacts(
        id=str(report_id),
        task_id=str(task_id),
        period=period,
        unit=unit,
        # The core compares calendar dates: judge them in the office's time zone.
        submitted_at=submitted.astimezone(timezone.get_current_timezone()).replace(tzinfo=None),
        status=status,
        narrative=narrative,
        achieved=achieved,
        attachments=attachments,
        version=version,
    )


def _core_period(code: str) -> bool:
    """Whether the core reads this period: a month, quarter, half year or year, well formed."""
    try:
        parse_period(code)
    except ValueError:
        return False
    return True


def notices_of(plans: Iterable[Plan] | dict, task_ids: list[int] | None = None) -> list[NoticeFacts]:
    """The plans' notices (only those on ``task_ids`` when given) as facts."""
    from luoshi.supervision_web.models import SupervisionNotice

    ids = list(plans) if isinstance(plans, dict) else [p.pk for p in plans]
    notices = SupervisionNotice.objects.filter(plan_id__in=ids)
    if task_ids is not None:
        notices = notices.filter(task_id__in=task_ids)
    rows = notices.values_list(
        "number",
        "task_id",
        "state",
        "issued_on",
        "reply_due",
        "reason",
        "rule",
        "escalated_to__username",
        "replied_on",
        "closed_on",
    )
    return [
        NoticeFacts(n, str(t), s, i, d, reason, rule, esc or "", rep, closed)
        for n, t, s, i, d, reason, rule, esc, rep, closed in rows
    ]
