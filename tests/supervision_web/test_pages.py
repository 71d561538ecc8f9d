"""The lights, notice and bulletin pages, as the office uses them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from luoshi.supervision_web import bulletins, services
from luoshi.supervision_web.models import Bulletin, SupervisionNotice
from tests.supervision_web.conftest import ON, task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Pages read "today" from services.today: pin it to the day the fixtures describe."""
    monkeypatch.setattr(services, "today", lambda: ON)


def issue(world) -> SupervisionNotice:
    (n,) = services.issue_notices(world.plan_a, [task(world.plan_a, "（二）").pk], world.office_a, ON)
    return n


def test_the_lights_page_lists_each_task_with_its_light_and_reason(reported, login):
    body = login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/lights/?on={ON}").content.decode()
    assert "逾期未报送" in body and "落后" in body
    assert body.index("织密高速公路网络") < body.index("建设合作园区")  # red before green
    # The rules are on the page, in the order they apply.
    rules = body[body.index('id="rules"') :]
    assert rules.index("red.overdue") < rules.index("red.missing") < rules.index("green.on_track")
    assert "按红灯生成督办单" in body


def test_proposing_from_red_lights_issues_the_ticked_notices(reported, login):
    client = login(reported.office_a)
    url = f"/plans/{reported.plan_a.pk}/notices/propose/"
    assert "织密高速公路网络" in client.get(url).content.decode()
    response = client.post(url, {"task": [task(reported.plan_a, "（二）").pk]}, follow=True)
    assert "督办〔2024〕1号" in response.content.decode()
    assert "没有需要督办的红灯任务" in client.get(url).content.decode()


def test_the_office_moves_a_notice_and_the_history_shows_it(reported, login):
    n = issue(reported)
    client = login(reported.office_a)
    client.post(f"/notices/{n.pk}/move/", {"to": "escalated", "leader": reported.leader.pk})
    body = client.get(f"/notices/{n.pk}/").content.decode()
    history = body.split('<ul class="timeline">', 1)[1].split("</ul>", 1)[0]
    assert "提级督办" in body and "leader" in body
    # The states by name, their codes only in a tooltip.
    assert re.sub(r"<[^>]+>", "", history).count("已下发 → 提级督办") == 1
    assert 'title="issued"' in history and 'title="escalated"' in history
    assert "issued →" not in re.sub(r"<[^>]+>", "", history)


def test_the_lights_page_gives_reasons_without_rule_codes(reported, login):
    body = login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/lights/?on={ON}").content.decode()
    shown = re.sub(r"<[^>]+>", "", body)
    assert "逾期未报送" in shown
    assert not re.search(r"(red|yellow|green)\.[a-z_]+", shown)
    assert 'title="red.missing"' in body
    rules = body[body.index('id="rules"') :]
    assert "逾期未报送" in re.sub(r"<[^>]+>", "", rules)


def test_a_forbidden_move_shows_the_reason(reported, login):
    n = issue(reported)
    response = login(reported.office_a).post(f"/notices/{n.pk}/move/", {"to": "closed"}, follow=True)
    assert "不能改为“已办结”" in response.content.decode()
    assert SupervisionNotice.objects.get(pk=n.pk).state == "issued"


def test_a_notice_on_a_task_a_revision_dropped_says_so_and_can_still_be_closed(reported, login):
    from luoshi.ledger import importing
    from tests.web.world import SAMPLE, upload

    n = issue(reported)
    revision = SAMPLE.replace("（二）织密高速公路网络。新增高速公路2条以上。（牵头单位：市发展改革局）\n", "")
    session = importing.start_import(upload(revision), reported.office_a, target=reported.plan_a)
    importing.commit_import(session, reported.office_a)
    office = login(reported.office_a)
    assert "任务已撤销" in office.get("/notices/").content.decode()
    assert "可回复说明后办结" in office.get(f"/notices/{n.pk}/").content.decode()
    services.reply(n, reported.office_a, "该任务已在修订版中撤销。", ON)
    office.post(f"/notices/{n.pk}/move/", {"to": "closed"})
    assert SupervisionNotice.objects.get(pk=n.pk).state == "closed"


def test_a_notice_on_a_current_task_has_no_withdrawn_mark(reported, login):
    n = issue(reported)
    office = login(reported.office_a)
    assert "任务已撤销" not in office.get("/notices/").content.decode()
    assert "可回复说明后办结" not in office.get(f"/notices/{n.pk}/").content.decode()


def test_the_notice_downloads_as_word(reported, login):
    n = issue(reported)
    response = login(reported.office_a).get(f"/notices/{n.pk}/notice.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"


def test_the_bulletin_page_shows_the_figures_and_chart_data(reported, login):
    body = (
        login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/bulletin/?period=2024-03").content.decode()
    )
    assert "2024年3月推进情况通报" in body and "vendor/echarts.min.js" in body
    data = json.loads(body.split('id="bulletin-data" type="application/json">')[1].split("</script>")[0])
    assert sum(s["value"] for s in data["standings"]) == 4


@pytest.mark.parametrize(("period", "message"), [("2024-13", "格式不正确"), ("2030-03", "2030年3月尚未开始")])
def test_the_bulletin_page_explains_a_period_it_cannot_report(reported, login, period, message):
    response = login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/bulletin/?period={period}")
    assert response.status_code == 422 and message in response.content.decode()


def test_the_button_produces_the_same_files_as_the_service(reported, login):
    client = login(reported.office_a)
    client.post(
        f"/plans/{reported.plan_a.pk}/bulletin/produce/", {"period": "2024-03", "format": ["docx", "xlsx"]}
    )
    row = Bulletin.objects.get()
    expected = bulletins.figures(reported.plan_a, "2024-03")
    for fmt in ("docx", "xlsx"):
        assert client.get(f"/bulletins/{row.pk}/{fmt}/").content == bulletins.render(expected, fmt)
    assert client.get(f"/bulletins/{row.pk}/pdf/").status_code == 404  # not produced this time


def test_the_lights_page_defaults_to_today(reported, login):
    body = login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/lights/").content.decode()
    assert f"评估日期 {ON:%Y-%m-%d}" in body and dt.date.today() != ON


def test_without_a_period_the_bulletin_page_shows_the_last_period_due(reported, login, monkeypatch):
    # On 1 July the last period due is May (June's reports are due on 10 July); nobody reported it.
    monkeypatch.setattr(services, "today", lambda: dt.date(2024, 7, 1))
    body = login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/bulletin/").content.decode()
    assert "2024年5月推进情况通报" in body and "市交通运输局（1项任务）" in body
