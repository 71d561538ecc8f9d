"""Turn a task table (Word, Excel, HTML or a table flattened into text) into the prose lines a
written plan would have: one line per row, ``1.任务（牵头单位：…；配合单位：…；完成时限：…）``.

What each column holds is read from its header (``rules/columns.json``); the body rows are then
written out in the order the table gives them. Labels are the table's own (序号, or an enumerator in
a section row); a label is made up only where the rows would otherwise be lost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

from luoshi.textplan.normalize import to_simplified
from luoshi.textplan.ruletables import load

# Order and wording of the bracket that follows a task, as a prose plan would write it.
DETAIL_LABELS: tuple[tuple[str, str], ...] = (
    ("lead", "牵头单位"),
    ("responsible", "责任单位"),
    ("support", "配合单位"),
    ("target", "目标"),
    ("deadline", "完成时限"),
    ("q1", "一季度"),
    ("q2", "二季度"),
    ("q3", "三季度"),
    ("q4", "四季度"),
)
UNIT_ROLES = ("lead", "responsible", "support")
TEXT_ROLES = ("task", "content")
# Columns whose cells are not part of the plan: people are not units, progress is not a target.
DROPPED_ROLES = ("person", "status")
# Roles a row must fill besides its text for a 序号 一 row to be a task rather than a section.
OWNER_ROLES = ("lead", "responsible", "support", "deadline", "target", "q1", "q2", "q3", "q4", "milestone")
HEADER_SCAN_ROWS = 20
# A section row names a group of tasks in a few words; a row this long is a point made in full
# (a notice's 一、各有关部门要高度重视…), not a heading over the numbered rows after it.
POINT_CHARS = 40
MIN_TITLE_CHARS = 4  # a column guessed to hold the tasks averages at least this many characters

CN_DIGITS = "零一二三四五六七八九"
_CN_NUM = "[一二三四五六七八九十百零〇两]+"
# Enumerators a heading or task may already carry; kept as written.
ENUMERATED = re.compile(
    rf"^\s*(?:{_CN_NUM}[、.．]|[（(]{_CN_NUM}[）)]|第{_CN_NUM}[部分章节条项]|\d+[、.．](?!\d)|[（(]\d+[）)]|[①-⑳])"
)
HEADING_ENUMERATED = re.compile(rf"^\s*(?:{_CN_NUM}[、.．]|[（(]{_CN_NUM}[）)]|第{_CN_NUM}[部分章节条项])")
HEADING_VALUE = re.compile(rf"^\s*(?:({_CN_NUM})[、.．]|[（(]({_CN_NUM})[）)])")
CN_ONLY = re.compile(rf"^\s*{_CN_NUM}\s*[、.．]?\s*$")
PAREN_CN_ONLY = re.compile(rf"^\s*[（(]{_CN_NUM}[）)]\s*$")
BARE_NUMBER = re.compile(r"^\s*(\d+)\s*([、.．]?)\s*$")
LEADING_NUMBER = re.compile(r"^\s*[（(]?(\d+)")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SPACE = re.compile(r"\s+")
HEADER_NOISE = re.compile(r"[（(][^）)]*[）)]|[\s:：/、·\-—_*＊]")
# A count closing a section heading (（共5项）, (11件)) describes the section; it is no target.
SECTION_COUNT = re.compile(
    r"\s*[（(]\s*(?:共|计|含)?\s*\d+\s*(?:大类|项|件|个|类|条|批)[^（）()]{0,8}[）)]\s*$"
)
SENTENCE_END = "。；;！!？?"


@dataclass(frozen=True)
class _Vocabulary:
    names: dict[str, str]
    stems: tuple[tuple[str, tuple[str, ...]], ...]
    person_stems: tuple[str, ...]
    unit_words: tuple[str, ...]
    max_chars: int
    unit_suffixes: tuple[str, ...]


@functools.cache
def _vocabulary() -> _Vocabulary:
    table = load("columns")
    roles = table["roles"]
    names = {name: role for role, spec in roles.items() for name in spec["names"]}
    stems = tuple((role, tuple(roles[role]["stems"])) for role in table["stem_order"])
    units = load("units")
    return _Vocabulary(
        names,
        stems,
        tuple(roles["person"]["stems"]),
        tuple(table["unit_words"]),
        table["max_header_chars"],
        tuple(sorted(units["unit_suffixes"], key=len, reverse=True)),
    )


def chinese_number(n: int) -> str:
    """Write 1..999 the way plans number sections: 一, 十一, 二十三."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    if ones:
        out += CN_DIGITS[ones]
    return out


