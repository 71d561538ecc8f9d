"""Tables flattened into text, found by their header line and rebuilt into rows.

A table copied from a web page or a PDF arrives as text in one of three shapes:

- one row per line, cells split by ``|``, tabs or runs of spaces: ``1 | 编制规划 | 市发展改革局``;
- one row per line, cells split by single spaces, the header spaced out: ``序号 工 作 任 务 牵头负责部门``;
- one cell per line, a row starting at its 序号: ``1`` / ``新建人行天桥2座。`` / ``县住建局`` / ``9月底前``
  (some pages close each cell with a bar, ``1 |`` / ``县住建局 |``, and part rows with ``|`` or ``||``).

Each is recognised by a header line whose cells the column vocabulary knows (``tables.column_role``);
the rows that follow are split into the header's columns and handed to ``tables.table_lines``, so a
flattened table reads into the same tree as the Word, Excel or HTML table it was copied from.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from luoshi.textplan.pieces import join_taking
from luoshi.textplan.tables import (
    CN_ONLY,
    ENUMERATED,
    HEADING_ENUMERATED,
    column_role,
    find_layout,
    looks_like_unit,
    table_lines,
)

# Cells split by a bar, a tab, or two or more spaces (ideographic spaces count).
WIDE_SPLIT = re.compile(r"\s*[|｜]\s*|\t+|[ \u3000]{2,}")
SPACE_SPLIT = re.compile(r"[ \u3000]+")
CJK_CHAR = re.compile(r"^[\u3400-\u9fff]$")
ROW_NUMBER = re.compile(r"^\s*(\d{1,4})\s*[、.．]?\s*$")
ROW_START = re.compile(r"^\s*(\d{1,4})(?:\s*[、.．])?(?:\s+|$)")
DEADLINE_CELL = re.compile(
    r"^(?:(?:19|20)\d\d年)?(?:\d{1,2}月(?:底|中旬|上旬|下旬|末)?|年底|年内|全年|长期|持续|常态化?|"
    r"第?[一二三四1-4]季度)[^。；;]{0,12}$|前$|^(?:19|20)\d\d[-/.年]"
)
LEVELS = "省市区县镇乡"
TEXT_ROLES = ("task", "content")
UNIT_ROLES = ("lead", "responsible", "support")
MIN_COLUMNS = 2
HEADER_ENDINGS = (
    *("号", "单位", "部门", "领导", "科室", "股室", "处室", "工作", "任务", "情况", "时限", "时间"),
    *("内容", "措施", "举措", "安排", "事项", "名称", "实事", "要求", "备注"),
)
MAX_COLUMNS = 12
MAX_CELL_LINES = 12  # lines one row of a one-cell-per-line table may take
# Section rows one after another (一、… / （一）…): more are the prose after the table.
MAX_SECTION_RUN = 6


@dataclass
class _Header:
    start: int  # first line of the header
    end: int  # first line after it
    names: list[str]
    roles: list[str | None]
    one_cell_per_line: bool = False
    split: re.Pattern[str] | None = None  # how the body's cells are split (None: single spaces)


def unflatten(text: str) -> str:
    """The text with each flattened table written out as the prose lines of its rows."""
    return join_taking(unflatten_taking([text]))


def unflatten_taking(pieces: list[str]) -> list[str]:
    """As ``unflatten``, for a text handed over as pieces cut after newlines (see ``pieces``),
    the list emptied: the text comes back as such pieces, those without a table the very pieces
    given, each let go as the scan passes it, so the text is never held twice."""
    if not any("序" in p or "任务" in p or "單位" in p or "单位" in p for p in pieces):
        out = pieces[:]  # no header word at all: most documents stop here
        pieces.clear()
        return out
    # rows behind column names need a column of people (a piece holds whole lines)
    people = any(map(_names_people, pieces))
    lines = _Lines(pieces)
    pieces.clear()
    out: list[str] = []  # the new text's pieces
    done = 0  # first line not yet in ``out``
    i = 0
    while i < len(lines):
        done = lines.pass_pieces(done, i, out)  # lines before ``i`` are no table's: passed on
        header = _header_at(lines, i)
        if header is None:
            if not people:
                i += 1
                continue
            table, end = _labelled_rows(lines, i)
            if table is None:
                i = end  # the lines of rows that are no table start none either
                continue
            lines.pass_lines(done, i, out)
            out.extend(f"{row}\n" for row in table_lines(table))
            done = i = end
            continue
        rows, end = _rows(lines, header)
        layout = find_layout([header.names, *rows]) if rows else None
        # The line is this table's header only when the rows below read as its tasks.
        if layout is None or layout.header_start != 0:
            i += 1
            continue
        lines.pass_lines(done, i, out)
        out.extend(f"{row}\n" for row in table_lines([header.names, *rows]))
        done = i = end
    if done < len(lines):
        lines.pass_lines(done, len(lines), out)
    elif out:
        out[-1] = out[-1][:-1]  # the text ends with a table: no newline after its last row
    return out


class _Lines(Sequence[str]):
    """The lines of a text held as pieces cut after newlines, read on demand from one array of
    their start offsets (4 bytes a line), not split into a list of strings (some 60 bytes a line
    besides the text). A piece is let go once its lines are passed on: they are not read again."""

    def __init__(self, pieces: list[str]) -> None:
        self._pieces: list[str | None] = list(pieces)
        # four bytes a line where the offsets fit (a file's text always does), else eight
        kind = "I" if sum(map(len, pieces)) < 1 << 32 else "q"
        starts = array(kind, [0])  # where each line begins in the whole text
        firsts = array(kind)  # the first line of each piece
        bases = array(kind)  # where each piece begins in the whole text
        base = 0
        for piece in pieces:
            firsts.append(len(starts) - 1)
            bases.append(base)
            find = piece.find
            at = find("\n")
            while at >= 0:
                starts.append(base + at + 1)
                at = find("\n", at + 1)
            base += len(piece)
        self._starts, self._firsts, self._bases, self._length = starts, firsts, bases, base
        self._last = 0  # the piece of the line read last: most reads are of the same one

    def __len__(self) -> int:
        return len(self._starts)

    def start(self, i: int) -> int:
        """Offset of line ``i`` in the text."""
        return self._starts[i]

    def _piece_of(self, i: int) -> int:
        """The piece holding line ``i`` (the last piece for the line after the last)."""
        k, firsts = self._last, self._firsts
        if not (firsts[k] <= i and (k + 1 == len(firsts) or i < firsts[k + 1])):
            k = self._last = max(0, bisect_right(firsts, i) - 1)
        return k

    def pass_pieces(self, lo: int, hi: int, out: list[str]) -> int:
        """Put on ``out`` the lines from ``lo`` of the pieces that end before line ``hi`` and let
        those pieces go; a piece passed whole goes as it is, not copied. Returns the first line
        not passed."""
        firsts = self._firsts
        k = self._piece_of(lo)
        while k + 1 < len(firsts) and firsts[k + 1] <= hi:
            self._pass(k, lo, firsts[k + 1], out)
            lo = firsts[k + 1]
            k += 1
        return lo

    def pass_lines(self, lo: int, hi: int, out: list[str]) -> None:
        """Put lines ``lo`` to ``hi`` (excluded; the last line ends the text) on ``out`` with their
        newlines, letting go of the pieces they leave behind."""
        firsts = self._firsts
        k = self._piece_of(lo)
        while lo < hi:
            top = firsts[k + 1] if k + 1 < len(firsts) else len(self._starts)
            self._pass(k, lo, min(hi, top), out)
            lo = top
            k += 1

    def _pass(self, k: int, lo: int, hi: int, out: list[str]) -> None:
        piece: str = self._pieces[k]  # type: ignore[assignment]  # a piece passed on is not read again
        top = self._firsts[k + 1] if k + 1 < len(self._firsts) else len(self._starts)
        base = self._bases[k]
        start = self._starts[lo] - base
        end = self._starts[hi] - base if hi < top else len(piece)
        out.append(piece if start == 0 and end == len(piece) else piece[start:end])
        if hi >= top:
            self._pieces[k] = None
        # lines of pieces before ``k`` are not read again either
        for j in range(k - 1, -1, -1):
            if self._pieces[j] is None:
                break
            self._pieces[j] = None

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self._starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        k = self._piece_of(i)
        base = self._bases[k]
        end = self._starts[i + 1] - 1 if i + 1 < n else self._length
        return self._pieces[k][self._starts[i] - base : end - base]  # type: ignore[index]


# --- rows whose cells stand behind their column's name --------------------------------------------

# A cell behind its column's name: 责任单位：市教育局, at a line's start or after a space (in one
# line, or anywhere in a text of several).
FIELD = re.compile(r"(?:^|(?<=[ \u3000\n]))[ \u3000]*([\u3400-\u9fff]{2,8})[:：]", re.MULTILINE)
ROW_ENUMERATOR = re.compile(r"^\s*(\d{1,3})\s*[.．﹒、](?!\d)\s*")  # 1﹒: the small form, read before folding
# A list whose tasks name people beside their units is a table: prose names no one per task. A
# report's 进展情况：… lines alone stay prose, whose achievements are read as such.
TABLE_ONLY_ROLES = ("person",)


def _fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before a line's first named cell, and its named cells (name, value) in order."""
    if "：" not in line and ":" not in line:
        return line.strip(), []
    cuts = [m for m in FIELD.finditer(line) if column_role(m.group(1)) not in (None, "seq", *TEXT_ROLES)]
    if not cuts:
        return line.strip(), []
    fields = []
    for k, m in enumerate(cuts):
        end = cuts[k + 1].start() if k + 1 < len(cuts) else len(line)
        fields.append((m.group(1), line[m.end() : end].strip()))
    return line[: cuts[0].start()].strip(), fields


