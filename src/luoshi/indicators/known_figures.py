"""One indicator's figures as known on a day, read in one pass over the vintage index.

``ObservationQuerySet.as_known`` asks, for every row, whether a later vintage exists: one index
probe per figure, 6,000 of them for an indicator of 50 cities over 120 months. A page that shows
one indicator reads its rows in key order instead (the ``obs_vintage`` index: indicator, entity,
period, recorded_at) and keeps the last of each (entity, period): the same figures, the index
walked once. The rows are fetched from the cursor as they come: the ORM's iterator, converting
row by row in chunks of a hundred, cost twice the query itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection

from luoshi.indicators.models import Entity, Observation, end_of


@dataclass(frozen=True)
class KnownGrid:
    """An indicator's figures as known on a day: entities down, periods across (in order), NaN
    where a cell has no figure. Only periods with a figure are in it; the entities are those with
    a figure, by name, unless the grid was asked for named entities."""

    entities: list[str]
    periods: list[str]
    values: np.ndarray


def known_grid(
    indicator_id: int, on: dt.date | dt.datetime | None = None, entities: list[Entity] | None = None
) -> KnownGrid:
    """Indicator ``indicator_id``'s figures as known at the end of ``on`` (now when None): the latest
    vintage recorded by then, a later id winning at the same instant, laid out as a grid; with
    ``entities`` (no repeats), a row for each of them in the order given, one without figures
    included."""
    rows = _vintages(indicator_id, on, None if entities is None else [e.pk for e in entities])
    if not rows:
        names = [] if entities is None else [e.name for e in entities]
        return KnownGrid(names, [], np.empty((len(names), 0)))
    entity_ids, periods, values = zip(*rows, strict=True)
    names, row_at = _by_name(entity_ids) if entities is None else _as_given(entities, entity_ids)
    columns = sorted(set(periods))
    column = {p: i for i, p in enumerate(columns)}
    period_at = np.fromiter(map(column.__getitem__, periods), dtype=np.int64, count=len(rows))
    # The vintages of a cell are adjacent, oldest first: the last of each run is the one known.
    latest = np.ones(len(rows), dtype=bool)
    latest[:-1] = (row_at[1:] != row_at[:-1]) | (period_at[1:] != period_at[:-1])
    grid = np.full((len(names), len(columns)), np.nan)
    grid[row_at[latest], period_at[latest]] = np.array(values, dtype=float)[latest]
    return KnownGrid(names, columns, grid)


def _by_name(entity_ids: tuple[int, ...]) -> tuple[list[str], np.ndarray]:
    """The names of the entities among ``entity_ids``, sorted, and each id's row among them."""
    ids, entity_at = np.unique(np.array(entity_ids, dtype=np.int64), return_inverse=True)
    names = dict(Entity.objects.filter(pk__in=ids.tolist()).values_list("pk", "name"))
    by_name = sorted(range(len(ids)), key=lambda i: names[int(ids[i])])
    rank = np.empty(len(ids), dtype=np.int64)
    rank[by_name] = np.arange(len(ids))
    return [names[int(ids[i])] for i in by_name], rank[entity_at]


def _as_given(entities: list[Entity], entity_ids: tuple[int, ...]) -> tuple[list[str], np.ndarray]:
    """The names of ``entities`` in their order, and each id's row among them."""
    position = {e.pk: i for i, e in enumerate(entities)}
    rows = np.fromiter(map(position.__getitem__, entity_ids), dtype=np.int64, count=len(entity_ids))
    return [e.name for e in entities], rows


def _vintages(
    indicator_id: int, on: dt.date | dt.datetime | None, entity_ids: list[int] | None = None
) -> list[tuple[int, str, float]]:
    """(entity id, period, value) of every vintage recorded by the end of ``on``, in the vintage
    index's order."""
    rows = Observation.objects.filter(indicator_id=indicator_id)
    until = end_of(on)
    if until is not None:
        rows = rows.filter(recorded_at__lte=until)
    if entity_ids is not None:
        rows = rows.filter(entity_id__in=entity_ids)
    ordered = rows.order_by("entity_id", "period", "recorded_at", "id").values_list(
        "entity_id", "period", "value"
    )
    # The ORM's SQL, fetched whole: an id, a text and a float need no conversion on either database.
    sql, params = ordered.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
