"""Plan targets linked to the indicators that measure them.

Staff confirm a suggestion or pick another indicator (``link_target``); each confirmation, change
or unlinking is a new ``TargetLink`` row and a line in the task's history, and the newest row made
by a moment is in force at that moment: a past day's light or bulletin reads the link of its day. ``measured`` reads, for linked targets, the latest figure of their indicator for their
entity, in the target's unit, with its progress from the baseline; the lights, bulletins and the
task page read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery

from luoshi.indicators.core import targets as core
from luoshi.indicators.models import Entity, Indicator, Level, Observation, TargetLink, end_of
from luoshi.indicators.services import IndicatorError, _catalogue_info
from luoshi.ledger import history
from luoshi.ledger.models import Role, TaskAssignment, TaskTarget
from luoshi.web import clock


def goal_of(target: TaskTarget) -> float | None:
    """The number a target sets: its value, else the upper or lower bound of a range."""
    for v in (target.value, target.high, target.low):
        if v is not None:
            return v
    return None


def suggestions(target: TaskTarget) -> list[tuple[Indicator, core.Suggestion]]:
    """Catalogue indicators that likely measure ``target``, best first."""
    found = core.suggest(target.metric, target.unit, target.text, _catalogue_info())
    by_name = {i.name: i for i in Indicator.objects.filter(name__in=[s.indicator for s in found])}
    return [(by_name[s.indicator], s) for s in found if s.indicator in by_name]


def latest_links(target_ids, on: dt.date | dt.datetime | None = None) -> dict[int, TargetLink]:
    """The link in force at ``on`` (a date: the end of that day; None: now) for each of
    ``target_ids`` linked then; targets unlinked then, or not yet linked, are left out. A past
    day's lights and bulletins ask for their day, so a link changed since does not change them."""
    until = end_of(on)
    made = TargetLink.objects.all() if until is None else TargetLink.objects.filter(at__lte=until)
    # Links are made by hand, so there are few: for a plan's every target, intersect with them
    # rather than send thousands of ids to the database.
    ids = set(target_ids)
    if len(ids) <= 500:
        ids = set(made.filter(target_id__in=ids).values_list("target_id", flat=True))
    else:
        ids &= set(made.values_list("target_id", flat=True).distinct())
    if not ids:
        return {}
    # Rows made at the same instant are ordered by id, as observations are.
    newest = made.filter(target=OuterRef("target")).order_by("-at", "-id").values("pk")[:1]
    rows = (
        made.filter(target_id__in=ids, indicator__isnull=False)
        .filter(pk=Subquery(newest))
        .select_related("indicator", "entity")
    )
    return {link.target_id: link for link in rows}


def _entity_name(entity: Entity | None) -> str:
    return entity.name if entity else "默认"


def link_target(
    target: TaskTarget,
    indicator: Indicator | None,
    entity: Entity | None = None,
    by=None,
    at: dt.datetime | None = None,
) -> TargetLink | None:
    """Link ``target`` to ``indicator`` (None unlinks) for ``entity`` (None: the task's city for a
    city indicator, the area for an area indicator; a pair indicator needs its pair), in force
    from ``at`` (the office's clock now). Refused when the target sets no number, the units
    contradict, or the entity is not of the indicator's level. Returns the new row, or None when
    nothing changed."""
    at = at or clock.now()
    if goal_of(target) is None or target.kind != "target":
        raise IndicatorError("该目标没有可度量的数值")
    if indicator is not None:
        if core.unit_factor(indicator.unit, target.unit) is None:
            raise IndicatorError(f"指标单位「{indicator.unit}」与目标单位「{target.unit}」不符")
        if entity is not None and (not entity.active or entity.kind != indicator.level):
            raise IndicatorError(
                f"「{indicator.name}」按{Level(indicator.level).label}统计，请选择启用中的{Level(indicator.level).label}"
            )
        if entity is None and indicator.level == Level.PAIR:
            raise IndicatorError("按城市对统计的指标需要选择城市对")
    else:
        entity = None
    with transaction.atomic():
        # One decision at a time per target: the lock orders two staff confirming at once.
        TaskTarget.all_objects.select_for_update().filter(pk=target.pk).first()
        current = latest_links([target.pk], at).get(target.pk)
        if (current.indicator_id if current else None) == (indicator.pk if indicator else None) and (
            current.entity_id if current else None
        ) == (entity.pk if entity else None):
            return None
        row = TargetLink.objects.create(target=target, indicator=indicator, entity=entity, by=by, at=at)
        before = f"{current.indicator.name}（{_entity_name(current.entity)}）" if current else ""
        after = f"{indicator.name}（{_entity_name(entity)}）" if indicator else ""
        history.record(by, target.task, f"监测指标：{target.display()}"[:50], before, after)
        if indicator is not None:
            from luoshi.indicators.ledger_feed import feed_target

            feed_target(target)  # what units reported before the link feeds it too
    return row


