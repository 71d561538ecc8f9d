"""Quality flags of a task's reports, for the office to see beside each report."""

from __future__ import annotations

from luoshi.ledger.models import Task
from luoshi.supervision.periods import parse_period
from luoshi.supervision.quality import Flag, check_report
from luoshi.supervision_web.facts_from_db import load


def flags_by_report(task: Task) -> dict[int, list[Flag]]:
    """Every report version of ``task`` that draws a flag, by report id; each is checked
    against the latest report of the period before it."""
    facts = load([task.plan], detail=True, task_ids=[task.pk])
    if not facts.tasks:
        return {}
    task_facts = facts.tasks[0]
    by_period: dict[str, list] = {}
    for r in facts.reports:
        by_period.setdefault(r.period, []).append(r)
    periods = sorted(by_period, key=lambda code: parse_period(code).start)
    out: dict[int, list[Flag]] = {}
    previous = None
    for code in periods:
        versions = sorted(by_period[code], key=lambda r: (r.version, r.submitted_at))
        for report in versions:
            flags = check_report(task_facts, report, previous)
            if flags:
                out[int(report.id)] = flags
        previous = versions[-1]
    return out