def _cn_value(numeral: str) -> int | None:
    from luoshi.textplan.numerals import cn_to_int

    try:
        return cn_to_int(numeral)
    except (ValueError, KeyError, IndexError):
        return None


def join_fragments(parts: Sequence[str]) -> str:
    """Join the lines of a cell into one, adding a space only between two non-CJK ends."""
    out = ""
    for raw in parts:
        part = SPACE.sub(" ", raw).strip()
        if not part:
            continue
        if out and not (CJK.match(out[-1]) or CJK.match(part[0])):
            out += " "
        out += part
    return out


@functools.lru_cache(maxsize=4096)
def flat(cell: str) -> str:
    """One-line text of a cell."""
    return join_fragments(cell.splitlines())


@functools.lru_cache(maxsize=4096)
def header_key(cell: str) -> str:
    """A header as compared with the vocabulary: simplified, without notes, spaces or punctuation."""
    return HEADER_NOISE.sub("", to_simplified(flat(cell)))


@functools.lru_cache(maxsize=4096)
def column_role(cell: str) -> str | None:
    """The role a header cell names (see ``rules/columns.json``), or None for an unknown header."""
    v = _vocabulary()
    key = header_key(cell)
    if not key or len(key) > v.max_chars:
        return None
    if key in v.names:
        return v.names[key]
    if any(s in key for s in v.person_stems) and not any(w in key for w in v.unit_words):
        return "person"
    for role, stems in v.stems:
        if any(stem in key for stem in stems):
            return role
    return None


# The coarse roles other readers of a ledger (the Excel row check) know.
_COARSE = {"content": "task", "responsible": "lead", "person": None, "status": None, "extra": None}


def classify_header(cell: str) -> str | None:
    """The role a header cell names among seq, task, lead, support, deadline, target, q1-q4 and
    category; None for columns a plan does not take (people, progress, notes) or unknown ones."""
    role = column_role(cell)
    return _COARSE.get(role, role) if role else None


def looks_like_unit(text: str) -> bool:
    """A cell line that names a unit: ends like one (局, 委, 政府 …) or is a collective (各…)."""
    text = text.strip(" ，,、；;。")
    if not 2 <= len(text) <= 40 or re.search(r"[：:。；;\d%]", text):
        return False
    return text.startswith("各") or text.endswith(_vocabulary().unit_suffixes)


@dataclass
class Layout:
    """Which column holds what, found from the header row."""

    header_start: int
    header_end: int  # first row after the header
    roles: dict[int, str]
    headers: list[str]
    title_col: int
    content_cols: list[int] = field(default_factory=list)
    category_cols: list[int] = field(default_factory=list)

    def cols(self, role: str) -> list[int]:
        return [c for c, r in sorted(self.roles.items()) if r == role]


def _row_roles(row: Sequence[str]) -> dict[int, str]:
    return {c: role for c, cell in enumerate(row) if (role := column_role(cell))}


def _filled(row: Sequence[str]) -> list[str]:
    """The distinct texts of a row (a merged cell comes back once per column it spans)."""
    seen: list[str] = []
    for cell in row:
        text = flat(cell)
        if text and text not in seen:
            seen.append(text)
    return seen


def _is_header(row: Sequence[str], roles: dict[int, str]) -> bool:
    named = {flat(row[c]) for c in roles}
    kinds = set(roles.values())
    # A title merged across the table repeats one text in every column; a header names several.
    if len(named) < 2 or len(kinds) < 2 or len(named) * 2 < len(_filled(row)):
        return False
    return bool(kinds & {"task", "content", "seq", "lead", "responsible"})


def _continues_header(upper: Sequence[str], lower: Sequence[str]) -> bool:
    """A second header row, such as 一季度 … 四季度 under a 进度安排 merged across them."""
    filled = _filled(lower)
    if len(filled) < 2:
        return False
    # Where the rows differ, the upper cell spans several columns (a merged 进度安排 or 责任单位),
    # repeated in each column or, where the merge was lost, left blank after its first column.
    above = [flat(upper[c]) if c < len(upper) else "" for c in range(max(len(upper), len(lower)))]
    spanning: set[int] = set()
    for c, text in enumerate(above):
        after = above[c + 1] if c + 1 < len(above) else None
        heads_a_merge = text and (after in (text, "") or (c > 0 and above[c - 1] == text))
        if heads_a_merge or (not text and c - 1 in spanning):
            spanning.add(c)
    differing = [
        c
        for c, low in enumerate(lower)
        if flat(low) and flat(low) != flat(upper[c] if c < len(upper) else "")
    ]
    if not differing or any(c not in spanning for c in differing):
        return False
    known = {flat(lower[c]) for c in _row_roles(lower)} | {
        flat(lower[c]) for c in range(len(lower)) if c not in differing
    }
    return len(known & set(filled)) * 2 >= len(filled)