def entity_for(
    link: TargetLink, city_entities: dict[int, Entity], area: Entity | None, city_id
) -> Entity | None:
    """The entity a link measures: its own, else the task's city (city indicators) or the area."""
    if link.entity_id:
        return link.entity
    if link.indicator.level == Level.CITY:
        return city_entities.get(city_id)
    if link.indicator.level == Level.AREA:
        return area
    return None


@dataclass(frozen=True, slots=True)
class Measure:
    """A linked target's figure: the indicator, the entity, the latest period and figure (in the
    target's unit) and its progress."""

    target_id: int
    indicator: Indicator
    entity: Entity | None
    period: str | None
    latest: float | None
    progress: core.TargetProgress | None


def _task_cities(task_ids) -> dict[int, int | None]:
    """The city a task's figures are of: its plan's city, else its lead unit's."""
    from luoshi.ledger.models import Task

    out = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "plan__city_id"))
    missing = [t for t, c in out.items() if c is None]
    if missing:
        for task_id, city in (
            TaskAssignment.objects.filter(task_id__in=missing, role=Role.LEAD)
            .order_by("position", "id")
            .values_list("task_id", "unit__city_id")
        ):
            if out.get(task_id) is None:
                out[task_id] = city
    return out


def measured(
    targets: list[TaskTarget] | list[tuple], on: dt.date | dt.datetime | None = None
) -> dict[int, Measure]:
    """For each target linked at ``on`` (TaskTarget rows, or (id, task id, unit, goal, baseline)
    tuples), its indicator's latest figure for its entity as known at ``on`` (None: now) and the
    progress it makes: the link and the figures are both those of that moment."""
    rows = [t if isinstance(t, tuple) else (t.pk, t.task_id, t.unit, goal_of(t), t.baseline) for t in targets]
    links = latest_links((r[0] for r in rows), on)
    if not links:
        return {}
    from luoshi.indicators.entities import metropolitan_area

    cities = _task_cities({r[1] for r in rows if r[0] in links})
    city_entities = {
        e.city_id: e for e in Entity.objects.filter(kind=Level.CITY, city_id__in=set(cities.values()))
    }
    area = metropolitan_area()
    wanted: dict[int, tuple[TargetLink, Entity | None, tuple]] = {}
    for r in rows:
        if r[0] in links:
            link = links[r[0]]
            wanted[r[0]] = (link, entity_for(link, city_entities, area, cities.get(r[1])), r)
    pairs = {(link.indicator_id, e.pk) for link, e, _r in wanted.values() if e is not None}
    latest: dict[tuple[int, int], tuple[str, float]] = {}
    if pairs:
        figures = Observation.objects.as_known(on).filter(
            indicator__in={p[0] for p in pairs}, entity__in={p[1] for p in pairs}
        )
        for indicator_id, entity_id, period, value in figures.values_list(
            "indicator_id", "entity_id", "period", "value"
        ):
            key = (indicator_id, entity_id)
            # One indicator's periods share a frequency, so their codes sort in time order.
            if key in pairs and (key not in latest or period > latest[key][0]):
                latest[key] = (period, value)
    out = {}
    for target_id, (link, entity, (_id, _task, unit, goal, baseline)) in wanted.items():
        found = latest.get((link.indicator_id, entity.pk)) if entity else None
        value = progress = None
        if found is not None:
            factor = core.unit_factor(link.indicator.unit, unit) or 1.0
            value = found[1] * factor
            progress = core.target_progress(value, goal, baseline) if goal is not None else None
        out[target_id] = Measure(
            target_id, link.indicator, entity, found[0] if found else None, value, progress
        )
    return out
