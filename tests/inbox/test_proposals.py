"""Proposals in the inbox: the 主办 unit's reply, the 会办 unit's opinion, the office's 交办, the
member's confirmations and rating; each leaves the inbox once done, and no one sees another's."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.inbox import items
from luoshi.proposals import services

pytestmark = pytest.mark.django_db
D = dt.date
ASSIGNED_ON = D(2024, 4, 1)


def kinds(user, on=ASSIGNED_ON) -> dict[str, list[str]]:
    return {k: [i.title for i in rows] for k, rows in items.for_user(user, on).items()}


def test_a_registered_proposal_waits_for_the_office_of_its_city(people, login):
    p = people.register()
    assert kinds(people.office_a) == {"proposal_assign": [p.title]}
    assert kinds(people.office_b) == {}
    assert p.title in login(people.office_a).get("/inbox/").content.decode()
    services.assign(p, people.office_a, D(2024, 3, 29), [people.ndrc], [people.transport])
    assert kinds(people.office_a) == {}


def test_the_lead_unit_owes_a_reply_and_the_support_unit_an_opinion_until_given(people):
    p = people.assigned()
    assert kinds(people.lead) == {"proposal_reply": [p.title]}
    assert kinds(people.support) == {"proposal_opinion": [p.title]}
    for outsider in (people.police_user, people.lead_b, people.leader_b, people.other_member):
        assert kinds(outsider) == {}, outsider
    (reply,) = items.for_user(people.lead, D(2024, 7, 2))["proposal_reply"]
    assert reply.due == D(2024, 7, 1) and reply.late
    p = services.submit_opinion(p, people.support, people.transport, "会办意见", D(2024, 4, 15))
    assert kinds(people.support) == {}
    p = services.reply(
        p, people.lead, people.ndrc, "B", "答复正文", D(2024, 5, 6), signer="赵六", contact="钱七"
    )
    assert kinds(people.lead) == {}
    assert kinds(people.member) == {"rate": [p.title]}
    assert kinds(people.other_member) == {}


def test_a_communication_waits_for_the_members_confirmation(people):
    p = people.assigned()
    p = services.log_communication(p, people.lead, people.ndrc, "before", "面商", D(2024, 4, 10), "面商")
    assert kinds(people.member) == {"confirm": [p.title]}
    services.confirm_communication(p, people.member, p.communications.get(), D(2024, 4, 11))
    assert kinds(people.member) == {}


def test_a_reply_rated_unsatisfactory_is_owed_again_in_the_second_round(people):
    p = people.assigned()
    p = services.reply(
        p, people.lead, people.ndrc, "B", "答复正文", D(2024, 5, 6), signer="赵六", contact="钱七"
    )
    p = services.rate(p, people.member, "满意", "不满意", D(2024, 5, 10), comment="未解决")
    (again,) = items.for_user(people.lead, D(2024, 5, 11))["proposal_reply"]
    assert again.due == D(2024, 6, 11)
    # A 会办 opinion is asked on the first round only.
    assert kinds(people.support, D(2024, 5, 11)) == {}


def test_an_adjustment_request_waits_for_the_office(people):
    p = people.assigned()
    services.request_adjustment(p, people.lead, people.ndrc, "不属于本单位职责", D(2024, 3, 30))
    assert "adjust_decide" in kinds(people.office_a)
    assert kinds(people.office_b) == {}
    assert kinds(people.admin).keys() >= {"adjust_decide"}