def _merge_lower_header(roles: dict[int, str], headers: list[str], lower: Sequence[str]) -> list[str]:
    """Roles and names of a two-row header; the lower row names the columns more precisely,
    except under a progress or people column, whose sub-columns (一季度 …) stay progress."""
    merged = []
    for c, (low, high) in enumerate(zip_longest(lower, headers, fillvalue="")):
        low_text = flat(low)
        merged.append(low_text or high)
        if not low_text or low_text == high:
            continue
        parent = roles.get(c)
        if parent in DROPPED_ROLES:
            continue
        own = column_role(low_text)
        if own:
            roles[c] = own
        elif parent in ("deadline", "q1", "q2", "q3", "q4", "milestone"):
            roles[c] = "milestone"  # 上半年 under 进度安排: a stage of the schedule
        else:
            roles.pop(c, None)
    return merged


def _average_length(body: Sequence[Sequence[str]], col: int) -> float:
    lengths = [len(flat(r[col])) for r in body if col < len(r) and flat(r[col])]
    return sum(lengths) / len(lengths) if lengths else 0.0


def _column(body: Sequence[Sequence[str]], col: int) -> list[str]:
    return [flat(r[col]) if col < len(r) else "" for r in body]


def _repeats(values: Sequence[str]) -> bool:
    """Whether a column's values run on over several rows, as a merged grouping cell does."""
    filled = [v for v in values if v]
    if len(filled) < 2:
        return False
    runs = sum(1 for a, b in zip(values, values[1:], strict=False) if a and a == b)
    return runs * 3 >= len(filled)


def _breaks(values: Sequence[str]) -> list[int]:
    """Rows where a new value starts."""
    return [i for i, v in enumerate(values) if v and (i == 0 or v != values[i - 1])]


