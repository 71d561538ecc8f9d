"""Reading the committee's list of proposals (提案/建议一览表) from Excel, without Django.

Committees name their columns differently (案号 / 提案号 / 建议编号, 案由 / 标题 / 提案名称, 提案人 /
领衔人 / 领衔代表, ...): each column is mapped by a table of synonyms, the header may sit below a
title line, and every row is checked exactly as a registration would check it. The result lists
every problem with its row and column; a list with any problem is not to be registered at all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from luoshi.proposals import handling as h
from luoshi.zipsafe import ZipRefused, zip_names

# field → header texts, compared without spaces and brackets' contents.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("案号", "提案号", "建议号", "提案编号", "建议编号", "编号", "提案案号", "建议案号"),
    "title": ("案由", "标题", "题目", "提案名称", "建议名称", "提案标题", "建议标题", "提案题目", "建议题目"),
    "proposer": (
        "提案人",
        "第一提案人",
        "领衔人",
        "领衔代表",
        "提出人",
        "提案者",
        "代表姓名",
        "委员姓名",
        "提案单位或个人",
    ),
    "cosigners": ("联名人", "附议人", "联名提案人", "附议代表", "联名代表", "联名委员"),
    "group": ("界别", "党派", "界别党派", "所属界别", "代表团", "所属代表团", "界别或代表团"),
    "category": ("类别", "分类", "提案类别", "建议类别", "所属类别", "内容分类"),
    "text": ("内容", "正文", "提案内容", "建议内容", "案据", "全文"),
    "submitted": ("提交日期", "提交时间", "提出日期", "立案日期", "日期"),
    "key": ("重点", "重点提案", "是否重点", "重点建议", "是否重点提案"),
    "leader": ("督办领导", "领衔督办领导", "领衔督办", "督办市领导"),
    "session": ("届次", "会次", "届次会次"),
    # The units of the 交办, when the list was drawn up after it: names as the sheet writes them,
    # matched to the unit register (its aliases too) before anything is registered.
    "leads": ("主办单位", "承办单位", "主办", "承办", "主办部门", "承办部门", "牵头单位", "主办（牵头）单位"),
    "supports": ("会办单位", "协办单位", "会办", "协办", "会办部门", "协办部门", "配合单位"),
    "split": ("分办单位", "分办", "分办部门"),
}
# Columns that luoshi reads but does not register from the list.
IGNORED = ("序号", "备注")
UNIT_FIELDS = ("leads", "supports", "split")
UNITS = "units"
REQUIRED = ("number", "title", "proposer")
LABELS = {
    "number": "案号",
    "title": "案由",
    "proposer": "提案人",
    "cosigners": "联名人",
    "group": "界别（代表团）",
    "category": "分类",
    "text": "正文",
    "submitted": "提交日期",
    "key": "重点",
    "leader": "督办领导",
    "session": "届次",
    "leads": "主办单位",
    "supports": "会办单位",
    "split": "分办单位",
}
# One unit name at most this long (Unit.name); a longer "name" is a sentence, not a unit.
UNIT_NAME_MAX = 100
HEADER_SCAN_ROWS = 10
MAX_ROWS = 5_000
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_PROBLEMS = 200
_SPLIT_NAMES = re.compile(r"[、，,；;\s]+")
# Unit names are parted by the list's punctuation; a space may sit inside one (市委 办公室).
_SPLIT_UNITS = re.compile(r"[、，,；;\n\r/／]+")
_NORMALISE = re.compile(r"[\s（）()【】\[\]/／:：*＊]")
_YES = {"是", "重点", "√", "✓", "Y", "y", "yes", "1", "TRUE", "true"}
_NO = {"", "否", "N", "n", "no", "0", "FALSE", "false", "-", "—"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the row (1-based, as Excel numbers it; 0 for the file), the column, why."""

    row: int
    column: str
    message: str


@dataclass
class ListRead:
    """The rows of a list, ready to register, and every problem found; rows count only without problems."""

    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → the header as written
    ignored: list[str] = field(default_factory=list)
    # Every row's unit names by role ({"leads": [...], "supports": [...], "split": [...]}), the
    # sheet's row number ("row") and whether the row is among ``rows`` ("ok"), in the sheet's order.
    units: list[dict] = field(default_factory=list)

    @property
    def has_units(self) -> bool:
        """Whether the list names any unit (its 交办 is then made with its registration)."""
        return any(u[f] for u in self.units for f in UNIT_FIELDS)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _norm(text: str) -> str:
    return _NORMALISE.sub("", text)


