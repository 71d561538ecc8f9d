"""One indicator's figures as known on a day, read in one pass (the indicator and comparison pages):
the same figures as ``as_known`` gives, revisions, same-instant vintages and other indicators
included."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone

from luoshi.indicators import services
from luoshi.indicators.known_figures import known_grid
from luoshi.indicators.models import Observation
from luoshi.indicators.services import Figure


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@pytest.fixture
def revised(area):
    """GDP 2023 published in February 2024 and 成都's revised in June; 德阳's revised twice in one
    instant (the later row wins); 2022 recorded after both; a second indicator alongside."""
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2023", 22074.7), Figure(area.gdp, e["德阳"], "2023", 3014.6)],
        at=at("2024-02-20"),
    )
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.8)], at=at("2024-06-03"))
    services.record([Figure(area.gdp, e["德阳"], "2023", 3014.7)], at=at("2024-07-01"))
    services.record([Figure(area.gdp, e["德阳"], "2023", 3014.9)], at=at("2024-07-01"))
    services.record([Figure(area.gdp, e["成都"], "2022", 20817.5)], at=at("2024-09-01"))
    services.record([Figure(area.pm25, area.area, "2023", 33.0)], at=at("2024-02-20"))
    return area


def cells(area, grid) -> dict:
    """{(short name, period): value} of a grid's figures."""
    short = {e.name: name for name, e in area.entity.items()}
    return {
        (short[entity], period): value
        for entity, row in zip(grid.entities, grid.values.tolist(), strict=True)
        for period, value in zip(grid.periods, row, strict=True)
        if not math.isnan(value)
    }


@pytest.mark.parametrize(
    "on, expected",
    [
        (dt.date(2024, 2, 19), {}),  # before the first release
        (dt.date(2024, 2, 20), {("成都", "2023"): 22074.7, ("德阳", "2023"): 3014.6}),
        (at("2024-06-03", 8), {("成都", "2023"): 22074.7, ("德阳", "2023"): 3014.6}),
        (dt.date(2024, 6, 3), {("成都", "2023"): 22074.8, ("德阳", "2023"): 3014.6}),
        (dt.date(2024, 7, 1), {("成都", "2023"): 22074.8, ("德阳", "2023"): 3014.9}),
        (
            None,
            {("成都", "2023"): 22074.8, ("德阳", "2023"): 3014.9, ("成都", "2022"): 20817.5},
        ),
    ],
)
def test_figures_as_known_on_a_day(revised, on, expected):
    grid = known_grid(revised.gdp.pk, on)
    assert cells(revised, grid) == expected
    # The same figures as the vintage query the other pages use.
    rows = Observation.objects.as_known(on).filter(indicator=revised.gdp).select_related("entity")
    short = {e.pk: name for name, e in revised.entity.items()}
    assert cells(revised, grid) == {(short[o.entity_id], o.period): o.value for o in rows}
    # Entities by name, periods in order, only those with a figure.
    assert grid.entities == sorted(grid.entities) and grid.periods == sorted({p for _e, p in expected})
    assert grid.values.shape == (len({e for e, _p in expected}), len(grid.periods))


def test_the_entities_asked_for_in_their_order_one_without_figures_included(revised):
    e = revised.entity
    grid = known_grid(revised.gdp.pk, None, [e["眉山"], e["德阳"]])
    assert grid.entities == ["眉山市", "德阳市"] and grid.periods == ["2023"]
    assert cells(revised, grid) == {("德阳", "2023"): 3014.9}
    assert math.isnan(grid.values[0, 0])
    # As known on a day, and before any figure: the rows are still there, with no period.
    assert cells(revised, known_grid(revised.gdp.pk, dt.date(2024, 2, 20), [e["德阳"]])) == {
        ("德阳", "2023"): 3014.6
    }
    empty = known_grid(revised.gdp.pk, dt.date(2024, 2, 19), [e["成都"], e["德阳"]])
    assert empty.entities == ["成都市", "德阳市"] and empty.values.shape == (2, 0)


def test_an_indicator_without_figures_has_none(revised):
    grid = known_grid(revised.trains.pk)
    assert grid.entities == [] and grid.periods == [] and grid.values.size == 0
