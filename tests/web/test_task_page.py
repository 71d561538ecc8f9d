"""The task page reads as the plan does: no stray None, targets said once and as written."""

from __future__ import annotations

import re

import pytest

from luoshi.ledger import services
from luoshi.ledger.models import Task
from tests.web.world import import_plan

pytestmark = pytest.mark.django_db

PLAN = """某市2024年同城化工作方案
一、交通互联
（一）优化快速交通布局。尽快打通与周边城市的34条快速通道（其中惠深快速通道10条、惠莞快速通道9条、惠河快速通道9条、惠汕快速通道6条）。（牵头单位：市交通运输局）
（二）开展合作交流。围绕工业、交通基础设施、科技创新等11个合作专题，各牵头责任单位组织至少1次圈内交流活动。（牵头单位：市发展改革局）
（三）建设停车设施。力争2024年新增停车位6000个以上，完成投资约12亿元。（牵头单位：市交通运输局）
"""
SOURCE = "尽快打通与周边城市的34条快速通道（其中惠深快速通道10条、惠莞快速通道9条、惠河快速通道9条、惠汕快速通道6条）"


@pytest.fixture
def plan(world):
    return import_plan(world.office_a, world.city_a, text=PLAN)


def _page(client, user, task: Task) -> str:
    client.force_login(user)
    return client.get(f"/tasks/{task.pk}/").content.decode()


def _card(body: str) -> str:
    """The task's summary card (above the forms)."""
    return body.split('<div class="card">', 1)[1].split("</div>\n</div>", 1)[0]


def test_a_task_without_a_deadline_has_an_empty_date_field(world, client):
    task = world.task(world.plan_a, "（二）")
    assert task.deadline is None
    body = _page(client, world.office_a, task)
    field = re.search(r'<input type="date" name="deadline" value="([^"]*)"', body)
    assert field is not None and field.group(1) == ""
    assert "None" not in body


def test_a_task_with_a_deadline_shows_it_in_the_date_field(world, client):
    body = _page(client, world.office_a, world.task_a)
    assert '<input type="date" name="deadline" value="2024-12-31"' in body


def test_a_comparator_the_metric_already_says_is_not_repeated(plan, world, client):
    body = _card(_page(client, world.office_a, plan.tasks.get(label="（二）")))
    assert "各牵头责任单位组织至少1次" in body
    assert "&gt;=" not in body and "≥" not in body


def test_targets_use_symbols_and_plain_figures(plan, world, client):
    body = _card(_page(client, world.office_a, plan.tasks.get(label="（三）")))
    assert "力争2024年新增停车位≥6000个" in body
    assert "完成投资约12亿元" in body
    assert ".0" not in body and "&gt;=" not in body


def test_the_source_of_several_targets_is_shown_once(plan, world, client):
    task = plan.tasks.get(label="（一）")
    assert task.targets.count() == 5
    card = _card(_page(client, world.office_a, task))
    targets = card.split("<ul>", 1)[1].split("</ul>", 1)[0]
    assert targets.count(SOURCE) == 1
    assert "惠汕快速通道6条" in targets


def test_a_reported_figure_has_no_needless_decimal(plan, world, client):
    task = plan.tasks.get(label="（一）")
    target = task.targets.get(metric="惠汕快速通道")
    reporter = world.reporter_a  # 市交通运输局 of 甲市 leads the task
    services.submit_report(
        task, reporter, period="2024-03", status="推进中", narrative="开工", values={target.pk: 6.0}
    )
    body = _page(client, world.office_a, task)
    assert "惠汕快速通道：6条" in body
    assert "6.0条" not in body
