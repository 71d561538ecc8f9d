"""The supervision pages and the unit register in English on request, Chinese by default; the catalog is tidy."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import luoshi.web
from luoshi.supervision import lights, notices
from luoshi.supervision_web import services
from luoshi.supervision_web.labels import BASES, LABELS, RULE_NAMES
from tests.supervision_web.conftest import ON, task

CATALOG = Path(luoshi.web.__file__).parent / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture
def notice(reported):
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    return n


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english", "chinese"),
    [
        (
            "/plans/{plan}/lights/?on=2024-04-15",
            ["Light rules", "Red", "the task is done", "Standing"],
            ["亮灯规则", "红灯", "进度分类"],
        ),
        (
            "/notices/",
            ["Notices", "Reply due", "Issued", "Task notices", "Proposal notices", "No proposal notices."],
            ["督办单", "回复期限", "已下发", "提案建议督办单"],
        ),
        (
            "/notices/{notice}/",
            ["Notice 督办〔2024〕1号", "Download the notice (Word)", "History", 'title="issued">Issued'],
            ["下载督办单（Word）", "办理记录", "已下发"],
        ),
        ("/plans/{plan}/notices/propose/", ["Draft notices from red lights"], ["按红灯生成督办单"]),
        (
            "/plans/{plan}/bulletin/?period=2024-03",
            ["Produced files", "On schedule"],
            ["已生成的文件", "达进度"],
        ),
        ("/units/", ["Unit register", "Add a unit", "Aliases"], ["组织机构管理", "添加单位", "别名"]),
        ("/units/{unit}/", ["Merge a duplicate", "Add alias"], ["合并重复单位", "添加别名"]),
    ],
)
def test_pages_speak_english_on_request_and_chinese_by_default(
    reported, notice, login, url, english, chinese
):
    url = url.format(plan=reported.plan_a.pk, notice=notice.pk, unit=reported.transport_a.pk)
    client = login(reported.office_a)
    body = page(client, url, "en")
    assert 'lang="en"' in body
    assert [s for s in english if s not in body] == []
    assert [s for s in chinese if s in body] == []
    body = page(client, url, "zh-hans")
    assert 'lang="zh-hans"' in body
    assert [s for s in chinese if s not in body] == []
    assert [s for s in english if s in body and not s.startswith("Notice ")] == []


@pytest.mark.django_db
def test_a_message_after_a_move_follows_the_language(reported, notice, login):
    client = login(reported.office_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/notices/"})
    body = client.post(f"/notices/{notice.pk}/move/", {"to": "received"}, follow=True).content.decode()
    assert "督办〔2024〕1号 is now “Received”" in body


def test_every_label_the_engine_shows_is_marked_for_translation():
    shown = {
        *notices.STATES.values(),
        *lights.COLOURS.values(),
        *lights.TIMELINESS.values(),
        *lights.STANDINGS,
    }
    assert shown - set(LABELS) == set()


def test_every_figure_basis_of_the_bulletin_is_marked_for_translation():
    from luoshi.bulletins.wording import DEFINITIONS

    assert {*DEFINITIONS, *DEFINITIONS.values()} - set(BASES) == set()


def test_every_light_rule_has_a_name():
    assert [r["rule"] for r in lights.rules_table() if r["rule"] not in RULE_NAMES] == []


def _po_entries() -> dict[str, str]:
    """msgid (with its context, as gettext keys it) → msgstr, from the --no-wrap catalog."""
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        fields = dict(re.findall(r'^(msgctxt|msgid|msgstr(?:\[0\])?) (".*")$', block, re.M))
        if fields.get("msgid", '""') == '""' or block.lstrip().startswith("#~"):
            continue
        key = ast.literal_eval(fields["msgid"])
        if "msgctxt" in fields:
            key = ast.literal_eval(fields["msgctxt"]) + "\x04" + key
        entries[key] = ast.literal_eval(fields.get("msgstr") or fields["msgstr[0]"])
    return entries


def test_the_catalog_is_complete_and_the_compiled_file_is_current():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "\n#~ " not in text
    entries = _po_entries()
    assert [k for k, v in entries.items() if not v] == []
    with (CATALOG / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    singular = {
        k if isinstance(k, str) else k[0]: v
        for k, v in compiled.items()
        if not isinstance(k, tuple) or k[1] == 0
    }
    assert {k: singular.get(k) for k in entries} == entries
