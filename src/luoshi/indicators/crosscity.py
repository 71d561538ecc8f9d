"""跨城通办: the office's list of service items and the cities where each can be handled, and the
counts it feeds into the indicators 跨城通办事项 (each city) and 都市圈跨城通办事项 (the area).

1. staff add or edit an item (``save_item``) or upload the list (``start_import`` → review →
   ``commit_import``, all or nothing); every change is a ``ServiceItemChange`` row;
2. in the same transaction (and when staff ask for it, to bring the current period up to date)
   ``feed`` counts, for every period of the indicators' frequency from the
   first item's opening to today, how many items could be handled in each city and in the area by
   the period's end (today for the current period), and records those that differ from the figures
   known as new vintages, so the indicator pages and the integration index read them like any
   statistics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from luoshi.indicators.core import crosscity as core
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.models import (
    Entity,
    Indicator,
    Level,
    Observation,
    ServiceCity,
    ServiceImport,
    ServiceItem,
    ServiceItemChange,
)
from luoshi.indicators.services import Figure, IndicatorError, apply_catalogue, record
from luoshi.supervision.periods import period_of

CITY_INDICATOR = "跨城通办事项"
AREA_INDICATOR = "都市圈跨城通办事项"
SOURCE = "跨城通办事项清单"
FREQUENCY = "quarter"
MAX_PERIODS = 120  # thirty years of quarters: older openings count from there
REVIEW_ROWS = 200


def indicator_specs() -> list[IndicatorSpec]:
    """The two indicators the list feeds, made when missing."""
    definition = "可在该地办理的跨城通办事项数，按跨城通办事项清单统计（期末数）"
    return [
        IndicatorSpec(CITY_INDICATOR, "项", "up", "政务服务", definition, SOURCE, FREQUENCY, "city"),
        IndicatorSpec(
            AREA_INDICATOR,
            "项",
            "up",
            "政务服务",
            "至少一市可办理的跨城通办事项数",
            SOURCE,
            FREQUENCY,
            "area",
        ),
    ]


def city_choices() -> list[Entity]:
    """The cities an item can be handled in: the active city entities."""
    return list(Entity.objects.filter(kind=Level.CITY, active=True).order_by("name"))


def city_spellings() -> dict[str, str]:
    """Each name and alias of an active city → its name, for reading uploaded headers."""
    out: dict[str, str] = {}
    for e in city_choices():
        for spelling in [e.name, *e.alias_list()]:
            out.setdefault(spelling, e.name)
    return out


def spec_of(item: ServiceItem) -> core.ItemSpec:
    """The item as the framework-free core sees it."""
    return core.ItemSpec(
        item.name,
        item.department,
        item.category,
        item.note,
        tuple((c.entity.name, c.since) for c in item.cities.all()),
    )


def _city_lines(cities: dict[str, dt.date]) -> str:
    return "\n".join(f"{name} {since.isoformat()}" for name, since in sorted(cities.items()))


@dataclass(frozen=True, slots=True)
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    recorded: int = 0  # indicator figures written as new vintages


def _apply(spec: core.ItemSpec, entities: dict[str, Entity], by, at: dt.datetime, item=None) -> str:
    """Create or update one item (already checked); 'created', 'updated' or '' when unchanged."""
    today = timezone.localdate(at)
    if item is None:
        item = ServiceItem.objects.select_for_update().filter(name=spec.name).first()
    existing = {c.entity.name: c for c in item.cities.select_related("entity")} if item else {}
    wanted = {
        city: since or (existing[city].since if city in existing else today) for city, since in spec.cities
    }
    values = {f: getattr(spec, f).strip() for f in core.TEXT_FIELDS}
    if item is None:
        item = ServiceItem.objects.create(**values, created_by=by, created_at=at)
        ServiceCity.objects.bulk_create(
            ServiceCity(item=item, entity=entities[c], since=s) for c, s in wanted.items()
        )
        fields = {**values, "cities": _city_lines(wanted)}
        ServiceItemChange.objects.create(item=item, action="created", fields=fields, by=by, at=at)
        return "created"
    moved = {f: [getattr(item, f), v] for f, v in values.items() if getattr(item, f) != v}
    before = {c: row.since for c, row in existing.items()}
    if before != wanted:
        moved["cities"] = [_city_lines(before), _city_lines(wanted)]
    if not moved:
        return ""
    for f in core.TEXT_FIELDS:
        if f in moved:
            setattr(item, f, moved[f][1])
    item.save()
    if "cities" in moved:
        for city, row in existing.items():
            if city not in wanted:
                row.delete()
            elif row.since != wanted[city]:
                row.since = wanted[city]
                row.save(update_fields=["since"])
        ServiceCity.objects.bulk_create(
            ServiceCity(item=item, entity=entities[c], since=s)
            for c, s in wanted.items()
            if c not in existing
        )
    ServiceItemChange.objects.create(item=item, action="updated", fields=moved, by=by, at=at)
    return "updated"


def _check(specs: list[core.ItemSpec], renamed: ServiceItem | None = None) -> dict[str, Entity]:
    """Every problem of ``specs`` as one IndicatorError; the city entities by name when none."""
    entities = {e.name: e for e in city_choices()}
    for spec in specs:
        problems = [m for _f, m in core.check_item(spec)]
        unknown = [c for c in spec.city_names() if c not in entities]
        if unknown:
            problems.append("未登记或已停用的城市：" + "、".join(unknown[:5]))
        if problems:
            raise IndicatorError(f"「{spec.name[:40]}」：" + "；".join(problems))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise IndicatorError("事项名称重复")
    return entities


def save_item(spec: core.ItemSpec, by=None, item: ServiceItem | None = None, at=None) -> SaveResult:
    """Add an item, or change ``item`` (its name too); the counts are fed in the same transaction.
    Refused (IndicatorError, nothing changed) when the item is malformed, names a city not in the
    register, or takes the name of another item."""
    at = at or timezone.now()
    spec = core.ItemSpec(spec.name.strip(), spec.department, spec.category, spec.note, spec.cities)
    entities = _check([spec])
    with transaction.atomic():
        clash = ServiceItem.objects.filter(name=spec.name)
        if item is not None:
            item = ServiceItem.objects.select_for_update().get(pk=item.pk)
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            raise IndicatorError(f"事项「{spec.name[:40]}」已在清单中，请在该事项页面修改")
        action = _apply(spec, entities, by, at, item)
        recorded = feed(by, at) if action else 0
    return SaveResult(
        created=action == "created", updated=action == "updated", unchanged=not action, recorded=recorded
    )


def apply_items(specs: list[core.ItemSpec], by=None, at=None) -> SaveResult:
    """Add or update the items in ``specs`` (matched by name), all or nothing, then feed the counts."""
    at = at or timezone.now()
    entities = _check(specs)
    done = {"created": 0, "updated": 0, "": 0}
    with transaction.atomic():
        for spec in specs:
            done[_apply(spec, entities, by, at)] += 1
        recorded = feed(by, at) if done["created"] or done["updated"] else 0
    return SaveResult(done["created"], done["updated"], done[""], recorded)


def export_items() -> bytes:
    """The whole list as the Excel template."""
    items = ServiceItem.objects.prefetch_related("cities__entity").order_by("category", "name")
    return core.write_items((spec_of(i) for i in items), [e.name for e in city_choices()])


# --- the upload: review, then commit or discard -------------------------------------------------


def start_import(data: bytes, name: str, by=None) -> ServiceImport:
    """Read an uploaded list for review: the items and every problem, nothing applied yet."""
    read = core.read_items(data, city_spellings())
    rows = [
        [
            row,
            s.name,
            s.department,
            s.category,
            s.note,
            [[c, d.isoformat() if d else ""] for c, d in s.cities],
        ]
        for row, s in read.items
    ]
    problems = [[e.row, e.column, e.message] for e in read.errors]
    return ServiceImport.objects.create(name=name[:255], items=rows, problems=problems, uploaded_by=by)


def import_specs(batch: ServiceImport) -> list[core.ItemSpec]:
    """The items a batch read, as specs."""
    return [
        core.ItemSpec(
            name,
            department,
            category,
            note,
            tuple((c, dt.date.fromisoformat(d) if d else None) for c, d in cities),
        )
        for _row, name, department, category, note, cities in batch.items
    ]


def commit_import(batch: ServiceImport, by=None) -> SaveResult:
    """Apply a reviewed list, once and whole; refused while it has problems or was decided."""
    with transaction.atomic():
        batch = ServiceImport.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ServiceImport.State.REVIEW:
            raise IndicatorError("该文件已处理，不能再次导入")
        if batch.problems or not batch.items:
            raise IndicatorError("文件有问题，不能导入：请修正后重新上传")
        result = apply_items(import_specs(batch), by=by)
        batch.state = ServiceImport.State.COMMITTED
        batch.committed_by = by
        batch.committed_at = timezone.now()
        batch.created, batch.updated, batch.unchanged = result.created, result.updated, result.unchanged
        batch.save()
    return result


def discard_import(batch: ServiceImport, by=None) -> None:
    """Drop a list under review; nothing was applied."""
    updated = ServiceImport.objects.filter(pk=batch.pk, state=ServiceImport.State.REVIEW).update(
        state=ServiceImport.State.DISCARDED, committed_by=by, committed_at=timezone.now()
    )
    if not updated:
        raise IndicatorError("该文件已处理")


# --- counts and the indicators they feed -------------------------------------------------------


def _indicators() -> tuple[Indicator | None, Indicator | None]:
    """The two indicators, made when missing; one of the wrong level (staff changed it) is not fed."""
    names = [CITY_INDICATOR, AREA_INDICATOR]
    if Indicator.objects.filter(name__in=names).count() < 2:
        found = set(Indicator.objects.filter(name__in=names).values_list("name", flat=True))
        apply_catalogue([s for s in indicator_specs() if s.name not in found])
    by_name = {i.name: i for i in Indicator.objects.filter(name__in=names)}
    city, area = by_name.get(CITY_INDICATOR), by_name.get(AREA_INDICATOR)
    return (
        city if city is not None and city.level == Level.CITY else None,
        area if area is not None and area.level == Level.AREA else None,
    )


def current_items() -> list[list[tuple[str, dt.date]]]:
    """Every item's (city name, since) pairs."""
    by_item: dict[int, list[tuple[str, dt.date]]] = {
        i: [] for i in ServiceItem.objects.values_list("pk", flat=True)
    }
    for item_id, name, since in ServiceCity.objects.values_list("item_id", "entity__name", "since"):
        by_item[item_id].append((name, since))
    return list(by_item.values())


