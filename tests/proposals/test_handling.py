"""The proposal handling core: deadlines on the holiday calendar, every step, every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from luoshi.proposals import handling as h
from luoshi.proposals.handling import HandlingError, Rules

D = date


def registered(**kw) -> h.Proposal:
    args = dict(
        number="125255",
        session="十二届五次",
        kind="proposal",
        title="关于加快深中通道两岸产业协同发展的提案",
        proposer="张三",
        cosigners=["李四", "王五"],
        group="民盟",
        text="案由……建议……",
        category="经济发展",
        submitted=D(2024, 1, 20),
        on=D(2024, 3, 1),
        by="committee",
    )
    args.update(kw)
    return h.register(**args)


def assigned(on=None, **kw) -> h.Proposal:
    on = on or D(2024, 3, 29)
    return h.assign(
        registered(), ["市发展改革委"], on, supports=["市交通运输局", "市商务局"], by="office", **kw
    )


def replied(p=None, on=None, category="B") -> h.Proposal:
    on = on or D(2024, 5, 6)
    p = p or assigned()
    p = h.log_communication(p, "市发展改革委", "before", "面商", D(2024, 4, 10), "与张三委员面商办理思路")
    return h.reply(p, "市发展改革委", category, "答复正文……", on, signer="赵六", contact="钱七")


# 交办 day ⇥ reply (3 months) ⇥ 会办意见 (1 month) ⇥ 办前沟通 (15 working days) ⇥ 调整 until (5 working days)
DEADLINES = """
2024-03-29	2024-07-01	2024-04-29	2024-04-22	2024-04-08	Qingming: 04-04..06 off, Sunday 04-07 worked; 06-29 a Saturday
2024-07-01	2024-10-08	2024-08-01	2024-07-22	2024-07-08	three months land on National Day
2024-09-20	2024-12-20	2024-10-21	2024-10-16	2024-09-27	Sunday 09-29 and Saturday 10-12 are worked days
2024-01-31	2024-04-30	2024-02-29	2024-02-26	2024-02-06	month ends clamp (leap year); Spring Festival, Sundays 02-04 and 02-18 worked
"""


def _cases(table):
    for line in table.strip().splitlines():
        yield line.split("\t")


@pytest.mark.parametrize("on,reply,support,pre,adjust,why", list(_cases(DEADLINES)))
def test_deadlines_follow_the_holiday_calendar(on, reply, support, pre, adjust, why):
    d = h.deadlines(D.fromisoformat(on), Rules())
    assert (d.reply, d.support, d.pre_contact, d.adjust_until) == tuple(
        map(D.fromisoformat, (reply, support, pre, adjust))
    ), why
    assert d.holiday_data


def test_a_year_without_published_holidays_says_so():
    d = h.deadlines(D(2031, 1, 31), Rules())
    assert not d.holiday_data
    assert d.reply == D(2031, 4, 30)


def test_an_organisations_rules_change_the_deadlines():
    d = h.deadlines(
        D(2024, 3, 1), Rules(reply_months=2, support_months=2, pre_contact_days=10, adjust_days=3)
    )
    assert d.reply == D(2024, 5, 6)  # 05-01..05 is Labour Day; Saturday 05-11 is worked but 05-06 comes first
    assert d.support == D(2024, 5, 6)
    assert d.pre_contact == D(2024, 3, 15)
    assert d.adjust_until == D(2024, 3, 6)


@pytest.mark.parametrize(
    "kw",
    [
        dict(reply_months=0),
        dict(reply_months=13),
        dict(adjust_days=-1),
        dict(feedback_days=500),
        dict(warn_days="5"),
    ],
)
def test_bad_rules_are_refused(kw):
    with pytest.raises(HandlingError, match="办理时限"):
        Rules(**kw)


def test_register_keeps_the_number_as_written_and_starts_the_history():
    p = registered(number="第0123号")
    assert p.number == "第0123号"
    assert p.label == "十二届五次第123号提案"
    assert p.state == "registered"
    assert p.cosigners == ("李四", "王五")
    assert [(e.action, e.before, e.after, e.by) for e in p.history] == [
        ("register", "", "registered", "committee")
    ]


@pytest.mark.parametrize("existing", ["123", "0123", "第123号", "第 0123 号"])
def test_a_duplicate_number_in_the_session_is_refused_naming_the_existing_one(existing):
    with pytest.raises(HandlingError, match=f"案号“{existing}”"):
        registered(number="第0123号", existing=["99", existing])


def test_numbers_that_are_not_digits_compare_as_written():
    assert h.same_number("政协A-12", " 政协A-12 ")
    assert not h.same_number("政协A-12", "12")
    assert not h.same_number("125255", "125256")


@pytest.mark.parametrize(
    "kw,message",
    [
        (dict(kind="motion"), "类别"),
        (dict(number="  "), "案号不能为空"),
        (dict(title=""), "案由"),
        (dict(title="长" * 301), "过长"),
        (dict(proposer="张\x00三"), "无法识别的字符"),
        (dict(text="乱码\ufffd\ufffd"), "无法识别的字符"),
        (dict(title=b"bytes"), "应为文字"),
        (dict(key=True, leader=""), "领衔督办"),
        (dict(cosigners=["李四", "李四"]), "重复"),
    ],
)
def test_bad_registrations_are_refused(kw, message):
    with pytest.raises(HandlingError, match=message):
        registered(**kw)


def test_a_key_proposal_keeps_its_leader():
    assert registered(key=True, leader="陈副市长").leader == "陈副市长"
    assert registered(key=False, leader="陈副市长").leader == ""


def test_only_a_key_proposal_links_a_leader_account():
    p = h.link_leader(registered(key=True, leader="陈副市长"), "chen", D(2024, 3, 2), by="office")
    assert (p.history[-1].action, p.history[-1].detail) == ("leader", "关联督办领导账号：chen")
    plain = registered()
    with pytest.raises(HandlingError, match="不是重点提案，没有领衔督办领导"):
        h.link_leader(plain, "chen", D(2024, 3, 2), by="office")
    with pytest.raises(HandlingError, match="不是重点提案"):
        h.link_leader(plain, "", D(2024, 3, 2), before="chen", by="office")


def test_assign_one_lead_and_supports():
    p = assigned()
    a = p.assignment
    assert p.state == "assigned"
    assert (a.mode, a.leads, a.supports) == ("lead", ("市发展改革委",), ("市交通运输局", "市商务局"))
    assert a.deadlines.reply == D(2024, 7, 1)
    assert p.history[-1].detail == "主办：市发展改革委；会办：市交通运输局、市商务局"


@pytest.mark.parametrize(
    "leads,supports,split,message",
    [
        ([], [], False, "主办单位"),
        (["甲局", "乙局"], [], False, "只能有一个主办单位"),
        (["甲局", "乙局"], ["丙局"], True, "不设会办单位"),
        (["甲局"], ["甲局"], False, "既是主办单位又是会办单位"),
        (["甲局", "甲局"], [], True, "重复"),
    ],
)
def test_bad_assignments_are_refused(leads, supports, split, message):
    with pytest.raises(HandlingError, match=message):
        h.assign(registered(), leads, D(2024, 3, 29), supports=supports, split=split)


def test_a_proposal_is_assigned_once_then_changed_only_by_adjustment():
    with pytest.raises(HandlingError, match="当前为“已交办”，不能交办"):
        h.assign(assigned(), ["甲局"], D(2024, 4, 1))


def test_split_assignment_waits_for_every_unit():
    p = h.assign(registered(), ["甲局", "乙局"], D(2024, 3, 29), split=True)
    p = h.reply(p, "甲局", "A", "甲局答复", D(2024, 5, 6))
    assert p.state == "assigned"
    assert p.awaiting_reply() == ("乙局",)
    p = h.reply(p, "乙局", "C", "乙局答复", D(2024, 5, 7))
    assert p.state == "replied"
    with pytest.raises(HandlingError, match="本轮已答复"):
        h.reply(replace(p, state="assigned"), "甲局", "A", "again", D(2024, 5, 8))


def test_adjustment_granted_reassigns_and_keeps_the_old_assignment():
    p = h.request_adjustment(assigned(), "市商务局", "本单位职能不涉及", D(2024, 4, 8), by="unit")
    assert p.state == "adjusting"
    p = h.decide_adjustment(
        p, True, D(2024, 4, 9), leads=["市发展改革委"], supports=["市交通运输局"], by="office"
    )
    assert p.state == "assigned"
    assert [a.supports for a in p.assignments] == [("市交通运输局", "市商务局"), ("市交通运输局",)]
    assert p.assignment.on == D(2024, 4, 9)
    assert p.adjustments[0].decision == "granted" and p.adjustments[0].decided_by == "office"
    assert [e.action for e in p.history] == ["register", "assign", "adjust_request", "adjust_granted"]


def test_adjustment_refused_returns_to_where_it_was_with_the_reason():
    p = assigned()
    p = h.log_communication(p, "市发展改革委", "before", "电话", D(2024, 4, 1), "电话沟通")
    p = h.request_adjustment(p, "市发展改革委", "应由市交通运输局主办", D(2024, 4, 2))
    with pytest.raises(HandlingError, match="处理意见不能为空"):
        h.decide_adjustment(p, False, D(2024, 4, 3))
    p = h.decide_adjustment(p, False, D(2024, 4, 3), note="职能相关，维持原交办")
    assert p.state == "communicated"
    assert p.adjustments[0].decision == "refused"
    assert p.history[-1].detail == "不同意调整（市发展改革委）：职能相关，维持原交办"
    assert len(p.assignments) == 1


def test_adjustment_after_the_window_is_refused():
    with pytest.raises(HandlingError, match="申请调整的期限已过（应在2024年4月8日前提出）"):
        h.request_adjustment(assigned(), "市商务局", "理由", D(2024, 4, 9))


def test_adjustment_window_is_the_organisations():
    p = h.assign(registered(), ["甲局"], D(2024, 3, 29), Rules(adjust_days=10))
    assert h.request_adjustment(p, "甲局", "理由", D(2024, 4, 12)).state == "adjusting"


def test_only_an_assigned_unit_may_ask_and_not_twice_at_once():
    with pytest.raises(HandlingError, match="不是.*承办单位"):
        h.request_adjustment(assigned(), "市公安局", "理由", D(2024, 4, 1))
    p = h.request_adjustment(assigned(), "市商务局", "理由", D(2024, 4, 1))
    with pytest.raises(HandlingError, match="调整中"):
        h.request_adjustment(p, "市交通运输局", "理由", D(2024, 4, 1))
    with pytest.raises(HandlingError, match="不能答复"):
        h.reply(p, "市发展改革委", "A", "答复", D(2024, 4, 2))


def test_communications_move_to_communicated_and_the_member_confirms():
    p = h.log_communication(assigned(), "市交通运输局", "before", "座谈", D(2024, 4, 3), "座谈会")
    assert p.state == "communicated"
    p = h.confirm_communication(p, 0, D(2024, 4, 5), by="member")
    assert p.communications[0].confirmed == D(2024, 4, 5)
    assert p.history[-1].action == "confirm" and p.history[-1].before == p.history[-1].after
    with pytest.raises(HandlingError, match="已于2024年4月5日确认"):
        h.confirm_communication(p, 0, D(2024, 4, 6))
    with pytest.raises(HandlingError, match="没有第3条"):
        h.confirm_communication(p, 2, D(2024, 4, 6))


@pytest.mark.parametrize(
    "unit,stage,method,summary,message",
    [
        ("市发展改革委", "later", "面商", "x", "沟通阶段"),
        ("市发展改革委", "before", "微信", "x", "沟通方式"),
        ("市发展改革委", "before", "面商", "  ", "沟通情况不能为空"),
        ("市公安局", "before", "面商", "x", "不是"),
        ("市发展改革委", "after", "面商", "x", "办后沟通"),
    ],
)
def test_bad_communications_are_refused(unit, stage, method, summary, message):
    with pytest.raises(HandlingError, match=message):
        h.log_communication(assigned(), unit, stage, method, D(2024, 4, 3), summary)


def test_support_opinions_on_time_late_once_and_only_from_supports():
    p = h.submit_opinion(assigned(), "市交通运输局", "会办意见", D(2024, 4, 29))
    p = h.submit_opinion(p, "市商务局", "会办意见", D(2024, 4, 30))
    assert [o.late for o in p.opinions] == [False, True]
    with pytest.raises(HandlingError, match="已提交过"):
        h.submit_opinion(p, "市商务局", "again", D(2024, 5, 6))
    with pytest.raises(HandlingError, match="不是.*会办单位"):
        h.submit_opinion(p, "市发展改革委", "x", D(2024, 5, 6))


def test_reply_warnings_before_it_goes_out():
    p = assigned()
    assert h.reply_warnings(p, "市发展改革委", D(2024, 7, 2)) == [
        "尚未收到市交通运输局、市商务局的会办意见",
        "尚未记录办前沟通",
        "已超过答复期限（2024年7月1日）",
    ]
    p = h.submit_opinion(p, "市交通运输局", "x", D(2024, 4, 9))
    p = h.submit_opinion(p, "市商务局", "x", D(2024, 4, 9))
    p = h.log_communication(p, "市发展改革委", "before", "面商", D(2024, 4, 10), "面商")
    assert h.reply_warnings(p, "市发展改革委", D(2024, 7, 1)) == []


@pytest.mark.parametrize(
    "unit,category,text,message",
    [
        ("市发展改革委", "", "x", "需选择办理结果类别"),
        ("市发展改革委", "D", "x", "类别“D”不正确"),
        ("市发展改革委", "A", "", "答复正文不能为空"),
        ("市交通运输局", "A", "x", "不是.*主办"),
    ],
)
def test_bad_replies_are_refused_and_change_nothing(unit, category, text, message):
    p = assigned()
    with pytest.raises(HandlingError, match=message):
        h.reply(p, unit, category, text, D(2024, 5, 6))
    assert p.state == "assigned" and p.replies == ()


def test_a_late_reply_is_marked():
    p = replied(on=D(2024, 7, 2))
    assert p.state == "replied"
    assert p.replies[-1].late
    assert p.history[-1].detail == "市发展改革委答复（B类），逾期"


def test_rating_satisfied_closes_and_a_second_rating_is_refused():
    p = h.rate(replied(), "满意", "基本满意", D(2024, 5, 10), by="member")
    assert p.state == "rated"
    assert p.ratings[0].late is False
    with pytest.raises(HandlingError, match="已评价，不能重复评价"):
        h.rate(p, "满意", "满意", D(2024, 5, 11))


def test_a_late_rating_is_recorded_as_late_not_lost():
    p = replied()  # replied 2024-05-06; 15 working days, with Saturday 05-11 worked → 05-24
    assert h.feedback_due(p) == D(2024, 5, 24)
    assert h.rate(p, "满意", "满意", D(2024, 5, 24)).ratings[0].late is False
    late = h.rate(p, "满意", "满意", D(2024, 5, 27))
    assert late.state == "rated" and late.ratings[0].late
    assert "逾期反馈" in late.history[-1].detail


def test_unsatisfied_reopens_once_with_a_new_deadline_and_a_second_reply():
    with pytest.raises(HandlingError, match="评价意见不能为空"):
        h.rate(replied(), "满意", "不满意", D(2024, 5, 10))
    p = h.rate(replied(), "满意", "不满意", D(2024, 5, 10), comment="未回应核心建议")
    assert p.state == "rehandling"
    assert p.round == 2
    assert p.reply_due() == D(2024, 6, 11)  # 06-10 is the Dragon Boat holiday
    assert [e.action for e in p.history][-2:] == ["rate", "rehandle"]
    with pytest.raises(HandlingError, match="已评价"):
        h.rate(p, "满意", "满意", D(2024, 5, 11))
    p = h.reply(p, "市发展改革委", "B", "第二次答复", D(2024, 6, 5))
    assert [r.round for r in p.replies] == [1, 2]
    p = h.rate(p, "基本满意", "不满意", D(2024, 6, 7), comment="仍不满意")
    assert p.state == "rated"  # re-handled once; the second 不满意 is kept, not reopened again
    assert [r.result for r in p.ratings] == ["不满意", "不满意"]


@pytest.mark.parametrize("attitude,result", [("很好", "满意"), ("满意", ""), ("", "")])
def test_bad_ratings_are_refused(attitude, result):
    with pytest.raises(HandlingError, match="评价“.*”不正确"):
        h.rate(replied(), attitude, result, D(2024, 5, 10))


def test_rating_before_the_reply_is_refused():
    with pytest.raises(HandlingError, match="不能评价"):
        h.rate(assigned(), "满意", "满意", D(2024, 5, 10))


def test_after_reply_communication_is_allowed_once_replied():
    p = h.log_communication(replied(), "市发展改革委", "after", "电话", D(2024, 5, 8), "回访")
    assert p.state == "replied"


# on ⇥ colour ⇥ reason fragment
LIGHTS = """
2024-04-01	green	-
2024-04-23	yellow	市发展改革委办前沟通逾期
2024-06-17	yellow	答复期限临近（2024年7月1日）
2024-07-01	yellow	答复期限临近
2024-07-02	red	答复逾期（期限2024年7月1日）：市发展改革委
"""


@pytest.mark.parametrize("on,colour,reason", list(_cases(LIGHTS)))
def test_lights(on, colour, reason):
    c, why = h.light(assigned(), D.fromisoformat(on))
    assert c == colour
    assert (reason == "-" and why == "") or reason in why


def test_pending_lists_what_is_owed():
    owed = h.pending(assigned(), D(2024, 4, 30))
    assert {(o.what, o.unit, o.late) for o in owed} == {
        ("答复", "市发展改革委", False),
        ("会办意见", "市交通运输局", True),
        ("会办意见", "市商务局", True),
        ("办前沟通", "市发展改革委", True),
    }
    assert [(o.what, o.late) for o in h.pending(replied(), D(2024, 5, 27))] == [("反馈", True)]
    assert h.light(h.rate(replied(), "满意", "满意", D(2024, 5, 7)), D(2030, 1, 1)) == ("green", "")


def test_the_history_only_grows():
    p = registered()
    steps = [
        lambda p: h.assign(p, ["甲局"], D(2024, 3, 29), supports=["乙局"]),
        lambda p: h.request_adjustment(p, "乙局", "理由", D(2024, 4, 1)),
        lambda p: h.decide_adjustment(p, False, D(2024, 4, 2), note="维持"),
        lambda p: h.log_communication(p, "甲局", "before", "面商", D(2024, 4, 3), "面商"),
        lambda p: h.submit_opinion(p, "乙局", "意见", D(2024, 4, 8)),
        lambda p: h.reply(p, "甲局", "A", "答复", D(2024, 5, 6)),
        lambda p: h.rate(p, "满意", "满意", D(2024, 5, 8)),
    ]
    for step in steps:
        before = p.history
        p = step(p)
        assert p.history[: len(before)] == before and len(p.history) == len(before) + 1
        assert p.history[-1].after == p.state
    assert p.state == "rated"


def test_the_core_imports_no_django():
    import subprocess
    import sys

    code = "import sys, luoshi.proposals.handling; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