def _names_people(text: str) -> bool:
    """Whether some cell of the text stands behind the name of a column of people (牵头领导：)."""
    return any(column_role(m.group(1)) in TABLE_ONLY_ROLES for m in FIELD.finditer(text))


def _labelled_rows(lines: Sequence[str], i: int) -> tuple[list[list[str]] | None, int]:
    """Rows of a table printed as a list: each task on a line, its cells behind their column's
    name after it on the same line or on lines of their own (牵头领导：林静国 责任单位：市公安局
    实际完成情况：…). Read as the table when every row names a unit and the rows share columns
    that prose has no rule for (the people in charge). The table (None if there is none) and the
    first line after the rows looked at."""
    line = lines[i]
    if "：" not in line and ":" not in line:
        k = i + 1
        while k < len(lines) and k < i + 3 and not lines[k].strip():
            k += 1
        if k >= len(lines) or ("：" not in lines[k] and ":" not in lines[k]):
            return None, i + 1
    rows: list[tuple[str, str, list[tuple[str, str]]]] = []  # number, task, cells
    j = i
    while j < len(lines):
        if not lines[j].strip():
            j += 1
            continue
        task, fields = _fields(lines[j])
        if not task:
            if not fields or not rows:
                break
            rows[-1][2].extend(fields)
            j += 1
            continue
        k = _next_filled(lines, j + 1)
        after = _fields(lines[k]) if k < len(lines) else ("", [])
        if not fields and (after[0] or not after[1]):
            break  # a line of text with no named cells after it: the rows have ended
        m = ROW_ENUMERATOR.match(task)
        rows.append((m.group(1) if m else "", task[m.end() :] if m else task, list(fields)))
        j = _next_filled(lines, k if not fields else j + 1)
    if len(rows) < 2:
        return None, i + 1
    names: list[str] = []
    for _, _, fields in rows:
        for n, _ in fields:
            if n not in names:
                names.append(n)
    roles = [column_role(n) for n in names]
    shared = [n for n in names if sum(any(f == n for f, _ in r[2]) for r in rows) >= 2]
    if not shared or not set(roles) & set(TABLE_ONLY_ROLES):
        return None, j
    if not all(any(column_role(n) in UNIT_ROLES for n, _ in r[2]) for r in rows):
        return None, j
    numbered = all(r[0] for r in rows)
    header = (["序号"] if numbered else []) + ["工作任务", *names]
    table = [header]
    for number, task, fields in rows:
        cells = dict.fromkeys(names, "")
        for n, v in fields:
            cells[n] = _add_line(cells[n], v)
        table.append(([number] if numbered else []) + [task, *cells.values()])
    while j > i and not lines[j - 1].strip():
        j -= 1
    return table, j


