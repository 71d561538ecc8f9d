"""``POST /api/proposals/N/notices/M/close`` and ``…/escalate``: 办结 and 提级督办 of a proposal's
督办单 through the API, by the same rules, history and audit as the 督办 pages; everyone else, a
notice of another proposal, a bad leader and a bad body are refused and change nothing.

The proposal is 甲市's 125255 (主办 市发展改革委); its reply is overdue and 甲市's office issued a
notice to the 主办 unit.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from luoshi.accounts.models import ApiToken, AuditLog
from luoshi.inbox import items
from luoshi.proposals import services, supervising
from luoshi.proposals.models import ProposalEvent, ProposalNotice

pytestmark = pytest.mark.django_db


def post(client, user, url, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"} if user is not None else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body if body is not None else {})
    return client.post(url, data, content_type="application/json", **headers)


@pytest.fixture
def issued(people, day):
    """(proposal, notice, the day after its reply fell due), that day being the office's today."""
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice, late


def _close(notice) -> str:
    return f"/api/proposals/{notice.proposal_id}/notices/{notice.pk}/close"


def _escalate(notice) -> str:
    return f"/api/proposals/{notice.proposal_id}/notices/{notice.pk}/escalate"


def _unchanged(notice, state: str = "issued") -> None:
    """The notice as it was, and nothing in the proposal's history or the audit log about it."""
    notice.refresh_from_db()
    assert notice.state == state and notice.escalated_to is None
    assert not ProposalEvent.objects.filter(action__in=("supervise_close", "supervise_escalate")).exists()
    assert not AuditLog.objects.filter(event__in=("notice_close", "notice_escalate")).exists()


@pytest.mark.parametrize("who", ["office_a", "admin"])
def test_the_office_of_its_city_or_an_admin_closes_an_answered_notice(people, client, issued, who):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    closable = [i.title for i in items.for_user(people.office_a, late).get("notice_close", [])]
    assert closable == [f"{notice.number} {p.title}"]
    response = post(client, getattr(people, who), _close(notice))
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["id"] == notice.pk and got["number"] == notice.number and got["state"] == "closed"
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"
    event = ProposalEvent.objects.get(proposal=p, action="supervise_close")
    assert event.detail == f"督办单{notice.number}（市发展改革委）已办结"
    log = AuditLog.objects.get(event="notice_close")
    assert log.user == getattr(people, who) and notice.number in log.detail
    # The office's 待办 no longer holds the answered notice.
    assert items.for_user(people.office_a, late).get("notice_close", []) == []


def test_a_notice_not_yet_answered_is_not_closed(people, client, issued):
    _p, notice, _late = issued
    response = post(client, people.office_a, _close(notice))
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{notice.number}当前为“已下发”，不能改为“已办结”")
    _unchanged(notice)


def test_a_closed_notice_is_not_closed_again_nor_escalated(people, client, issued):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    assert post(client, people.office_a, _close(notice)).status_code == 200
    assert post(client, people.office_a, _close(notice)).status_code == 400
    assert post(client, people.office_a, _escalate(notice), {"leader": people.leader.pk}).status_code == 400
    assert ProposalEvent.objects.filter(action="supervise_close").count() == 1
    assert not ProposalEvent.objects.filter(action="supervise_escalate").exists()
    assert AuditLog.objects.filter(event="notice_close").count() == 1
    assert not AuditLog.objects.filter(event="notice_escalate").exists()


def test_the_office_escalates_to_a_leader_of_its_city_who_then_has_it_in_inbox(people, client, issued):
    _p, notice, late = issued
    assert items.for_user(people.leader, late).get("notice_escalated", []) == []
    response = post(client, people.office_a, _escalate(notice), {"leader": people.leader.pk})
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["state"] == "escalated" and got["escalated_to"] == "leader"
    notice.refresh_from_db()
    assert notice.state == "escalated" and notice.escalated_to == people.leader
    event = ProposalEvent.objects.get(proposal=notice.proposal, action="supervise_escalate")
    assert event.detail == f"督办单{notice.number}（市发展改革委）提请leader督办"
    assert AuditLog.objects.get(event="notice_escalate").user == people.office_a
    (item,) = items.for_user(people.leader, late)["notice_escalated"]
    assert item.title == f"{notice.number} {notice.proposal.title}"
    for who in ("leader_b", "office_b", "lead", "member"):
        assert items.for_user(getattr(people, who), late).get("notice_escalated", []) == [], who
    # Escalated once: a second escalation is refused and writes nothing more.
    again = post(client, people.office_a, _escalate(notice), {"leader": people.leader.pk})
    assert again.status_code == 400
    assert ProposalEvent.objects.filter(action="supervise_escalate").count() == 1
    assert AuditLog.objects.filter(event="notice_escalate").count() == 1


