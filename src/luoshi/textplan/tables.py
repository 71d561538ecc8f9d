"""Turn a task table (Word, Excel or HTML) into the prose lines a written plan would have."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

# Header names per role. Exact names are tried first, then containment, in the order below,
# because containment is ambiguous (目标任务 contains both 目标 and 任务).
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "q1": ("一季度", "第一季度", "1季度", "第1季度"),
    "q2": ("二季度", "第二季度", "2季度", "第2季度"),
    "q3": ("三季度", "第三季度", "3季度", "第3季度"),
    "q4": ("四季度", "第四季度", "4季度", "第4季度"),
    "seq": ("序号", "编号", "序列", "项目编号"),
    "lead": ("牵头单位", "责任单位", "主办单位", "牵头部门", "责任部门", "主责单位", "责任主体", "牵头领导"),
    "support": ("配合单位", "协办单位", "会办单位", "配合部门", "参与单位", "协同单位"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限", "时限要求", "完成期限", "时间安排", "进度安排"),
    "task": (
        "任务",
        "工作任务",
        "重点任务",
        "主要任务",
        "具体任务",
        "工作内容",
        "任务内容",
        "具体措施",
        "工作措施",
        "重点工作",
        "主要措施",
        "任务措施",
        "工作举措",
        "具体内容",
    ),
    "target": ("目标", "预期目标", "工作目标", "目标任务", "年度目标", "具体目标", "主要目标"),
    "category": ("类别", "领域", "板块", "方面", "重点领域", "分类", "任务类别", "工作类别"),
    # A ledger's own columns, on how the work stands rather than what the plan asks (luoshi's
    # export writes them): left out of the task's text. Exact names only.
    "record": (
        "方案",
        "所属领域",
        "状态",
        "任务状态",
        "进展状态",
        "完成状态",
        "当前状态",
        "亮灯",
        "序时进度",
        "实际进度",
        "最近报送",
        "最新进展",
    ),
}
# Containment keys: shorter stems that identify a role inside a longer header (工作任务及措施).
ROLE_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("q1", ("一季度", "1季度")),
    ("q2", ("二季度", "2季度")),
    ("q3", ("三季度", "3季度")),
    ("q4", ("四季度", "4季度")),
    ("seq", ("序号",)),
    ("support", ("配合", "协办", "会办", "协同")),
    ("lead", ("牵头", "责任单位", "责任部门", "主办", "主责")),
    ("deadline", ("时限", "完成时间", "时间节点", "期限")),
    ("task", ("任务", "措施", "工作内容", "重点工作", "举措")),
    ("target", ("目标",)),
    ("category", ("类别", "领域", "板块")),
)
# Order and wording of the parenthetical that follows a task, as a prose plan would write it.
DETAIL_LABELS: tuple[tuple[str, str], ...] = (
    ("lead", "牵头单位"),
    ("support", "配合单位"),
    ("target", "目标"),
    ("deadline", "完成时限"),
    ("q1", "一季度"),
    ("q2", "二季度"),
    ("q3", "三季度"),
    ("q4", "四季度"),
)
HEADER_SCAN_ROWS = 5
MAX_HEADER_CELL = 12

CN_DIGITS = "零一二三四五六七八九"
_CN_NUM = "[一二三四五六七八九十百零〇两]+"
# Enumerators a heading or task may already carry; kept as written.
ENUMERATED = re.compile(
    rf"^\s*(?:{_CN_NUM}[、.．]|[（(]{_CN_NUM}[）)]|第{_CN_NUM}[部分章节条项]|\d+[、.．](?!\d)|[（(]\d+[）)]|[①-⑳])"
)
HEADING_ENUMERATED = re.compile(rf"^\s*(?:{_CN_NUM}[、.．]|[（(]{_CN_NUM}[）)]|第{_CN_NUM}[部分章节条项])")
CN_ONLY = re.compile(rf"^\s*{_CN_NUM}\s*[、.．]?\s*$")
BARE_NUMBER = re.compile(r"^\s*(\d+)\s*$")
LEADING_NUMBER = re.compile(r"^\s*[（(]?(\d+)")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SPACE = re.compile(r"\s+")


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


def _header_key(cell: str) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", flat(cell))
    return re.sub(r"[\s:：/、]", "", text)


def classify_header(cell: str) -> str | None:
    """The role a header cell names, or None when it is not a known column name."""
    key = _header_key(cell)
    if not key or len(key) > MAX_HEADER_CELL:
        return None
    for role, names in ROLE_NAMES.items():
        if key in names:
            return role
    for role, stems in ROLE_STEMS:
        if any(stem in key for stem in stems):
            return role
    return None


@dataclass
class Layout:
    """Which column holds what, found from the header row."""

    header_start: int
    header_end: int  # first row after the header
    roles: dict[int, str]
    headers: list[str]
    task_col: int
    category_cols: list[int] = field(default_factory=list)

    def cols(self, role: str) -> list[int]:
        return [c for c, r in self.roles.items() if r == role]


def _row_roles(row: Sequence[str]) -> dict[int, str]:
    return {c: role for c, cell in enumerate(row) if (role := classify_header(cell))}


def _continues_header(row: Sequence[str]) -> bool:
    """A second header row, such as 一季度 … 四季度 under a merged 进度安排."""
    filled = [c for c in row if flat(c)]
    return len(filled) >= 2 and len(_row_roles(row)) * 2 >= len(filled)


def find_layout(rows: Sequence[Sequence[str]]) -> Layout | None:
    """Locate the header row and the task column, or None for a table that is not a task list."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        roles = _row_roles(row)
        task_cols = sorted(c for c, role in roles.items() if role == "task")
        # A title merged across the table repeats one text in every column; a header names several.
        if not task_cols or len({flat(row[c]) for c in roles}) < 2:
            continue
        headers = [flat(c) for c in row]
        end = r + 1
        if end < len(rows) and _continues_header(rows[end]):
            # The lower header row names the columns more precisely, known to the vocabulary or not.
            for c, low in enumerate(rows[end]):
                if flat(low) and flat(low) != (headers[c] if c < len(headers) else ""):
                    roles.pop(c, None)
            roles.update(_row_roles(rows[end]))
            headers = [flat(low) or high for low, high in zip_longest(rows[end], headers, fillvalue="")]
            end += 1
        # Two task-like columns (重点任务 | 具体措施): the first groups rows, the last holds the text.
        task_cols = sorted(c for c, role in roles.items() if role == "task")
        categories = sorted(c for c, role in roles.items() if role == "category")
        for c in task_cols[:-1]:
            roles[c] = "category"
            categories.append(c)
        return Layout(r, end, roles, headers, task_cols[-1], sorted(set(categories)))
    return None


