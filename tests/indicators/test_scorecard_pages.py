"""Scorecard pages tried by every persona: the office drafts, words and publishes; leaders read
drafts; a published scorecard, its Word and PDF are public; nobody changes a published one.
Bad input to every form changes nothing."""

from __future__ import annotations

import io

import pytest
from docx import Document

from luoshi.indicators import scorecards
from luoshi.indicators.models import Scorecard, ScorecardChange
from tests.indicators.test_permissions import PERSONAS, READERS, WRITERS, client_for
from tests.indicators.test_scorecards import Data, moment


@pytest.fixture
def draft(area, people):
    Data(area)
    return scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))


@pytest.mark.parametrize("who", PERSONAS)
def test_reading_a_draft(draft, people, login, client, who):
    c = client_for(people, login, client, who)
    for url in (
        "/indicators/scorecards/",
        f"/indicators/scorecards/{draft.pk}/",
        f"/indicators/scorecards/{draft.pk}/scorecard.docx",
    ):
        response = c.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == (200 if who in READERS else 403), (who, url)


@pytest.mark.parametrize("who", PERSONAS)
def test_a_published_scorecard_is_public(draft, people, login, client, who):
    scorecards.publish(draft, by=people.office)
    c = client_for(people, login, client, who)
    page = c.get(f"/indicators/scorecards/{draft.pk}/")
    assert page.status_code == 200
    assert "跨市公交线路9条，比上年同期增长50%。" in page.content.decode()
    assert "scorecard-edit" not in page.content.decode()
    docx = c.get(f"/indicators/scorecards/{draft.pk}/scorecard.docx")
    assert docx.status_code == 200
    assert "关键词1　交通" in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert c.get(f"/indicators/scorecards/{draft.pk}/scorecard.pdf").content.startswith(b"%PDF")
    for listing in ("/public/", "/indicators/scorecards/public/"):
        assert "成德眉资2020年同城化发展成绩单" in c.get(listing).content.decode()


def test_drafts_are_not_listed_publicly(draft, client):
    assert "成德眉资2020年同城化发展成绩单" not in client.get("/public/").content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_who_may_draft_edit_and_publish(draft, area, people, login, client, who):
    c = client_for(people, login, client, who)
    c.post("/indicators/scorecards/", {"entity": area.area.pk, "period": "2020"})
    c.post(f"/indicators/scorecards/{draft.pk}/edit/", {"headline-0": "跨市公交增至9条"})
    c.post(f"/indicators/scorecards/{draft.pk}/publish/")
    draft.refresh_from_db()
    writer = who in WRITERS
    assert Scorecard.objects.count() == (2 if writer else 1)
    assert (draft.card().sections[0].headline == "跨市公交增至9条") == writer
    assert draft.state == ("published" if writer else "draft")


def test_nobody_changes_a_published_scorecard(draft, people, login):
    scorecards.publish(draft, by=people.office)
    for who in (people.office, people.admin):
        c = login(who)
        for url in ("edit/", "refresh/", "publish/"):
            assert c.post(f"/indicators/scorecards/{draft.pk}/{url}", {"title": "改"}).status_code == 403
    assert ScorecardChange.objects.filter(scorecard=draft).count() == 2  # created, published


def test_get_never_changes_anything(draft, people, login):
    c = login(people.office)
    for url in ("edit/", "refresh/", "publish/"):
        assert c.get(f"/indicators/scorecards/{draft.pk}/{url}").status_code == 405
    assert Scorecard.objects.get(pk=draft.pk).state == "draft"


def test_the_office_edits_on_the_page_and_sees_the_history(draft, data_pk_buses, people, login):
    c = login(people.office)
    page = c.get(f"/indicators/scorecards/{draft.pk}/").content.decode()
    assert 'name="headline-0"' in page and f'name="target-{data_pk_buses}"' in page
    response = c.post(
        f"/indicators/scorecards/{draft.pk}/edit/",
        {"headline-0": "跨市公交增至9条", f"target-{data_pk_buses}": "12"},
        follow=True,
    )
    body = response.content.decode()
    assert "已保存2处修改" in body and "跨市公交增至9条" in body
    assert "完成目标的75%" in body  # the generated paragraph follows the new target
    assert "修改文字" in body and "office_a" in body


@pytest.fixture
def data_pk_buses(draft):
    from luoshi.indicators.models import Indicator

    return Indicator.objects.get(name="跨市公交线路").pk


