"""Observations are vintages: a revision is a new row, every query can ask what was known on a
date, rows are never changed or deleted, and a batch with one bad figure records nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.indicators import services
from luoshi.indicators.models import Entity, Observation
from luoshi.indicators.services import Figure, IndicatorError


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def values(rows) -> dict:
    return {(o.entity.name, o.period): o.value for o in rows.select_related("entity")}


@pytest.fixture
def recorded(area):
    """GDP 2023 first published in February 2024, 成都's revised in June; 德阳's 2022 only."""
    e = area.entity
    services.record(
        [
            Figure(area.gdp, e["成都"], "2023", 22074.7, source="统计公报"),
            Figure(area.gdp, e["德阳"], "2023", 3014.6),
            Figure(area.gdp, e["德阳"], "2022", 2816.9),
        ],
        at=at("2024-02-20"),
    )
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.8, note="修订")], at=at("2024-06-03"))
    return area


def test_a_revision_is_a_new_row(recorded):
    assert Observation.objects.filter(indicator=recorded.gdp).count() == 4
    assert values(Observation.objects.as_known())[("成都市", "2023")] == 22074.8


@pytest.mark.parametrize(
    "on, chengdu",
    [
        (dt.date(2024, 2, 19), None),  # before the first release
        (dt.date(2024, 2, 20), 22074.7),  # the day of the release: known by its end
        (dt.date(2024, 6, 2), 22074.7),
        (dt.date(2024, 6, 3), 22074.8),
        (at("2024-06-03", 8), 22074.7),  # a moment before the revision
    ],
)
def test_figures_as_known_on_a_date(recorded, on, chengdu):
    known = values(Observation.objects.as_known(on))
    assert known.get(("成都市", "2023")) == chengdu
    assert len(known) == (0 if chengdu is None else 3)


def test_recording_the_same_figure_again_adds_no_vintage(recorded):
    e = recorded.entity
    rows = services.record(
        [Figure(recorded.gdp, e["成都"], "2023", 22074.8), Figure(recorded.gdp, e["德阳"], "2023", 3014.6)]
    )
    assert rows == 0
    assert Observation.objects.count() == 4


def test_rows_are_never_changed_or_deleted(recorded):
    row = Observation.objects.first()
    row.value = 0
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()
    assert Observation.objects.filter(value=0).count() == 0


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda a: Figure(a.gdp, a.entity["成都"], "2024-03", 1.0), "与指标频度不符"),
        (lambda a: Figure(a.gdp, a.entity["成都"], "明年", 1.0), "格式不正确"),
        (lambda a: Figure(a.gdp, a.pair, "2024", 1.0), "按城市统计"),
        (lambda a: Figure(a.trains, a.entity["成都"], "2024-03", 1.0), "按城市对统计"),
        (lambda a: Figure(a.gdp, a.entity["成都"], "2024", float("nan")), "数值无效"),
        (lambda a: Figure(a.gdp, a.entity["成都"], "2024", float("inf")), "数值无效"),
        (lambda a: Figure(a.gdp, a.entity["成都"], "2024", "12"), "数值无效"),
    ],
)
def test_a_batch_with_one_bad_figure_records_nothing(area, make, message):
    good = Figure(area.gdp, area.entity["眉山"], "2024", 1700.0)
    with pytest.raises(IndicatorError, match=message):
        services.record([good, make(area)])
    assert Observation.objects.count() == 0


def test_the_same_key_twice_in_one_batch_is_refused(area):
    e = area.entity["眉山"]
    with pytest.raises(IndicatorError, match="多次"):
        services.record([Figure(area.gdp, e, "2024", 1.0), Figure(area.gdp, e, " 2024", 2.0)])


def test_pairs_and_areas_are_measured_at_their_own_level(area):
    services.record(
        [
            Figure(area.trains, area.pair, "2024-03", 107.5),
            Figure(area.pm25, area.area, "2024", 32.1),
        ]
    )
    assert values(Observation.objects.as_known()) == {("成德", "2024-03"): 107.5, ("成德眉资", "2024"): 32.1}


def test_an_entity_must_name_the_cities_its_kind_needs(area):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Entity.objects.create(kind="pair", name="孤对", city=area.cities["成都市"])
    with transaction.atomic(), pytest.raises(IntegrityError):
        Entity.objects.create(kind="city", name="成都2", city=area.cities["成都市"])


@pytest.mark.django_db
def test_an_import_writes_no_index_the_vintage_index_already_serves():
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Observation._meta.db_table)
    indexes = [c["columns"] for c in found.values() if c["index"] and not c["primary_key"]]
    assert ["indicator_id", "entity_id", "period", "recorded_at"] in indexes
    assert ["indicator_id"] not in indexes
