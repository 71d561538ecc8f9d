"""Who may do what to a proposal, persona by persona, each rule tried from the wrong side.

The proposal is 甲市's, made by `member`, assigned by office_a to 市发展改革委 (lead) with
市交通运输局 (support). Everyone else tries to read it and to do every step to it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from luoshi.accounts.rules import can, proposals_in_scope
from luoshi.proposals import services

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "office_a",
    "office_b",
    "committee",
    "member",
    "other_member",
    "lead",
    "support",
    "police_user",
    "lead_b",
    "leader",
    "leader_b",
    "anon",
]
EXPECTED = {
    #                    adm off_a off_b comm mem  oth  lead supp pol  ld_b ldr  ld_b anon
    "proposal.list": "y   y     y     y    y    y    y    y    y    y    y    y    n",
    "proposal.view": "y   y     n     y    y    n    y    y    n    n    n    n    n",
    "proposal.register": "y   n     n     y    n    n    n    n    n    n    n    n    n",
    "proposal.assign": "y   y     n     n    n    n    n    n    n    n    n    n    n",
    "proposal.adjust": "n   n     n     n    n    n    y    y    n    n    n    n    n",
    "proposal.communicate": "n n     n     n    n    n    y    y    n    n    n    n    n",
    "proposal.opinion": "n   n     n     n    n    n    n    y    n    n    n    n    n",
    "proposal.reply": "n   n     n     n    n    n    y    n    n    n    n    n    n",
    "proposal.confirm": "n   n     n     n    y    n    n    n    n    n    n    n    n",
    "proposal.rate": "n   n     n     n    y    n    n    n    n    n    n    n    n",
    "proposal.supervise": "y y     n     n    n    n    n    n    n    n    n    n    n",
    "proposal.link_leader": "y y   n     y    n    n    n    n    n    n    n    n    n",
    "proposal.stats": "y     y     y     y    n    n    n    n    n    n    y    y    n",
}


def persona(people, name):
    return AnonymousUser() if name == "anon" else getattr(people, name)


@pytest.mark.parametrize("action", list(EXPECTED))
def test_matrix(people, action):
    p = people.assigned()
    got = {n: can(persona(people, n), action, p) for n in PERSONAS}
    want = dict(zip(PERSONAS, [x == "y" for x in EXPECTED[action].split()], strict=True))
    assert got == want


def test_a_unit_sees_only_the_proposals_assigned_to_it(people):
    mine = people.assigned("1")
    people.register("2")  # registered, not yet assigned
    other = services.assign(people.register("3"), people.office_a, dt.date(2024, 3, 29), [people.police])
    assert list(proposals_in_scope(people.lead)) == [mine]
    assert list(proposals_in_scope(people.support)) == [mine]
    assert list(proposals_in_scope(people.police_user)) == [other]
    # 乙市's unit of the same name sees none of 甲市's
    assert list(proposals_in_scope(people.lead_b)) == []


def test_a_unit_relieved_by_adjustment_no_longer_sees_the_proposal(people):
    p = people.assigned()
    p = services.request_adjustment(p, people.support, people.transport, "职能不涉及", dt.date(2024, 4, 1))
    p = services.decide_adjustment(p, people.office_a, True, dt.date(2024, 4, 2), leads=[people.ndrc])
    assert not can(people.support, "proposal.view", p)
    assert not can(people.support, "proposal.opinion", p)
    assert can(people.lead, "proposal.reply", p)


def test_a_member_sees_only_their_own(people):
    mine = people.register("1")
    people.register("2", member=people.other_member)
    people.register("3", member=None)
    assert list(proposals_in_scope(people.member)) == [mine]


def test_an_office_sees_its_cities_and_a_leader_reads_only(people):
    a = people.register("1")
    b = people.register("2", city=people.city_b)
    assert set(proposals_in_scope(people.office_a)) == {a}
    assert set(proposals_in_scope(people.office_b)) == {b}
    # A leader opens the proposals they lead, not every one of their city.
    assert not proposals_in_scope(people.leader_b).exists()
    led = people.register("3", city=people.city_b, key=True, leader="leader_b")
    assert set(proposals_in_scope(people.leader_b)) == {led}
    assert not can(people.office_b, "proposal.assign", a)
    assert not any(
        can(people.leader, action, a)
        for action in ("proposal.assign", "proposal.register", "proposal.reply", "proposal.rate")
    )


def test_profiles_that_name_nothing_see_nothing(people):
    from tests.web.world import make_user

    people.assigned()
    unitless = make_user("unitless", "reporter")
    no_profile = make_user("no_profile", None)
    for user in (unitless, no_profile):
        assert not proposals_in_scope(user).exists()


def test_members_and_committee_do_not_see_who_reported_on_tasks(people):
    for user in (people.member, people.committee):
        assert not can(user, "people.view", None)
        assert not can(user, "dashboard.view", None)
        assert not can(user, "audit.view", None)