class _Numbering:
    """Counters for section headings (一、 then （一）) and task labels (1.)."""

    def __init__(self, levels: int) -> None:
        self.sections = [0] * max(levels, 1)
        self.task = 0

    def heading(self, level: int, text: str) -> str:
        self.sections[level] += 1
        for deeper in range(level + 1, len(self.sections)):
            self.sections[deeper] = 0
        self.task = 0
        if HEADING_ENUMERATED.match(text):
            return text
        n = chinese_number(self.sections[level])
        return f"{n}、{text}" if level == 0 else f"（{n}）{text}"

    def label(self, seq: str) -> str:
        if CN_ONLY.match(seq):
            return f"{seq.strip().rstrip('、.．')}、"
        if m := BARE_NUMBER.match(seq):
            self.task = int(m.group(1))
            # 01, 02 … is a numbering of its own (an enumerator family), kept as written.
            return seq.strip() if m.group(1).startswith("0") and len(m.group(1)) > 1 else f"{self.task}."
        if seq:
            if m := LEADING_NUMBER.match(seq):
                self.task = int(m.group(1))
            return seq
        self.task += 1
        return f"{self.task}."


def _nonempty(row: Sequence[str]) -> list[str]:
    return [t for t in (flat(c) for c in row) if t]


def _is_header_repeat(row: Sequence[str], header: Sequence[Sequence[str]]) -> bool:
    # Word repeats the header rows on every page of a long table.
    return any([flat(c) for c in row] == [flat(c) for c in h] for h in header)