def find_layout(rows: Sequence[Sequence[str]]) -> Layout | None:
    """Locate the header row and the text column, or None for a table that is not a task list."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        roles = _row_roles(row)
        if not _is_header(row, roles):
            continue
        headers = [flat(c) for c in row]
        end = r + 1
        if end < len(rows) and _continues_header(row, rows[end]):
            headers = _merge_lower_header(roles, headers, rows[end])
            end += 1
        layout = _resolve(r, end, roles, headers, rows[end:])
        if layout is not None:
            return layout
    return None


def _resolve(
    start: int, end: int, roles: dict[int, str], headers: list[str], body: Sequence[Sequence[str]]
) -> Layout | None:
    """Decide the title, content and grouping columns and who leads, from the header and the body."""
    roles = dict(roles)
    text_cols = [c for c, role in sorted(roles.items()) if role in TEXT_ROLES]
    # A column named for the tasks that holds figures (目标任务 | 26000) gives each task its target.
    for c in text_cols:
        if len(text_cols) > 1 and _mostly_figures(_column(body, c)):
            roles[c] = "target"
    text_cols = [c for c in text_cols if roles[c] in TEXT_ROLES]
    if not text_cols:
        # No header the vocabulary knows names the tasks: the column of the longest texts holds them.
        unknown = [c for c in range(len(headers)) if c not in roles and headers[c]]
        best = max(unknown, key=lambda c: _average_length(body, c), default=None)
        if best is None or _average_length(body, best) < MIN_TITLE_CHARS:
            return None
        roles[best] = "task"
        text_cols = [best]
    categories = [c for c, role in sorted(roles.items()) if role == "category"]
    seq = [c for c, role in roles.items() if role == "seq"]
    seq_breaks = _breaks(_column(body, seq[0])) if seq else None
    # Of several text columns, one whose values run on over rows groups them (重点任务 | 具体措施),
    # unless the 序号 is merged over the same rows: then it numbers that column's tasks.
    for c in text_cols[:-1]:
        values = _column(body, c)
        if _repeats(values) and _breaks(values) != seq_breaks:
            roles[c] = "category"
            categories.append(c)
    text_cols = [c for c in text_cols if c not in categories]
    names = [c for c in text_cols if roles[c] == "task"] or text_cols
    title = names[0]
    content = [c for c in text_cols if c != title]
    return Layout(start, end, roles, headers, title, content, sorted(categories))


FIGURE_CELL = re.compile(r"^\s*\d[\d.,，]*\s*(?:%|‰|万|亿)?\s*$")


def _mostly_figures(values: Sequence[str]) -> bool:
    """Figures in three cells of four or more (a task may say 应补尽补 where the others give numbers)."""
    filled = [v for v in values if v.strip()]
    figures = sum(1 for v in filled if FIGURE_CELL.match(v))
    return figures >= 2 and figures * 4 >= len(filled) * 3


# --- rows ------------------------------------------------------------------------------------


@dataclass
class _Entry:
    """One line to write: a heading or a task, with what is known about its label."""

    kind: str  # "heading", "task", "text", "list" (where the numbered list of tasks begins)
    text: str
    level: int = 0
    label: str | None = ""  # as written (序号, a heading's enumerator); None: to be numbered
    value: int | None = None  # numeric value of an arabic label


def _cell(row: Sequence[str], cols: Sequence[int]) -> str:
    return "、".join(_filled([row[c] for c in cols if c < len(row)]))


def _is_header_repeat(row: Sequence[str], header: Sequence[Sequence[str]]) -> bool:
    # Word repeats the header rows on every page of a long table.
    return any([flat(c) for c in row] == [flat(c) for c in h] for h in header)


def _section_text(row: Sequence[str], layout: Layout) -> str | None:
    """The text of a section row: one merged text across the row, or a lone heading."""
    cells = _filled(row)
    nonempty = [c for c, text in enumerate(row) if flat(text)]
    if len(cells) == 1 and len(nonempty) >= 2:
        return cells[0]
    if len(nonempty) == 1:
        # A lone cell outside the text columns is a heading whose merge was lost (or never made).
        lone = nonempty[0]
        text_cols = (layout.title_col, *layout.content_cols)
        if lone not in text_cols or HEADING_ENUMERATED.match(cells[0]):
            return cells[0]
    seq = _cell(row, layout.cols("seq"))
    title = _cell(row, [layout.title_col])
    # 序号 一 with a title and nothing else on the row is a section, not a task.
    owners = [c for c, role in layout.roles.items() if role in OWNER_ROLES]
    if seq and title and (CN_ONLY.match(seq) or PAREN_CN_ONLY.match(seq)) and not _cell(row, owners):
        numeral = seq.strip().rstrip("、.．")
        return f"{numeral}{title}" if PAREN_CN_ONLY.match(seq) else f"{numeral}、{title}"
    return None


def _units(row: Sequence[str], cols: Sequence[int], notes: list[str]) -> str:
    """Units of a column, one name per line in a cell kept apart; other text goes to the notes."""
    units: list[str] = []
    for c in cols:
        if c >= len(row):
            continue
        pieces = _unit_lines(row[c])
        for piece in pieces:
            # Not a unit name (进展比例：20%, a label fragment): kept, but out of the unit list.
            if re.search(r"[：:]", piece) or not re.search(r"[\u4e00-\u9fff]", piece):
                notes.append(piece)
            elif piece not in units:
                units.append(piece)
    return "、".join(units)


def _unit_lines(cell: str) -> list[str]:
    """A unit cell's names: one per line, unless a line only ends the name above (委员会)."""
    pieces: list[str] = []
    suffixes = _vocabulary().unit_suffixes
    for line in (flat(part) for part in cell.splitlines()):
        if not line:
            continue
        if pieces and (
            line in suffixes
            or len(line) > 25
            or re.search(r"[。；;]", line)
            or _wrapped(pieces[-1], line, suffixes)
        ):
            pieces[-1] += line  # a name (or a sentence) broken over two lines
        else:
            pieces.append(line)
    return pieces


NAME_STARTS = ("省", "市", "区", "县", "镇", "乡", "各")  # a line starting so names a unit of its own


def _wrapped(before: str, line: str, suffixes: tuple[str, ...]) -> bool:
    """A narrow column breaks a long name (市人力资源 / 社会保障局): the line before ends no name
    and this one ends one without starting one of its own."""
    return (
        2 <= len(before) <= 12
        and not before.endswith((*suffixes, ")", "）"))
        and not re.search(r"[、，,]", before)
        and line.endswith(suffixes)
        and not line.startswith(NAME_STARTS)
    )