_LOOKUP = {_norm(s): f for f, names in SYNONYMS.items() for s in names}


def header_map(cells: tuple) -> dict[int, str]:
    """Column index → field for a header row; the first column of each field wins."""
    out: dict[int, str] = {}
    for i, cell in enumerate(cells):
        f = _LOOKUP.get(_norm(str(cell or "")))
        if f and f not in out.values():
            out[i] = f
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # 案号 typed as a number comes back as 125255.0
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _date(value, row: int) -> tuple[dt.date | None, Problem | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError:
            pass
    return None, Problem(
        row, LABELS["submitted"], f"日期“{text[:40]}”无法识别，应为 2024-01-20 或 2024年1月20日"
    )


def read_list(data: bytes, *, session: str, kind: str, existing: tuple[str, ...] = ()) -> ListRead:
    """The proposals in an uploaded list for `session` (unless a 届次 column names each row's).

    `existing` are the 案号 already registered in that session; a number used there, or twice in
    the list, is a problem naming the other row or the existing proposal.
    """
    out = ListRead()
    if not data:
        out.problems.append(Problem(0, "", "文件为空"))
        return out
    if len(data) > MAX_BYTES:
        out.problems.append(
            Problem(0, "", f"文件过大（{len(data) // 1024 // 1024} MB，最多 {MAX_BYTES // 1024 // 1024} MB）")
        )
        return out
    if kind not in h.KINDS:
        out.problems.append(Problem(0, "", "请选择类别：提案或建议"))
        return out
    problem = _check_zip(data)
    if problem:
        out.problems.append(Problem(0, "", problem))
        return out
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook; each means the same to the user
        out.problems.append(Problem(0, "", "不是有效的 Excel（.xlsx）文件"))
        return out
    try:
        ws = next((w for w in wb.worksheets if getattr(w, "sheet_state", "visible") == "visible"), None)
        if ws is None:
            out.problems.append(Problem(0, "", "表格是空的"))
            return out
        _read_sheet(ws, out, session, kind, existing)
    finally:
        wb.close()
    if len(out.problems) > MAX_PROBLEMS:
        rest = len(out.problems) - MAX_PROBLEMS
        out.problems = [*out.problems[:MAX_PROBLEMS], Problem(0, "", f"另有 {rest} 处错误未列出")]
    if not out.rows and not out.problems:
        out.problems.append(Problem(0, "", "表格中没有提案"))
    return out


def _check_zip(data: bytes) -> str:
    """Why the bytes are not a workbook worth opening (or a zip bomb), or ""."""
    try:
        names = zip_names(data, max_unzipped=MAX_UNZIPPED)
    except ZipRefused as e:
        if e.reason == "damaged":
            return "不是有效的 Excel（.xlsx）文件（旧版 .xls 请另存为 .xlsx）"
        return f"文件{e}"
    if "xl/workbook.xml" not in names:
        return "不是 Excel（.xlsx）文件"
    return ""


def _read_sheet(ws, out: ListRead, session: str, kind: str, existing: tuple[str, ...]) -> None:
    rows = ws.iter_rows(values_only=True)
    columns: dict[int, str] = {}
    header_row = 0
    for number, cells in enumerate(rows, 1):
        found = header_map(cells or ())
        if all(f in found.values() for f in REQUIRED):
            columns, header_row = found, number
            out.columns = {f: str(cells[i]).strip() for i, f in found.items()}
            out.ignored = [
                str(c).strip() for c in cells if c and _norm(str(c)) in {_norm(x) for x in IGNORED}
            ]
            break
        if number >= HEADER_SCAN_ROWS:
            break
    if not columns:
        missing = "、".join(LABELS[f] for f in REQUIRED)
        out.problems.append(Problem(0, "", f"前{HEADER_SCAN_ROWS}行中找不到表头（至少需要：{missing}）"))
        return
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows, header_row + 1):
        if number - header_row > MAX_ROWS:
            out.rows.clear()
            out.units.clear()
            out.problems.append(Problem(number, "", f"行数超过上限{MAX_ROWS}，请分批导入"))
            return
        cells = cells or ()
        raw = {f: cells[i] if i < len(cells) else None for i, f in columns.items()}
        if all(_text(v) == "" for v in raw.values()):
            continue  # blank rows between sections
        row, problems, units = _row(raw, number, session, kind)
        if row is not None:
            key = (row["session"], h.number_digits(row["number"]) or row["number"])
            if key in seen:
                problems.append(Problem(number, LABELS["number"], f"案号与第{seen[key]}行重复"))
            elif row["session"] == session and any(h.same_number(row["number"], e) for e in existing):
                problems.append(Problem(number, LABELS["number"], f"{session}已登记过案号“{row['number']}”"))
            seen.setdefault(key, number)
        out.problems += problems
        ok = row is not None and not problems
        out.units.append({**units, "row": number, "ok": ok})
        if row is not None:
            row.pop(UNITS)
        if ok:
            out.rows.append(row)