def _next_filled(lines: Sequence[str], k: int) -> int:
    """The first line from ``k`` that is not blank (``len(lines)`` when there is none)."""
    while k < len(lines) and not lines[k].strip():
        k += 1
    return k


def _add_line(cell: str, line: str) -> str:
    """A cell with one more line: what a cell holds line by line (its units) stays so."""
    return f"{cell}\n{line}" if cell else line


# --- the header ----------------------------------------------------------------------------------


def _merge_spaced(tokens: Sequence[str]) -> list[str]:
    """Join a header word spaced out one character at a time (工 作 任 务 → 工作任务)."""
    out: list[str] = []
    run = ""
    for t in tokens:
        if CJK_CHAR.match(t):
            run += t
            continue
        if run:
            out.append(run)
            run = ""
        out.append(t)
    if run:
        out.append(run)
    return out


def _header_cells(cells: Sequence[str]) -> list[str | None] | None:
    """Roles of a line's cells when they read as a task table's header, else None."""
    if len(cells) < MIN_COLUMNS or any(len(c) > 16 for c in cells):
        return None
    roles = [column_role(c) for c in cells]
    known = [r for r in roles if r]
    if len(known) < MIN_COLUMNS or len(known) * 4 < len(cells) * 3 or len(set(known)) < MIN_COLUMNS:
        return None
    if not set(known) & {"seq", *TEXT_ROLES} or not set(known) & {*UNIT_ROLES, "deadline", "target"}:
        return None
    return roles


