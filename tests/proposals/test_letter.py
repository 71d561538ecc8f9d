"""The reply letter (答复函) as Word, opened and read back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from luoshi.proposals import handling as h
from luoshi.proposals import letter

D = date


def replied(kind="proposal", number="125255", session="十二届五次", **kw):
    p = h.register(
        number=number,
        session=session,
        kind=kind,
        title="关于加快深中通道两岸产业协同发展的提案",
        proposer="张三",
        cosigners=["李四"],
        on=D(2024, 3, 1),
    )
    p = h.assign(p, ["市发展改革委"], D(2024, 3, 29), supports=["市交通运输局"])
    text = "一、关于产业协同\n我委已会同有关部门……\n\n二、下一步工作\n2025年底前建成……"
    return h.reply(
        p, "市发展改革委", "B", text, D(2024, 5, 6), signer="赵六", contact="钱七，0760-88888888", **kw
    )


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


@pytest.mark.parametrize(
    "kind,number,session,title",
    [
        ("proposal", "125255", "十二届五次", "关于市政协十二届五次会议第125255号提案答复的函"),
        ("proposal", "第0123号", "十二届五次会议", "关于市政协十二届五次会议第123号提案答复的函"),
        ("suggestion", "20240056", "十七届四次", "关于市人大十七届四次会议第20240056号建议答复的函"),
    ],
)
def test_the_title_names_the_body_session_and_number(kind, number, session, title):
    assert letter.letter_title(replied(kind, number, session)) == title


def test_the_letter_has_the_parts_of_a_government_letter():
    p = replied(doc_number="某发改函〔2024〕12号", public=True)
    text = paragraphs(letter.render(p, p.replies[-1], copy_to=["市政协提案委员会", "市交通运输局"]))
    body = [t for t in text if t]
    assert body[:3] == [
        "市发展改革委",
        "某发改函〔2024〕12号",
        "关于市政协十二届五次会议第125255号提案答复的函",
    ]
    assert body[3] == "张三、李四委员："
    assert body[4].startswith("您提出的《关于加快深中通道两岸产业协同发展的提案》（第125255号）收悉")
    # the reply's paragraphs, blank lines dropped
    assert body[5:9] == ["一、关于产业协同", "我委已会同有关部门……", "二、下一步工作", "2025年底前建成……"]
    assert "本提案办理结果为B类（正在解决或已列入计划）" in body[9]
    assert body[10:12] == ["市发展改革委", "2024年5月6日"]
    assert "签发人：赵六" in body and "联系人：钱七，0760-88888888" in body and "（此件主动公开）" in body
    assert body[-1] == "抄送：市政协提案委员会、市交通运输局"


def test_the_fonts_are_those_of_official_documents():
    p = replied()
    doc = Document(io.BytesIO(letter.render(p, p.replies[-1])))
    fonts = {
        r.text: r._element.rPr.rFonts.get(qn("w:eastAsia"))
        for para in doc.paragraphs
        for r in para.runs
        if r.text
    }
    assert fonts["关于市政协十二届五次会议第125255号提案答复的函"] == "方正小标宋简体"
    assert fonts["我委已会同有关部门……"] == "仿宋_GB2312"


def test_equal_inputs_give_equal_bytes_and_a_suggestion_addresses_a_deputy():
    p = replied()
    assert letter.render(p, p.replies[-1]) == letter.render(p, p.replies[-1])
    s = replied("suggestion")
    text = paragraphs(letter.render(s, s.replies[-1]))
    assert "张三、李四代表：" in text and any("本建议办理结果为B类" in t for t in text)
    assert "（此件不予公开）" in text
