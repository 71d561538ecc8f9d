"""提案督办单 in 待办: the unit it went to replies, the office of the proposal's city closes it, and the
header's count follows each step; no other unit, city, member or leader sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.inbox import counts, items
from luoshi.proposals import services, supervising

pytestmark = pytest.mark.django_db


def titles(user, on, kind) -> list[str]:
    return [i.title for i in items.for_user(user, on).get(kind, [])]


@pytest.fixture
def issued(people):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice, late


def test_the_unit_the_notice_went_to_has_it_to_reply_and_no_one_else(people, issued):
    _p, notice, late = issued
    (item,) = items.for_user(people.lead, late)["notice_reply"]
    assert item.title == f"{notice.number} {notice.proposal.title}"
    assert item.url == f"/proposals/{notice.proposal_id}/#reply-form" and item.due == notice.reply_due
    assert not item.late
    assert items.for_user(people.lead, notice.reply_due + dt.timedelta(days=1))["notice_reply"][0].late
    for who in ("support", "police_user", "lead_b", "office_a", "office_b", "leader", "member", "committee"):
        assert titles(getattr(people, who), late, "notice_reply") == [], who


def test_once_replied_the_office_of_its_city_has_it_to_close_until_closed(people, issued):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    assert titles(people.lead, late, "notice_reply") == []
    expected = [f"{notice.number} {p.title}"]
    assert titles(people.office_a, late, "notice_close") == expected
    assert titles(people.admin, late, "notice_close") == expected
    for who in ("office_b", "leader", "lead", "support", "member", "committee", "leader_b"):
        assert titles(getattr(people, who), late, "notice_close") == [], who
    notice.refresh_from_db()
    supervising.close(people.office_a, notice, late)
    assert titles(people.office_a, late, "notice_close") == []


def test_the_header_count_follows_issue_reply_and_close(people, real_cache):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)

    def count(user) -> int:
        return counts.for_header(user, late)["total"]

    lead, office = count(people.lead), count(people.office_a)
    before = counts.stamp()
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    assert counts.stamp() != before
    assert count(people.lead) == lead + 1
    stamp = counts.stamp()
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    assert counts.stamp() != stamp
    # The reply clears both the proposal and its notice from the unit's inbox.
    assert count(people.lead) == lead - 1
    assert count(people.office_a) == office + 1
    stamp = counts.stamp()
    notice.refresh_from_db()
    supervising.close(people.office_a, notice, late)
    assert counts.stamp() != stamp
    assert count(people.office_a) == office


def test_the_inbox_page_shows_them_under_their_sections(people, login, issued):
    p, notice, late = issued
    page = login(people.lead).get("/inbox/").content.decode()
    assert "待回复的督办单" in page and notice.number in page
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    page = login(people.office_a).get("/inbox/").content.decode()
    assert "已回复待办结的督办单" in page and notice.number in page


def test_the_leaders_header_count_follows_escalation_and_the_units_reply(people, real_cache):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)

    def count(user) -> int:
        return counts.for_header(user, late)["total"]

    leader, leader_b = count(people.leader), count(people.leader_b)
    supervising.escalate(people.office_a, notice, people.leader, late)
    assert count(people.leader) == leader + 1 and count(people.leader_b) == leader_b
    assert titles(people.leader, late, "notice_escalated") == [f"{notice.number} {p.title}"]
    # The unit answers it by its reply: it leaves the leader's inbox and waits for the office.
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    assert count(people.leader) == leader
    assert titles(people.office_a, late, "notice_close") == [f"{notice.number} {p.title}"]