def counts_on(on: dt.date) -> tuple[dict[str, int], int]:
    """How many items could be handled in each city on ``on``, and in at least one city."""
    return core.counts(current_items(), on)


def _periods(first: dt.date, today: dt.date, frequency: str) -> list[tuple[str, dt.date]]:
    """(period code, the day it is counted on) from the period holding ``first`` to today's."""
    out: list[tuple[str, dt.date]] = []
    p = period_of(today, frequency)
    while len(out) < MAX_PERIODS:
        out.append((p.code, min(p.end, today)))
        if p.start <= first:
            break
        p = p.previous()
    return out[::-1]


def feed(by=None, at: dt.datetime | None = None) -> int:
    """Record the list's counts for every period as new vintages where they differ from the figures
    known; the number of figures written."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    city_indicator, area_indicator = _indicators()
    items = current_items()
    sinces = [s for cities in items for _c, s in cities]
    fed_before = Observation.objects.filter(
        indicator__in=[i for i in (city_indicator, area_indicator) if i is not None], source=SOURCE
    )
    if not sinces and not fed_before.exists():
        return 0  # an empty list that never fed anything: no row of zeros
    from luoshi.indicators.entities import metropolitan_area

    first = min(sinces) if sinces else today
    # The cities the list names, and those it fed before (a city whose last item went counts 0);
    # cities it never named get no row of zeros.
    named = set(ServiceCity.objects.values_list("entity_id", flat=True))
    named |= set(fed_before.filter(indicator=city_indicator).values_list("entity_id", flat=True))
    cities = [e for e in city_choices() if e.pk in named]
    area = metropolitan_area()
    figures: list[Figure] = []
    for indicator, level in ((city_indicator, Level.CITY), (area_indicator, Level.AREA)):
        if indicator is None or (level == Level.AREA and area is None):
            continue
        for code, day in _periods(min(first, today), today, indicator.frequency):
            per_city, anywhere = core.counts(items, day)
            if level == Level.CITY:
                figures += [
                    Figure(indicator, e, code, float(per_city.get(e.name, 0)), SOURCE, "按清单统计")
                    for e in cities
                ]
            else:
                figures.append(Figure(indicator, area, code, float(anywhere), SOURCE, "按清单统计"))
    return record(figures, by=by, at=at) if figures else 0
