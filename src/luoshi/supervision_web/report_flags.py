"""Quality flags of a task's reports, for the office to see beside each report."""

from __future__ import annotations

from collections.abc import Iterable

from luoshi.ledger import task_reads
from luoshi.ledger.models import ProgressReport, Task, TaskTarget
from luoshi.supervision.facts import ReportFacts, TaskFacts
from luoshi.supervision.periods import parse_period
from luoshi.supervision.quality import Flag, check_report
from luoshi.supervision_web.facts_from_db import plan_start, report_fact, target_facts


def flags_by_report(
    task: Task,
    targets: Iterable[TaskTarget] | None = None,
    reports: Iterable[ProgressReport] | None = None,
) -> dict[int, list[Flag]]:
    """Every report version of ``task`` that draws a flag, by report id; each is checked against
    the latest report of the period before it.

    A task page passes what it has already read (``task.targets`` and ``task_reads.reports``),
    so the checks cost no query; otherwise they are read here.
    """
    targets = task.targets.all() if targets is None else targets
    reports = task_reads.reports(task) if reports is None else reports
    goals, metric_of = target_facts(
        (t.pk, t.task_id, t.metric, t.text, t.unit, t.value, t.low, t.high, t.baseline)
        for t in targets
        if t.kind == "target"
    )
    facts = TaskFacts(
        id=str(task.pk),
        label_path=task.path or task.label,
        title=task.title,
        plan_title=task.plan.title,
        domain=task.domain,
        city="",
        lead_unit="",
        start=plan_start(task.plan),
        deadline=task.deadline,
        targets=tuple(goals.get(task.pk, ())),
    )
    versions = []
    for r in reports:
        row = (r.pk, r.task_id, r.period, r.unit.name, r.submitted_at, r.status, r.version)
        achieved = {metric_of[v.target_id]: v.value for v in r.shown_values if v.target_id in metric_of}
        if fact := report_fact(row, r.narrative, achieved, len(r.shown_attachments)):
            versions.append(fact)
    return check_versions(facts, versions)


def check_versions(task: TaskFacts, reports: list[ReportFacts]) -> dict[int, list[Flag]]:
    """Flags of each of ``reports`` (all versions, any order) by report id."""
    by_period: dict[str, list[ReportFacts]] = {}
    for r in reports:
        by_period.setdefault(r.period, []).append(r)
    out: dict[int, list[Flag]] = {}
    previous = None
    for code in sorted(by_period, key=lambda code: parse_period(code).start):
        versions = sorted(by_period[code], key=lambda r: (r.version, r.submitted_at))
        for report in versions:
            if flags := check_report(task, report, previous):
                out[int(report.id)] = flags
        previous = versions[-1]
    return out
