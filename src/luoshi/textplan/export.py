"""Render a parsed plan as JSON, as a terminal tree, or as an Excel ledger (台账)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from luoshi.textplan.model import Item, Plan, PlanStream, Target

__all__ = [
    "format_number",
    "format_targets",
    "to_json",
    "to_tree",
    "to_xlsx",
    "write_json",
    "write_json_line",
    "write_tree",
]

_COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约"}


# ---------------------------------------------------------------- JSON


def to_json(plan: Plan) -> str:
    """The plan JSON the scorer reads, pretty-printed and kept in Chinese characters."""
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=1)


# The same encoders as to_json and the command's JSON Lines, so that what is written piece by
# piece is byte for byte what the one-string forms give.
_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=1)
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_FLUSH_AT = 1 << 13  # characters gathered before each write (the pieces are small objects)


def write_json(plan: Plan | PlanStream, out: TextIO) -> None:
    """Write ``to_json(plan)`` to ``out`` as it is encoded, item by item: neither the plan's
    dictionary nor its text is ever whole in memory, only the item being written and its parents.
    A PlanStream's top-level items are made as they are written and let go once written."""
    _write_chunks(_INDENTED.iterencode(_streamed_dict(plan)), out)


def write_json_line(plan: Plan | PlanStream, out: TextIO) -> None:
    """As ``write_json``, compact on one line (JSON Lines), without the final newline."""
    _write_chunks(_COMPACT.iterencode(_streamed_dict(plan)), out)


def _streamed_dict(plan: Plan | PlanStream) -> dict[str, Any]:
    if isinstance(plan, PlanStream):
        d = plan.plan.to_dict(items=False)
        d["items"] = _RootDicts(plan.roots)
    else:
        d = plan.to_dict(items=False)
        d["items"] = _ItemDicts(plan.items)
    return d


