"""The task page's 监测指标 panel: each quantified target with the indicator that measures it, its
latest figure and progress beside the 序时进度 the lights expect, and for staff who may, the
suggestions and the form to confirm or change the link."""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.accounts.rules import can
from luoshi.indicators.core.targets import unit_factor
from luoshi.indicators.links import Measure, goal_of, latest_links, measured, suggestions
from luoshi.indicators.models import Entity, Indicator, TargetLink
from luoshi.ledger.models import Task, TaskTarget
from luoshi.supervision.lights import expected_progress


@dataclass
class Row:
    target: TaskTarget
    measure: Measure | None
    link: TargetLink | None
    suggested: list  # [(Indicator, Suggestion)]
    percent: float | None  # progress in percent
    lag: float | None  # 序时进度 − progress, percentage points


def _expected(task: Task, today) -> float | None:
    """The task's 序时进度 on ``today``, as the lights compute it."""
    from luoshi.supervision_web import facts_from_db

    facts = facts_from_db.load([task.plan], task_ids=[task.pk])
    return expected_progress(facts.tasks[0], today) if facts.tasks else None


def panel(request, task: Task, targets: list[TaskTarget], today) -> dict | None:
    """The panel's context, or None when the user may not read indicators or no target has a number."""
    user = request.user
    quantified = [t for t in targets if t.kind == "target" and goal_of(t) is not None]
    if not quantified or not can(user, "indicator.view"):
        return None
    may_link = can(user, "indicator.manage") and can(user, "task.edit", task)
    measures = measured(quantified)
    links = latest_links(t.pk for t in quantified)
    if links:
        # Figures can change without the ledger changing: this page is built fresh each time.
        request.page_uncacheable = True
    expected = _expected(task, today) if measures else None
    rows = []
    for t in quantified:
        m = measures.get(t.pk)
        percent = m.progress.share * 100 if m and m.progress and m.progress.share is not None else None
        lag = expected - percent if expected is not None and percent is not None else None
        suggested = suggestions(t) if (may_link or not m) else []
        rows.append(Row(t, m, links.get(t.pk), suggested, percent, lag))
    choices = []
    if may_link:
        choices = [
            i
            for i in Indicator.objects.order_by("area", "name")
            if any(unit_factor(i.unit, t.unit) is not None for t in quantified)
        ]
    return {
        "rows": rows,
        "expected": expected,
        "may_link": may_link,
        "indicators": choices,
        "entities": Entity.objects.filter(active=True) if may_link else [],
    }
