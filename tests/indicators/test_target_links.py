"""Plan targets linked to the indicators that measure them: suggested, confirmed or changed by
staff (each decision kept, and in the task's history), the progress their figures make beside
the 序时进度, on the task page and in the lights' reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.indicators import links as target_links
from luoshi.indicators.models import TargetLink
from luoshi.indicators.services import Figure, IndicatorError, record
from luoshi.ledger.models import Change, TaskTarget
from luoshi.supervision_web.services import plan_lights


def test_imported_targets_get_the_indicator_that_measures_them(links):
    assert (links.parking.metric, links.parking.value, links.parking.unit)[1:] == (6000, "个")
    assert [i.name for i, _s in target_links.suggestions(links.parking)][:1] == ["新增停车位"]
    assert [i.name for i, _s in target_links.suggestions(links.bus)][:1] == ["跨市公交线路"]


def test_a_link_is_kept_in_history_and_in_the_tasks_timeline(links):
    first = target_links.link_target(links.parking, links.gdp and links.parking_indicator, by=links.office)
    assert first is not None
    # The same decision again writes nothing.
    assert target_links.link_target(links.parking, links.parking_indicator, by=links.office) is None
    target_links.link_target(links.parking, links.parking_indicator, links.other_entity, by=links.admin)
    target_links.link_target(links.parking, None, by=links.office)
    rows = list(TargetLink.objects.filter(target=links.parking).order_by("at", "id"))
    assert [(r.indicator_id, r.entity_id, r.by) for r in rows] == [
        (links.parking_indicator.pk, None, links.office),
        (links.parking_indicator.pk, links.other_entity.pk, links.admin),
        (None, None, links.office),
    ]
    assert target_links.latest_links([links.parking.pk]) == {}
    changes = list(
        Change.objects.filter(task=links.parking_task, field__startswith="监测指标").order_by("id")
    )
    assert [(c.before, c.after) for c in changes] == [
        ("", "新增停车位（默认）"),
        ("新增停车位（默认）", "新增停车位（乙市）"),
        ("新增停车位（乙市）", ""),
    ]


@pytest.mark.parametrize("case", ["unit", "pair_without_pair", "wrong_level", "inactive", "no_number"])
def test_a_link_that_cannot_measure_is_refused(links, case):
    from luoshi.indicators.entities import set_active

    target, indicator, entity = {
        "unit": (links.parking, links.gdp, None),  # 亿元 for 个
        "pair_without_pair": (links.bus, None, None),
        "wrong_level": (links.bus, links.bus_indicator, links.city_entity),
        "inactive": (links.parking, links.parking_indicator, None),
        "no_number": (None, links.parking_indicator, None),
    }[case]
    if case == "pair_without_pair":
        target = TaskTarget.objects.create(
            task=links.bus_task, metric="日开行动车", unit="对", value=40, text="日开行动车40对"
        )
        indicator = links.trains
    if case == "inactive":
        entity = set_active(links.other_entity, False)
    if case == "no_number":
        target = TaskTarget.objects.create(task=links.bus_task, metric="组织", unit="", text="组织联席会")
    with pytest.raises(IndicatorError):
        target_links.link_target(target, indicator, entity, by=links.office)
    assert not TargetLink.objects.exists()


def test_progress_from_the_indicators_latest_figure(links):
    target_links.link_target(links.parking, links.parking_indicator, by=links.office)
    target_links.link_target(links.bus, links.bus_indicator, by=links.office)
    record(
        [
            Figure(links.parking_indicator, links.city_entity, "2026-10", 2400),
            Figure(links.parking_indicator, links.city_entity, "2026-11", 3600),
            Figure(links.parking_indicator, links.other_entity, "2026-11", 5900),  # another city
            Figure(links.bus_indicator, links.area, "2026-Q3", 9),
        ]
    )
    m = target_links.measured([links.parking, links.bus])
    parking, bus = m[links.parking.pk], m[links.bus.pk]
    assert (parking.entity, parking.period, parking.latest) == (links.city_entity, "2026-11", 3600)
    assert parking.progress.share == pytest.approx(0.6)  # 3600 / 6000
    assert (bus.entity, bus.period, bus.progress.share) == (links.area, "2026-Q3", pytest.approx(0.75))


def test_the_lights_measure_linked_targets_by_their_indicator(links):
    from luoshi.ledger.services import submit_report
    from luoshi.web import clock

    target_links.link_target(links.bus, links.bus_indicator, by=links.office)
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 3)])  # 25%
    # The unit's own figure (6 of 12) gives way to the indicator's the office linked.
    submit_report(
        links.bus_task,
        links.reporter,
        period="2026-11",
        status="推进中",
        narrative="新开通线路",
        values={links.bus.pk: 6},
    )
    # The report fed the indicator's 2026-Q4 with the unit's 6; the statistics office's figure for
    # the quarter, recorded later that day, is the one the lights of that day read.
    record([Figure(links.bus_indicator, links.area, "2026-Q4", 3)], at=clock.now() + dt.timedelta(hours=1))
    row = next(r for r in plan_lights(links.plan, clock.today()) if r.task_id == links.bus_task.pk)
    assert row.light.actual == pytest.approx(25.0)
    assert row.light.actual_source == "indicators"
    assert row.light.reason == "序时进度47.7%，实际进度（按监测指标测算）25%，落后22.7个百分点"
    assert row.light.expected == pytest.approx(47.9, abs=0.5)
    # An unlinked target with no report is not measured at all.
    other = next(r for r in plan_lights(links.plan, clock.today()) if r.task_id == links.parking_task.pk)
    assert other.light.actual is None


# --- the task page ------------------------------------------------------------------------------

PERSONAS = ("admin", "office", "office_b", "leader", "reporter", "member", "nobody", "anonymous")


def client_for(links, login, client, who):
    return client if who == "anonymous" else login(getattr(links, who))


def test_the_task_page_shows_progress_beside_the_expected(links, login):
    target_links.link_target(links.bus, links.bus_indicator, by=links.office)
    record([Figure(links.bus_indicator, links.area, "2026-Q3", 3)])
    page = login(links.office).get(f"/tasks/{links.bus_task.pk}/").content.decode()
    assert 'id="indicator-panel"' in page
    assert "跨市公交线路" in page and "3条" in page and "25%" in page
    assert "序时进度48%" in page and "落后序时进度23个百分点" in page
    # A new figure shows on the next visit: the page is not served from the page cache.
    record([Figure(links.bus_indicator, links.area, "2026-Q4", 9)])
    page = login(links.office).get(f"/tasks/{links.bus_task.pk}/").content.decode()
    assert "75%" in page and "符合序时进度" in page


@pytest.mark.parametrize("who", PERSONAS)
def test_who_sees_the_panel_and_who_may_link(links, login, client, who):
    c = client_for(links, login, client, who)
    page = c.get(f"/tasks/{links.parking_task.pk}/")
    if page.status_code == 200:
        html = page.content.decode()
        assert ('id="indicator-panel"' in html) == (who in ("admin", "office", "office_b", "leader"))
        assert ('class="link-form"' in html) == (who in ("admin", "office"))
    c.post(f"/indicators/targets/{links.parking.pk}/link/", {"indicator": links.parking_indicator.pk})
    # office_b keeps another plan: it may manage indicators, not this task.
    assert TargetLink.objects.filter(target=links.parking).exists() == (who in ("admin", "office"))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"indicator": "abc"},
        {"indicator": "99999999999999999999999"},
        {"indicator": "-3"},
        {"indicator": "999999"},
        {"indicator": "1", "entity": "x"},
        {"indicator": "1", "entity": "999999"},
        {"indicator": "1" * 10_000},
    ],
)
def test_hostile_links_change_nothing(links, login, data):
    response = login(links.office).post(f"/indicators/targets/{links.parking.pk}/link/", data)
    assert response.status_code == 302
    assert not TargetLink.objects.exists()


def test_a_link_to_an_unknown_target_is_not_found(links, login):
    assert login(links.office).post("/indicators/targets/999999/link/", {"indicator": "1"}).status_code == 404
