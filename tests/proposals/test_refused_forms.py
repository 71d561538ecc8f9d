"""A refused step shows its form again with what was typed: a reply drafted at length and sent
without its category, a contact log with a malformed date, a rating of 不满意 without a comment,
an adjustment asked after its window. The page says why, nothing is written, and the user does
not type it all again."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from luoshi.proposals import services
from luoshi.proposals.models import AdjustRequest, Communication, ProposalEvent, Rating, Reply

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


LONG_REPLY = "关于深中通道两岸产业协同发展的建议，我委高度重视，" * 200 + "<b>已列入计划</b>"


def _form(page: str, form_id: str) -> str:
    start = page.index(f'id="{form_id}"')
    return page[start : page.index("</form>", start)]


def test_a_reply_without_its_category_keeps_the_text_and_the_letter_fields(people, login, day):
    p = people.assigned()
    sent = {
        "text": LONG_REPLY,
        "doc_number": "某发改函〔2024〕12号",
        "signer": "王五",
        "contact": "赵六",
        "public": "1",
    }
    response = login(people.lead).post(f"/proposals/{p.pk}/reply/", sent)
    assert response.status_code == 400
    page = body(response)
    assert "需选择办理结果类别" in page
    form = _form(page, "reply-form")
    assert html.unescape(form).count(LONG_REPLY) == 1 and "<b>已列入计划</b>" not in form
    for field in ("doc_number", "signer", "contact"):
        assert f'name="{field}" maxlength' in form and f'value="{html.escape(sent[field])}"' in form
    assert 'name="public" value="1" checked' in form and "checked" not in form.split('name="public"')[0]
    assert not Reply.objects.exists() and ProposalEvent.objects.filter(action="reply").count() == 0


def test_the_chosen_category_is_kept_when_the_text_is_refused(people, login, day):
    p = people.assigned()
    response = login(people.lead).post(f"/proposals/{p.pk}/reply/", {"category": "B", "text": "乱码\ufffd"})
    assert response.status_code == 400
    form = _form(body(response), "reply-form")
    assert 'value="B" checked' in form and 'value="A" checked' not in form


def test_a_contact_with_a_bad_date_keeps_what_was_logged(people, login, day):
    p = people.assigned()
    sent = {"stage": "during", "method": "座谈", "on": "04/01/2024", "summary": "与张三委员座谈，听取意见"}
    response = login(people.lead).post(f"/proposals/{p.pk}/communicate/", sent)
    assert response.status_code == 400
    form = _form(body(response), "communicate-form")
    assert "与张三委员座谈，听取意见</textarea>" in form
    assert 'value="during" selected' in form and "<option selected>座谈</option>" in form
    assert 'value="04/01/2024"' in form
    assert not Communication.objects.exists()


def test_an_unsatisfied_rating_without_comment_keeps_the_choices(people, login, day):
    p = services.reply(people.assigned(), people.lead, people.ndrc, "C", "暂不能解决", dt.date(2024, 4, 1))
    response = login(people.member).post(
        f"/proposals/{p.pk}/rate/", {"attitude": "基本满意", "result": "不满意"}
    )
    assert response.status_code == 400
    form = _form(body(response), "rate-form")
    attitude, result = form.split('name="result"')
    assert "<option selected>基本满意</option>" in attitude and "<option selected>不满意</option>" in result
    assert not Rating.objects.exists()


def test_an_adjustment_after_its_window_keeps_the_reason(people, login, day):
    p = people.assigned()
    day(dt.date(2024, 6, 3))
    response = login(people.support).post(
        f"/proposals/{p.pk}/adjust/", {"reason": "本单位职能不涉及<script>"}
    )
    assert response.status_code == 400
    page = body(response)
    assert "申请调整的期限已过" in page
    assert "本单位职能不涉及&lt;script&gt;</textarea>" in _form(page, "adjust-form")
    assert not AdjustRequest.objects.exists()


def test_a_form_is_empty_again_once_its_step_is_done(people, login, day):
    p = people.assigned()
    c = login(people.lead)
    c.post(f"/proposals/{p.pk}/communicate/", {"stage": "before", "method": "面商", "summary": "办前面商"})
    form = _form(body(c.get(f"/proposals/{p.pk}/")), "communicate-form")
    assert "></textarea>" in form and " selected" not in form


def test_a_refused_assignment_keeps_the_units_ticked_and_the_mode(people, login, day):
    p = people.register()
    sent = {"mode": "lead", "leads": [people.ndrc.pk, people.police.pk], "supports": [people.transport.pk]}
    response = login(people.office_a).post(f"/proposals/{p.pk}/assign/", sent)
    assert response.status_code == 400
    page = body(response)
    assert "只能有一个主办单位" in page
    form = _form(page, "assign-form")
    leads, supports = form.split('name="supports"')
    for unit in (people.ndrc, people.police):
        assert f'<option value="{unit.pk}" selected>' in leads
    assert f'<option value="{people.transport.pk}" selected>' not in leads
    assert f'<option value="{people.transport.pk}" selected>' in supports
    assert f'<option value="{people.ndrc.pk}" selected>' not in supports
    assert 'value="lead" checked' in form and 'value="split" checked' not in form
    p.refresh_from_db()
    assert p.state == "registered" and not p.assignments.exists()


def test_a_refused_adjustment_decision_keeps_the_note_and_the_choice(people, login, day):
    p = people.assigned()
    services.request_adjustment(p, people.lead, people.ndrc, "不属于我委职责", dt.date(2024, 4, 1))
    note = "经研究，<同意>调整由市交通运输局主办"
    sent = {"decision": "granted", "note": note, "mode": "split", "supports": [people.police.pk]}
    response = login(people.office_a).post(f"/proposals/{p.pk}/assign/", sent)
    assert response.status_code == 400
    form = _form(body(response), "assign-form")
    assert f'value="{html.escape(note)}"' in form
    assert 'value="granted" checked' in form and 'value="split" checked' in form
    assert f'<option value="{people.police.pk}" selected>' in form.split('name="supports"')[1]
    assert AdjustRequest.objects.get().decision == ""
