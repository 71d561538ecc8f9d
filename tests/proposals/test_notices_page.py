"""Proposal 督办单 on the supervision notices page (/notices/, 「提案建议督办单」) and closing them.

The proposal is 甲市's 125255 (主办 市发展改革委, 会办 市交通运输局); its reply is overdue and 甲市's
office has issued a notice to the 主办 unit.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import AuditLog
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal, ProposalEvent, ProposalNotice
from tests.proposals.test_pages import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(people, day):
    """(proposal, notice, the day after its reply fell due)."""
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice, late


def _replied(people, issued):
    p, notice, late = issued
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    notice.refresh_from_db()
    assert notice.state == "replied"
    return notice


@pytest.mark.parametrize("who", ["lead", "office_a", "admin", "leader"])
def test_the_notice_is_listed_for_its_unit_the_office_of_its_city_and_readers_of_the_proposal(
    people, login, issued, who
):
    p, notice, late = issued
    if who == "leader":
        # A leader of the city reads it once they lead the proposal (领衔督办).
        Proposal.objects.filter(pk=p.pk).update(key=True, leader="leader")
        services.link_leader(p, people.office_a, people.leader, late)
    page = body(login(getattr(people, who)).get("/notices/"))
    assert "提案建议督办单" in page and notice.number in page
    assert "十二届五次第125255号" in page and "市发展改革委" in page


@pytest.mark.parametrize(
    "who",
    ["police_user", "lead_b", "office_b", "leader", "leader_b", "member", "other_member", "committee"],
)
def test_no_one_else_finds_it_on_the_notices_page(people, login, issued, who):
    _p, notice, _late = issued
    page = body(login(getattr(people, who)).get("/notices/"))
    assert notice.number not in page and "125255" not in page


def _row(page: str, number: str) -> str:
    """The table row (or list item) of the notice numbered ``number`` on a page."""
    at = page.index(number)
    start = max(page.rfind("<tr", 0, at), page.rfind("<li", 0, at))
    return page[start : page.index("</tr>" if page[start:].startswith("<tr") else "</li>", at)]


def test_the_copy_unit_finds_it_marked_read_only_and_the_addressee_unmarked(people, login, issued):
    p, notice, _late = issued
    for url in ("/notices/", f"/proposals/{p.pk}/"):
        copy = _row(body(login(people.support).get(url)), notice.number)
        assert "抄送（只读）" in copy and "<form" not in copy
        for who in (people.lead, people.office_a):
            assert "抄送（只读）" not in _row(body(login(who).get(url)), notice.number)


def test_the_public_is_sent_to_sign_in(issued, client):
    response = client.get("/notices/?kind=proposal")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_a_unit_relieved_by_adjustment_no_longer_sees_its_notice(people, login, day):
    p = people.assigned()
    p = services.request_adjustment(p, people.lead, people.ndrc, "不属于本单位职责", dt.date(2024, 3, 30))
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    assert notice.number in body(login(people.lead).get("/notices/"))
    services.decide_adjustment(p, people.office_a, True, late, leads=[people.police])
    assert notice.number not in body(login(people.lead).get("/notices/"))
    assert notice.number in body(login(people.office_a).get("/notices/"))


def test_the_kind_filter_shows_one_list_or_both(people, login, issued):
    _p, notice, _late = issued
    client = login(people.office_a)
    assert notice.number not in body(client.get("/notices/?kind=task"))
    only = body(client.get("/notices/?kind=proposal"))
    assert notice.number in only and 'id="notices"' not in only
    for hostile in ("", "x" * 100_000, "<script>", "%ff", "提案", "PROPOSAL"):
        page = body(client.get("/notices/", {"kind": hostile}))
        assert notice.number in page and 'id="notices"' in page and "<script>" not in page
    # A NUL is refused before any view (the site's middleware).
    assert client.get("/notices/", {"kind": "proposal\x00"}).status_code == 400


def test_the_office_closes_a_replied_notice_once_from_the_notices_page(people, login, issued):
    notice = _replied(people, issued)
    client = login(people.office_a)
    page = body(client.get("/notices/?kind=proposal"))
    close = f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/"
    assert close in page
    response = client.post(close, {"next": "/notices/?kind=proposal"})
    assert response.status_code == 302 and response["Location"] == "/notices/?kind=proposal"
    notice.refresh_from_db()
    assert notice.state == "closed"
    event = ProposalEvent.objects.get(proposal=notice.proposal, action="supervise_close")
    assert notice.number in event.detail and event.before == event.after == "replied"
    assert AuditLog.objects.filter(event="notice_close", detail__contains=notice.number).exists()
    assert close not in body(client.get("/notices/?kind=proposal"))
    # A second close changes nothing and writes nothing.
    client.post(close)
    assert ProposalEvent.objects.filter(action="supervise_close").count() == 1


def test_a_notice_not_yet_answered_cannot_be_closed(people, login, issued):
    _p, notice, _late = issued
    client = login(people.office_a)
    assert f"/notices/{notice.pk}/close/" not in body(client.get("/notices/"))
    response = client.post(f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "issued"
    assert not ProposalEvent.objects.filter(action="supervise_close").exists()


@pytest.mark.parametrize(
    "who", ["lead", "support", "police_user", "lead_b", "office_b", "leader", "member", "committee"]
)
def test_only_the_office_of_its_city_and_admins_close_it(people, login, issued, who):
    notice = _replied(people, issued)
    client = login(getattr(people, who))
    close = f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/"
    assert close not in client.get("/notices/").content.decode()
    assert client.post(close).status_code in (403, 404)
    notice.refresh_from_db()
    assert notice.state == "replied"


def test_an_admin_closes_it_from_the_proposals_page(people, login, issued):
    notice = _replied(people, issued)
    client = login(people.admin)
    close = f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/"
    assert close in body(client.get(f"/proposals/{notice.proposal_id}/"))
    response = client.post(close)
    assert response["Location"] == f"/proposals/{notice.proposal_id}/"
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"
    assert "已办结" in body(client.get(f"/proposals/{notice.proposal_id}/"))


@pytest.mark.parametrize(
    "nxt",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "x" * 10_000, "/\\evil", "/\t/evil"],
)
def test_the_way_back_never_leaves_the_site(people, login, issued, nxt):
    notice = _replied(people, issued)
    response = login(people.office_a).post(
        f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/", {"next": nxt}
    )
    assert response.status_code == 302 and response["Location"] == f"/proposals/{notice.proposal_id}/"
    assert ProposalNotice.objects.get(pk=notice.pk).state == "closed"


def test_a_nul_in_the_way_back_is_refused_and_closes_nothing(people, login, issued):
    notice = _replied(people, issued)
    url = f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/"
    assert login(people.office_a).post(url, {"next": "/\x00"}).status_code == 400
    assert ProposalNotice.objects.get(pk=notice.pk).state == "replied"


def test_bad_ids_are_not_found_and_close_nothing(people, login, issued):
    notice = _replied(people, issued)
    other = people.assigned("2")
    client = login(people.office_a)
    for url in (
        f"/proposals/{other.pk}/notices/{notice.pk}/close/",
        f"/proposals/{notice.proposal_id}/notices/999999/close/",
        f"/proposals/999999/notices/{notice.pk}/close/",
        f"/proposals/{notice.proposal_id}/notices/{'9' * 40}/close/",
        f"/proposals/{notice.proposal_id}/notices/abc/close/",
    ):
        assert client.post(url).status_code == 404, url
    assert client.get(f"/proposals/{notice.proposal_id}/notices/{notice.pk}/close/").status_code == 405
    assert ProposalNotice.objects.get(pk=notice.pk).state == "replied"
