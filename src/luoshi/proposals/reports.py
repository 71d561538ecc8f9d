"""Handling statistics of stored proposals, and the statistics bulletin (Word, PDF, Excel).

The figures are `statistics.compute` over facts read in five queries (proposals, lead units,
replies, ratings, contacts) whatever the number of proposals; the bulletin is written by the bulletin
machinery's renderers (`bulletins.docx_render.render_blocks`, `pdf_render.render_blocks`, the
Excel appendix's sheet layout), so it looks like every other bulletin.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook

from luoshi.bulletins import docx_render, pdf_render, xlsx_render
from luoshi.bulletins.wording import Block, Heading, Para, Table
from luoshi.proposals import statistics as st
from luoshi.proposals.models import AssignedUnit, Communication, Rating, Reply
from luoshi.supervision.periods import chinese_date

ISSUER = "政府办公室"
NUMERALS = "一二三四五六"


def facts(rows) -> list[st.ProposalFact]:
    """The statistics' facts of the proposals in queryset `rows`."""
    props = list(rows.order_by().values_list("id", "session", "state", "round", "assignment_id"))
    ids = [p[0] for p in props]
    leads: dict[int, list[str]] = defaultdict(list)
    current = [p[4] for p in props if p[4]]
    for aid, name in (
        AssignedUnit.objects.filter(assignment_id__in=current, role="lead")
        .order_by("assignment_id", "position")
        .values_list("assignment_id", "unit__name")
    ):
        leads[aid].append(name)
    replies: dict[int, list[st.ReplyFact]] = defaultdict(list)
    for pid, unit, category, late, rnd in (
        Reply.objects.filter(proposal_id__in=ids)
        .order_by("proposal_id", "id")
        .values_list("proposal_id", "unit__name", "category", "late", "round")
    ):
        replies[pid].append(st.ReplyFact(unit, category, late, rnd))
    ratings: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pid, rnd, result in Rating.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "round", "result"
    ):
        ratings[pid].append((rnd, result))
    contacts: dict[int, set[str]] = defaultdict(set)
    for pid, unit in (
        Communication.objects.filter(proposal_id__in=ids).order_by().values_list("proposal_id", "unit__name")
    ):
        contacts[pid].add(unit)
    return [
        st.ProposalFact(
            str(pid),
            session,
            state,
            rnd,
            tuple(leads.get(aid, ())),
            tuple(replies.get(pid, ())),
            tuple(ratings.get(pid, ())),
            tuple(sorted(contacts.get(pid, ()))),
        )
        for pid, session, state, rnd, aid in props
    ]


def compute(rows) -> st.Statistics:
    """The statistics of the proposals in `rows`."""
    return st.compute(facts(rows))


def title(session: str) -> str:
    """The bulletin's title."""
    return f"关于{session + '会议' if session else ''}提案建议办理情况的通报"


def _next_numeral(blocks_so_far: list[Block]) -> str:
    """The numeral of the next heading (一、二、…) after those already in `blocks_so_far`."""
    return NUMERALS[sum(isinstance(b, Heading) for b in blocks_so_far)]


def board(figures: list[st.Figures]) -> Table:
    """The board (交办 → 已沟通 → 已答复 → 已反馈 → 满意) of `figures` as a bulletin table."""
    return Table(st.BOARD_HEADER, tuple(tuple(str(v) for v in st.board_row(f)) for f in figures))


def blocks(s: st.Statistics, session: str) -> list[Block]:
    """The bulletin's body: overall figures, by unit, by session, the board, and the definitions."""
    label = f"{session}会议" if session else "各届次"
    cols = st.BRIEF_COLUMNS
    header = tuple(st.HEADER[i] for i in cols)
    table = lambda figures: Table(  # noqa: E731 - one shape for both tables
        header, tuple(tuple(st.shown(st.row(f)[i]) for i in cols) for f in figures)
    )
    out: list[Block] = [
        Heading("一、总体情况"),
        Para(st.summary(s, label)),
        Heading("二、各承办单位办理情况"),
        table([*s.by_unit, s.total]) if s.by_unit else Para("暂无。"),
    ]
    if not session:
        out += [Heading("三、分届次情况"), table([*s.by_session, s.total])]
    # The board by unit, then by session when the bulletin covers every session.
    out += [Heading(f"{_next_numeral(out)}、办理进度"), board([*s.by_unit, s.total])]
    if not session:
        out.append(board([*s.by_session, s.total]))
    out += [
        Heading(f"{_next_numeral(out)}、口径说明"),
        Para(st.BOARD_NOTE),
        *(Para(d) for d in st.DEFINITIONS),
    ]
    return out


def docx(s: st.Statistics, session: str, on: dt.date) -> bytes:
    """The statistics bulletin as Word."""
    with tempfile.TemporaryDirectory() as tmp:
        path = docx_render.render_blocks(
            title(session), f"{ISSUER}　{chinese_date(on)}", blocks(s, session), on, Path(tmp) / "b.docx"
        )
        return path.read_bytes()


def pdf(s: st.Statistics, session: str, on: dt.date) -> bytes:
    """The statistics bulletin as PDF (needs a CJK font; `pdf_render.FontNotFound` otherwise)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = pdf_render.render_blocks(
            title(session), f"{ISSUER}　{chinese_date(on)}", blocks(s, session), on, Path(tmp) / "b.pdf"
        )
        return path.read_bytes()


def xlsx(s: st.Statistics, session: str, on: dt.date) -> bytes:
    """The figures as Excel: by unit, by session, the board by unit and by session, definitions;
    counts and rates as numbers."""
    wb = Workbook()
    sheets = [("分单位", [*s.by_unit, s.total]), ("分届次", [*s.by_session, s.total])]
    for i, (name, figures) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        rows = [
            tuple(
                xlsx_render.Rate(v) if n in st.RATE_COLUMNS and v is not None else v
                for n, v in enumerate(st.row(f))
            )
            for f in figures
        ]
        xlsx_render._sheet(ws, st.HEADER, rows)
    # The board, one sheet a grouping so each stays a plain table (a header, rows, the total).
    for name, figures in (("办理进度分单位", [*s.by_unit, s.total]), ("办理进度分届次", [*s.by_session, s.total])):
        xlsx_render._sheet(wb.create_sheet(name), st.BOARD_HEADER, [st.board_row(f) for f in figures])
    ws = wb.create_sheet("口径说明")
    xlsx_render._sheet(ws, ("口径",), [(st.BOARD_NOTE,), *((d,) for d in st.DEFINITIONS)])
    return xlsx_render._stable_bytes(wb, on)