def test_an_escalated_notice_is_closed_once_the_unit_answers(people, client, issued):
    p, notice, late = issued
    assert post(client, people.office_a, _escalate(notice), {"leader": people.leader.pk}).status_code == 200
    assert post(client, people.office_a, _close(notice)).status_code == 400
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    assert post(client, people.office_a, _close(notice)).json()["state"] == "closed"


@pytest.mark.parametrize(
    "who",
    ["lead", "support", "police_user", "lead_b", "office_b", "leader", "leader_b", "member", "committee"],
)
def test_no_one_but_the_office_of_its_city_and_admins_closes_or_escalates(people, client, issued, who):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    user = getattr(people, who)
    for url, body in ((_close(notice), None), (_escalate(notice), {"leader": people.leader.pk})):
        response = post(client, user, url, body)
        assert response.status_code == 403, (who, url, response.status_code)
        assert notice.number not in response.content.decode()
    _unchanged(notice, "replied")
    assert AuditLog.objects.filter(event="permission_denied", user=user).count() == 2


def test_without_a_token_nothing_is_done(people, client, issued):
    _p, notice, _late = issued
    assert post(client, None, _close(notice)).status_code == 401
    assert post(client, None, _escalate(notice), {"leader": people.leader.pk}).status_code == 401
    _unchanged(notice)


@pytest.mark.parametrize("who", ["leader_b", "office_a", "lead", "admin", "member", "committee"])
def test_only_a_leader_of_the_city_may_be_chosen(people, client, issued, who):
    _p, notice, _late = issued
    response = post(client, people.admin, _escalate(notice), {"leader": getattr(people, who).pk})
    assert response.status_code == 400
    assert response.json()["detail"] == f"{notice.number}提级督办需选择本市的督办领导"
    _unchanged(notice)


def test_an_inactive_leader_is_no_leader(people, client, issued):
    _p, notice, _late = issued
    people.leader.is_active = False
    people.leader.save()
    assert post(client, people.office_a, _escalate(notice), {"leader": people.leader.pk}).status_code == 400
    _unchanged(notice)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"leader": None},
        {"leader": "abc"},
        {"leader": 0},
        {"leader": -1},
        {"leader": 1.5},
        {"leader": "9" * 40},
        {"leader": 9 * 10**30},
        {"leader": [1]},
        {"leader": "<script>"},
        "not json",
        "[]",
        "x" * 100_000,
    ],
)
def test_a_bad_body_escalates_nothing(people, client, issued, body):
    _p, notice, _late = issued
    response = post(client, people.office_a, _escalate(notice), body)
    assert response.status_code in (400, 422), (body, response.status_code)
    assert "<script>" not in response.content.decode()
    _unchanged(notice)


def test_a_leader_id_that_is_no_user_is_refused(people, client, issued):
    _p, notice, _late = issued
    assert post(client, people.office_a, _escalate(notice), {"leader": 999999}).status_code == 400
    _unchanged(notice)


def test_a_notice_of_another_proposal_is_not_found_through_this_one(people, client, issued):
    p, notice, late = issued
    other = people.assigned("2")
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    for action in ("close", "escalate"):
        url = f"/api/proposals/{other.pk}/notices/{notice.pk}/{action}"
        response = post(client, people.office_a, url, {"leader": people.leader.pk})
        assert response.status_code == 404, (action, response.status_code)
    _unchanged(notice, "replied")


@pytest.mark.parametrize("bad", ["999999", "0", "-1", "abc", "9" * 40, "1.5", "%00", "１", "<script>"])
@pytest.mark.parametrize("action", ["close", "escalate"])
def test_bad_ids_are_refused(people, client, issued, bad, action):
    p, notice, _late = issued
    for url in (
        f"/api/proposals/{bad}/notices/{notice.pk}/{action}",
        f"/api/proposals/{p.pk}/notices/{bad}/{action}",
    ):
        response = post(client, people.admin, url, {"leader": people.leader.pk})
        assert response.status_code in (400, 404, 422), (url, response.status_code)
        assert "<script>" not in response.content.decode()
    _unchanged(notice)
