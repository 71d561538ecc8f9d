"""The indicators panel of the leaders' dashboard: a few headline indicators, each with its latest
figure, its change on the year and a sparkline of its recent periods.

Which indicators: the headline figure (first line) of each keyword of the latest published
scorecard, for that scorecard's entity; without one, the first indicators of the catalogue that
have figures for the metropolitan area. A constant number of queries whatever the number of
indicators: the scorecard, the indicators, and one read of their figures as known now.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from luoshi.indicators.core import scorecard as core
from luoshi.indicators.models import Entity, Indicator, Level, Observation, Scorecard, ScorecardChange
from luoshi.supervision.periods import parse_period

HEADLINES = 6
SPARK_POINTS = 24  # the sparkline's periods: two years of months


@dataclass(frozen=True, slots=True)
class Tile:
    """One indicator on the panel."""

    indicator_id: int
    name: str
    unit: str
    period_label: str
    latest: str  # 107.5对
    change: str  # 比上年同期增长25%, or empty
    labels: list[str]
    values: list[float]


def version() -> str:
    """Changes whenever a figure is recorded or a scorecard changes: the dashboard's page cache
    keys on it with the ledger's version."""
    with connection.cursor() as cursor:
        stamps = []
        for model in (Observation, ScorecardChange):
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            stamps.append(cursor.fetchone()[0] or 0)
    return "-".join(map(str, stamps))


def _headlines(limit: int) -> tuple[Entity | None, list[int], str]:
    row = (
        Scorecard.objects.filter(state=Scorecard.State.PUBLISHED)
        .select_related("entity")
        .order_by("-published_at", "-id")
        .first()
    )
    if row is not None:
        ids = [s.lines[0].indicator_id for s in row.card().sections if s.lines][:limit]
        if ids:
            return row.entity, ids, row.title
    area = Entity.objects.filter(kind=Level.AREA, active=True).order_by("pk").first()
    if area is None:
        return None, [], ""
    ids = list(
        Indicator.objects.filter(level=Level.AREA, observations__entity=area)
        .order_by("area", "name")
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    return area, ids, ""


def panel(limit: int = HEADLINES) -> dict | None:
    """The panel's tiles and the entity they are of; None when there is nothing to show."""
    entity, ids, source = _headlines(limit)
    if entity is None or not ids:
        return None
    indicators = {
        r[0]: r for r in Indicator.objects.filter(pk__in=ids).values_list("pk", "name", "unit", "direction")
    }
    series: dict[int, dict[str, float]] = {i: {} for i in ids}
    for i, period, value in (
        Observation.objects.as_known()
        .filter(entity=entity, indicator_id__in=ids)
        .values_list("indicator_id", "period", "value")
    ):
        series[i][period] = value
    tiles = []
    for i in ids:
        figures = series[i]
        if i not in indicators or not figures:
            continue
        _pk, name, unit, direction = indicators[i]
        periods = sorted(figures)
        last = periods[-1]
        before = figures.get(core.year_before(last))
        line = core.Line(i, name, unit, direction, last, figures[last], previous=before)
        shown = periods[-SPARK_POINTS:]
        tiles.append(
            Tile(
                indicator_id=i,
                name=name,
                unit=unit,
                period_label=parse_period(last).label,
                latest=core.amount(figures[last], unit),
                change=core.change_phrase(line),
                labels=[parse_period(p).label for p in shown],
                values=[figures[p] for p in shown],
            )
        )
    if not tiles:
        return None
    return {
        "entity": entity.name,
        "source": source,
        "tiles": tiles,
        "chart": [{"id": t.indicator_id, "labels": t.labels, "values": t.values} for t in tiles],
    }