def _details(row: Sequence[str], layout: Layout) -> str:
    """The bracket of roles after a task, then a bracket of notes from columns a plan has no name for."""
    parts: list[str] = []
    notes: list[str] = []
    values: dict[str, str] = {}
    carried = ""  # 责任单位 of a row that names its 牵头单位: those who carry the work out
    for role, label in DETAIL_LABELS:
        cols = layout.cols(role)
        value = _units(row, cols, notes) if role in UNIT_ROLES else _cell(row, cols)
        # One cell merged across 牵头单位 and 配合单位 (or 责任单位) names the lead only.
        if value and role in ("responsible", "support") and value == values.get("lead"):
            continue
        # 责任单位 alone is written as such: its units lead, or only the first where the notice
        # says the unit named first leads (列第一位的责任单位为牵头单位). Beside the row's own
        # 牵头单位 they support; a row without one is led by them (无牵头单位的，责任单位即为牵头单位).
        if role == "responsible" and value and "lead" in values:
            carried = value
            continue
        if role == "support" and carried:
            value = f"{carried}、{value}" if value else carried
        if value:
            values[role] = value
            parts.append(f"{label}：{value}")
    for c in layout.cols("milestone"):
        if (value := _cell(row, [c])) and c < len(layout.headers):
            parts.append(f"{layout.headers[c]}：{value}")
    for c, name in enumerate(layout.headers):
        if c in layout.roles and layout.roles[c] != "extra":
            continue
        if name and (value := _cell(row, [c])) and c not in layout.category_cols:
            notes.append(f"{name}：{value}")
    out = f"（{'；'.join(parts)}）" if parts else ""
    return out + (f"（{'；'.join(notes)}）" if notes else "")