def _header_at(lines: Sequence[str], i: int) -> _Header | None:
    line = lines[i].strip()
    # A header names columns; a line that starts with a number or an enumerator is a row.
    if not line or len(line) > 120 or line[0].isdigit() or ENUMERATED.match(line):
        return None
    wide = [c for c in WIDE_SPLIT.split(line) if c]
    if len(wide) >= MIN_COLUMNS and (roles := _header_cells(wide)):
        return _Header(i, i + 1, wide, roles, split=WIDE_SPLIT)
    spaced = _merge_spaced([t for t in SPACE_SPLIT.split(line) if t])
    if len(spaced) >= MIN_COLUMNS and (roles := _header_cells(spaced)):
        return _Header(i, i + 1, spaced, roles, split=None)
    return _cell_per_line_header(lines, i)


_CELL_BAR = re.compile(r"\s*[|｜]+\s*$")


def _cell(line: str) -> str:
    """A line of a table written one cell per line, without the bar a page may close each cell
    with (``序号 |`` / ``城管局 |``); a line of bars alone (``||``) is blank."""
    text = line.strip()
    if text.endswith(("|", "｜")) and "|" not in text.rstrip("|｜ ") and "｜" not in text.rstrip("|｜ "):
        return _CELL_BAR.sub("", text)
    return text


def _cell_per_line_header(lines: Sequence[str], i: int) -> _Header | None:
    """序号 / 民生实事 / 责任单位 / 完成时限, one header cell per line (blank lines between).

    Narrow columns break their header over two lines (责任 / 领导): pieces are joined until the
    header has as many cells as the first row.
    """
    if column_role(_cell(lines[i])) != "seq":
        return None
    pieces: list[str] = []
    j = i
    while j < len(lines) and len(pieces) < 2 * MAX_COLUMNS:
        text = _cell(lines[j])
        if ROW_NUMBER.match(text):
            break
        if text:
            if len(text) > 16:
                return None
            pieces.append(text)
        j += 1
    names = _join_pieces(pieces, _first_row_cells(lines, j))
    if len(names) < 3:
        return None
    roles = _header_cells(names)
    return _Header(i, j, names, roles, one_cell_per_line=True) if roles else None


def _first_row_cells(lines: Sequence[str], j: int) -> int | None:
    """How many cells the row starting at line ``j`` has, when the next row's number closes it."""
    m = ROW_NUMBER.match(_cell(lines[j])) if j < len(lines) else None
    if not m:
        return None
    nxt = str(int(m.group(1)) + 1)
    count = 0
    for line in lines[j + 1 : j + 1 + 4 * MAX_CELL_LINES]:
        text = _cell(line)
        if text == nxt or ROW_NUMBER.match(text) and text.rstrip("、.．") == nxt:
            return count
        count += bool(text)
    return None


