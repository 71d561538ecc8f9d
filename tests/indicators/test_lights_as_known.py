"""Lights and bulletins of a past day measure linked targets by the figures known that day: a
figure revised after it changes the lights of later days only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.indicators import links as target_links
from luoshi.indicators.services import Figure, record
from luoshi.supervision_web import bulletins
from luoshi.supervision_web.models import TaskLight
from luoshi.supervision_web.services import plan_lights, recompute_lights

LINKED = dt.date(2026, 10, 1)  # the targets linked to their indicators
FIRST = dt.date(2026, 12, 1)  # 跨市公交 3 of 12 (25%) recorded
PAST = dt.date(2026, 12, 5)  # a day between the first figure and its revision
REVISED = dt.date(2026, 12, 10)  # the same quarter revised to 9 of 12 (75%)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def revised(links):
    target_links.link_target(links.bus, links.bus_indicator, by=links.office, at=at(LINKED))
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 3)], at=at(FIRST))
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 9)], at=at(REVISED))
    return links


def bus_light(links, on: dt.date):
    return next(r for r in plan_lights(links.plan, on) if r.task_id == links.bus_task.pk).light


def test_a_past_days_lights_read_the_figure_known_that_day(revised):
    before = bus_light(revised, PAST)
    assert (before.actual, before.actual_source) == (pytest.approx(25.0), "indicators")
    after = bus_light(revised, dt.date(2026, 12, 15))
    assert (after.actual, after.actual_source) == (pytest.approx(75.0), "indicators")


def test_a_day_before_any_figure_has_no_indicator_progress(revised):
    light = bus_light(revised, dt.date(2026, 11, 20))
    assert light.actual is None
    assert light.actual_source != "indicators"


def test_stored_lights_of_a_past_day_keep_the_figure_known_then(revised):
    recompute_lights(PAST, [revised.plan])
    assert TaskLight.objects.get(task=revised.bus_task).actual == pytest.approx(25.0)
    recompute_lights(dt.date(2026, 12, 15), [revised.plan])
    assert TaskLight.objects.get(task=revised.bus_task).actual == pytest.approx(75.0)


def bus_line(links, fig):
    return next(t for t in fig.red_tasks if t.task_id == str(links.bus_task.pk))


def test_a_bulletin_made_on_a_past_day_reads_the_figures_known_then(revised):
    past = bulletins.figures(revised.plan, "2026-11", on=PAST)
    assert bus_line(revised, past).actual == pytest.approx(25.0)
    assert past.mean_progress == pytest.approx(25.0)
    # The same bulletin made today reads the revision.
    now = bulletins.figures(revised.plan, "2026-11", on=dt.date(2026, 12, 15))
    assert bus_line(revised, now).actual == pytest.approx(75.0)
    assert now.mean_progress == pytest.approx(75.0)


def test_the_previous_bulletins_ranks_read_the_figures_known_on_its_day(links, office_day):
    """The 2026-11 bulletin ranks its groups against the 2026-10 bulletin as it was made on the
    working day after October's due date: 跨市公交 at 25% then, behind 停车位 at 40%, though revised
    to 75% since."""
    from luoshi.accounts.models import Role
    from luoshi.ledger.models import Task, Unit
    from luoshi.ledger.services import submit_report
    from tests.web.world import make_user

    Task.objects.filter(pk=links.bus_task.pk).update(domain="交通")
    target_links.link_target(links.parking, links.parking_indicator, by=links.office, at=at(LINKED))
    target_links.link_target(links.bus, links.bus_indicator, by=links.office, at=at(LINKED))
    record([Figure(links.parking_indicator, links.city_entity, "2026-10", 2400)], at=at(dt.date(2026, 11, 1)))
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 3)], at=at(dt.date(2026, 11, 1)))
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 9)], at=at(dt.date(2026, 11, 20)))
    commerce = Unit.objects.get(name="市商务局", city=links.city)
    reporter = make_user("reporter_commerce", Role.REPORTER, commerce)
    office_day(dt.date(2026, 11, 5))
    invest = Task.objects.get(plan=links.plan, label="（三）")
    submit_report(invest, reporter, period="2026-10", status="推进中", narrative="举办推介会")
    office_day(dt.date(2026, 12, 15))

    fig = bulletins.figures(links.plan, "2026-11", on=dt.date(2026, 12, 15))
    domains = {g.name: g for g in fig.by_domain}
    # Now: 交通 (75%) ahead of 其他 (40%); on October's bulletin day 交通 (25%) was behind.
    assert domains["交通"].rank < domains["其他"].rank
    assert domains["交通"].previous_rank > domains["其他"].previous_rank
