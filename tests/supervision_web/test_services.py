"""Lights, calendars and notices computed from ledger rows."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision_web import services
from luoshi.supervision_web.models import NoticeTransition, ReportingCalendar, SupervisionNotice, TaskLight
from tests.supervision_web.conftest import ON, task

pytestmark = pytest.mark.django_db


def colours(plan) -> dict[str, tuple[str, str]]:
    return {r.label.split("/")[-1]: (r.light.colour, r.light.rule) for r in services.plan_lights(plan, ON)}


def test_the_calendar_follows_the_plans_cadence(world):
    assert services.cadence_for(world.plan_a).kind == "month"
    world.plan_b.cadence = "half-year"
    world.plan_b.save()
    assert services.cadence_for(world.plan_b).kind == "half-year"
    assert ReportingCalendar.objects.count() == 2


def test_a_half_yearly_plans_reports_count_and_it_is_chased_each_half_year(world):
    from tests.supervision_web.conftest import report, task

    plan = world.plan_b
    plan.cadence = "half-year"
    plan.save()
    done = task(plan, "1.")
    report(done, "2024-H1", "已完成", dt.date(2024, 7, 3))
    lights = {r.label.split("/")[-1]: r.light for r in services.plan_lights(plan, dt.date(2024, 7, 20))}
    assert lights["1."].period == "2024-H1" and lights["1."].standing == "已完成"
    assert lights["2."].rule == "red.missing"  # nothing for the first half year, due 2024-07-10
    # Before the first half year is due, nothing is missing yet.
    early = {r.label.split("/")[-1]: r.light for r in services.plan_lights(plan, dt.date(2024, 5, 20))}
    assert early["2."].rule != "red.missing" and early["2."].period != "2024-H1"


def test_each_leaf_task_gets_its_light_from_its_reports(reported):
    assert colours(reported.plan_a) == {
        "（一）": ("yellow", "yellow.behind"),
        "（二）": ("red", "red.missing"),
        "1.": ("green", "green.done"),
        "2.": ("green", "green.on_track"),
    }


def test_headings_get_no_light_of_their_own(reported):
    assert all(
        not r.label.endswith(("一、", "二、", "（三）")) for r in services.plan_lights(reported.plan_a, ON)
    )


def test_red_lights_come_first_with_their_reason(reported):
    first = services.plan_lights(reported.plan_a, ON)[0]
    assert first.light.colour == "red" and "逾期未报送" in first.light.reason


def test_recomputing_lights_stores_one_row_per_task_and_updates_it(reported):
    assert services.recompute_lights(ON, [reported.plan_a]) == 4
    assert services.recompute_lights(ON, [reported.plan_a]) == 4
    assert TaskLight.objects.count() == 4
    assert TaskLight.objects.get(task=task(reported.plan_a, "（二）")).colour == "red"


def test_only_red_tasks_without_an_open_notice_are_proposed(reported):
    drafts = services.propose_notices(reported.plan_a, ON)
    assert [int(d.task_id) for d in drafts] == [task(reported.plan_a, "（二）").pk]
    services.issue_notices(reported.plan_a, [int(drafts[0].task_id)], reported.office_a, ON)
    assert services.propose_notices(reported.plan_a, ON) == []


def test_issued_notices_are_numbered_in_the_years_sequence(reported):
    t = task(reported.plan_a, "（二）")
    drafts = services.propose_notices(reported.plan_a, ON)
    (first,) = services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON, drafts)
    services.move_notice(first, "received", reported.reporter_a, ON)
    services.move_notice(first, "replied", reported.reporter_a, ON)
    services.move_notice(first, "closed", reported.office_a, ON)
    (second,) = services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON)
    assert (first.number, second.number) == ("督办〔2024〕1号", "督办〔2024〕2号")
    assert first.lead_unit.name == "市发展改革局"


def test_every_move_is_a_history_row_with_who_and_states(reported):
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    services.move_notice(n, "escalated", reported.office_a, ON, leader=reported.leader)
    rows = list(
        NoticeTransition.objects.filter(notice=n).values_list("from_state", "to_state", "by__username")
    )
    assert rows == [("", "issued", "office_a"), ("issued", "escalated", "office_a")]
    assert SupervisionNotice.objects.get(pk=n.pk).escalated_to == reported.leader


def test_a_move_the_state_machine_forbids_is_refused(reported):
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    with pytest.raises(services.NoticeError, match="不能改为“已办结”"):
        services.move_notice(n, "closed", reported.office_a, ON)


def test_a_move_from_a_stale_state_is_refused(reported):
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    stale = SupervisionNotice.objects.get(pk=n.pk)
    services.move_notice(n, "received", reported.reporter_a, ON)
    with pytest.raises(services.NoticeError, match="已被他人处理"):
        services.move_notice(stale, "escalated", reported.office_a, ON, leader=reported.leader)


def test_a_reply_signs_for_the_notice_and_records_the_text(reported):
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    n = services.reply(n, reported.supporter_a, "已完成前期工作", ON)
    assert n.state == "replied" and n.replies.get().text == "已完成前期工作"
    assert list(n.transitions.values_list("to_state", flat=True)) == ["issued", "received", "replied"]


def test_the_notice_is_a_word_document_with_its_number(reported):
    import io

    from docx import Document

    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(services.notice_docx(n))).paragraphs)
    assert "督办〔2024〕1号" in text and "市发展改革局" in text


def test_migrating_puts_calendars_chased_quarterly_back_on_their_plans_cadence(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("luoshi.supervision_web.migrations.0002_calendar_half_years_and_years")
    world.plan_b.cadence = "half-year"
    world.plan_b.save()
    ReportingCalendar.objects.create(plan=world.plan_b, kind="quarter", day=20)
    ReportingCalendar.objects.create(plan=world.plan_a, kind="quarter", day=20)  # a monthly plan set so
    migration.follow_the_plans(apps, None)
    kinds = dict(ReportingCalendar.objects.values_list("plan_id", "kind"))
    assert kinds == {world.plan_b.pk: "half-year", world.plan_a.pk: "quarter"}
