"""Stored proposals: each step writes rows and history, a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import AuditLog
from luoshi.proposals import services
from luoshi.proposals.models import (
    AdjustRequest,
    Assignment,
    Communication,
    HandlingRules,
    Proposal,
    ProposalEvent,
    Rating,
    Reply,
    SupportOpinion,
)
from luoshi.proposals.services import HandlingError

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return [
        m.objects.count()
        for m in (
            Proposal,
            Assignment,
            Communication,
            SupportOpinion,
            Reply,
            Rating,
            AdjustRequest,
            ProposalEvent,
        )
    ]


def test_register_stores_the_proposal_and_its_first_event(people):
    p = people.register("第0123号")
    assert (p.number, p.number_key, p.state, p.cosigner_list) == ("第0123号", "123", "registered", ["李四"])
    e = p.events.get()
    assert (e.seq, e.action, e.after, e.by) == (1, "register", "registered", people.committee)
    assert AuditLog.objects.filter(event="proposal", detail=f"{p.pk} register").exists()


def test_a_duplicate_number_is_refused_naming_the_existing_one(people):
    people.register("第0123号")
    before = counts()
    with pytest.raises(HandlingError, match="案号“第0123号”"):
        people.register("123")
    assert counts() == before
    # another session, or a suggestion with the same number, is a different case
    people.register("123", session="十二届六次")
    people.register("123", kind="suggestion")


def test_the_whole_path_is_kept_row_by_row(people):
    p = people.assigned()
    assert (p.state, p.reply_due) == ("assigned", D(2024, 7, 1))
    assert list(p.assignment.units.values_list("unit__name", "role")) == [
        ("市发展改革委", "lead"),
        ("市交通运输局", "support"),
    ]
    p = services.log_communication(p, people.lead, people.ndrc, "before", "面商", D(2024, 4, 10), "面商")
    c = p.communications.get()
    p = services.confirm_communication(p, people.member, c, D(2024, 4, 11))
    p = services.submit_opinion(p, people.support, people.transport, "会办意见", D(2024, 4, 15))
    p = services.reply(
        p,
        people.lead,
        people.ndrc,
        "B",
        "答复正文",
        D(2024, 5, 6),
        signer="赵六",
        contact="钱七",
        public=True,
    )
    assert p.state == "replied"
    p = services.rate(p, people.member, "满意", "不满意", D(2024, 5, 10), comment="未解决")
    assert (p.state, p.round, p.reply_due) == ("rehandling", 2, D(2024, 6, 11))
    p = services.reply(p, people.lead, people.ndrc, "A", "第二次答复", D(2024, 6, 3))
    p = services.rate(p, people.member, "满意", "满意", D(2024, 6, 5))
    p.refresh_from_db()
    assert p.state == "rated"
    assert Communication.objects.get().confirmed == D(2024, 4, 11)
    assert list(p.replies.values_list("category", "round")) == [("B", 1), ("A", 2)]
    assert list(p.ratings.values_list("result", "round")) == [("不满意", 1), ("满意", 2)]
    events = list(p.events.values_list("seq", "action", "before", "after"))
    assert [e[0] for e in events] == list(range(1, len(events) + 1))
    assert [e[1] for e in events] == [
        "register",
        "assign",
        "communicate",
        "confirm",
        "opinion",
        "reply",
        "rate",
        "rehandle",
        "reply",
        "rate",
    ]
    # the stored rows read back as the same proposal the core would have built
    f = services.facts(p)
    assert f.state == "rated" and f.round == 2 and len(f.history) == len(events)
    assert AuditLog.objects.filter(event="proposal").count() == len(events)


def test_adjustment_granted_keeps_the_old_assignment(people):
    p = people.assigned()
    p = services.request_adjustment(p, people.support, people.transport, "职能不涉及", D(2024, 4, 2))
    p = services.decide_adjustment(
        p, people.office_a, True, D(2024, 4, 3), leads=[people.ndrc], supports=[people.police]
    )
    assert p.assignments.count() == 2
    assert list(p.assignment.units.values_list("unit__name", flat=True)) == ["市发展改革委", "市公安局"]
    r = AdjustRequest.objects.get()
    assert (r.decision, r.decided, r.decided_by) == ("granted", D(2024, 4, 3), people.office_a)


def test_refusals_change_nothing(people):
    p = people.assigned()
    before = counts()
    bad = [
        lambda: services.reply(p, people.lead, people.ndrc, "", "答复", D(2024, 5, 6)),
        lambda: services.reply(p, people.support, people.transport, "A", "答复", D(2024, 5, 6)),
        lambda: services.rate(p, people.member, "满意", "满意", D(2024, 5, 6)),
        lambda: services.request_adjustment(p, people.support, people.transport, "理由", D(2024, 4, 9)),
        lambda: services.log_communication(p, people.lead, people.ndrc, "before", "微信", D(2024, 4, 9), "x"),
        lambda: services.submit_opinion(p, people.lead, people.ndrc, "x", D(2024, 4, 9)),
    ]
    for step in bad:
        with pytest.raises(HandlingError):
            step()
    assert counts() == before
    p.refresh_from_db()
    assert p.state == "assigned"


def test_a_second_rating_is_refused_and_a_late_one_kept(people):
    p = people.assigned()
    p = services.reply(p, people.lead, people.ndrc, "A", "答复", D(2024, 5, 6))
    p = services.rate(p, people.member, "满意", "满意", D(2024, 6, 28))
    assert Rating.objects.get().late
    with pytest.raises(HandlingError, match="不能重复评价"):
        services.rate(p, people.member, "满意", "满意", D(2024, 6, 29))
    assert Rating.objects.count() == 1


def test_the_citys_rules_set_the_deadlines(people):
    HandlingRules.objects.create(city=None, reply_months=2)
    HandlingRules.objects.create(city=people.city_b, reply_months=1)
    a = people.assigned()
    b = services.assign(
        people.register("9", city=people.city_b), people.office_b, D(2024, 3, 29), [people.ndrc_b]
    )
    assert (a.reply_due, b.reply_due) == (D(2024, 5, 29), D(2024, 4, 29))


def test_history_rows_cannot_be_changed_or_deleted(people):
    e = people.register().events.get()
    e.detail = "改写"
    with pytest.raises(ValueError, match="cannot be changed"):
        e.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        e.delete()
