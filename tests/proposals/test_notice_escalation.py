"""提级督办 of a proposal's 督办单: the office of its city escalates it to a leader of that city (the
proposal's 领衔督办 leader offered first), from the notices page, the 督办 page or the proposal's page;
the leader finds it in 待办 and on /notices/; nobody else may escalate it, nor to anyone else.

The proposal is 甲市's 125255 (主办 市发展改革委); its reply is overdue and 甲市's office issued a
notice to the 主办 unit.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import AuditLog, Role
from luoshi.inbox import items
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal, ProposalEvent, ProposalNotice
from tests.proposals.test_pages import body
from tests.web.world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(people, day):
    """(proposal, notice, the day after its reply fell due)."""
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice, late


def _url(notice) -> str:
    return f"/proposals/{notice.proposal_id}/notices/{notice.pk}/escalate/"


def _escalated_items(user, on) -> list:
    return items.for_user(user, on).get("notice_escalated", [])


def test_the_office_escalates_to_a_leader_of_its_city_who_then_has_it_in_inbox_and_notices(
    people, login, issued
):
    _p, notice, late = issued
    client = login(people.office_a)
    page = body(client.get("/notices/?kind=proposal"))
    assert _url(notice) in page and f'value="{people.leader.pk}"' in page
    # A leader of another city is never offered.
    assert f'value="{people.leader_b.pk}"' not in page
    assert _escalated_items(people.leader, late) == []
    response = client.post(_url(notice), {"leader": people.leader.pk, "next": "/notices/?kind=proposal"})
    assert response.status_code == 302 and response["Location"] == "/notices/?kind=proposal"
    notice.refresh_from_db()
    assert notice.state == "escalated" and notice.escalated_to == people.leader
    event = ProposalEvent.objects.get(proposal=notice.proposal, action="supervise_escalate")
    assert notice.number in event.detail and "leader" in event.detail
    assert AuditLog.objects.filter(event="notice_escalate", detail__contains=notice.number).exists()
    (item,) = _escalated_items(people.leader, late)
    assert item.title == f"{notice.number} {notice.proposal.title}"
    assert item.url == f"/proposals/{notice.proposal_id}/#notices"
    seen = body(login(people.leader).get("/notices/?kind=proposal"))
    assert notice.number in seen and "提级督办" in seen and _url(notice) not in seen
    for who in ("leader_b", "office_a", "office_b", "lead", "member", "admin"):
        assert _escalated_items(getattr(people, who), late) == [], who
    # Escalated once: no second escalation is offered or taken.
    assert _url(notice) not in body(client.get("/notices/?kind=proposal"))
    client.post(_url(notice), {"leader": people.leader.pk})
    assert ProposalEvent.objects.filter(action="supervise_escalate").count() == 1


def test_the_unit_still_replies_and_the_office_then_closes_it_leaving_the_leaders_inbox(
    people, login, issued
):
    p, notice, late = issued
    supervising.escalate(people.office_a, notice, people.leader, late)
    # Not yet answered: not closable.
    with pytest.raises(supervising.SuperviseError):
        supervising.close(people.office_a, ProposalNotice.objects.get(pk=notice.pk), late)
    assert [i.title for i in items.for_user(people.lead, late)["notice_reply"]] == [
        f"{notice.number} {p.title}"
    ]
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    notice.refresh_from_db()
    assert notice.state == "replied" and notice.escalated_to == people.leader
    assert _escalated_items(people.leader, late) == []
    client = login(people.office_a)
    client.post(f"/proposals/{p.pk}/notices/{notice.pk}/close/")
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"


def test_an_answered_notice_escalated_can_be_closed(people, issued):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    notice.refresh_from_db()
    supervising.escalate(people.office_a, notice, people.leader, late)
    assert ProposalNotice.objects.get(pk=notice.pk).state == "escalated"
    supervising.close(people.office_a, ProposalNotice.objects.get(pk=notice.pk), late)
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"


def test_the_key_proposals_leader_is_offered_first(people, login, issued):
    p, notice, _late = issued
    chief = make_user("chief", Role.LEADER, cities=[people.city_a])
    chief.first_name = "王市长"
    chief.save()
    Proposal.objects.filter(pk=p.pk).update(leader="王市长")
    (row,) = supervising.with_actions(ProposalNotice.objects.filter(pk=notice.pk))
    assert row.default_leader_id == chief.pk
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert f'<option value="{chief.pk}" selected>' in page
    assert f'<option value="{people.leader.pk}">' in page


@pytest.mark.parametrize(
    "who", ["lead", "support", "lead_b", "office_b", "leader", "leader_b", "member", "committee"]
)
def test_no_one_but_the_office_of_its_city_and_admins_escalates(people, login, issued, who):
    _p, notice, _late = issued
    client = login(getattr(people, who))
    assert _url(notice) not in client.get("/notices/").content.decode()
    assert client.post(_url(notice), {"leader": people.leader.pk}).status_code in (403, 404)
    notice.refresh_from_db()
    assert notice.state == "issued" and notice.escalated_to is None
    assert not ProposalEvent.objects.filter(action="supervise_escalate").exists()


@pytest.mark.parametrize(
    "leader", ["", "abc", "-1", "0", "9" * 40, "１", "<script>", "x" * 100_000, "999999"]
)
def test_no_leader_or_a_bad_one_escalates_nothing(people, login, issued, leader):
    _p, notice, _late = issued
    response = login(people.office_a).post(_url(notice), {"leader": leader})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "issued" and notice.escalated_to is None


@pytest.mark.parametrize("who", ["leader_b", "office_a", "lead", "admin", "member"])
def test_only_a_leader_of_the_city_may_be_chosen(people, login, issued, who):
    _p, notice, _late = issued
    login(people.admin).post(_url(notice), {"leader": getattr(people, who).pk})
    notice.refresh_from_db()
    assert notice.state == "issued" and notice.escalated_to is None
    assert not ProposalEvent.objects.filter(action="supervise_escalate").exists()


def test_an_inactive_leader_is_no_leader(people, login, issued):
    _p, notice, _late = issued
    people.leader.is_active = False
    people.leader.save()
    login(people.office_a).post(_url(notice), {"leader": people.leader.pk})
    assert ProposalNotice.objects.get(pk=notice.pk).state == "issued"


def test_a_closed_notice_is_not_escalated(people, issued):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    notice.refresh_from_db()
    supervising.close(people.office_a, notice, late)
    with pytest.raises(supervising.SuperviseError):
        supervising.escalate(people.office_a, ProposalNotice.objects.get(pk=notice.pk), people.leader, late)
    assert ProposalNotice.objects.get(pk=notice.pk).escalated_to is None


def test_bad_ids_are_not_found_and_escalate_nothing(people, login, issued):
    _p, notice, _late = issued
    other = people.assigned("2")
    client = login(people.office_a)
    base = f"/proposals/{notice.proposal_id}/notices"
    for url in (
        f"/proposals/{other.pk}/notices/{notice.pk}/escalate/",
        f"{base}/999999/escalate/",
        f"/proposals/999999/notices/{notice.pk}/escalate/",
        f"{base}/{'9' * 40}/escalate/",
        f"{base}/abc/escalate/",
    ):
        assert client.post(url, {"leader": people.leader.pk}).status_code == 404, url
    assert client.get(_url(notice)).status_code == 405
    assert ProposalNotice.objects.get(pk=notice.pk).state == "issued"


def test_the_supervise_page_closes_and_escalates_in_place(people, login, issued):
    p, notice, late = issued
    client = login(people.office_a)
    page = body(client.get("/proposals/supervise/"))
    assert _url(notice) in page
    response = client.post(_url(notice), {"leader": people.leader.pk, "next": "/proposals/supervise/"})
    assert response["Location"] == "/proposals/supervise/"
    page = body(client.get("/proposals/supervise/"))
    assert "提级督办" in page and _url(notice) not in page
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    close = f"/proposals/{p.pk}/notices/{notice.pk}/close/"
    assert close in body(client.get("/proposals/supervise/"))
    assert client.post(close, {"next": "/proposals/supervise/"})["Location"] == "/proposals/supervise/"
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"
    assert close not in body(client.get("/proposals/supervise/"))