def _spanning_text(row: Sequence[str], layout: Layout) -> str | None:
    """The text of a section row: one merged text across the row, or a lone enumerated heading."""
    cells = _nonempty(row)
    if len(cells) >= 2 and len(set(cells)) == 1 and len(row) > 1:
        return cells[0]
    if len(cells) == 1:
        # A lone cell outside the task column is a heading whose merge was lost (or never made).
        lone = next(c for c, text in enumerate(row) if flat(text))
        if lone != layout.task_col or HEADING_ENUMERATED.match(cells[0]):
            return cells[0]
    seq = _cell(row, layout.cols("seq"))
    task = _cell(row, [layout.task_col])
    # 序号 一 with a title and nothing else on the row is a section, not a task.
    details = [c for c, role in layout.roles.items() if role not in ("seq", "task", "category", "record")]
    if seq and CN_ONLY.match(seq) and task and not _cell(row, details):
        return f"{seq.strip().rstrip('、.．')}、{task}"
    return None


def _cell(row: Sequence[str], cols: Sequence[int]) -> str:
    seen: list[str] = []
    for c in cols:
        text = flat(row[c]) if c < len(row) else ""
        if text and text not in seen:
            seen.append(text)
    return "、".join(seen)


def _details(row: Sequence[str], layout: Layout) -> str:
    parts = []
    values: dict[str, str] = {}
    for role, label in DETAIL_LABELS:
        value = _cell(row, layout.cols(role))
        # One cell merged across 牵头单位 and 配合单位 names the lead only.
        if value and not (role == "support" and value == values.get("lead")):
            values[role] = value
            parts.append(f"{label}：{value}")
    known = set(layout.roles)
    for c, name in enumerate(layout.headers):
        # Columns the plan vocabulary does not cover (备注 …) are kept so that nothing is lost.
        if c not in known and name and (value := _cell(row, [c])):
            parts.append(f"{name}：{value}")
    return f"（{'；'.join(parts)}）" if parts else ""


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


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Linearise a table (rows of cell texts, merged cells repeated) into prose lines."""
    rows = [list(r) for r in rows if any(c.strip() for c in r)]
    layout = find_layout(rows)
    if layout is None:
        return _plain_lines(rows)
    lines = _plain_lines(rows[: layout.header_start])
    header = rows[layout.header_start : layout.header_end]
    body = [r for r in rows[layout.header_end :] if not _is_header_repeat(r, header)]
    # Rows spanning the table are the top level; a category column then sits one level below.
    top = 1 if any(_spanning_text(r, layout) is not None for r in body) else 0
    numbering = _Numbering(top + len(layout.category_cols))
    current: list[str] = [""] * len(layout.category_cols)
    for row in body:
        if (heading := _spanning_text(row, layout)) is not None:
            lines.append(numbering.heading(0, heading))
            current = [""] * len(layout.category_cols)
            continue
        for level, col in enumerate(layout.category_cols):
            value = _cell(row, [col])
            if value and value != current[level]:
                current[level] = value
                current[level + 1 :] = [""] * (len(current) - level - 1)
                lines.append(numbering.heading(top + level, value))
        lines.extend(_task_line(row, layout, numbering))
    return lines


def _task_line(row: Sequence[str], layout: Layout, numbering: _Numbering) -> list[str]:
    task = _cell(row, [layout.task_col])
    if not task:
        return _plain_lines([row])
    seq = _cell(row, layout.cols("seq"))
    # A task that carries its own enumerator and has no 序号 needs no invented label.
    label = "" if ENUMERATED.match(task) and not seq else numbering.label(seq)
    return [f"{label}{task}{_details(row, layout)}"]