def _join_pieces(pieces: list[str], cells: int | None) -> list[str]:
    """Header pieces joined into names: unknown pieces always, known ones to match the row's cells."""
    names = list(pieces)
    # A piece the vocabulary does not know belongs with its neighbour (责任 / 领导).
    k = 0
    while k < len(names) - 1:
        if not column_role(names[k]) and column_role(names[k] + names[k + 1]):
            names[k : k + 2] = [names[k] + names[k + 1]]
        else:
            k += 1
    # Still more names than the first row has cells: join the pairs that still name a column.
    while cells is not None and len(names) > cells + 1:
        # A piece that ends as headers end (…单位, …领导, …任务) is a header of its own: a row may
        # have fewer cells than its header has columns (a category cell merged over rows).
        joinable = [
            k
            for k in range(1, len(names) - 1)
            if not names[k].endswith(HEADER_ENDINGS) and column_role(names[k] + names[k + 1])
        ]
        if not joinable:
            break
        k = min(joinable, key=lambda k: len(names[k] + names[k + 1]))
        names[k : k + 2] = [names[k] + names[k + 1]]
    if any(not column_role(n) for n in names):
        return []
    return names


# --- the rows ------------------------------------------------------------------------------------


def _rows(lines: Sequence[str], header: _Header) -> tuple[list[list[str]], int]:
    """The table's rows and the first line after the table."""
    if header.one_cell_per_line:
        return _cell_per_line_rows(lines, header)
    rows: list[list[str]] = []
    i = header.end
    blank = 0
    sections = 0  # section rows read since the last row of cells
    sections_from = 0  # the line of the first of them
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            blank += 1
            i += 1
            if blank > 2:
                break
            continue
        row = _split_row(line, header)
        if row is None:
            # A cell that wrapped onto lines of its own (县水务局 / 县住建局 / 12月底前, as PDFs give
            # them) fills the open cells of the row above.
            if not rows or not _continue_row(rows[-1], line, header.roles):
                break
        elif _is_section_row(row):
            if sections == MAX_SECTION_RUN:
                break  # a table's sections head rows; this many in a row are the prose after it
            if not sections:
                sections_from = i
            sections += 1
            rows.append(row)
        elif sections and _header_cells([c for c in row if c]):
            break  # another table's header: the headings before it are not this table's
        else:
            rows.append(row)
            sections = 0
        blank = 0
        i += 1
    if sections:
        # A section row heads the rows after it: headings after the last row of cells are the
        # prose that follows the table (三、保障措施 / （一）加强组织领导), not part of it.
        i = sections_from
        del rows[len(rows) - sections :]
    return rows, i


def _is_section_row(row: list[str]) -> bool:
    """A row of one cell across the table: a section's heading (一、城建综合治理类)."""
    return not any(row[1:])


def _continue_row(row: list[str], line: str, roles: Sequence[str | None]) -> bool:
    """Put a line into the row above where its kind of cell is still open; False if it has none."""
    units = [c for c, role in enumerate(roles) if role in UNIT_ROLES]
    later = [c for c, role in enumerate(roles) if role not in TEXT_ROLES and role != "seq"]
    if units and _unit_line(line) and not any(row[c] for c in later if c not in units):
        c = next((c for c in units if not row[c]), units[0]) if len(units) > 1 else units[0]
        row[c] = _add_line(row[c], line)
        return True
    deadline = [c for c, role in enumerate(roles) if role == "deadline"]
    if deadline and not row[deadline[0]] and DEADLINE_CELL.search(line):
        row[deadline[0]] = line
        return True
    return False


def _split_row(line: str, header: _Header) -> list[str] | None:
    """One line of a row-per-line table as the header's cells; None where the table has ended."""
    n = len(header.names)
    if HEADING_ENUMERATED.match(line) and len(line) <= 60:
        return [line] + [""] * (n - 1)  # a section row: 一、城建综合治理类
    cells = [c.strip() for c in header.split.split(line)] if header.split else None
    if cells is not None and len(cells) == n:
        return cells
    tokens = [t for t in SPACE_SPLIT.split(line) if t] if cells is None else [c for c in cells if c]
    return _fit(tokens, header)


