"""Where units of several cities appear together, each carries its city; plans with long titles
of one issuer stay apart in 我的任务."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Plan
from luoshi.supervision_web import services as supervision
from tests.web.world import SAMPLE, import_plan

pytestmark = pytest.mark.django_db


def test_the_ledger_unit_filter_names_each_units_city(world, login):
    html = login(world.office_a).get("/ledger/").content.decode()
    assert f'<option value="{world.transport_a.pk}">市交通运输局（甲市）</option>' in html
    assert f'<option value="{world.transport_b.pk}">市交通运输局（乙市）</option>' in html


def test_the_notices_list_names_the_lead_units_city(world, login):
    on = dt.date(2024, 6, 20)
    task = world.task(world.plan_a, "（二）")
    drafts = supervision.propose_notices(world.plan_a, on)
    supervision.issue_notices(world.plan_a, [task.pk], world.office_a, on, drafts)
    html = login(world.office_a).get("/notices/").content.decode()
    assert "<td>市发展改革局（甲市）</td>" in html


@pytest.mark.parametrize(
    ("title", "short"),
    [
        (
            "惠州市人民政府办公室关于印发惠州市推进海绵城市建设工作方案的通知",
            "惠州市推进海绵城市建设工作方案",
        ),
        (
            "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知",
            "立山区政府2023年重点工作任务分解和责任分工方案",
        ),
        ("2023年推进都市圈一体化建设工作要点", "2023年推进都市圈一体化建设工作要点"),
        (
            "惠州市人民政府办公室关于印发全面对接深圳“东进战略”推动落实“海绵行动”提案办理工作方案的通知",
            "全面对接深圳“东进战略”推…“海绵行动”提案办理工作方案",
        ),
    ],
    ids=["covering-notice", "bracketed-title", "plain-title", "long-title-cut-in-the-middle"],
)
def test_short_titles_keep_what_tells_plans_apart(title, short):
    assert Plan(title=title).short_title == short


def test_my_tasks_tells_two_plans_of_one_issuer_apart(world, login):
    prefix = "甲市人民政府办公室关于印发甲市2024年推进同城化"
    first = import_plan(
        world.office_a, world.city_a, SAMPLE, plan_title=prefix + "交通互联专项工作方案的通知"
    )
    second = import_plan(
        world.office_a, world.city_a, SAMPLE, plan_title=prefix + "产业协同专项工作方案的通知"
    )
    page = login(world.reporter_a).get("/mine/")
    shown = {r["task"].plan.short_title for r in page.context["rows"] if r["task"].plan in (first, second)}
    assert len(shown) == 2
    html = page.content.decode()
    assert all(s in html for s in shown)
    assert f'title="{first.title}"' in html
