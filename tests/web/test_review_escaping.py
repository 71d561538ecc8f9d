"""The review's rows are the uploader's text: titles, labels and unit names with markup and quotes
are shown as text, never as markup, in every place a row puts them (cell, input value, option,
aria-label, flag)."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from luoshi.ledger import importing
from luoshi.ledger.models import ImportSession, Task, Unit
from tests.web.world import upload

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '推进"<script>alert(1)</script>"\'工程\' & <img src=x onerror=alert(2)>'
HOSTILE_UNIT = '市<b onmouseover="x()">局'
PLAN = f"""某市2026年工作方案
各牵头单位每月报送1次工作进展。
一、重点任务
（一）{HOSTILE_TITLE}。2027年底前完成。（牵头单位：{HOSTILE_UNIT}；配合单位：市"引号"局）
"""


@pytest.fixture
def session(world) -> ImportSession:
    return importing.start_import(upload(PLAN), world.office_a)


def rows_html(body: str) -> str:
    return body[body.index("<tbody", body.index("review-rows")) : body.rindex("</tbody>")]


def test_hostile_titles_and_units_are_shown_as_text(world, session, login):
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    rows = rows_html(body)
    # Nothing from the document opens a tag or breaks out of an attribute.
    assert "<script" not in rows and "<img" not in rows and "<b " not in rows
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rows
    # Each unit as the engine read it (markup and quotes in it) is shown escaped.
    names = [n for r in importing.review(session).rows for n in (*r.item.get("lead", []), *r.item.get("support", []))]
    assert any("<" in n or ">" in n for n in names) and any('"' in n for n in names)
    for name in names:
        assert escape(name) in rows
    # Every tag in the rows is one the template writes.
    assert set(re.findall(r"<([a-z]+)", rows)) <= {"tbody", "tr", "td", "input", "select", "option", "span", "button"}
    # The title input gives the title back exactly when the form is read.
    value = re.search(r'name="title_1" value="([^"]*)"', rows).group(1)
    assert "&#34;" in value and "&#39;" in value and "&amp;" in value


def test_hostile_text_commits_as_it_was_written(world, session, login):
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    assert "&lt;script&gt;" in body
    response = login(world.office_a).post(
        f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk, "title_1": HOSTILE_TITLE}
    )
    assert response.status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    task = Task.objects.get(plan=plan, title=HOSTILE_TITLE)
    item = importing.flatten(session.data["items"])[1].item
    assert [a.unit.name for a in task.assignments.filter(role="lead").order_by("position")] == item["lead"]
    assert all(Unit.objects.filter(name=n).exists() for n in item["lead"])