def _fits(token: str, role: str | None) -> bool:
    """Whether a token can be the cell of a column of ``role``: units under a unit column, a date
    under a deadline column, a number under 序号, any token under the other columns but the text
    ones (the text takes what is left)."""
    if role in UNIT_ROLES:
        return all(_unit_line(u) for u in re.split(r"[、，,]", token) if u)
    if role == "deadline":
        return bool(DEADLINE_CELL.search(token))
    if role == "seq":
        return bool(ROW_NUMBER.match(token) or CN_ONLY.match(token))
    return role not in TEXT_ROLES


def _fit(tokens: list[str], header: _Header) -> list[str] | None:
    """Cells from space-split tokens: 序号 first, the short typed columns from the end, the text between."""
    roles = header.roles
    n = len(roles)
    cells = [""] * n
    if not tokens:
        return None
    first = 0
    if roles[0] == "seq":
        if not _fits(tokens[0], "seq"):
            return None  # a table row starts with its number; prose after the table does not
        cells[0] = tokens[0]
        first = 1
    text_cols = [c for c in range(n) if roles[c] in TEXT_ROLES] or [first]
    last_text = text_cols[-1]
    rest = tokens[first:]
    # Columns after the last text column take tokens from the end while they fit.
    for c in range(n - 1, last_text, -1):
        if rest and len(rest) > 1 and _fits(rest[-1], roles[c]):
            cells[c] = rest.pop()
    if not rest:
        return None
    # Several text columns: the first takes one token each, the last takes what is left.
    for c in text_cols[:-1]:
        if len(rest) > 1:
            cells[c] = rest.pop(0)
    cells[last_text] = " ".join(rest)
    return cells


def _cell_per_line_rows(lines: Sequence[str], header: _Header) -> tuple[list[list[str]], int]:
    """Rows of a table written one cell per line: a row starts at the number that follows the last."""
    n = len(header.names)
    roles = header.roles
    rows: list[list[str]] = []
    i = header.end
    expected: int | None = None
    while i < len(lines):
        line = _cell(lines[i])
        m = ROW_NUMBER.match(line)
        if not line:
            i += 1
            continue
        if not m or (expected is not None and int(m.group(1)) != expected):
            break
        seq = m.group(1)
        expected = int(seq) + 1
        cells: list[str] = []
        j = i + 1
        while j < len(lines) and len(cells) < MAX_CELL_LINES:
            text = _cell(lines[j])
            if text and (nm := ROW_NUMBER.match(text)) and int(nm.group(1)) == expected:
                break
            if text:
                cells.append(text)
            j += 1
        if not cells:
            break
        if len(cells) == n - 1 and roles[0] == "seq":
            rows.append([seq, *cells])  # every cell filled: the cells are the columns in order
            i = j
            continue
        if len(cells) < n - 1 and roles[0] == "seq" and set(roles) - KNOWN_BY_ASSIGN:
            # Cells missing (a category merged over several rows, an empty note) beside columns
            # of people or progress: each cell goes to the column its content fits.
            aligned = _align(cells, roles)
            if aligned is not None:
                rows.append([seq, *aligned])
                i = j
                continue
        used = _assign(seq, cells, roles, n, rows)
        if not used:
            break
        i = _line_after(lines, i + 1, used)
        if used < len(cells):
            break  # the table ended inside this stretch of lines
    return rows, i


KNOWN_BY_ASSIGN = {"seq", *TEXT_ROLES, *UNIT_ROLES, "deadline"}
PERSON_CELL = re.compile(r"^[\u3400-\u9fff]{2,4}(?:[、，,][\u3400-\u9fff]{2,4})*$")


def _fit_score(cell: str, role: str | None) -> int:
    """How well a cell's content fits a column: a unit under a unit column, a name under a
    people column, a date under a deadline column; text may sit anywhere else."""
    unit = _unit_line(cell)
    if role in UNIT_ROLES:
        return 3 if _fits(cell, role) else -3
    if role == "person":
        return 2 if PERSON_CELL.match(cell) and not unit else -2
    if role == "deadline":
        return 2 if _fits(cell, role) else -1
    if unit or PERSON_CELL.match(cell):
        return -1  # a unit or a name is not the task, its progress or a note
    return 1 if role in TEXT_ROLES and len(cell) > 8 else 0


