"""待办: each signed-in user sees what awaits their action, only their own unit's (or their own
plans'), with the same count in the header of every page; a reporter lands there after login."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from luoshi.ledger import services as ledger
from luoshi.supervision_web import services as supervision
from tests.supervision_web.conftest import ON, task
from tests.web.world import PASSWORD

pytestmark = pytest.mark.django_db


def header_count(html: str) -> int:
    """The number in the header's 待办 link (0 when it shows none)."""
    link = re.search(r'<a href="/inbox/" id="inbox-link"[^>]*>(.*?)</a>', html, re.S)
    assert link, "no 待办 link in the header"
    badge = re.search(r'class="badge[^"]*"[^>]*>(\d+)<', link.group(1))
    return int(badge.group(1)) if badge else 0


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="inbox-section" id="inbox-(\w+)">(.*?)</section>', html, re.S))


@pytest.fixture
def notice(reported, office_day):
    """On 2024-04-15 plan A's （二） is red (no March report): a 督办单 to its lead, 市发展改革局."""
    office_day(ON)
    (n,) = supervision.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    return n


def test_a_reporter_lands_on_the_inbox_after_login(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "reporter_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/inbox/"
    assert "待办 · 市交通运输局" in response.content.decode()


def test_reports_due_this_period_are_listed_with_their_period_and_due_date(world, login, office_day):
    office_day(dt.date(2024, 6, 20))
    html = login(world.reporter_a).get("/inbox/").content.decode()
    due = sections(html)["report_due"]
    # 市交通运输局 leads （一） of plan A only: plan B's 市交通运输局 is another unit (乙市).
    assert "加快轨道交通建设" in due and "报送期2024-05" in due and "2024-06-11" in due and "已逾期" in due
    assert due.count("<tr") == 2  # the heading row and （一）
    assert f"/tasks/{world.task_b.pk}/" not in html


def test_a_report_sent_back_is_listed_with_the_reason_and_leaves_when_reported_again(
    world, login, office_day
):
    office_day(dt.date(2024, 6, 20))
    report = ledger.submit_report(
        world.task_a, world.reporter_a, period="2024-05", status="推进中", narrative="推进"
    )
    client = login(world.reporter_a)
    assert "report_due" not in sections(client.get("/inbox/").content.decode())
    ledger.return_report(report, world.office_a, "请补充里程数")
    html = client.get("/inbox/").content.decode()
    returned = sections(html)["returned"]
    assert "2024-05期报送被退回：请补充里程数" in returned and "period=2024-05#report-form" in returned
    assert header_count(html) == 1
    ledger.submit_report(world.task_a, world.reporter_a, period="2024-05", status="推进中", narrative="补充")
    html = client.get("/inbox/").content.decode()
    assert sections(html) == {} and "没有待办事项" in html and header_count(html) == 0


def test_a_supporting_unit_owes_its_part_for_the_period_until_it_files_it(world, login, office_day):
    office_day(dt.date(2024, 6, 20))
    client = login(world.supporter_a)
    html = client.get("/inbox/").content.decode()
    # 市发展改革局 supports （一） and leads （二）: its part of （一） is due with the lead's report.
    owed = sections(html)["contribution_due"]
    assert "加快轨道交通建设" in owed and "报送期2024-05" in owed and "#contribute-form" in owed
    assert "织密高速公路网络" not in owed and "织密高速公路网络" in sections(html)["report_due"]
    before = header_count(html)
    ledger.add_contribution(world.task_a, world.supporter_a, period="2024-05", text="已协调用地指标")
    html = client.get("/inbox/").content.decode()
    assert "contribution_due" not in sections(html) and header_count(html) == before - 1
    # The lead unit's own inbox never lists the supporter's part, nor the supporter the lead's report.
    lead = sections(login(world.reporter_a).get("/inbox/").content.decode())
    assert "contribution_due" not in lead
    # The form the link points at is on the task page for the supporting unit.
    page = login(world.supporter_a).get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert 'id="contribute-form"' in page


def test_a_notice_to_reply_is_the_lead_units_not_another_units(notice, login):
    from django.contrib.auth import get_user_model

    from luoshi.accounts.models import Profile

    ndrc_reporter = Profile.objects.get(unit=notice.lead_unit, role="reporter").user
    html = login(ndrc_reporter).get("/inbox/").content.decode()
    assert notice.number in sections(html)["notice_reply"] and f"/notices/{notice.pk}/" in html
    for other in ("reporter_a", "reporter_b"):
        page = login(get_user_model().objects.get(username=other)).get("/inbox/").content.decode()
        assert notice.number not in page and "notice_reply" not in sections(page)


def test_a_replied_notice_leaves_the_units_inbox_and_waits_in_its_offices(notice, reported, login):
    from luoshi.accounts.models import Profile

    unit_user = Profile.objects.get(unit=notice.lead_unit, role="reporter").user
    supervision.reply(notice, unit_user, "已召开专题会推进。", ON)
    assert notice.number not in login(unit_user).get("/inbox/").content.decode()
    office = login(reported.office_a).get("/inbox/").content.decode()
    assert notice.number in sections(office)["notice_close"] and header_count(office) == 1
    # Another office's plans are not its to close.
    assert notice.number not in login(reported.office_b).get("/inbox/").content.decode()
    supervision.move_notice(notice, "closed", reported.office_a, ON)
    assert "notice_close" not in sections(login(reported.office_a).get("/inbox/").content.decode())


def test_the_header_shows_the_same_count_on_every_page_and_follows_a_report(world, login, office_day):
    office_day(dt.date(2024, 6, 20))
    client = login(world.reporter_a)
    inbox = client.get("/inbox/").content.decode()
    n = header_count(inbox)
    assert n == len(re.findall(r"<tr(?: class=\"late\")?><td><a", inbox)) == 1
    for url in ("/mine/", "/ledger/", f"/tasks/{world.task_a.pk}/", "/notices/", "/plans/"):
        assert header_count(client.get(url).content.decode()) == n, url
    ledger.submit_report(world.task_a, world.reporter_a, period="2024-05", status="推进中", narrative="推进")
    for url in ("/ledger/", f"/tasks/{world.task_a.pk}/", "/inbox/"):
        assert header_count(client.get(url).content.decode()) == 0, url


def test_a_cached_page_shows_a_new_notice_in_the_header(reported, login, office_day, real_cache):
    """The ledger page is cached whole: a notice issued since (no ledger history row) still counts."""
    office_day(ON)
    client = login(reported.supporter_a)  # 市发展改革局, the lead unit of （二）
    before = [
        header_count(client.get("/ledger/").content.decode()) for _ in range(3)
    ]  # built, stored, served
    assert len(set(before)) == 1
    supervision.issue_notices(reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON)
    assert header_count(client.get("/ledger/").content.decode()) == before[0] + 1


def test_the_late_badge_and_the_summary(world, login, office_day):
    office_day(dt.date(2024, 6, 20))
    html = login(world.reporter_a).get("/inbox/").content.decode()
    assert 'class="badge late"' in html and "共 1 项待办，其中 1 项已逾期" in html


def test_anonymous_visitors_get_the_login_page_and_no_inbox_link(world, client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert 'id="inbox-link"' not in client.get("/public/").content.decode()


def test_titles_are_escaped(world, login, office_day):
    office_day(dt.date(2024, 6, 20))
    ledger.update_task(
        world.task_a, world.office_a, world.task_a.version, {"title": "<script>alert(1)</script>轨道"}
    )
    html = login(world.reporter_a).get("/inbox/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;轨道" in html


@pytest.mark.parametrize("query", ["?page=-1", "?unit=999", "?x=%00", "?" + "a" * 5000])
def test_query_strings_change_nothing(world, login, office_day, query):
    office_day(dt.date(2024, 6, 20))
    client = login(world.reporter_a)
    plain = client.get("/inbox/").content.decode()
    response = client.get("/inbox/" + query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert sections(response.content.decode()) == sections(plain)
