"""Achieved values in the units' reports feed the indicators their targets are linked to: one
observation per report value, of the ledger, by whoever reported when they did; a corrected
report is a new vintage, never an overwrite; values reported before the link feed it when it is
made; a value that cannot be recorded never stops the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.indicators import links as target_links
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.entities import set_active
from luoshi.indicators.ledger_feed import indicator_period
from luoshi.indicators.models import Indicator, Observation
from luoshi.indicators.services import apply_catalogue
from luoshi.ledger.models import ProgressReport, TaskTarget
from luoshi.ledger.services import submit_report


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 12, day, hour))


def report(links, target, value, day=11, period="2026-11", task=None):
    return submit_report(
        task or target.task,
        links.reporter,
        period=period,
        status="推进中",
        narrative="按计划推进",
        values={target.pk: value},
        now=at(day),
    )


def known(indicator, entity, on=None) -> dict[str, float]:
    return dict(
        Observation.objects.as_known(on)
        .filter(indicator=indicator, entity=entity)
        .values_list("period", "value")
    )


@pytest.mark.parametrize(
    ("period", "frequency", "expected"),
    [
        ("2026-11", "month", "2026-11"),
        ("2026-11", "quarter", "2026-Q4"),
        ("2026-11", "year", "2026"),
        ("2026-Q2", "month", "2026-06"),
        ("2026-H1", "quarter", "2026-Q2"),
        ("2026", "month", "2026-12"),
    ],
)
def test_the_indicators_period_holds_the_end_of_the_reports(period, frequency, expected):
    assert indicator_period(period, frequency) == expected


def test_a_reported_value_becomes_an_observation_of_the_ledger(links):
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    target_links.link_target(links.bus, links.bus_indicator, by=links.office)
    r = report(links, links.parking, 3600)
    report(links, links.bus, 9, day=12)
    parking = Observation.objects.get(indicator=links.parking_indicator)
    assert (parking.entity, parking.period, parking.value) == (links.city_entity, "2026-11", 3600)
    assert parking.source.startswith("台账：（一） 缓解停车难")
    assert parking.note == "市交通运输局 2026年11月报送 第1版"
    assert (parking.recorded_by, parking.recorded_at) == (links.reporter, r.submitted_at)
    assert parking.report_value == r.values.get()
    bus = Observation.objects.get(indicator=links.bus_indicator)
    assert (bus.entity, bus.period, bus.value) == (links.area, "2026-Q4", 9)  # an area indicator, quarterly


def test_a_corrected_report_is_a_new_vintage(links):
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    report(links, links.parking, 3600, day=11)
    report(links, links.parking, 3900, day=13)  # the unit corrects its November figure
    rows = list(Observation.objects.filter(indicator=links.parking_indicator).order_by("recorded_at"))
    assert [(o.value, o.note[-3:]) for o in rows] == [(3600, "第1版"), (3900, "第2版")]
    assert known(links.parking_indicator, links.city_entity) == {"2026-11": 3900}
    assert known(links.parking_indicator, links.city_entity, at(12)) == {"2026-11": 3600}
    assert target_links.measured([links.parking])[links.parking.pk].latest == 3900


def test_unlinked_targets_feed_nothing_and_values_before_the_link_feed_it_once(links):
    report(links, links.parking, 2400, period="2026-10", day=9)
    report(links, links.parking, 3600, day=11)
    assert not Observation.objects.exists()
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    assert known(links.parking_indicator, links.city_entity) == {"2026-10": 2400, "2026-11": 3600}
    # Each at its own report's time: as known on 10 December, November was not yet reported.
    assert known(links.parking_indicator, links.city_entity, at(10)) == {"2026-10": 2400}
    # Linking again, to another entity and back, records no value twice for one indicator.
    target_links.link_target(links.parking, links.parking_indicator, links.other_entity, by=links.office)
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    assert (
        Observation.objects.filter(indicator=links.parking_indicator, entity=links.city_entity).count() == 2
    )


def test_the_value_is_converted_to_the_indicators_unit(links):
    apply_catalogue([IndicatorSpec("停车位总量", "万个", "up", "交通", "", "", "year", "city")])
    stock = Indicator.objects.get(name="停车位总量")
    target_links.link_target(links.parking, stock, by=links.office)
    report(links, links.parking, 3600)
    assert known(stock, links.city_entity) == {"2026": pytest.approx(0.36)}


@pytest.mark.parametrize("case", ["inactive_city", "overflow"])
def test_a_value_that_cannot_be_recorded_never_stops_the_report(links, case):
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    value = 3600
    if case == "inactive_city":
        set_active(links.city_entity, False)
    else:
        # 1.7e308 万个 is more 个 than a float holds.
        TaskTarget.all_objects.filter(pk=links.parking.pk).update(unit="万个")
        value = 1.7e308
    r = report(links, links.parking, value)
    assert ProgressReport.objects.filter(pk=r.pk).exists() and r.values.get().value == value
    assert not Observation.objects.exists()


def test_a_report_through_the_form_feeds_the_indicator(links, login, office_day):
    office_day(dt.date(2026, 12, 11))
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    c = login(links.reporter)
    response = c.post(
        f"/tasks/{links.parking_task.pk}/report/",
        {
            "period": "2026-11",
            "status": "推进中",
            "narrative": "新增泊位",
            f"target_{links.parking.pk}": "4200",
        },
    )
    assert response.status_code == 302
    assert known(links.parking_indicator, links.city_entity) == {"2026-11": 4200}
    # A refused report (a value that is no number) records nothing.
    c.post(
        f"/tasks/{links.parking_task.pk}/report/",
        {"period": "2026-11", "status": "推进中", "narrative": "x", f"target_{links.parking.pk}": "1e999"},
    )
    assert Observation.objects.count() == 1