def _align(cells: list[str], roles: Sequence[str | None]) -> list[str] | None:
    """The cells after a 序号 put in order into the columns their contents fit, the columns
    without a cell left empty; None when no order fits (the cells are no row of this table)."""
    cols = list(roles[1:])
    m, k = len(cells), len(cols)
    # best[i][c]: the best score for cells[i:] placed into cols[c:]; ways[i][c] how.
    neg = -(10**6)
    best = [[neg] * (k + 1) for _ in range(m + 1)]
    ways = [[""] * (k + 1) for _ in range(m + 1)]
    for c in range(k + 1):
        best[m][c] = 0
    for i in range(m - 1, -1, -1):
        for c in range(k - 1, -1, -1):
            score = _fit_score(cells[i], cols[c])
            options = [("put", score + best[i + 1][c + 1]), ("skip", best[i][c + 1])]
            if cols[c] in UNIT_ROLES and i + 1 < m and score > 0:
                options.insert(1, ("more", score + best[i + 1][c]))  # one unit per line in the cell
            ways[i][c], best[i][c] = max(options, key=lambda o: o[1])  # the first of equals wins
    if best[0][0] <= 0:
        return None
    row = [""] * k
    i = c = 0
    while i < m:
        way = ways[i][c]
        if way == "skip":
            c += 1
            continue
        row[c] = _add_line(row[c], cells[i])
        i += 1
        if way == "put":
            c += 1
    return row


def _line_after(lines: Sequence[str], start: int, count: int) -> int:
    """The index of the line after ``count`` non-blank lines from ``start``."""
    j = start
    while j < len(lines) and count:
        if _cell(lines[j]):
            count -= 1
        j += 1
    return j


def _assign(seq: str, cells: list[str], roles: Sequence[str | None], n: int, rows: list[list[str]]) -> int:
    """Append the row (and its sub-rows) built from the lines after a 序号; how many lines it used."""
    text_cols = [c for c in range(n) if roles[c] in TEXT_ROLES]
    if not text_cols:
        return 0
    cols = (roles.index("seq"), text_cols, [c for c in range(n) if roles[c] in UNIT_ROLES])
    deadline_cols = [c for c in range(n) if roles[c] == "deadline"]
    parts = 0  # rows appended for this number
    used = consumed = 0
    texts: list[str] = []
    units: list[str] = []

    def commit(deadline: str = "") -> None:
        nonlocal parts, used, texts, units
        rows.append(_row(n, seq, cols, texts, units, deadline, deadline_cols))
        parts += 1
        used = consumed
        texts, units = [], []

    for k, cell in enumerate(cells):
        if texts and cols[2] and _unit_line(cell):
            units.append(cell)
        elif texts and deadline_cols and DEADLINE_CELL.search(cell):
            consumed = k + 1
            commit(cell)
            continue
        elif not texts or (not units and len(texts) < len(text_cols)):
            texts.append(cell)
        elif units:
            # A further task under the same number, after the units of the first, is a sub-row.
            commit()
            texts = [cell]
        else:
            break
        consumed = k + 1
    # A last part without units or a deadline is the row itself only when it is the first.
    if texts and (units or parts == 0):
        commit()
    return used


def _unit_line(cell: str) -> bool:
    """A cell that names a unit: a unit's shape, or short and plain after a level (县残联).

    A word cut off by the end of a page (发展改革) has neither and stays with the task's text.
    """
    if looks_like_unit(cell):
        return True
    return (
        len(cell) <= 15
        and cell[0] in LEVELS
        and not re.search(r"[。，,；;：:！？\d%（(]", cell)
        and not DEADLINE_CELL.search(cell)
    )


def _row(
    n: int,
    seq: str,
    cols: tuple[int, list[int], list[int]],
    texts: list[str],
    units: list[str],
    deadline: str,
    deadline_cols: list[int],
) -> list[str]:
    seq_col, text_cols, unit_cols = cols
    row = [""] * n
    row[seq_col] = seq
    for c, t in zip(text_cols, texts, strict=False):
        row[c] = t
    if units and unit_cols:
        # One unit column takes every unit line; beside a lead column the rest go to the next one.
        row[unit_cols[0]] = "\n".join(units if len(unit_cols) == 1 else units[:1])
        if len(unit_cols) > 1 and len(units) > 1:
            row[unit_cols[1]] = "\n".join(units[1:])
    if deadline and deadline_cols:
        row[deadline_cols[0]] = deadline
    return row
