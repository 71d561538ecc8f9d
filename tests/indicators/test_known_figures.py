"""One indicator's figures as known on a day, read in one pass (the indicator and comparison pages):
the same figures as ``as_known`` gives, revisions, same-instant vintages and other indicators
included."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone

from luoshi.indicators import services
from luoshi.indicators.known_figures import known_grid, known_values
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


def by_names(area, known: dict) -> dict:
    names = {e.pk: name for name, e in area.entity.items()}
    return {(names[e], p): v for (e, p), v in known.items()}


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
    known = known_values(revised.gdp.pk, on)
    assert by_names(revised, known) == expected
    # The same figures as the vintage query the other pages use.
    rows = Observation.objects.as_known(on).filter(indicator=revised.gdp)
    assert known == {(o.entity_id, o.period): o.value for o in rows}
    # And laid out as the page's grid: entities by name, periods in order, the rest empty.
    grid = known_grid(revised.gdp.pk, on)
    names = {e.name: short for short, e in revised.entity.items()}
    cells = {
        (names[entity], period): value
        for entity, row in zip(grid.entities, grid.values.tolist(), strict=True)
        for period, value in zip(grid.periods, row, strict=True)
        if not math.isnan(value)
    }
    assert cells == expected
    assert grid.entities == sorted(grid.entities) and grid.periods == sorted({p for _e, p in expected})
    assert grid.values.shape == (len({e for e, _p in expected}), len(grid.periods))


def test_only_the_entities_asked_for(revised):
    known = known_values(revised.gdp.pk, None, [revised.entity["德阳"].pk, revised.entity["眉山"].pk])
    assert by_names(revised, known) == {("德阳", "2023"): 3014.9}


def test_an_indicator_without_figures_has_none(revised):
    assert known_values(revised.trains.pk) == {}
    assert known_grid(revised.trains.pk).values.size == 0
