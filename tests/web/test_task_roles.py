"""Background and safeguard rows (Task.role) stay in the plan's tree but are never chased: not in
我的任务, the ledger, the lights, reminders, 督办单, bulletins or the dashboard's counts, and no unit
reports on them. Plan A's （二） 织密高速公路网络 (led by 市发展改革局) is marked safeguard here, as
the review lets the office do; every other row stays a task.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from luoshi.ledger.models import Task, TaskRole
from luoshi.ledger.views import dashboard_figures
from luoshi.supervision_web import bulletins, reminders, services
from luoshi.supervision_web.models import SupervisionNotice, TaskLight
from tests.supervision_web.conftest import ON, report, task
from tests.supervision_web.test_reminders import DUE, Recorder
from tests.web.world import import_plan

pytestmark = pytest.mark.django_db

MARKED = "织密高速公路网络"
KEPT = "加快轨道交通建设"

PLAN_WITH_ROLES = """某市2026年同城化工作方案
各牵头单位每月报送1次工作进展。
一、基本情况
（一）合作机制初步建立。两市签订合作协议。
二、重点任务
（一）加快轨道交通建设。2027年底前建成城际铁路50公里。（牵头单位：市交通运输局）
三、保障措施
（一）加强组织领导。各单位要切实加强组织领导。
（二）强化督查考核。将推进情况纳入年度考核。
"""


@pytest.fixture
def marked(world):
    t = task(world.plan_a, "（二）")
    t.role = TaskRole.SAFEGUARD
    t.save(update_fields=["role"])
    return t


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: ON)


def test_import_takes_each_rows_role_from_the_engine(world):
    plan = import_plan(world.office_a, world.city_a, text=PLAN_WITH_ROLES)
    roles = {t.title: t.role for t in plan.tasks.all()}
    assert roles == {
        "基本情况": "context",
        "合作机制初步建立": "context",
        "重点任务": "task",
        "加快轨道交通建设": "task",
        "保障措施": "safeguard",
        "加强组织领导": "safeguard",
        "强化督查考核": "safeguard",
    }
    assert [t.title for t in Task.objects.chased().filter(plan=plan)] == ["重点任务", "加快轨道交通建设"]


def test_the_review_does_not_ask_for_a_lead_on_rows_that_are_not_tasks(world, login):
    from luoshi.ledger import importing
    from tests.web.world import upload

    session = importing.start_import(upload(PLAN_WITH_ROLES), world.office_a)
    flagged = {r.title for r in importing.review(session).rows if "无牵头单位" in r.flags}
    assert flagged == set()  # 加快轨道交通建设 has its lead; the rest are background and safeguards


def test_my_tasks_leave_out_a_marked_row(world, marked, login):
    body = login(world.supporter_a).get("/mine/").content.decode()
    assert MARKED not in body
    marked.role = TaskRole.TASK
    marked.save(update_fields=["role"])
    assert MARKED in login(world.supporter_a).get("/mine/").content.decode()


def test_the_ledger_list_leaves_out_a_marked_row_and_the_export_keeps_the_tree(world, marked, login):
    client = login(world.office_a)
    body = client.get(f"/ledger/?plan={world.plan_a.pk}").content.decode()
    assert KEPT in body and MARKED not in body
    # The export is the whole plan, so that it re-imports as the same tree; the marked row has no light.
    sheet = load_workbook(io.BytesIO(client.get(f"/ledger/export.xlsx?plan={world.plan_a.pk}").content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any(KEPT in c for c in cells) and any(MARKED in c for c in cells)


def test_the_plan_page_keeps_a_marked_row_marked_and_uncounted(world, marked, login):
    body = login(world.office_a).get(f"/plans/{world.plan_a.pk}/").content.decode()
    row = body[body.index(MARKED) - 400 : body.index(MARKED) + 400]
    assert 'class="not-chased role-safeguard"' in row and "保障" in row
    # Four leaves, one of them marked: three counted.
    assert "完成 0 / 3" in body


def test_the_task_page_says_a_marked_row_is_not_reported_on(world, marked, login):
    body = login(world.office_a).get(f"/tasks/{marked.pk}/").content.decode()
    assert "不是任务" in body


def test_no_unit_can_report_on_a_marked_row(world, marked, login):
    client = login(world.supporter_a)
    response = client.post(
        f"/tasks/{marked.pk}/report/", {"period": "2024-03", "status": "推进中", "narrative": "进展"}
    )
    assert response.status_code == 403
    assert not marked.reports.exists()


def test_the_lights_leave_out_a_marked_row(world, marked, login, frozen_today):
    ids = {r.task_id for r in services.plan_lights(world.plan_a, ON)}
    assert marked.pk not in ids and task(world.plan_a, "（一）").pk in ids
    body = login(world.office_a).get(f"/plans/{world.plan_a.pk}/lights/?on={ON}").content.decode()
    assert KEPT in body and MARKED not in body


def test_a_stored_light_goes_when_its_row_is_marked(world):
    services.recompute_lights(ON, [world.plan_a])
    t = task(world.plan_a, "（二）")
    assert TaskLight.objects.filter(task=t).exists()
    t.role = TaskRole.CONTEXT
    t.save(update_fields=["role"])
    services.recompute_lights(ON, [world.plan_a])
    assert not TaskLight.objects.filter(task=t).exists()
    assert TaskLight.objects.filter(task=task(world.plan_a, "（一）")).exists()


def test_reminders_leave_out_a_marked_row(world, marked):
    outcome = reminders.send_due(DUE, Recorder(), [world.plan_a])
    assert len(outcome.sent) == 3
    assert not any(k.startswith(f"{marked.pk}:") for k in outcome.sent)


def test_no_notice_is_proposed_or_issued_for_a_marked_row(world, marked):
    drafts = services.propose_notices(world.plan_a, ON)
    assert marked.pk not in {int(d.task_id) for d in drafts}
    assert services.issue_notices(world.plan_a, [marked.pk], world.office_a, ON) == []
    assert not SupervisionNotice.objects.filter(task=marked).exists()


def test_bulletins_count_only_tasks(world, marked):
    report(task(world.plan_a, "1."), "2024-03", "已完成", dt.date(2024, 4, 9))
    fig = bulletins.figures(world.plan_a, "2024-03", dt.date(2024, 4, 11))
    assert fig.total_tasks == 3 and fig.completed == 1
    assert MARKED not in repr(fig)


def test_a_plan_of_only_background_has_no_bulletin(world):
    world.plan_a.tasks.update(role=TaskRole.CONTEXT)
    with pytest.raises(bulletins.BulletinError):
        bulletins.figures(world.plan_a, "2024-03", dt.date(2024, 4, 11))


def test_the_dashboard_counts_only_tasks(world, marked):
    summary = dashboard_figures(world.office_a, ON)["summary"]
    assert summary["total"] == 3
    by_plan = dashboard_figures(world.office_a, ON)["charts"]["plan"]
    assert [r["total"] for r in by_plan] == [3]
    by_unit = {r["name"]: r["total"] for r in dashboard_figures(world.office_a, ON)["charts"]["unit"]}
    assert "市发展改革局" not in by_unit  # it leads only the marked row


def test_the_api_counts_only_tasks(world, marked, login):
    from luoshi.api.ledger import PlanDetailOut

    # Seven rows in plan A's tree, one marked.
    assert PlanDetailOut.resolve_tasks(world.plan_a) == 6