def _row(raw: dict, number: int, session: str, kind: str) -> tuple[dict | None, list[Problem], dict]:
    """One row as registration fields, checked by the core's own registration, and its units."""
    problems: list[Problem] = []
    submitted, p = _date(raw.get("submitted"), number)
    if p:
        problems.append(p)
    key_text = _text(raw.get("key"))
    if key_text not in _YES and key_text not in _NO:
        problems.append(Problem(number, LABELS["key"], f"“{key_text[:20]}”无法识别，应为“是”或“否”"))
    fields = {
        "number": _text(raw.get("number")),
        "session": _text(raw.get("session")) or session,
        "kind": kind,
        "title": _text(raw.get("title")),
        "proposer": _text(raw.get("proposer")),
        "cosigners": [n for n in _SPLIT_NAMES.split(_text(raw.get("cosigners"))) if n],
        "group": _text(raw.get("group")),
        "text": _text(raw.get("text")),
        "category": _text(raw.get("category")),
        "submitted": submitted,
        "key": key_text in _YES,
        "leader": _text(raw.get("leader")),
    }
    units = {f: unit_names(raw.get(f)) for f in UNIT_FIELDS}
    problems += _unit_problems(units, number)
    if not fields["session"]:
        problems.append(Problem(number, LABELS["session"], "未指定届次"))
    try:
        h.register(on=dt.date(2000, 1, 1), **fields)
    except h.HandlingError as e:
        problems.append(Problem(number, _column_of(str(e)), str(e)))
    # The units travel beside the registration fields (``ListRead.units``), popped by the reader,
    # a refused row's too: the review then names every unknown unit at once.
    return {**fields, UNITS: units} if not problems else None, problems, units


def unit_names(value) -> list[str]:
    """The unit names of one cell, in order, each once (``市发改委、市交通局`` → two names)."""
    names = (" ".join(n.split()) for n in _SPLIT_UNITS.split(_text(value)))
    return list(dict.fromkeys(n for n in names if n))


def _unit_problems(units: dict[str, list[str]], number: int) -> list[Problem]:
    """What is wrong with a row's units before they are looked up: the 交办's own shape."""
    out = [
        Problem(number, LABELS[f], f"单位名称过长（{len(n)}字）：“{n[:20]}…”")
        for f in UNIT_FIELDS
        for n in units[f]
        if len(n) > UNIT_NAME_MAX
    ]
    if units["split"] and units["leads"]:
        out.append(Problem(number, LABELS["split"], "同一件既填了主办单位又填了分办单位，请只填一种"))
    elif units["split"] and units["supports"]:
        out.append(Problem(number, LABELS["supports"], "分办时各单位分别答复，不设会办单位"))
    elif units["supports"] and not units["leads"]:
        out.append(Problem(number, LABELS["supports"], "填了会办单位但未填主办单位"))
    elif len(units["leads"]) > 1:
        out.append(Problem(number, LABELS["leads"], "只能有一个主办单位；多个单位分别答复请填分办单位"))
    both = set(units["leads"] + units["split"]) & set(units["supports"])
    if both:
        out.append(Problem(number, LABELS["supports"], f"“{'、'.join(sorted(both))}”不能既是主办单位又是会办单位"))
    return out


def _column_of(message: str) -> str:
    """The column a registration's message is about, from the field it names first."""
    if "领导" in message:
        return LABELS["leader"]
    for label in LABELS.values():
        if message.startswith(label) or message.startswith(label[:2]):
            return label
    if "案由" in message:
        return LABELS["title"]
    return ""
