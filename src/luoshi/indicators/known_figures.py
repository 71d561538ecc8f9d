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


def known_values(
    indicator_id: int, on: dt.date | dt.datetime | None = None, entity_ids: list[int] | None = None
) -> dict[tuple[int, str], float]:
    """{(entity id, period): value} of indicator ``indicator_id`` as known at the end of ``on``
    (now when None): the latest vintage recorded by then, a later id winning at the same instant;
    only the entities ``entity_ids`` when given."""
    # Ascending vintages: each (entity, period) ends with its latest.
    return {(entity, period): value for entity, period, value in _vintages(indicator_id, on, entity_ids)}


@dataclass(frozen=True)
class KnownGrid:
    """An indicator's figures as known on a day: entities down (by name), periods across (in
    order), NaN where a cell has no figure. Only entities and periods with a figure are in it."""

    entities: list[str]
    periods: list[str]
    values: np.ndarray


def known_grid(indicator_id: int, on: dt.date | dt.datetime | None = None) -> KnownGrid:
    """The figures of ``known_values`` laid out as a grid, without a dictionary entry per figure."""
    rows = _vintages(indicator_id, on)
    if not rows:
        return KnownGrid([], [], np.empty((0, 0)))
    entity_ids, periods, values = zip(*rows, strict=True)
    ids, entity_at = np.unique(np.array(entity_ids, dtype=np.int64), return_inverse=True)
    names = dict(Entity.objects.filter(pk__in=ids.tolist()).values_list("pk", "name"))
    by_name = sorted(range(len(ids)), key=lambda i: names[int(ids[i])])
    rank = np.empty(len(ids), dtype=np.int64)
    rank[by_name] = np.arange(len(ids))
    columns = sorted(set(periods))
    column = {p: i for i, p in enumerate(columns)}
    period_at = np.fromiter(map(column.__getitem__, periods), dtype=np.int64, count=len(rows))
    # The vintages of a cell are adjacent, oldest first: the last of each run is the one known.
    latest = np.ones(len(rows), dtype=bool)
    latest[:-1] = (entity_at[1:] != entity_at[:-1]) | (period_at[1:] != period_at[:-1])
    grid = np.full((len(ids), len(columns)), np.nan)
    grid[rank[entity_at[latest]], period_at[latest]] = np.array(values, dtype=float)[latest]
    return KnownGrid([names[int(ids[i])] for i in by_name], columns, grid)


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
