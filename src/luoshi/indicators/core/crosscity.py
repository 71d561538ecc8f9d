"""跨城通办: the list of service items that can be handled across the area's cities, as data and as
the Excel template staff download, edit and upload again. No Django.

An item is keyed by its name (事项名称). The template has one row per item and one column per city:
a date in a city's cell says since when the item can be handled there, 是 (or √, ✓, 可办) that it
can (since the day it is imported, or since the date already on record), an empty cell or 否 that
it cannot. Counting an item in a city on a day means it could be handled there by then.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from openpyxl import Workbook

from luoshi.indicators.core.catalogue import CellError, UnreadableSheet, cell_text, sheet_rows
from luoshi.workbook_cells import put, put_row

SHEET = "跨城通办事项"
MAX_ROWS = 5_000  # a list is tens to hundreds of items; more is a wrong file
MAX_CITIES = 100
MAX_LENGTHS = {"name": 200, "department": 100, "category": 50, "note": 500}
TEXT_FIELDS = ("name", "department", "category", "note")
HEADERS = {"name": "事项名称", "department": "主管部门", "category": "类别", "note": "备注"}
_HEADER_SYNONYMS = {
    "name": ("事项名称", "事项", "服务事项", "名称", "name"),
    "department": ("主管部门", "部门", "办理部门", "责任部门", "department"),
    "category": ("类别", "分类", "事项类别", "领域", "category"),
    "note": ("备注", "说明", "note"),
}
# A city's cell saying the item can be handled there, without saying since when.
YES = frozenset({"是", "√", "✓", "✔", "可办", "已开通", "开通", "y", "yes", "1"})
# …and saying it cannot (as an empty cell does).
NO = frozenset({"否", "×", "✗", "不可办", "未开通", "n", "no", "0", "—", "-", "/", "…"})
EARLIEST = dt.date(1990, 1, 1)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)$")


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One service item: its name, department, category, note, and the cities where it can be
    handled, each with the date since when (None: not said, so the date on record or today)."""

    name: str
    department: str = ""
    category: str = ""
    note: str = ""
    cities: tuple[tuple[str, dt.date | None], ...] = field(default=())

    def city_names(self) -> list[str]:
        return [c for c, _since in self.cities]


@dataclass(slots=True)
class ItemsRead:
    """What an uploaded list says: the items with the sheet row each came from, or the problems."""

    items: list[tuple[int, ItemSpec]]
    errors: list[CellError]


def check_item(spec: ItemSpec) -> list[tuple[str, str]]:
    """The problems of one item as (field, message); empty when it can be stored."""
    problems: list[tuple[str, str]] = []
    if not spec.name.strip():
        problems.append(("name", "事项名称不能为空"))
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(spec, name)) > limit:
            problems.append((name, f"超过{limit}字"))
    names = spec.city_names()
    if len(set(names)) != len(names):
        problems.append(("cities", "同一城市出现多次"))
    for city, since in spec.cities:
        if since is not None and not EARLIEST <= since <= dt.date(2999, 12, 31):
            problems.append(("cities", f"{city}的开通日期超出范围"))
    return problems