def _plain_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of a table that is not a task list: one tab-separated line per row."""
    lines: list[str] = []
    for row in rows:
        cells: list[str] = []
        for text in (flat(c) for c in row):
            # Merged cells come back once per spanned column; say them once.
            if cells and text == cells[-1]:
                continue
            cells.append(text)
        while cells and not cells[-1]:
            cells.pop()
        filled = [c for c in cells if c]
        if len(filled) == 1:
            # A one-cell row is usually a framed block of prose; keep its lines.
            only = next(c for c in row if c.strip())
            lines.extend(t for t in (SPACE.sub(" ", s).strip() for s in only.splitlines()) if t)
        elif filled:
            lines.append("\t".join(cells))
    return lines


def _heading_entry(text: str, level: int) -> _Entry:
    text = SECTION_COUNT.sub("", text) or text
    m = HEADING_VALUE.match(text)
    label = text[: m.end()] if m else ""
    return _Entry("heading", text, level, label, _cn_value(m.group(1) or m.group(2)) if m else None)


def _task_entry(row: Sequence[str], layout: Layout, previous_seq: str) -> _Entry | None:
    title = _cell(row, [layout.title_col])
    content = ""
    for part in _filled([row[c] for c in layout.content_cols if c < len(row)]):
        content += ("" if not content or content[-1] in SENTENCE_END else "；") + part
    if not title:
        title, content = content, ""
    seq = _cell(row, layout.cols("seq"))
    details = _details(row, layout)
    if not title:
        return _Entry("text", details.strip("（）")) if details else None
    body = title
    if content:
        body += ("" if title[-1] in SENTENCE_END else "。") + content
    body += details
    if seq and seq == previous_seq:
        # A 序号 merged over two rows: the second row goes on with the same item.
        return _Entry("text", body.removeprefix(title).lstrip("。") if content else body)
    if CN_ONLY.match(seq):
        return _Entry("task", body, label=f"{seq.strip().rstrip('、.．')}、")
    if m := BARE_NUMBER.match(seq):
        digits = m.group(1)
        # 01, 02 … is a numbering of its own (news-style heads), kept as written
        label = digits if len(digits) > 1 and digits.startswith("0") else f"{int(digits)}{m.group(2) or '.'}"
        return _Entry("task", body, label=label, value=int(digits))
    if seq:
        return _Entry("task", body, label=seq)
    if ENUMERATED.match(title):
        return _Entry("task", body, label="")  # the task carries its own enumerator
    return _Entry("task", body, label=None)


def _runs_on(entries: Sequence[_Entry]) -> bool:
    """Whether the rows' own numbers count on through the whole table (1 … 40 across sections)."""
    values = [e.value for e in entries if e.kind == "task"]
    if not values or any(v is None for v in values):
        return False
    return all(b == a + 1 for a, b in zip(values, values[1:], strict=False))


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Linearise a table (rows of cell texts, merged cells repeated) into prose lines."""
    rows = [list(r) for r in rows if any(c.strip() for c in r)]
    layout = find_layout(rows)
    if layout is None:
        return _plain_lines(rows)
    lines = _plain_lines(rows[: layout.header_start])
    header = rows[layout.header_start : layout.header_end]
    body = [r for r in rows[layout.header_end :] if not _is_header_repeat(r, header)]
    if not body:
        return _plain_lines(rows)  # a header without rows: an empty form, said as it is
    entries = _mark_list_start(_entries(body, layout), layout.headers)
    return lines + _write(entries, len(layout.category_cols))


def _mark_list_start(entries: list[_Entry], headers: Sequence[str]) -> list[_Entry]:
    """Where a run of numbered points (一、二、三、 written in full, nothing under them) is followed
    by the rows numbered 1, 2, 3, the rows are a list of their own, as a notice's points and the
    table it sends out are: the header is written again there, and the rows do not nest under
    the last point."""
    first_task = next((i for i, e in enumerate(entries) if e.kind == "task"), None)
    if first_task is None or entries[first_task].value != 1:
        return entries
    run = []
    for e in reversed(entries[:first_task]):
        if e.kind != "heading" or e.level != 0 or not e.label:
            break
        run.append(e)
    # One heading over the rows is a section; several in a row with nothing under them, one of
    # them a sentence no heading is, are points.
    if len(run) < 2 or max(len(e.text) - len(e.label or "") for e in run) < POINT_CHARS:
        return entries
    head = "\t".join(h for h in headers if h)
    return [*entries[:first_task], _Entry("list", head), *entries[first_task:]]


def _entries(body: Sequence[Sequence[str]], layout: Layout) -> list[_Entry]:
    # Rows spanning the table are the top level; a category column then sits one level below.
    top = 1 if any(_section_text(r, layout) is not None for r in body) else 0
    entries: list[_Entry] = []
    current = [""] * len(layout.category_cols)
    previous_seq = ""
    for row in body:
        if (heading := _section_text(row, layout)) is not None:
            entries.append(_heading_entry(heading, 0))
            current = [""] * len(layout.category_cols)
            previous_seq = ""
            continue
        for level, col in enumerate(layout.category_cols):
            value = _cell(row, [col])
            if value and value != current[level]:
                current[level] = value
                current[level + 1 :] = [""] * (len(current) - level - 1)
                entries.append(_heading_entry(value, top + level))
        if (entry := _task_entry(row, layout, previous_seq)) is not None:
            entries.append(entry)
        previous_seq = _cell(row, layout.cols("seq")) or previous_seq
    return entries


def _write(entries: list[_Entry], category_levels: int) -> list[str]:
    """The lines of the entries, numbering headings and tasks only where the table leaves them bare."""
    # Unnumbered section rows between rows numbered 1 … 40 are no items of their own: the rows keep
    # their numbers. Where the numbering starts again under each section, the sections need labels.
    invent = not _runs_on(entries)
    levels = 1 + category_levels
    sections = [0] * (levels + 1)
    task = 0
    lines: list[str] = []
    for e in entries:
        if e.kind == "heading":
            level = min(e.level, levels)
            sections[level] = e.value if e.value is not None else sections[level] + 1
            sections[level + 1 :] = [0] * (len(sections) - level - 1)
            task = 0
            if e.label or not invent:
                lines.append(e.text)
            else:
                n = chinese_number(sections[level])
                lines.append(f"{n}、{e.text}" if level == 0 else f"（{n}）{e.text}")
        elif e.kind == "task":
            if e.label is None:
                task += 1
                lines.append(f"{task}.{' ' if e.text[:1].isdigit() else ''}{e.text}")
            else:
                if e.value is not None:
                    task = e.value
                elif m := LEADING_NUMBER.match(e.label):
                    task = int(m.group(1))
                # 4. 2024年农村公路工程: a task that starts with digits would run into its number (4.2024)
                runs_in = e.text[:1].isdigit() and (e.label[-1:].isdigit() or e.label.endswith((".", "．")))
                gap = " " if runs_in else ""
                lines.append(f"{e.label}{gap}{e.text}")
        else:
            lines.append(e.text)
    return lines
