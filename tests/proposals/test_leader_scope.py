"""A leader reads the key proposals they lead (领衔督办) and those escalated to them, and their
cities' statistics; not every proposal of their cities. Each rule tried from the wrong side: a
leader of another city, a leader of the city who does not lead it, a unit, an anonymous visitor."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import Workbook

from luoshi.accounts.models import Role
from luoshi.accounts.rules import can, proposal_notices_in_scope, proposal_stats_in_scope, proposals_in_scope
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal, ProposalEvent
from luoshi.proposals.services import HandlingError
from tests.proposals.test_pages import body
from tests.web.world import make_user

pytestmark = pytest.mark.django_db
D = dt.date


def named_leader(people, username: str, full_name: str, city):
    user = make_user(username, Role.LEADER, cities=[city])
    user.first_name = full_name
    user.save()
    return user


@pytest.fixture
def chen(people):
    """陈副市长, a leader of 甲市 with an account."""
    return named_leader(people, "chen", "陈副市长", people.city_a)


def key_proposal(people, number="9", leader="陈副市长", **kw):
    return people.register(number, key=True, leader=leader, **kw)


def test_a_key_proposal_naming_a_leader_of_its_city_is_linked_to_that_account(people, chen):
    p = key_proposal(people)
    assert p.leader == "陈副市长" and p.leader_account == chen
    by_username = key_proposal(people, "10", leader="chen")
    assert by_username.leader_account == chen


@pytest.mark.parametrize(
    "name, why",
    [
        ("王副市长", "no account bears the name"),
        ("陈副市长 ", "spaces around the name are not part of it"),
        ("", "no name"),
    ],
)
def test_only_a_name_of_a_leader_account_links(people, chen, name, why):
    p = people.register("9", key=bool(name.strip()), leader=name) if name else people.register("9")
    assert p.leader_account == (chen if name.strip() == "陈副市长" else None), why


def test_a_leader_of_another_city_an_inactive_leader_or_another_role_is_not_linked(people):
    named_leader(people, "chen_b", "陈副市长", people.city_b)
    inactive = named_leader(people, "chen_old", "陈副市长", people.city_a)
    inactive.is_active = False
    inactive.save()
    office = make_user("chen_office", Role.OFFICE, cities=[people.city_a])
    office.first_name = "陈副市长"
    office.save()
    assert key_proposal(people).leader_account is None


def test_two_leaders_of_one_name_link_neither(people, chen):
    named_leader(people, "chen2", "陈副市长", people.city_a)
    assert key_proposal(people).leader_account is None


def test_a_proposal_that_is_not_key_is_not_linked(people, chen):
    assert people.register("9", leader="陈副市长").leader_account is None


def test_the_leader_reads_the_proposal_they_lead_and_nobody_else_gains_by_it(people, chen):
    led = key_proposal(people)
    services.assign(led, people.office_a, D(2024, 3, 29), [people.ndrc])
    other = people.assigned("2")  # 甲市's, led by nobody
    assert list(proposals_in_scope(chen)) == [led]
    assert can(chen, "proposal.view", led) and not can(chen, "proposal.view", other)
    # The city's other leader, who does not lead it; another city's leader; a unit not assigned.
    assert not proposals_in_scope(people.leader).exists()
    assert not proposals_in_scope(people.leader_b).exists()
    assert not can(people.leader, "proposal.view", led) and not can(people.leader_b, "proposal.view", led)
    assert not can(people.police_user, "proposal.view", led)
    assert not can(AnonymousUser(), "proposal.view", led)
    assert not proposals_in_scope(AnonymousUser()).exists()
    # Reading it gives no step: a leader supervises, the office assigns and the units handle.
    for action in (
        "proposal.assign",
        "proposal.reply",
        "proposal.rate",
        "proposal.communicate",
        "proposal.supervise",
    ):
        assert not can(chen, action, led), action


def test_a_leader_of_another_city_linked_by_the_office_reads_that_one_only(people):
    """The link is made for that leader: it is the grant, whatever the leader's cities."""
    wide = make_user("wide", Role.LEADER, all_cities=True)
    p = key_proposal(people, leader="省领导")
    services.link_leader(p, people.office_a, wide, D(2024, 4, 1))
    people.register("2", city=people.city_b)
    assert list(proposals_in_scope(wide)) == [p]