@pytest.mark.parametrize(
    "form, message",
    [
        ({"entity": "", "period": "2020"}, "请选择统计对象"),
        ({"entity": "abc", "period": "2020"}, "请选择统计对象"),
        ({"entity": "99999999999999999999", "period": "2020"}, "请选择统计对象"),
        ({"entity": "{area}", "period": ""}, "格式不正确"),
        ({"entity": "{area}", "period": "二〇二〇"}, "格式不正确"),
        ({"entity": "{area}", "period": "2020" * 1000}, "格式不正确"),
        ({"entity": "{area}", "period": "2035"}, "尚无指标数据"),
        ({"entity": "{area}", "period": "2020", "title": "长" * 5000}, "标题过长"),
    ],
)
def test_bad_drafts_are_refused_with_a_reason(draft, area, people, login, form, message):
    form = {k: (str(area.area.pk) if v == "{area}" else v) for k, v in form.items()}
    response = login(people.office).post("/indicators/scorecards/", form, follow=True)
    assert message in response.content.decode()
    assert Scorecard.objects.count() == 1


@pytest.mark.parametrize(
    "form, message",
    [
        ({"title": ""}, "标题不能为空"),
        ({"text-0": "字" * 100_000}, "正文过长"),
        ({"target-{buses}": "12条"}, "不是数字"),
        ({"target-{buses}": "inf"}, "目标值无效"),
    ],
)
def test_bad_edits_change_nothing(draft, data_pk_buses, people, login, form, message):
    form = {k.replace("{buses}", str(data_pk_buses)): v for k, v in form.items()}
    before = Scorecard.objects.get(pk=draft.pk).content
    response = login(people.office).post(f"/indicators/scorecards/{draft.pk}/edit/", form, follow=True)
    assert message in response.content.decode()
    assert Scorecard.objects.get(pk=draft.pk).content == before


def test_a_refused_edit_shows_the_wording_as_typed(draft, data_pk_buses, people, login):
    """One mistyped target does not cost the wording of every keyword: the form comes back with
    everything typed (the bad target too), the figures as stored, and nothing saved."""
    before = Scorecard.objects.get(pk=draft.pk).content
    form = {
        "title": "成德眉资同城化2020年成绩单（修改稿）",
        "intro": "四城携手，共画一“圈”。<b>",
        "headline-0": "跨市公交增至9条",
        "text-0": "改写的正文，一段很长的话。" * 50,
        f"target-{data_pk_buses}": "12条",
    }
    response = login(people.office).post(f"/indicators/scorecards/{draft.pk}/edit/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是数字" in page
    edit = page[page.index('id="scorecard-edit"') : page.index("</form>", page.index('id="scorecard-edit"'))]
    assert 'value="成德眉资同城化2020年成绩单（修改稿）"' in edit
    assert "四城携手，共画一“圈”。&lt;b&gt;</textarea>" in edit
    assert 'name="headline-0" value="跨市公交增至9条"' in edit
    assert "改写的正文，一段很长的话。" * 50 + "</textarea>" in edit
    assert f'name="target-{data_pk_buses}" value="12条"' in edit
    assert Scorecard.objects.get(pk=draft.pk).content == before
    # The next visit shows the scorecard as stored, not what was typed.
    page = login(people.office).get(f"/indicators/scorecards/{draft.pk}/").content.decode()
    assert "跨市公交增至9条" not in page and "12条" not in page


def test_wrongly_encoded_form_text_is_refused_or_kept_as_text(draft, people, login):
    c = login(people.office)
    body = b"headline-0=%FF%FE%00abc"
    response = c.post(
        f"/indicators/scorecards/{draft.pk}/edit/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (302, 400)
    headline = Scorecard.objects.get(pk=draft.pk).card().sections[0].headline
    assert "\x00" not in headline


def test_unknown_files_and_scorecards_are_not_found(draft, people, login):
    c = login(people.office)
    assert c.get(f"/indicators/scorecards/{draft.pk}/scorecard.xlsx").status_code == 404
    assert c.get(f"/indicators/scorecards/{draft.pk}/scorecard.exe").status_code == 404
    assert c.get(f"/indicators/scorecards/{draft.pk + 1000}/").status_code == 404
    assert c.get("/indicators/scorecards/99999999999999999999999/").status_code == 404


def test_pages_escape_hostile_wording(draft, people, login):
    scorecards.edit(draft, {"headline-0": "<script>alert(1)</script>"}, by=people.office)
    body = login(people.leader).get(f"/indicators/scorecards/{draft.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_the_scorecard_page_in_english_on_request(draft, people, login):
    body = (
        login(people.office)
        .get(f"/indicators/scorecards/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Change the wording and targets" in body and "Keyword 1" in body
