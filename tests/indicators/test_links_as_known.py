"""A past day's lights and bulletins read the target links of that day: staff changing or removing a
link (or linking a target) afterwards leaves what was computed for the day as it was, so a light or
a bulletin made again for it gives the same figures; later days read the new link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.indicators import links as target_links
from luoshi.indicators import scorecards
from luoshi.indicators.services import Figure, record
from luoshi.supervision_web import bulletins
from luoshi.supervision_web.models import TaskLight
from luoshi.supervision_web.services import plan_lights, recompute_lights

LINKED = dt.date(2026, 11, 1)  # 新增停车位 linked for 甲市 (the default entity)
DAY = dt.date(2026, 12, 5)  # the day whose light and bulletin must not move
CHANGED = dt.date(2026, 12, 10)  # the link changed to 乙市's figure, or removed
LATER = dt.date(2026, 12, 15)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def parking(links):
    """甲市 has 2400 of 6000 new parking places (40%), 乙市 600 (10%), both known since 20 November."""
    record(
        [
            Figure(links.parking_indicator, links.city_entity, "2026-11", 2400),
            Figure(links.parking_indicator, links.other_entity, "2026-11", 600),
        ],
        at=at(dt.date(2026, 11, 20)),
    )
    return links


def light_of(links, on: dt.date):
    return next(r for r in plan_lights(links.plan, on) if r.task_id == links.parking_task.pk).light


def stored(links) -> tuple:
    row = TaskLight.objects.get(task=links.parking_task)
    return (row.colour, row.rule, row.reason, row.standing, row.expected, row.actual, row.period, row.on)


@pytest.mark.parametrize("change", ["other_entity", "unlinked"])
def test_changing_a_link_after_a_day_leaves_that_days_light_as_it_was(parking, change):
    target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office, at=at(LINKED))
    before = light_of(parking, DAY)
    assert (before.actual, before.actual_source) == (pytest.approx(40.0), "indicators")
    recompute_lights(DAY, [parking.plan])
    stored_before = stored(parking)

    if change == "other_entity":
        target_links.link_target(
            parking.parking,
            parking.parking_indicator,
            parking.other_entity,
            by=parking.office,
            at=at(CHANGED),
        )
    else:
        target_links.link_target(parking.parking, None, by=parking.office, at=at(CHANGED))

    assert light_of(parking, DAY) == before
    recompute_lights(DAY, [parking.plan])
    assert stored(parking) == stored_before
    # Later days read the link as changed.
    later = light_of(parking, LATER)
    if change == "other_entity":
        assert (later.actual, later.actual_source) == (pytest.approx(10.0), "indicators")
    else:
        assert later.actual_source != "indicators"


def test_a_bulletin_made_again_for_a_past_day_gives_what_it_gave(parking):
    target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office, at=at(LINKED))
    first = bulletins.figures(parking.plan, "2026-11", on=DAY)
    # The one task with a progress figure: 停车位 at 40% by 甲市's figure.
    assert (first.progress_tasks, first.mean_progress) == (1, pytest.approx(40.0))
    target_links.link_target(
        parking.parking, parking.parking_indicator, parking.other_entity, by=parking.office, at=at(CHANGED)
    )
    again = bulletins.figures(parking.plan, "2026-11", on=DAY)
    assert again == first
    now = bulletins.figures(parking.plan, "2026-11", on=LATER)
    assert (now.progress_tasks, now.mean_progress) == (1, pytest.approx(10.0))


def test_a_target_linked_after_a_day_is_not_measured_on_that_day(parking):
    unlinked = light_of(parking, DAY)
    assert unlinked.actual_source != "indicators"
    target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office, at=at(CHANGED))
    assert light_of(parking, DAY) == unlinked
    assert light_of(parking, LATER).actual == pytest.approx(40.0)


def test_the_link_in_force_is_the_newest_made_by_the_moment_asked(parking):
    target = parking.parking
    first = target_links.link_target(target, parking.parking_indicator, by=parking.office, at=at(LINKED))
    second = target_links.link_target(
        target, parking.parking_indicator, parking.other_entity, by=parking.office, at=at(CHANGED)
    )
    target_links.link_target(target, None, by=parking.office, at=at(LATER))
    in_force = {
        on: getattr(target_links.latest_links([target.pk], on).get(target.pk), "pk", None)
        for on in (
            LINKED - dt.timedelta(days=1),
            LINKED,  # a date is the end of that day: a link made at 10:00 is in force
            at(LINKED, 9),  # …but not at 09:00
            DAY,
            CHANGED,
            LATER,
            None,  # now
        )
    }
    assert list(in_force.values()) == [None, first.pk, None, first.pk, second.pk, None, None]
    # Every decision is kept: three rows, none changed.
    assert list(target.indicator_links.order_by("at").values_list("pk", flat=True))[:2] == [
        first.pk,
        second.pk,
    ]
    assert target.indicator_links.count() == 3


def test_links_made_at_the_same_moment_are_ordered_by_id(parking):
    target = parking.parking
    target_links.link_target(target, parking.parking_indicator, by=parking.office, at=at(LINKED))
    last = target_links.link_target(
        target, parking.parking_indicator, parking.other_entity, by=parking.office, at=at(LINKED)
    )
    assert target_links.latest_links([target.pk], LINKED)[target.pk].pk == last.pk


def test_a_link_is_made_at_the_offices_clock_by_default(parking, office_day):
    office_day(CHANGED)
    row = target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office)
    assert timezone.localdate(row.at) == CHANGED
    assert light_of(parking, DAY).actual_source != "indicators"
    assert light_of(parking, CHANGED).actual == pytest.approx(40.0)


def test_a_scorecard_of_a_past_moment_takes_the_targets_linked_by_then(parking):
    """A card drafted (or refreshed) as known on a day shows the share of target only for targets
    linked by then: a link made afterwards does not reach back into it."""
    target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office, at=at(CHANGED))

    def share(on: dt.date):
        card = scorecards.draft(parking.city_entity, "2026-11", by=parking.office, on=at(on, 23)).card()
        (line,) = [x for x in card.lines() if x.indicator_id == parking.parking_indicator.pk]
        return line.value, line.target

    assert share(DAY) == (2400, None)
    assert share(LATER) == (2400, 6000)


def test_a_scorecard_of_a_past_moment_keeps_the_target_unlinked_since(parking):
    target_links.link_target(parking.parking, parking.parking_indicator, by=parking.office, at=at(LINKED))
    target_links.link_target(parking.parking, None, by=parking.office, at=at(CHANGED))
    assert scorecards.linked_targets(parking.city_entity, [parking.parking_indicator.pk], at(DAY)) == {
        parking.parking_indicator.pk: 6000
    }
    assert scorecards.linked_targets(parking.city_entity, [parking.parking_indicator.pk], at(LATER)) == {}
