"""The proposal pages through the real views: who sees what, each form, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.proposals import services
from luoshi.proposals.models import Communication, Proposal, ProposalEvent, Rating, Reply
from tests.web import conftest as web
from tests.web.world import PASSWORD

pytestmark = pytest.mark.django_db
D = dt.date
login = web.login


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("who", ["member", "committee"])
def test_members_and_committee_land_on_the_proposals_after_login(client, people, who):
    response = client.post("/accounts/login/", {"username": who, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/proposals/"
    page = body(response)
    assert "提案建议" in page and "工作方案</a>" not in page


def test_the_nav_shows_proposals_to_staff_and_not_to_the_public(client, people, login):
    assert 'href="/proposals/"' not in body(client.get("/public/"))
    assert 'href="/proposals/"' in body(login(people.office_a).get("/proposals/"))


def test_the_list_shows_only_what_the_user_may_read(people, login, day):
    people.assigned("1")
    people.register("2", member=people.other_member, title="关于另一位委员的提案")
    page = body(login(people.lead).get("/proposals/"))
    assert "关于加快深中通道" in page and "另一位委员" not in page
    page = body(login(people.member).get("/proposals/"))
    assert "关于加快深中通道" in page and "另一位委员" not in page
    page = body(login(people.police_user).get("/proposals/"))
    assert "关于加快深中通道" not in page
    assert (
        login(people.police_user).get(f"/proposals/{Proposal.objects.get(number='1').pk}/").status_code == 403
    )


def test_anonymous_visitors_are_sent_to_login(client, people):
    p = people.register()
    assert client.get("/proposals/").status_code == 302
    assert client.get(f"/proposals/{p.pk}/").status_code == 302


def test_list_filters_and_lights(people, login, day):
    people.assigned("1")  # reply due 2024-07-01
    people.assigned("2", on=D(2024, 1, 2))  # reply due 2024-04-02
    people.register("3")
    day(D(2024, 6, 20))
    client = login(people.office_a)
    page = body(client.get("/proposals/"))
    assert page.count('title="red"') == 1 and page.count('title="yellow"') == 1
    page = body(client.get("/proposals/?light=red"))
    assert "共 1 件" in page and "2024年4月2日" in page
    assert "共 1 件" in body(client.get("/proposals/?state=registered"))
    assert "共 2 件" in body(client.get(f"/proposals/?unit={people.ndrc.pk}"))
    assert "共 0 件" in body(client.get("/proposals/?session=十三届一次"))
    # nonsense in every filter is ignored or matches nothing, never an error
    for q in (
        "unit=abc",
        "unit=99999999999999999999999",
        "light=purple",
        "q=" + "长" * 500,
        "page=-1",
    ):
        assert client.get("/proposals/?" + q).status_code == 200
    # a NUL in the query is refused before any view (the site's middleware)
    assert client.get("/proposals/?state=%00").status_code == 400


def test_the_detail_page_shows_deadlines_history_and_only_the_allowed_forms(people, login, day):
    p = people.assigned()
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert "答复期限 2024年7月1日" in page and 'id="history"' in page
    assert 'id="reply-form"' not in page and 'id="assign-form"' not in page
    page = body(login(people.lead).get(f"/proposals/{p.pk}/"))
    assert 'id="reply-form"' in page and 'id="opinion-form"' not in page and "尚未记录办前沟通" in page
    page = body(login(people.support).get(f"/proposals/{p.pk}/"))
    assert 'id="opinion-form"' in page and 'id="reply-form"' not in page
    page = body(login(people.member).get(f"/proposals/{p.pk}/"))
    assert 'id="reply-form"' not in page and 'id="rate-form"' not in page


def test_the_whole_path_through_the_forms(people, login, day):
    p = people.register()
    c = login(people.office_a)
    c.post(
        f"/proposals/{p.pk}/assign/",
        {"mode": "lead", "leads": [people.ndrc.pk], "supports": [people.transport.pk]},
    )
    p.refresh_from_db()
    assert p.state == "assigned"
    day(D(2024, 4, 3))
    c = login(people.lead)
    c.post(
        f"/proposals/{p.pk}/communicate/",
        {"stage": "before", "method": "面商", "on": "2024-04-02", "summary": "面商"},
    )
    c = login(people.member)
    comm = Communication.objects.get()
    c.post(f"/proposals/{p.pk}/communications/{comm.pk}/confirm/")
    c = login(people.support)
    c.post(f"/proposals/{p.pk}/opinion/", {"text": "同意主办意见"})
    day(D(2024, 5, 6))
    c = login(people.lead)
    page = body(
        c.post(
            f"/proposals/{p.pk}/reply/",
            {"category": "A", "text": "答复", "signer": "赵六", "public": "1"},
            follow=True,
        )
    )
    assert "已答复" in page
    c = login(people.member)
    c.post(f"/proposals/{p.pk}/rate/", {"attitude": "满意", "result": "满意"})
    p.refresh_from_db()
    assert p.state == "rated"
    assert Communication.objects.get().confirmed == D(2024, 4, 3)
    assert Reply.objects.get().public
    page = body(login(people.member).get(f"/proposals/{p.pk}/"))
    for seen in ("委员已于2024年4月3日确认", "同意主办意见", "A类", "办理态度：满意"):
        assert seen in page


def test_adjustment_through_the_forms(people, login, day):
    p = people.assigned()
    login(people.support).post(f"/proposals/{p.pk}/adjust/", {"reason": "职能不涉及"})
    p.refresh_from_db()
    assert p.state == "adjusting"
    page = body(login(people.office_a).get(f"/proposals/{p.pk}/"))
    assert "市交通运输局申请调整：职能不涉及" in page
    c = login(people.office_a)
    c.post(
        f"/proposals/{p.pk}/assign/",
        {"decision": "granted", "leads": [people.ndrc.pk], "supports": [people.police.pk]},
    )
    p.refresh_from_db()
    assert p.state == "assigned" and p.assignments.count() == 2
    assert login(people.support).get(f"/proposals/{p.pk}/").status_code == 403
    assert login(people.police_user).get(f"/proposals/{p.pk}/").status_code == 200


# persona ⇥ url suffix: each one a step the persona may not take
FORBIDDEN = [
    ("member", "assign/", {"leads": "1"}),
    ("committee", "assign/", {"leads": "1"}),
    ("lead", "assign/", {"leads": "1"}),
    ("office_b", "assign/", {"leads": "1"}),
    ("support", "reply/", {"category": "A", "text": "x"}),
    ("police_user", "reply/", {"category": "A", "text": "x"}),
    ("lead_b", "reply/", {"category": "A", "text": "x"}),
    ("office_a", "reply/", {"category": "A", "text": "x"}),
    ("lead", "opinion/", {"text": "x"}),
    ("member", "communicate/", {"stage": "before", "method": "面商", "summary": "x"}),
    ("police_user", "adjust/", {"reason": "x"}),
    ("other_member", "rate/", {"attitude": "满意", "result": "满意"}),
    ("lead", "rate/", {"attitude": "满意", "result": "满意"}),
    ("leader", "rate/", {"attitude": "满意", "result": "满意"}),
]


@pytest.mark.parametrize("who,suffix,data", FORBIDDEN)
def test_steps_by_the_wrong_persona_are_refused_and_change_nothing(people, login, day, who, suffix, data):
    p = people.assigned()
    p = services.reply(p, people.lead, people.ndrc, "A", "答复", D(2024, 4, 1)) if suffix == "rate/" else p
    events = ProposalEvent.objects.count()
    response = login(getattr(people, who)).post(f"/proposals/{p.pk}/{suffix}", data)
    assert response.status_code == 403
    assert ProposalEvent.objects.count() == events


@pytest.mark.parametrize(
    "who,suffix,data,message",
    [
        ("office_a", "assign/", {"leads": ["abc"]}, "所选单位不正确"),
        ("office_a", "assign/", {"leads": ["999999"]}, "所选单位不存在"),
        ("office_a", "assign/", {}, "需指定主办单位"),
        (
            "lead",
            "communicate/",
            {"stage": "before", "method": "面商", "on": "2099-01-01", "summary": "x"},
            "日期不能晚于今天",
        ),
        (
            "lead",
            "communicate/",
            {"stage": "before", "method": "面商", "on": "04/01/2024", "summary": "x"},
            "日期格式不正确",
        ),
        ("lead", "communicate/", {"stage": "before", "method": "飞鸽", "summary": "x"}, "沟通方式"),
        ("lead", "reply/", {"text": "答复"}, "需选择办理结果类别"),
        ("lead", "reply/", {"category": "A", "text": "乱码\ufffd\ufffd"}, "无法识别的字符"),
        ("lead", "reply/", {"category": "A", "text": "长" * 100_001}, "过长"),
        ("support", "adjust/", {"reason": ""}, "调整理由不能为空"),
        ("support", "opinion/", {"text": "长" * 20001}, "过长"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(people, login, day, who, suffix, data, message):
    p = people.register() if suffix == "assign/" else people.assigned()
    events = ProposalEvent.objects.count()
    response = login(getattr(people, who)).post(f"/proposals/{p.pk}/{suffix}", data, follow=True)
    # A refused form is shown again with what was typed (400); the others go back to the page.
    assert response.status_code == (200 if suffix == "member/" else 400)
    assert message in response.content.decode()
    assert ProposalEvent.objects.count() == events


def test_a_second_rating_through_the_form_is_refused(people, login, day):
    p = services.reply(people.assigned(), people.lead, people.ndrc, "A", "答复", D(2024, 4, 1))
    c = login(people.member)
    c.post(f"/proposals/{p.pk}/rate/", {"attitude": "满意", "result": "满意"})
    response = c.post(f"/proposals/{p.pk}/rate/", {"attitude": "不满意", "result": "不满意", "comment": "x"})
    assert response.status_code == 400 and "不能重复评价" in response.content.decode()
    assert Rating.objects.count() == 1


def test_get_on_a_step_is_not_allowed(people, login):
    p = people.assigned()
    assert login(people.lead).get(f"/proposals/{p.pk}/reply/").status_code == 405


def test_a_confirmation_of_another_proposals_contact_is_not_found(people, login, day):
    a = people.assigned("1")
    b = people.assigned("2")
    services.log_communication(a, people.lead, people.ndrc, "before", "电话", D(2024, 4, 1), "电话")
    comm = Communication.objects.get()
    assert (
        login(people.member).post(f"/proposals/{b.pk}/communications/{comm.pk}/confirm/").status_code == 404
    )


def test_the_reply_letter_downloads_for_readers_only(people, login, day):
    import io

    from docx import Document

    p = people.assigned()
    day(D(2024, 5, 6))
    login(people.lead).post(
        f"/proposals/{p.pk}/reply/",
        {"category": "C", "text": "受条件限制", "doc_number": "某发改函〔2024〕12号"},
    )
    r = Reply.objects.get()
    url = f"/proposals/{p.pk}/replies/{r.pk}/letter.docx"
    response = login(people.member).get(url)
    assert response.status_code == 200
    text = [x.text for x in Document(io.BytesIO(response.content)).paragraphs]
    assert "某发改函〔2024〕12号" in text and "关于市政协十二届五次会议第125255号提案答复的函" in text
    assert "抄送：市政协提案委员会、市交通运输局" in text
    assert login(people.other_member).get(url).status_code == 403
    other = people.assigned("2")
    assert login(people.member).get(f"/proposals/{other.pk}/replies/{r.pk}/letter.docx").status_code == 404


REGISTER = {
    "kind": "proposal",
    "session": "十二届五次",
    "number": "第0123号",
    "title": "关于建设跨城公交线路的提案",
    "proposer": "张三",
    "cosigners": "李四、王五",
    "group": "民盟",
}


def test_the_committee_registers_one_proposal_linked_to_the_members_account(people, login, day):
    c = login(people.committee)
    assert 'id="register-form"' in body(c.get("/proposals/new/"))
    response = c.post(
        "/proposals/new/",
        {**REGISTER, "member": people.member.pk, "city": people.city_a.pk, "submitted": "2024-01-20"},
    )
    p = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{p.pk}/"
    assert (p.member, p.city, p.cosigner_list, p.submitted) == (
        people.member,
        people.city_a,
        ["李四", "王五"],
        D(2024, 1, 20),
    )
    assert "关于建设跨城公交线路的提案" in body(login(people.member).get("/proposals/"))


@pytest.mark.parametrize(
    "change,message",
    [
        ({"number": "999"}, "已有第999号提案"),
        ({"title": ""}, "案由（标题）不能为空"),
        ({"kind": "motion"}, "类别“motion”不正确"),
        ({"member": "abc"}, "所选委员账号不存在"),
        ({"submitted": "2099-01-01"}, "日期不能晚于今天"),
        ({"key": "1", "leader": ""}, "领衔督办的领导"),
    ],
)
def test_a_bad_registration_keeps_what_was_typed_and_says_why(people, login, day, change, message):
    people.register("999")
    c = login(people.committee)
    response = c.post("/proposals/new/", {**REGISTER, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="民盟"' in page
    assert Proposal.objects.count() == 1


def test_a_member_account_of_another_role_cannot_be_linked(people, login, day):
    response = login(people.committee).post("/proposals/new/", {**REGISTER, "member": people.lead.pk})
    assert "所选委员账号不存在" in response.content.decode() and not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["office_a", "lead", "member", "leader"])
def test_only_the_committee_and_admins_register(people, login, who):
    c = login(getattr(people, who))
    assert c.get("/proposals/new/").status_code == 403
    assert c.post("/proposals/new/", REGISTER).status_code == 403
    assert not Proposal.objects.exists()


def test_the_admin_refuses_deadlines_outside_the_cores_bounds(people, login):
    from luoshi.proposals.models import HandlingRules

    c = login(people.admin)
    fields = {
        "reply_months": 0,
        "support_months": 1,
        "pre_contact_days": 15,
        "feedback_days": 15,
        "adjust_days": 5,
        "rehandle_months": 1,
    }
    page = body(c.post("/admin/proposals/handlingrules/add/", fields))
    assert "1到12个月" in page and not HandlingRules.objects.exists()
    c.post("/admin/proposals/handlingrules/add/", {**fields, "reply_months": 2})
    assert HandlingRules.objects.get().reply_months == 2
    # proposals are read in the admin, never changed there
    p = people.register()
    assert c.get(f"/admin/proposals/proposal/{p.pk}/change/").status_code == 200
    c.post(f"/admin/proposals/proposal/{p.pk}/change/", {"title": "改写"})
    p.refresh_from_db()
    assert p.title != "改写"


def test_the_committee_links_an_imported_proposal_to_the_members_account(people, login, day):
    p = people.register(member=None)
    assert "关于加快深中通道" not in body(login(people.member).get("/proposals/"))
    c = login(people.committee)
    assert 'id="member-form"' in body(c.get(f"/proposals/{p.pk}/"))
    c.post(f"/proposals/{p.pk}/member/", {"member": people.member.pk})
    p.refresh_from_db()
    assert p.member == people.member
    assert "关于加快深中通道" in body(login(people.member).get("/proposals/"))
    e = p.events.order_by("-seq").first()
    assert (e.action, e.detail, e.before, e.after) == (
        "member",
        "关联委员账号：member",
        "registered",
        "registered",
    )
    c = login(people.committee)  # the same test client, signed in as the committee again
    page = body(c.post(f"/proposals/{p.pk}/member/", {"member": people.member.pk}, follow=True))
    assert "已关联该委员账号" in page
    page = body(c.post(f"/proposals/{p.pk}/member/", {"member": people.lead.pk}, follow=True))
    assert "所选委员账号不存在" in page
    c.post(f"/proposals/{p.pk}/member/", {"member": ""})
    p.refresh_from_db()
    assert p.member is None and p.events.order_by("-seq").first().detail == "取消关联委员账号：member"


@pytest.mark.parametrize("who", ["office_a", "lead", "member", "other_member", "leader"])
def test_only_the_committee_links_member_accounts(people, login, who):
    p = people.register(member=None)
    assert (
        login(getattr(people, who))
        .post(f"/proposals/{p.pk}/member/", {"member": people.other_member.pk})
        .status_code
        == 403
    )
    p.refresh_from_db()
    assert p.member is None


def test_the_unit_filter_offers_only_units_assigned_in_scope(people, login, day):
    people.assigned()
    page = body(login(people.office_a).get("/proposals/"))
    choices = page[page.index('name="unit"') : page.index("</select>", page.index('name="unit"'))]
    assert f'value="{people.ndrc.pk}"' in choices and f'value="{people.transport.pk}"' in choices
    assert f'value="{people.police.pk}"' not in choices and f'value="{people.ndrc_b.pk}"' not in choices
    assert 'name="unit"' not in body(login(people.office_b).get("/proposals/"))