def parse_since(value) -> tuple[bool, dt.date | None, str]:
    """A city's cell → (handled there, since when or None, problem). An empty cell is not handled."""
    if value is None:
        return False, None, ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if not EARLIEST <= value <= dt.date(2999, 12, 31):
            return False, None, "日期超出范围"
        return True, value, ""
    if isinstance(value, bool):
        return value, None, ""
    text = str(value).strip()
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else text
    if not text or text.lower() in NO:
        return False, None, ""
    if text.lower() in YES:
        return True, None, ""
    m = _DATE.match(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        try:
            since = dt.date(year, month, day)
        except ValueError:
            return False, None, f"日期「{text[:20]}」不存在"
        if not EARLIEST <= since <= dt.date(2999, 12, 31):
            return False, None, "日期超出范围"
        return True, since, ""
    return False, None, f"无法识别「{text[:20]}」，应填开通日期（如2021-03-01）、“是”或留空"


def write_items(items: Iterable[ItemSpec], cities: list[str]) -> bytes:
    """The list as an .xlsx template: one row per item, one column per city holding the date since
    when it can be handled there, and a sheet explaining the columns. ``read_items`` reads it back."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    put_row(ws, 1, [HEADERS[f] for f in TEXT_FIELDS] + list(cities))
    for number, item in enumerate(items, 2):
        since = dict(item.cities)
        put_row(ws, number, [getattr(item, f) for f in TEXT_FIELDS])
        for col, city in enumerate(cities, len(TEXT_FIELDS) + 1):
            if city in since:
                cell = put(ws, number, col, since[city] or "是")
                if since[city] is not None:
                    cell.number_format = "yyyy-mm-dd"
    for col, width in zip("ABCD", (36, 20, 12, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
    notes = wb.create_sheet("说明")
    put_row(notes, 1, ["列", "填写说明"])
    explained = (
        ("事项名称", "必填；已有事项按名称更新，新名称新增事项；表中未列出的事项不变"),
        ("主管部门", "如 市人力资源社会保障局"),
        ("类别", "如 社会保障、户籍、市场准入"),
        ("备注", "办理方式等"),
        ("各城市列", "可在该市办理的，填开通日期（如2021-03-01）或“是”；不可办理的留空"),
    )
    for i, row in enumerate(explained, 2):
        put_row(notes, i, list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_items(data: bytes, cities: Mapping[str, str]) -> ItemsRead:
    """The items in an uploaded list; ``cities`` maps each spelling of a city a header may use
    (name, alias) to the city's name. Every problem is listed with its row and column, and a list
    with problems gives no items."""
    try:
        with sheet_rows(data, SHEET) as (header, rows):
            return _item_rows(header, rows, cities)
    except UnreadableSheet as e:
        return ItemsRead([], [e.problem])


def _item_rows(header: tuple, rows: Iterator[tuple], cities: Mapping[str, str]) -> ItemsRead:
    text_cols, city_cols, errors = _header_map(header, cities)
    if errors:
        return ItemsRead([], errors)
    items: list[tuple[int, ItemSpec]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 2):
        if number - 1 > MAX_ROWS:
            return ItemsRead([], [CellError(number, "", f"行数超过上限{MAX_ROWS}")])
        spec, row_errors = _item_of(row, number, text_cols, city_cols)
        if spec is None and not row_errors:
            continue  # a blank row
        if spec is not None and spec.name in seen:
            row_errors.append(CellError(number, HEADERS["name"], f"与第{seen[spec.name]}行重复"))
        if spec is not None:
            seen.setdefault(spec.name, number)
            limits = check_item(spec)
            row_errors += [CellError(number, HEADERS.get(f, ""), m) for f, m in limits if f != "cities"]
        errors.extend(row_errors)
        if spec is not None and not row_errors:
            items.append((number, spec))
    if not items and not errors:
        errors.append(CellError(0, "", "表中没有事项"))
    return ItemsRead(items if not errors else [], errors)


def _header_map(
    row: tuple, cities: Mapping[str, str]
) -> tuple[dict[str, int], list[tuple[int, str, str]], list[CellError]]:
    """Text columns by field, city columns as (index, header, city name), and header problems."""
    text_cols: dict[str, int] = {}
    city_cols: list[tuple[int, str, str]] = []
    errors: list[CellError] = []
    taken: dict[str, str] = {}
    for i, cell in enumerate(row):
        raw = cell_text(cell)
        key = raw.replace(" ", "").lower()
        if not key:
            continue
        field_ = next((f for f, names in _HEADER_SYNONYMS.items() if key in names), None)
        if field_ is not None and field_ not in text_cols:
            text_cols[field_] = i
            continue
        city = cities.get(raw) or cities.get(raw.replace(" ", ""))
        if city is None:
            errors.append(CellError(1, raw[:20], "不是事项字段，也不是登记的城市（可在统计对象中添加别名）"))
        elif city in taken:
            errors.append(CellError(1, raw[:20], f"与「{taken[city]}」是同一城市"))
        else:
            taken[city] = raw[:20]
            city_cols.append((i, raw[:20], city))
    if "name" not in text_cols:
        errors.insert(0, CellError(1, "", "找不到「事项名称」列，请使用下载的模板"))
    if len(city_cols) > MAX_CITIES:
        errors.append(CellError(1, "", f"城市列超过上限{MAX_CITIES}"))
    return text_cols, city_cols, errors


def _item_of(
    row: tuple, number: int, text_cols: dict[str, int], city_cols: list[tuple[int, str, str]]
) -> tuple[ItemSpec | None, list[CellError]]:
    values = {f: cell_text(row[i]) if i < len(row) else "" for f, i in text_cols.items()}
    cells = [(header, city, row[i] if i < len(row) else None) for i, header, city in city_cols]
    if not any(values.values()) and all(c is None or cell_text(c) == "" for _h, _c, c in cells):
        return None, []
    errors: list[CellError] = []
    handled: list[tuple[str, dt.date | None]] = []
    for header, city, value in cells:
        yes, since, problem = parse_since(value)
        if problem:
            errors.append(CellError(number, header, problem))
        elif yes:
            handled.append((city, since))
    if not values.get("name"):
        errors.insert(0, CellError(number, HEADERS["name"], "事项名称不能为空"))
        return None, errors
    spec = ItemSpec(
        name=values["name"],
        department=values.get("department", ""),
        category=values.get("category", ""),
        note=values.get("note", ""),
        cities=tuple(handled),
    )
    return spec, errors


def counts(items: Iterable[Iterable[tuple[str, dt.date]]], on: dt.date) -> tuple[dict[str, int], int]:
    """For items given as their (city, since) pairs: how many can be handled in each city on ``on``,
    and how many in at least one city (the whole area's count)."""
    per_city: dict[str, int] = {}
    anywhere = 0
    for cities in items:
        here = {city for city, since in cities if since <= on}
        for city in here:
            per_city[city] = per_city.get(city, 0) + 1
        anywhere += bool(here)
    return per_city, anywhere
