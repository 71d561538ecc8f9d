"""Handling statistics: figures checked against a small session built step by step, then the page,
the Excel figures and the Word bulletin read back, and who may see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.proposals import reports, services
from luoshi.proposals import statistics as st
from luoshi.proposals.models import Proposal
from tests.proposals.test_pages import body

pytestmark = pytest.mark.django_db
D = dt.date
SESSION = "十二届五次"


def build(people):
    """125255: A on time, 满意. 2: C late, 不满意 → 重新办理 → B on time, 基本满意. 3: 交办 to
    市交通运输局, no reply. 4: registered only. 5 (another session): B on time, not rated."""
    p1 = people.assigned("125255")
    services.reply(p1, people.lead, people.ndrc, "A", "已解决", D(2024, 5, 6))
    services.rate(p1, people.member, "满意", "满意", D(2024, 5, 10))
    p2 = people.assigned("2")
    services.reply(p2, people.lead, people.ndrc, "C", "暂不能解决", p2.reply_due + dt.timedelta(days=3))
    when = p2.reply_due + dt.timedelta(days=5)
    services.rate(p2, people.member, "满意", "不满意", when, comment="未解决")
    p2.refresh_from_db()
    services.reply(p2, people.lead, people.ndrc, "B", "列入计划", when + dt.timedelta(days=7))
    services.rate(p2, people.member, "满意", "基本满意", when + dt.timedelta(days=9))
    p3 = people.register("3")
    services.assign(p3, people.office_a, D(2024, 3, 29), [people.transport])
    people.register("4")
    p5 = people.assigned("5", session="十二届四次")
    services.reply(p5, people.lead, people.ndrc, "B", "列入计划", D(2024, 4, 20))
    return p1, p2, p3


def test_the_figures_of_a_session_match_what_was_done(people):
    build(people)
    s = reports.compute(Proposal.objects.filter(session=SESSION))
    t = s.total
    assert (t.assigned, t.answered, t.answer_rate) == (3, 2, 66.7)
    assert (t.replies, t.on_time, t.on_time_rate) == (3, 2, 66.7)
    assert t.categories == {"A": 1, "B": 1, "C": 0} and (t.share("A"), t.share("C")) == (50.0, 0.0)
    assert (t.rated, t.satisfied, t.satisfaction_rate, t.rehandled) == (2, 2, 100.0, 1)
    units = {f.name: f for f in s.by_unit}
    assert [f.name for f in s.by_unit] == ["市发展改革委", "市交通运输局"]
    assert (units["市发展改革委"].assigned, units["市交通运输局"].assigned) == (2, 1)
    assert units["市交通运输局"].answer_rate == 0.0 and units["市交通运输局"].on_time_rate is None
    every = reports.compute(Proposal.objects.all())
    assert [(f.name, f.assigned) for f in every.by_session] == [("十二届五次", 3), ("十二届四次", 1)]


def test_core_counts_each_units_own_replies_in_a_split_assignment():
    p = st.ProposalFact(
        "1",
        "s",
        "replied",
        1,
        ("甲局", "乙局"),
        (st.ReplyFact("甲局", "A", False), st.ReplyFact("乙局", "C", True)),
    )
    s = st.compute([p, st.ProposalFact("2", "s", "registered", 1, ())])
    units = {f.name: f for f in s.by_unit}
    assert units["甲局"].categories == {"A": 1, "B": 0, "C": 0} and units["甲局"].on_time_rate == 100.0
    assert units["乙局"].on_time_rate == 0.0 and s.total.assigned == 1 and s.total.replies == 2
    assert st.summary(st.compute([]), "本届") == "本届暂无交办的提案建议。"


def test_the_page_shows_the_figures_for_the_office(people, login, day):
    build(people)
    page = body(login(people.office_a).get(f"/proposals/statistics/?session={SESSION}"))
    assert "共交办3件，已办复2件，办复率66.7%" in page and "满意率100%" in page and "重新办理1件" in page
    assert "市发展改革委" in page and "十二届四次" in page  # the session choice lists every session


def test_the_word_bulletin_reads_back_with_the_same_figures(people, login, day):
    build(people)
    response = login(people.office_a).get(f"/proposals/statistics.docx?session={SESSION}")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = [p.text for p in doc.paragraphs]
    assert "关于十二届五次会议提案建议办理情况的通报" in text
    assert any("共交办3件，已办复2件，办复率66.7%" in t and "按时答复率66.7%" in t for t in text)
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells[0] == [
        "名称",
        "交办件数",
        "办复率",
        "按时答复率",
        "A类占比",
        "B类占比",
        "C类占比",
        "满意率",
        "重新办理",
    ]
    ndrc = next(r for r in cells if r[0] == "市发展改革委")
    assert ndrc == ["市发展改革委", "2", "100%", "66.7%", "50%", "50%", "0%", "100%", "1"]
    assert cells[-1][0] == "合计" and cells[-1][1] == "3"


def test_the_excel_figures_are_numbers(people, login, day):
    build(people)
    response = login(people.committee).get("/proposals/statistics.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["分单位", "分届次", "办理进度分单位", "办理进度分届次", "口径说明"]
    rows = list(wb["分届次"].iter_rows(values_only=True))
    assert rows[1][:4] == ("十二届五次", 3, 2, pytest.approx(0.667))
    assert wb["分届次"]["D2"].number_format == "0.0%"
    assert rows[-1][0] == "合计" and rows[-1][1] == 4


def test_another_citys_office_counts_only_its_own(people, login, day):
    build(people)
    page = body(login(people.office_b).get("/proposals/statistics/"))
    assert "暂无交办的提案建议" in page and "市发展改革委" not in page


@pytest.mark.parametrize("who", ["lead", "support", "member", "police_user"])
def test_units_and_members_do_not_see_statistics(people, login, who):
    client = login(getattr(people, who))
    assert client.get("/proposals/statistics/").status_code == 403
    assert client.get("/proposals/statistics.xlsx").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, people):
    assert client.get("/proposals/statistics.docx").status_code == 302


@pytest.mark.parametrize(
    "query", ["?session=" + "x" * 5000, "?session=不存在的届次", "?session=%ff%fe", "?session=   "]
)
def test_an_unknown_session_shows_every_session(people, login, day, query):
    build(people)
    page = body(login(people.leader).get("/proposals/statistics/" + query))
    assert "各届次共交办4件" in page


def test_a_nul_in_the_session_is_refused(people, login):
    assert login(people.leader).get("/proposals/statistics/?session=%00").status_code == 400


def test_an_unknown_format_is_not_found(people, login):
    assert login(people.office_a).get("/proposals/statistics.exe").status_code == 404


def test_the_pdf_bulletin_reads_back(people, login, day):
    from pypdf import PdfReader

    build(people)
    response = login(people.office_a).get(f"/proposals/statistics.pdf?session={SESSION}")
    assert response.status_code == 200
    # Some pypdf releases pad CID text with NULs; lines wrap anywhere in Chinese.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\x00", "").replace("\n", "")
    assert "办复率66.7%" in text and "市发展改革委" in text


def test_the_board_counts_each_step_by_unit_and_in_total(people, login, day):
    """交办 → 已沟通 → 已答复 → 已反馈 → 满意, as the page shows them."""
    _p1, _p2, p3 = build(people)
    services.log_communication(p3, people.support, people.transport, "before", "座谈", D(2024, 4, 3), "座谈")
    s = reports.compute(Proposal.objects.filter(session=SESSION))
    units = {f.name: st.board_row(f) for f in s.by_unit}
    assert units["市发展改革委"] == ("市发展改革委", 2, 0, 2, 2, 2)
    assert units["市交通运输局"] == ("市交通运输局", 1, 1, 0, 0, 0)
    assert st.board_row(s.total) == ("合计", 3, 1, 2, 2, 2)
    page = body(login(people.office_a).get(f"/proposals/statistics/?session={SESSION}"))
    board = page[page.index('id="board"') : page.index("</table>", page.index('id="board"'))]
    cells = "".join(board.split())
    assert "<td>市发展改革委</td><td>2</td><td>0</td><td>2</td><td>2</td><td>2</td>" in cells
    assert "<td>合计</td><td>3</td><td>1</td><td>2</td><td>2</td><td>2</td>" in cells


def test_core_board_counts_a_units_own_contacts_and_anyones_in_total():
    """A 会办 unit's contact counts for the proposal, not for the unit's own board row."""
    led = st.ProposalFact("1", "s", "assigned", 1, ("甲局",), communicated=("乙局",))
    own = st.ProposalFact("2", "s", "assigned", 1, ("乙局",), communicated=("乙局",))
    none = st.ProposalFact("3", "s", "assigned", 1, ("甲局",))
    s = st.compute([led, own, none])
    units = {f.name: st.board_row(f) for f in s.by_unit}
    assert units["甲局"] == ("甲局", 2, 0, 0, 0, 0) and units["乙局"] == ("乙局", 1, 1, 0, 0, 0)
    assert st.board_row(s.total) == ("合计", 3, 2, 0, 0, 0)


def board_of_the_session(people):
    """The session built as above, with 市交通运输局's contact on 3: the board the page shows in
    ``test_the_board_counts_each_step_by_unit_and_in_total``."""
    _p1, _p2, p3 = build(people)
    services.log_communication(p3, people.support, people.transport, "before", "座谈", D(2024, 4, 3), "座谈")


def test_the_excel_figures_carry_the_board_by_unit_and_by_session(people, login, day):
    board_of_the_session(people)
    wb = load_workbook(io.BytesIO(login(people.office_a).get("/proposals/statistics.xlsx").content))
    by_unit = list(wb["办理进度分单位"].iter_rows(values_only=True))
    assert by_unit[0] == st.BOARD_HEADER
    assert ("市发展改革委", 3, 0, 3, 2, 2) in by_unit  # 5 of the other session is in every session's
    assert ("市交通运输局", 1, 1, 0, 0, 0) in by_unit
    assert by_unit[-1] == ("合计", 4, 1, 3, 2, 2)
    by_session = list(wb["办理进度分届次"].iter_rows(values_only=True))
    assert by_session[1:] == [("十二届五次", 3, 1, 2, 2, 2), ("十二届四次", 1, 0, 1, 0, 0), ("合计", 4, 1, 3, 2, 2)]
    assert st.BOARD_NOTE in [r[0] for r in wb["口径说明"].iter_rows(values_only=True)]


def test_the_excel_board_of_one_session_counts_only_it(people, login, day):
    board_of_the_session(people)
    response = login(people.office_a).get(f"/proposals/statistics.xlsx?session={SESSION}")
    wb = load_workbook(io.BytesIO(response.content))
    assert list(wb["办理进度分单位"].iter_rows(values_only=True))[-1] == ("合计", 3, 1, 2, 2, 2)
    assert [r[0] for r in wb["办理进度分届次"].iter_rows(min_row=2, values_only=True)] == [SESSION, "合计"]


def test_the_word_bulletin_carries_the_board(people, login, day):
    board_of_the_session(people)
    doc = Document(io.BytesIO(login(people.office_a).get("/proposals/statistics.docx").content))
    text = [p.text for p in doc.paragraphs]
    assert "四、办理进度" in text and "五、口径说明" in text and st.BOARD_NOTE in text
    boards = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables if t.rows[0].cells[1].text == "交办"]
    assert len(boards) == 2  # by unit, then by session
    by_unit, by_session = boards
    assert by_unit[0] == list(st.BOARD_HEADER)
    assert ["市交通运输局", "1", "1", "0", "0", "0"] in by_unit and by_unit[-1] == ["合计", "4", "1", "3", "2", "2"]
    assert by_session[1] == ["十二届五次", "3", "1", "2", "2", "2"]


def test_the_word_bulletin_of_one_session_has_one_board(people, login, day):
    board_of_the_session(people)
    response = login(people.office_a).get(f"/proposals/statistics.docx?session={SESSION}")
    doc = Document(io.BytesIO(response.content))
    text = [p.text for p in doc.paragraphs]
    assert "三、办理进度" in text and "四、口径说明" in text
    boards = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables if t.rows[0].cells[1].text == "交办"]
    assert len(boards) == 1 and boards[0][-1] == ["合计", "3", "1", "2", "2", "2"]


def test_the_pdf_bulletin_carries_the_board(people, login, day):
    from pypdf import PdfReader

    board_of_the_session(people)
    response = login(people.office_a).get(f"/proposals/statistics.pdf?session={SESSION}")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = "".join(text.replace("\x00", "").split())
    assert "三、办理进度" in text and "已沟通" in text and "满意及基本满意" in text
    # The total row of the board, its cells in order: 交办 3, 已沟通 1, 已答复 2, 已反馈 2, 满意 2.
    assert "合计31222" in text
