"""Supervision notices: numbers, states, proposals from red lights and the Word 督办单."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from luoshi.supervision.facts import NoticeFacts, TaskFacts
from luoshi.supervision.lights import Light
from luoshi.supervision.notices import (
    InvalidTransition,
    NoticeDraft,
    issue,
    next_number,
    parse_number,
    propose,
    render_docx,
    transition,
)

# year ⇥ existing numbers (| separated) ⇥ next
NUMBERS = """
2024	-	督办〔2024〕1号
2024	督办〔2024〕1号|督办〔2024〕2号	督办〔2024〕3号
2024	督办〔2024〕11号|督办〔2024〕3号	督办〔2024〕12号
2025	督办〔2024〕40号	督办〔2025〕1号
2024	督办[2024]7号|督办（2024）9号	督办〔2024〕10号
2024	催办〔2024〕30号|督办〔2024〕2号	督办〔2024〕3号
2024	不是编号|督办〔2024〕号	督办〔2024〕1号
"""


@pytest.mark.parametrize(
    ("year", "existing", "expected"), [line.split("\t") for line in NUMBERS.strip().splitlines()]
)
def test_numbers_run_per_year(year: str, existing: str, expected: str) -> None:
    numbers = [] if existing == "-" else existing.split("|")
    assert next_number(int(year), numbers) == expected


def test_a_number_reads_back() -> None:
    assert parse_number("督办〔2024〕12号") == ("督办", 2024, 12)
    assert parse_number("督办2024-12") is None


def _notice(state: str = "issued") -> NoticeFacts:
    return NoticeFacts(
        "督办〔2024〕12号", "7", state, date(2024, 3, 1), date(2024, 3, 8), "逾期未报送", "red.missing"
    )


# from ⇥ to ⇥ allowed
MOVES = """
issued	received	yes
received	replied	yes
replied	closed	yes
issued	escalated	yes
received	escalated	yes
replied	escalated	yes
escalated	replied	yes
escalated	closed	yes
issued	closed	no
issued	replied	no
received	closed	no
closed	received	no
closed	escalated	no
replied	received	no
"""


@pytest.mark.parametrize(
    ("start", "to", "allowed"), [line.split("\t") for line in MOVES.strip().splitlines()]
)
def test_state_machine(start: str, to: str, allowed: str) -> None:
    notice = _notice(start)
    if allowed == "yes":
        moved = transition(notice, to, date(2024, 3, 4), leader="张副市长")
        assert moved.state == to
        assert notice.state == start  # the original is unchanged
    else:
        with pytest.raises(InvalidTransition, match="督办〔2024〕12号当前为"):
            transition(notice, to, date(2024, 3, 4), leader="张副市长")


def test_transitions_record_dates_and_the_leader() -> None:
    replied = transition(_notice("received"), "replied", date(2024, 3, 6))
    assert replied.replied == date(2024, 3, 6)
    assert transition(replied, "closed", date(2024, 3, 8)).closed == date(2024, 3, 8)
    assert transition(_notice(), "escalated", date(2024, 3, 9), leader="张副市长").escalated_to == "张副市长"


def test_an_escalation_names_a_leader_and_unknown_states_are_refused() -> None:
    with pytest.raises(InvalidTransition, match="督办领导"):
        transition(_notice(), "escalated", date(2024, 3, 9))
    with pytest.raises(InvalidTransition, match="不存在"):
        transition(_notice(), "archived", date(2024, 3, 9))
    with pytest.raises(InvalidTransition, match="可改为：无"):
        transition(_notice("closed"), "replied", date(2024, 3, 9))


def _light(task_id: str, colour: str, rule: str, reason: str) -> Light:
    return Light(task_id, colour, rule, reason, "欠进度", 60.0, 25.0, "report", "on_time", "2024-09", ())


def test_red_lights_propose_one_notice_each_unless_one_is_open() -> None:
    lights = {
        "10": _light("10", "red", "red.far_behind", "序时进度60%，实际进度25%，落后35个百分点"),
        "2": _light("2", "red", "red.missing", "2024年8月进展应于2024年9月10日前报送，逾期未报送"),
        "3": _light("3", "yellow", "yellow.behind", "序时进度60%，实际进度45%，落后15个百分点"),
        "4": _light("4", "red", "red.overdue", "完成期限为2024年9月1日，已逾期26天仍未完成"),
        "5": _light("5", "red", "red.overdue", "完成期限为2024年9月1日，已逾期26天仍未完成"),
    }
    existing = [
        NoticeFacts("督办〔2024〕7号", "4", "received", date(2024, 9, 2), date(2024, 9, 9)),
        NoticeFacts("督办〔2024〕3号", "5", "closed", date(2024, 8, 2), date(2024, 8, 9)),
    ]
    drafts = propose(lights, existing, date(2024, 9, 27))
    assert [d.task_id for d in drafts] == ["2", "5", "10"]
    # Five working days from Friday 2024-09-27: Sunday the 29th is worked, National Day is not.
    assert {d.reply_due for d in drafts} == {date(2024, 10, 10)}
    issued = issue(drafts, [n.number for n in existing], date(2024, 9, 27))
    assert [n.number for n in issued] == ["督办〔2024〕8号", "督办〔2024〕9号", "督办〔2024〕10号"]
    assert all(n.state == "issued" for n in issued)


TASK = TaskFacts(
    id="2",
    label_path="三、（二）4.",
    title="推进中山至深圳跨市公交线路开通",
    plan_title="2024年深中一体化工作要点",
    domain="交通互联",
    city="中山",
    lead_unit="中山市交通运输局",
    support_units=["深圳市交通运输局", "中山市公安局"],
    start=date(2024, 1, 1),
    deadline=date(2024, 12, 31),
)


def _rendered(tmp_path: Path, name: str = "notice.docx") -> Path:
    notice = NoticeFacts(
        "督办〔2024〕12号",
        "2",
        "issued",
        date(2024, 2, 27),
        date(2024, 3, 5),
        "2024年1月进展应于2024年2月18日前报送，逾期未报送",
        "red.missing",
    )
    return render_docx(notice, TASK, tmp_path / name, issuer="市委督查室")


def test_the_word_notice_says_what_an_office_expects(tmp_path: Path) -> None:
    doc = Document(str(_rendered(tmp_path)))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:3] == ["督 办 单", "督办〔2024〕12号", "主送：中山市交通运输局"]
    assert "三、（二）4. 推进中山至深圳跨市公交线路开通" in lines
    assert "2024年1月进展应于2024年2月18日前报送，逾期未报送。" in lines
    assert any("请于2024年3月5日前将办理情况" in line for line in lines)
    assert lines[-3:] == ["市委督查室", "2024年2月27日", "抄送：深圳市交通运输局、中山市公安局"]


def test_the_word_notice_uses_chinese_fonts_and_numbers_its_pages(tmp_path: Path) -> None:
    doc = Document(str(_rendered(tmp_path)))
    east_asia = {
        p.text: p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))
        for p in doc.paragraphs
        if p.runs and p.text
    }
    assert east_asia["一、督办事项"] == "黑体"
    assert east_asia["主送：中山市交通运输局"] == "仿宋_GB2312"
    assert east_asia["督 办 单"] == "方正小标宋简体"
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer


def test_the_same_notice_gives_the_same_bytes(tmp_path: Path) -> None:
    a, b = _rendered(tmp_path, "a.docx"), _rendered(tmp_path, "b.docx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 2, 27, 0, 0, 0)}
    assert Document(str(a)).core_properties.created.date() == date(2024, 2, 27)


def test_a_draft_keeps_whether_holiday_data_was_known() -> None:
    lights = {"1": _light("1", "red", "red.far_behind", "落后")}
    (draft,) = propose(lights, [], date(2030, 3, 1))
    assert draft == NoticeDraft("1", "落后", "red.far_behind", date(2030, 3, 8), False)
