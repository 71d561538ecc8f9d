"""Writing indicators: the catalogue from its Excel template, and observations as vintages.

Both are all or nothing: a template with one bad row changes no indicator, and a batch of
observations with one bad figure records none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from luoshi.indicators.core import catalogue
from luoshi.indicators.core.vintages import check_period
from luoshi.indicators.models import Entity, Indicator, IndicatorChange, Observation


class IndicatorError(ValueError):
    """A refusal, in words a user understands; nothing was changed."""


@dataclass(frozen=True, slots=True)
class CatalogueResult:
    created: int
    updated: int
    unchanged: int


def export_catalogue(indicators: Iterable[Indicator] | None = None) -> bytes:
    """The catalogue (or the given indicators) as the Excel template."""
    rows = Indicator.objects.order_by("area", "name") if indicators is None else indicators
    return catalogue.write_catalogue(i.spec() for i in rows)


def apply_catalogue(specs: list[catalogue.IndicatorSpec], by=None) -> CatalogueResult:
    """Add or update the indicators in ``specs`` (matched by name), recording each change with its
    old and new values; every spec is checked first, so a bad one changes nothing."""
    for spec in specs:
        problems = catalogue.check_spec(spec)
        if problems:
            raise IndicatorError(f"「{spec.name[:40]}」：" + "；".join(m for _, m in problems))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise IndicatorError("指标名称重复")
    created = updated = unchanged = 0
    now = timezone.now()
    with transaction.atomic():
        existing = {i.name: i for i in Indicator.objects.select_for_update().filter(name__in=names)}
        for spec in specs:
            values = spec.as_dict()
            row = existing.get(spec.name)
            if row is None:
                row = Indicator.objects.create(**values)
                IndicatorChange.objects.create(indicator=row, action="created", fields=values, by=by, at=now)
                created += 1
                continue
            moved = {f: [getattr(row, f), v] for f, v in values.items() if getattr(row, f) != v}
            if not moved:
                unchanged += 1
                continue
            for field, (_, new) in moved.items():
                setattr(row, field, new)
            row.save(update_fields=list(moved))
            IndicatorChange.objects.create(indicator=row, action="updated", fields=moved, by=by, at=now)
            updated += 1
    return CatalogueResult(created, updated, unchanged)


def import_catalogue(data: bytes, by=None) -> CatalogueResult:
    """Read an uploaded template and apply it; IndicatorError lists every problem (row and column)."""
    read = catalogue.read_catalogue(data)
    if read.errors:
        raise IndicatorError("；".join(str(e) for e in read.errors[:20]))
    return apply_catalogue(read.specs, by=by)


@dataclass(frozen=True, slots=True)
class Figure:
    """One observation to record."""

    indicator: Indicator
    entity: Entity
    period: str
    value: float
    source: str = ""
    note: str = ""


def check_figure(figure: Figure) -> str:
    """The figure's period in canonical form; IndicatorError when the figure cannot be recorded."""
    if (
        not isinstance(figure.value, int | float)
        or isinstance(figure.value, bool)
        or not math.isfinite(figure.value)
    ):
        raise IndicatorError(f"「{figure.indicator.name}」{figure.period}：数值无效")
    if figure.entity.kind != figure.indicator.level:
        raise IndicatorError(
            f"「{figure.indicator.name}」按{figure.indicator.get_level_display()}统计，"
            f"「{figure.entity.name}」是{figure.entity.get_kind_display()}"
        )
    try:
        return check_period(figure.period, figure.indicator.frequency).code
    except ValueError as exc:
        raise IndicatorError(f"「{figure.indicator.name}」：{exc}") from None


def record(figures: list[Figure], by=None, at: dt.datetime | None = None) -> list[Observation]:
    """Record ``figures`` as new vintages at ``at`` (now): a figure equal to the one currently known
    is skipped, so uploading the same table twice adds nothing. All are checked before any is
    written. Returns the rows written."""
    at = at or timezone.now()
    periods = [check_figure(f) for f in figures]
    keys = {(f.indicator.pk, f.entity.pk, p) for f, p in zip(figures, periods, strict=True)}
    if len(keys) != len(figures):
        raise IndicatorError("同一指标、对象、期别出现多次")
    with transaction.atomic():
        known = {
            (o.indicator_id, o.entity_id, o.period): o.value
            for o in Observation.objects.as_known(at).filter(
                indicator__in={f.indicator.pk for f in figures}, entity__in={f.entity.pk for f in figures}
            )
        }
        rows = [
            Observation(
                indicator=f.indicator,
                entity=f.entity,
                period=p,
                value=float(f.value),
                source=f.source[:200],
                note=f.note[:500],
                recorded_by=by,
                recorded_at=at,
            )
            for f, p in zip(figures, periods, strict=True)
            if known.get((f.indicator.pk, f.entity.pk, p)) != float(f.value)
        ]
        return Observation.objects.bulk_create(rows, batch_size=2000)


def city_entity(city) -> Entity:
    """The entity of a ledger city, made on first use."""
    entity, _ = Entity.objects.get_or_create(kind="city", city=city, defaults={"name": city.name})
    return entity
