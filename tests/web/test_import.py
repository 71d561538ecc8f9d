"""Importing a plan: upload, review, an all-or-nothing commit, and re-import with a diff."""

from __future__ import annotations

import pytest

from luoshi.ledger import importing, services
from luoshi.ledger.models import (
    Change,
    ImportSession,
    Plan,
    ProgressReport,
    Task,
    TaskAssignment,
    TaskTarget,
    Unit,
    UnitAlias,
)
from luoshi.textplan import parse_text
from tests.web.world import SAMPLE, upload

pytestmark = pytest.mark.django_db


def test_upload_keeps_json_and_writes_no_plan(world):
    session = importing.start_import(upload(), world.office_a)
    assert session.state == ImportSession.State.OPEN
    assert session.data["items"][0]["title"] == "推进交通互联"
    assert Plan.objects.count() == 2  # only the world's two plans


def test_commit_builds_tree_assignments_targets_and_inheritance(world):
    tasks = {t.label: t for t in Task.objects.filter(plan=world.plan_a)}
    assert tasks["1."].parent == tasks["（三）"]
    assert tasks["（一）"].deadline.isoformat() == "2024-12-31"
    assert TaskTarget.objects.get(task=tasks["（一）"]).value == 50
    lead = TaskAssignment.objects.filter(task=tasks["1."], role="lead")
    assert sorted(a.unit.name for a in lead) == ["市商务局", "市工业和信息化局"]
    assert all(a.inherited for a in lead)
    assert world.plan_a.cadence == "month"
    assert tasks["（一）"].domain == "交通"


def test_review_flags_items_without_lead_and_unknown_units(world):
    text = SAMPLE + "三、其他工作\n（四）加强宣传。（牵头单位：市新设局）\n（五）做好总结。\n"
    session = importing.start_import(upload(text), world.office_a)
    review = importing.review(session, world.city_a)
    flags = {r.item["label"]: r.flags for r in review.rows}
    assert review.unknown_units == ["市新设局"]
    assert any("无牵头单位" in f for f in flags["（五）"])
    assert not any("无牵头单位" in f for f in flags["1."])  # inherits from （三）


def test_unknown_unit_mapped_to_existing_becomes_an_alias(world):
    text = "一、工作\n（一）开展研究。（牵头单位：发改委）\n"
    session = importing.start_import(upload(text), world.office_a)
    plan = importing.commit_import(
        session, world.office_a, city=world.city_a, unit_map={"发改委": world.ndrc_a.pk}
    )
    assert TaskAssignment.objects.get(task__plan=plan).unit == world.ndrc_a
    assert UnitAlias.objects.get(name="发改委").unit == world.ndrc_a


