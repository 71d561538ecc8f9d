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

from django.db import connection

from luoshi.indicators.models import Observation, end_of


def known_values(
    indicator_id: int, on: dt.date | dt.datetime | None = None, entity_ids: list[int] | None = None
) -> dict[tuple[int, str], float]:
    """{(entity id, period): value} of indicator ``indicator_id`` as known at the end of ``on``
    (now when None): the latest vintage recorded by then, a later id winning at the same instant;
    only the entities ``entity_ids`` when given."""
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
        # Ascending vintages: each (entity, period) ends with its latest.
        return {(entity, period): value for entity, period, value in cursor.fetchall()}