def test_the_pages_and_the_api_follow_the_rule(people, chen, login, client):
    led = key_proposal(people)
    other = people.register("2")
    c = login(chen)
    assert c.get(f"/proposals/{led.pk}/").status_code == 200
    assert c.get(f"/proposals/{other.pk}/").status_code == 403
    page = body(c.get("/proposals/"))
    assert f"/proposals/{led.pk}/" in page and f"/proposals/{other.pk}/" not in page
    for who in ("leader", "leader_b", "lead", "police_user"):
        assert login(getattr(people, who)).get(f"/proposals/{led.pk}/").status_code == 403, who
    client.logout()
    assert client.get(f"/proposals/{led.pk}/").status_code == 302  # to the login page


def test_an_escalated_notice_opens_its_proposal_to_that_leader_only(people, day):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=3)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    assert not can(people.leader, "proposal.view", p)
    supervising.escalate(people.office_a, notice, people.leader, late)
    assert can(people.leader, "proposal.view", p) and list(proposal_notices_in_scope(people.leader)) == [
        notice
    ]
    assert not can(people.leader_b, "proposal.view", p)
    other = make_user("other_leader", Role.LEADER, cities=[people.city_a])
    assert not can(other, "proposal.view", p) and not proposal_notices_in_scope(other).exists()


def test_a_leaders_statistics_count_their_cities_not_only_what_they_open(people, chen):
    people.assigned("1")
    key_proposal(people)
    people.register("3", city=people.city_b)
    assert set(proposal_stats_in_scope(people.leader)) == set(Proposal.objects.filter(city=people.city_a))
    assert set(proposal_stats_in_scope(people.leader_b)) == set(Proposal.objects.filter(city=people.city_b))
    # Everyone else counts what they read.
    assert set(proposal_stats_in_scope(people.office_a)) == set(proposals_in_scope(people.office_a))
    assert not proposal_stats_in_scope(AnonymousUser()).exists()
    assert not can(people.lead, "proposal.stats") and not can(AnonymousUser(), "proposal.stats")


def test_linking_is_in_the_history_and_only_a_leader_of_the_city_may_be_linked(people, chen):
    p = key_proposal(people, leader="某领导")
    assert p.leader_account is None
    services.link_leader(p, people.office_a, chen, D(2024, 4, 1))
    p.refresh_from_db()
    assert p.leader_account == chen
    event = ProposalEvent.objects.filter(proposal=p).last()
    assert event.action == "leader" and event.detail == "关联督办领导账号：chen"
    for wrong in (people.leader_b, people.office_a, people.lead, people.member):
        with pytest.raises(HandlingError):
            services.link_leader(p, people.office_a, wrong, D(2024, 4, 2))
    p.refresh_from_db()
    assert p.leader_account == chen
    with pytest.raises(HandlingError):
        services.link_leader(p, people.office_a, chen, D(2024, 4, 2))  # already linked
    services.link_leader(p, people.office_a, None, D(2024, 4, 3))
    p.refresh_from_db()
    assert p.leader_account is None and not proposals_in_scope(chen).exists()


def test_the_page_links_a_leader_for_the_office_and_the_committee_only(people, chen, login):
    p = key_proposal(people, leader="某领导")
    url = f"/proposals/{p.pk}/leader/"
    assert 'id="leader-form"' in body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    for who in ("lead", "member", "office_b", "leader"):
        assert login(getattr(people, who)).post(url, {"leader": chen.pk}).status_code == 403, who
    assert login(people.committee).post(url, {"leader": "abc"}).status_code == 302
    p.refresh_from_db()
    assert p.leader_account is None  # "abc" is no leader
    assert login(people.office_a).post(url, {"leader": people.leader_b.pk}).status_code == 302
    p.refresh_from_db()
    assert p.leader_account is None  # another city's leader is refused
    assert login(people.office_a).post(url, {"leader": chen.pk}).status_code == 302
    p.refresh_from_db()
    assert p.leader_account == chen


def test_the_imported_list_links_the_leaders_it_names(people, chen, login):
    wb = Workbook()
    ws = wb.active
    ws.append(["案号", "案由", "提案人", "是否重点", "督办领导"])
    ws.append([1, "关于加快深中通道两岸产业协同发展的提案", "张三", "是", "陈副市长"])
    ws.append([2, "关于优化跨城通勤公交线路的提案", "赵六", "是", "王副市长"])
    buffer = io.BytesIO()
    wb.save(buffer)
    c = login(people.committee)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "list.xlsx"
    c.post(
        "/proposals/import/",
        {"session": "十二届五次", "kind": "proposal", "city": people.city_a.pk, "file": upload},
    )
    assert c.post("/proposals/import/commit/").status_code == 302
    linked = dict(Proposal.objects.values_list("number", "leader_account"))
    assert linked == {"1": chen.pk, "2": None}