class _ItemDicts(list):
    """Items whose dictionaries are made as the encoder reaches them, and dropped once written.

    JSON's encoder takes any list; of one it asks only whether it is empty and to iterate it,
    so a list of the items that yields their dictionaries is encoded as the list of those."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for item in list.__iter__(self):
            d = item.to_dict(children=False)
            d["children"] = _ItemDicts(item.children)
            yield d


class _RootDicts(list):
    """As _ItemDicts for top-level items still to be made: each is asked for as the encoder
    reaches it and held only while it is written. The first is made at once, so that the list
    can say whether it is empty (the encoder asks before iterating)."""

    def __init__(self, roots: Iterator[Item]) -> None:
        super().__init__()
        self._roots = roots
        self._first = next(roots, None)

    def __bool__(self) -> bool:
        return self._first is not None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        item, self._first = self._first, None
        while item is not None:
            d = item.to_dict(children=False)
            d["children"] = _ItemDicts(item.children)
            item = None  # the item is let go with its dictionary, once written
            yield d
            item = next(self._roots, None)


def _write_chunks(chunks: Iterable[str], out: TextIO) -> None:
    # the encoder yields a piece per token: gather them so that the stream sees few large writes
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= _FLUSH_AT:
            out.write("".join(batch))
            batch.clear()
            size = 0
    out.write("".join(batch))


# ---------------------------------------------------------------- shared formatting


def format_number(x: float | int | None) -> str:
    """Write a base-unit figure the way a plan would: 1088亿, 3.8万, 6000, 42.7."""
    if x is None:
        return "?"
    for scale, word in ((1e8, "亿"), (1e4, "万")):
        if abs(x) >= scale:
            scaled = round(x / scale, 4)
            # Only switch to 万/亿 when the result stays short (3.8万, not 1.2345万).
            if abs(scaled * 100 - round(scaled * 100)) < 1e-9:
                return _plain(scaled) + word
            break
    return _plain(x)


def _plain(x: float | int) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


def format_target(t: Target) -> str:
    """One target in ledger style: ≥5家, 2—3次, 约1088亿元."""
    if t.low is not None and t.high is not None:
        figure = f"{format_number(t.low)}—{format_number(t.high)}"
    elif t.low is not None:
        figure = "≥" + format_number(t.low)
    elif t.high is not None:
        figure = "≤" + format_number(t.high)
    elif t.value is None:
        return t.text or t.unit
    else:
        figure = _COMPARATORS.get(t.comparator, "") + format_number(t.value)
    text = figure + t.unit
    return "已达" + text if t.kind == "actual" else text


def format_targets(targets: Iterable[Target]) -> str:
    """Targets joined the way a ledger cell lists them: ≥5家；2—3次."""
    return "；".join(format_target(t) for t in targets)


def _deadline_text(item: Item) -> str:
    if not item.deadline:
        return ""
    return item.deadline.date or item.deadline.text


def _walk_with_depth(items: Iterable[Item]) -> Iterator[tuple[int, bool, list[bool], Item]]:
    """Yield (depth, is_last, ancestors_last, item) in tree order, without recursion; the
    top-level items may be an iterator, read one ahead."""
    for root, root_last in _with_last(items):
        yield 0, root_last, [], root
        yield from _walk_below(root, root_last)


def _with_last(items: Iterable[Item]) -> Iterator[tuple[Item, bool]]:
    it = iter(items)
    cur = next(it, None)
    while cur is not None:
        nxt = next(it, None)
        yield cur, nxt is None
        cur = nxt


def _walk_below(root: Item, root_last: bool) -> Iterator[tuple[int, bool, list[bool], Item]]:
    stack: list[tuple[list[Item], int, list[bool]]] = [(root.children, 0, [root_last])]
    while stack:
        siblings, i, trail = stack.pop()
        if i >= len(siblings):
            continue
        item = siblings[i]
        last = i == len(siblings) - 1
        stack.append((siblings, i + 1, trail))
        yield len(trail), last, trail, item
        if item.children:
            stack.append((item.children, 0, [*trail, last]))


def _heading(plan: Plan) -> str:
    return plan.meta.title or (Path(plan.source).stem if plan.source else "") or "（无标题）"


# ---------------------------------------------------------------- tree


def to_tree(plan: Plan) -> str:
    """A terminal tree: one line per item with owners, targets and deadline."""
    return "\n".join(_tree_lines(plan, plan.items)) + "\n"


def write_tree(plan: Plan | PlanStream, out: TextIO) -> None:
    """Write ``to_tree(plan)`` to ``out`` line by line, without its final newline; a PlanStream's
    top-level items are made as they are written and let go once written."""
    if isinstance(plan, PlanStream):
        lines = _tree_lines(plan.plan, plan.roots)
    else:
        lines = _tree_lines(plan, plan.items)
    _write_chunks(_joined(lines, "\n"), out)


def _joined(parts: Iterable[str], sep: str) -> Iterator[str]:
    first = True
    for part in parts:
        if not first:
            yield sep
        first = False
        yield part


def _tree_lines(plan: Plan, items: Iterable[Item]) -> Iterator[str]:
    yield _heading(plan)
    facts = [
        ("文件", plan.source),
        ("发文", plan.meta.issuer),
        ("文号", plan.meta.doc_number),
        ("日期", plan.meta.date),
    ]
    facts_line = " · ".join(f"{k}: {v}" for k, v in facts if v)
    if facts_line:
        yield "  " + facts_line
    empty = True
    for _depth, last, trail, item in _walk_with_depth(items):
        empty = False
        prefix = "".join("   " if done else "│  " for done in trail)
        yield prefix + ("└─ " if last else "├─ ") + _tree_line(item)
    if empty:
        yield "└─ （未识别到条目 / no items found）"


def _tree_line(item: Item) -> str:
    parts = [_one_line(item.label + item.title)]
    owners = []
    if item.lead:
        owners.append("牵头: " + "、".join(item.lead))
    if item.support:
        owners.append("配合: " + "、".join(item.support))
    if owners:
        parts.append("[" + "; ".join(owners) + "]")
    if item.targets:
        parts.append("目标: " + format_targets(item.targets))
    if item.deadline:
        parts.append("时限: " + _deadline_text(item))
    return "  ".join(parts)


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- xlsx ledger

# (header, column width); the first six are what a 台账 is expected to have.
LEDGER_COLUMNS = [
    ("序号", 10),
    ("任务", 48),
    ("牵头单位", 24),
    ("配合单位", 30),
    ("目标", 20),
    ("完成时限", 16),
    ("层级", 6),
    ("原文", 70),
]
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(plans: Plan | Iterable[Plan], path: str | os.PathLike[str]) -> None:
    """Write a ledger workbook: sheet 台账 for one plan, one sheet per plan for several."""
    from openpyxl import Workbook

    plan_list = [plans] if isinstance(plans, Plan) else list(plans)
    wb = Workbook()
    wb.remove(wb.active)
    if len(plan_list) == 1:
        names = ["台账"]
    else:
        names = _sheet_names(_sheet_base(p, i) for i, p in enumerate(plan_list, 1))
    for plan, name in zip(plan_list, names, strict=True):
        _fill_sheet(wb.create_sheet(name), plan)
    if not plan_list:
        _fill_sheet(wb.create_sheet("台账"), None)
    wb.save(os.fspath(path))


def _sheet_base(plan: Plan, index: int) -> str:
    if plan.source:
        return Path(plan.source).stem
    return plan.meta.title or f"方案{index}"


def _sheet_names(bases: Iterable[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    names: list[str] = []
    seen: set[str] = set()
    for base in bases:
        clean = _SHEET_FORBIDDEN.sub("_", base).strip().strip("'") or "方案"
        name, n = clean[:31], 1
        while name.casefold() in seen:
            n += 1
            suffix = f"({n})"
            name = clean[: 31 - len(suffix)] + suffix
        seen.add(name.casefold())
        names.append(name)
    return names


def _fill_sheet(ws, plan: Plan | None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from luoshi.workbook_cells import put

    ncols = len(LEDGER_COLUMNS)
    last_col = get_column_letter(ncols)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    title = _heading(plan) if plan else "工作台账"
    put(ws, 1, 1, title)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36

    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for col, (name, width) in enumerate(LEDGER_COLUMNS, 1):
        cell = put(ws, 2, col, name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width

    row = 2
    for depth, _last, _trail, item in _walk_with_depth(plan.items if plan else []):
        row += 1
        values = _ledger_row(depth, item)
        for col, value in enumerate(values, 1):
            cell = put(ws, row, col, value)
            cell.border = border
            cell.alignment = wrap
        # Indent the task by depth so the outline reads as it does in the document.
        ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=min(2 * depth, 15))
        if depth == 0:
            for col in range(1, ncols + 1):
                ws.cell(row, col).font = Font(bold=True)

    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last_col}{row}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _ledger_row(depth: int, item: Item) -> list[str | int]:
    due = _deadline_text(item)
    if item.milestones:
        steps = "\n".join(f"{k}：{v}" for k, v in item.milestones.items())
        due = f"{due}\n{steps}" if due else steps
    return [
        item.label,
        _one_line(item.title),
        "、".join(item.lead),
        "、".join(item.support),
        format_targets(item.targets),
        due,
        depth + 1,
        item.text,
    ]