def test_commit_failing_midway_writes_nothing(world, monkeypatch):
    session = importing.start_import(upload(), world.office_a)
    before = (Plan.objects.count(), Task.objects.count(), Unit.objects.count(), Change.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TaskTarget.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        importing.commit_import(session, world.office_a, city=world.city_a)
    after = (Plan.objects.count(), Task.objects.count(), Unit.objects.count(), Change.objects.count())
    assert after == before
    session.refresh_from_db()
    assert session.state == ImportSession.State.OPEN


def test_abandoned_session_changes_nothing(world):
    session = importing.start_import(upload(), world.office_a)
    importing.abandon_import(session, world.office_a)
    assert Plan.objects.count() == 2
    with pytest.raises(services.RuleError):
        importing.commit_import(session, world.office_a)


def test_empty_title_edit_is_refused(world):
    session = importing.start_import(upload(), world.office_a)
    with pytest.raises(services.RuleError):
        importing.commit_import(session, world.office_a, titles={1: "   "})
    assert Plan.objects.count() == 2


def test_edited_titles_are_used(world):
    session = importing.start_import(upload(), world.office_a)
    plan = importing.commit_import(session, world.office_a, titles={1: "加快城际轨道建设"})
    assert Task.objects.get(plan=plan, label="（一）").title == "加快城际轨道建设"


REVISED = SAMPLE.replace(
    "（二）织密高速公路网络。新增高速公路2条以上。", "（二）织密高速公路网络。新增高速公路3条以上。"
).replace("2.举办招商活动。\n", "2.举办招商推介活动。\n3.建设人才公寓。\n")


def test_reimport_diff_keeps_reports_of_kept_tasks(world):
    kept = world.task_a
    report = services.submit_report(
        kept, world.reporter_a, period="2024-03", status="推进中", narrative="开工"
    )
    session = importing.start_import(upload(REVISED), world.office_a, target=world.plan_a)
    review = importing.review(session)
    changes = {r.item["label"]: r.change for r in review.rows}
    assert changes["（一）"] == "unchanged"
    assert changes["（二）"] == "changed"
    assert changes["2."] == "changed"  # same path, similar title
    assert changes["3."] == "added"
    importing.commit_import(session, world.office_a)
    assert ProgressReport.objects.filter(pk=report.pk, task_id=kept.pk).exists()
    assert Task.objects.get(plan=world.plan_a, label="（二）").targets.get().value == 3
    assert Task.objects.filter(plan=world.plan_a).count() == 8


def test_a_renumbered_revision_keeps_each_report_with_its_task(world):
    """A new first item under （三） and a new first section shift every label after them."""
    moved = world.task(world.plan_a, "2.")  # 举办招商活动
    lead = moved.assignments.filter(role="lead").first().unit
    report = services.submit_report(
        moved, world.office_a, period="2024-03", status="推进中", narrative="招商", as_unit=lead
    )
    revised = (
        SAMPLE.replace("一、推进交通互联", "一、加强规划衔接\n（一）编制同城化规划。（牵头单位：市发展改革局）\n二、推进交通互联")
        .replace("（一）加快", "（二）加快")
        .replace("（二）织密", "（三）织密")
        .replace("二、推进产业协同", "三、推进产业协同")
        .replace("（三）共建", "（四）共建")
        .replace("1.建设合作园区", "1.制定园区规划。\n2.建设合作园区")
        .replace("2.举办招商活动", "3.举办招商活动")
    )
    session = importing.start_import(upload(revised), world.office_a, target=world.plan_a)
    review = importing.review(session)
    by_title = {r.title: r for r in review.rows}
    assert by_title["举办招商活动"].match == moved
    assert by_title["举办招商活动"].change == "unchanged"
    assert by_title["制定园区规划"].change == "added" and by_title["编制同城化规划"].change == "added"
    assert review.removed == []
    importing.commit_import(session, world.office_a)
    moved.refresh_from_db()
    assert (moved.label, moved.removed_at) == ("3.", None)
    assert ProgressReport.objects.get(pk=report.pk).task_id == moved.pk


def test_reimport_withdraws_dropped_tasks_and_records_it(world):
    text = SAMPLE.replace("2.举办招商活动。\n", "")
    session = importing.start_import(upload(text), world.office_a, target=world.plan_a)
    assert [t.label for t in importing.review(session).removed] == ["2."]
    importing.commit_import(session, world.office_a)
    dropped = Task.objects.get(plan=world.plan_a, label="2.")
    assert dropped.removed_at is not None and dropped.parent is None
    assert not Task.objects.current().filter(pk=dropped.pk).exists()
    assert Change.objects.filter(task=dropped, plan=world.plan_a, field="task_removed").exists()


def test_import_of_a_thousand_tasks_is_one_transaction(world, django_assert_max_num_queries):
    areas = "一二三四五六七八九十"
    text = "".join(
        f"{a}、第{a}方面\n"
        + "".join(f"{i}.完成第{i}项工作。（牵头单位：市交通运输局）\n" for i in range(1, 31))
        for a in areas
    )
    session = importing.start_import(upload(text), world.office_a)
    expected = sum(1 for _ in parse_text(text).walk())
    # Bulk inserts: the query count does not grow with the number of tasks.
    with django_assert_max_num_queries(60):
        plan = importing.commit_import(session, world.office_a, city=world.city_a)
    assert plan.tasks.count() == expected > 300
