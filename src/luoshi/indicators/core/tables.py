"""Statistics tables as bureaus publish them, read into figures for review.

Three layouts are recognised from the header row:

1. cities across, periods down: a 年份/时间 column, then one column per city;
2. the transpose, periods across, cities down: a 地区/城市 column, then one column per period;
3. one row per observation: columns for the indicator, the city, the period, the value and
   optionally the unit (指标名称 / 地区 / 时间 / 数值 / 计量单位).

Layouts 1 and 2 hold one indicator: the one chosen on upload, else the one the title above the
header names (「地区生产总值（亿元）」). Headers and city names are matched by synonyms (成都 for
成都市, aliases staff keep), periods read as written in Chinese tables (2023年, 2023年3月,
2023年第一季度, 2023Q1, an Excel date), values with their 万/亿 and % (「1.2万」, 「3.5亿元」,
「12.5%」) and converted to the catalogue's unit (a table in 万元 for an indicator in 亿元).

Nothing is recorded here: ``read_table`` returns the figures and every problem with its row and
column, and the caller commits only a table without problems (or with its bad rows excluded).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from luoshi.indicators.core.vintages import check_period
from luoshi.zipsafe import ZipRefused, zip_names

MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_PROBLEMS = 500
MAX_PART = 128 * 1024 * 1024  # one part of an .xlsx unzipped: a 200,000-row sheet is about 40 MB
HEADER_SCAN_ROWS = 10

# Column headers of the one-row-per-observation layout.
LONG_HEADERS = {
    "indicator": ("指标", "指标名称", "统计指标", "项目", "indicator"),
    "entity": ("地区", "城市", "地市", "市州", "区域", "统计对象", "对象", "city", "entity", "region"),
    "period": ("时间", "期别", "统计期", "年份", "年度", "期间", "日期", "period", "year"),
    "value": ("数值", "值", "数据", "指标值", "value"),
    "unit": ("单位", "计量单位", "unit"),
}
PERIOD_HEADERS = LONG_HEADERS["period"] + ("时期", "年月", "月份", "季度")
ENTITY_HEADERS = LONG_HEADERS["entity"] + ("城市名称", "地区名称")
BLANKS = {"", "-", "--", "—", "——", "…", "...", "/", "／", "－", "无", "null", "NULL", "NA", "N/A", "#N/A"}
# Unit prefixes, longest first: 百万元 is 1e6 元, 万元 is 1e4 元.
PREFIXES = (
    ("百万", 1e6),
    ("千万", 1e7),
    ("百亿", 1e10),
    ("万亿", 1e12),
    ("万", 1e4),
    ("亿", 1e8),
    ("千", 1e3),
)
_SPACE = re.compile(r"[\s\u3000\ufeff]+")
_NUMBER = re.compile(r"^([+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)$")
_YEAR = re.compile(r"^((?:19|20)\d\d)(?:年|年度|年份)?$")
_MONTH = re.compile(r"^((?:19|20)\d\d)\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|月份)?$")
_QUARTER = re.compile(
    r"^((?:19|20)\d\d)\s*(?:年\s*)?(?:第\s*)?([1-4一二三四])\s*季度?$|^((?:19|20)\d\d)\s*-?\s*Q([1-4])$", re.I
)
_TITLE_UNIT = re.compile(r"[（(]\s*(?:单位[:：]\s*)?([^（）()]{1,12})\s*[)）]\s*$|单位[:：]\s*(\S{1,12})")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class TableError(ValueError):
    """The file cannot be read as a table at all; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """What the reader needs of a catalogue indicator."""

    name: str
    unit: str
    frequency: str
    level: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the review must show: sheet row and column (from 1; 0 for the whole file)."""

    row: int
    column: int
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"第{column_letter(self.column)}列")
        return ("".join(where) or "文件") + "：" + self.message


class TableFigure(NamedTuple):
    """One figure read from the table, with where it was and what the cell said. A tuple: a long
    table makes 100,000 of them, stored as they are between review and commit."""

    indicator: str
    entity: str
    period: str
    value: float
    row: int
    column: int
    raw: str


@dataclass(slots=True)
class TableRead:
    layout: str = ""  # cities-across / periods-across / long
    indicator: str = ""  # layouts 1 and 2: the indicator of the whole table
    figures: list[TableFigure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blanks: int = 0  # cells left empty or marked — / … (no figure, no problem)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.figures)

    def problem(self, row: int, column: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=65536)  # a long table repeats the same few hundred names and periods
def squeeze(text: str) -> str:
    """A header or name compared without spaces, full-width spaces or case."""
    return _SPACE.sub("", text or "").lower()


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m")
    return str(value).strip()


# --- reading the file -------------------------------------------------------------------------


def grid(data: bytes, name: str = "") -> list[list]:
    """The first sheet of an .xlsx, or a CSV (UTF-8, GB18030, UTF-16; detected), as rows of
    cells; TableError for an empty, oversized or unreadable file."""
    if not data:
        raise TableError("文件为空")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError("不支持旧版 Excel（.xls），请另存为 .xlsx 或 CSV")
    return _csv_rows(data)


def _xlsx_rows(data: bytes) -> list[list]:
    """The first visible sheet's rows. Read with calamine (Rust): openpyxl took 23 s for a
    100,000-row sheet where calamine takes under one."""
    from python_calamine import CalamineWorkbook

    try:
        names = zip_names(data, max_unzipped=4 * MAX_PART, max_part=MAX_PART)
    except ZipRefused as e:
        if e.reason == "damaged":
            raise TableError("不是有效的 Excel（.xlsx）文件") from None
        raise TableError(f"文件{e}") from None
    if "xl/workbook.xml" not in names:
        raise TableError("不是有效的 Excel（.xlsx）文件")
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [i for i, m in enumerate(wb.sheets_metadata) if str(m.visible).endswith("Visible")]
        for index in visible:
            rows = _bounded(wb.get_sheet_by_index(index).iter_rows())
            if rows:
                return rows
    except TableError:
        raise
    except Exception as exc:  # a damaged workbook: calamine raises its own error kinds
        raise TableError(f"Excel 文件损坏，无法读取（{type(exc).__name__}）") from None
    raise TableError("表格是空的")


def _csv_rows(data: bytes) -> list[list]:
    from luoshi.textplan.readers import ReadError, decode_bytes

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError("不是 Excel 或 CSV 文件")
    try:
        text = decode_bytes(data).lstrip("\ufeff")
    except ReadError as exc:
        raise TableError(f"无法识别文件编码：{exc.reason}") from None
    if "\ufffd" in text[:10000]:
        raise TableError("无法识别文件编码（请另存为 UTF-8 或 GB18030 的 CSV）")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows = _bounded(csv.reader(io.StringIO(text), dialect))
    if not any(any(cell_text(c) for c in row) for row in rows):
        raise TableError("表格是空的")
    return rows


def _blank_cell(value) -> bool:
    """cell_text(value) == "" without building the text: only None and blank strings are."""
    return value is None or (isinstance(value, str) and not value.strip())


def _bounded(rows: Iterable) -> list[list]:
    out: list[list] = []
    for row in rows:
        if len(out) >= MAX_ROWS:
            raise TableError(f"行数超过上限 {MAX_ROWS}")
        row = list(row)
        while row and _blank_cell(row[-1]):
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise TableError(f"列数超过上限 {MAX_COLUMNS}")
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


# --- names, periods, values -------------------------------------------------------------------


class Names:
    """Names → canonical name, by exact text, by squeezed text, and without 市/区/县 suffixes."""

    def __init__(self, synonyms: dict[str, Iterable[str]]) -> None:
        self.by: dict[str, str] = {}
        for canonical, others in synonyms.items():
            for name in (canonical, *others):
                key = squeeze(name)
                self.by.setdefault(key, canonical)
                short = re.sub(r"(市|地区|自治州|州|区|县)$", "", key)
                if len(short) >= 2:
                    self.by.setdefault(short, canonical)

        self.found: dict[str, str | None] = {}

    def find(self, text: str) -> str | None:
        if text in self.found:
            return self.found[text]
        key = squeeze(text)
        name = (
            (self.by.get(key) or self.by.get(re.sub(r"(市|地区|自治州|州|区|县)$", "", key))) if key else None
        )
        self.found[text] = name
        return name


@lru_cache(maxsize=4096)
def read_period(value, frequency: str) -> str:
    """The period code of a header or cell for an indicator of ``frequency``; ValueError in Chinese."""
    if isinstance(value, dt.datetime | dt.date):
        text = f"{value.year}-{value.month:02d}" if frequency == "month" else str(value.year)
    else:
        text = squeeze(cell_text(value)).upper()
        if m := _YEAR.match(text):
            text = m[1]
        elif m := _MONTH.match(text):
            text = f"{m[1]}-{int(m[2]):02d}"
        elif m := _QUARTER.match(text):
            year, q = (m[1], m[2]) if m[1] else (m[3], m[4])
            text = f"{year}-Q{_CN_DIGITS.get(q, q)}"
    return check_period(text, frequency).code


def looks_like_period(value) -> bool:
    if isinstance(value, dt.datetime | dt.date):
        return True
    text = squeeze(cell_text(value)).upper()
    return bool(
        _YEAR.match(text) or _MONTH.match(text) or _QUARTER.match(text) or re.fullmatch(r"\d{4}-Q[1-4]", text)
    )


@lru_cache(maxsize=1024)
def split_unit(unit: str) -> tuple[float, str]:
    """A unit as (multiplier, base): 亿元 → (1e8, 元), 万人 → (1e4, 人), % → (1, %), 个 → (1, 个)."""
    unit = squeeze(unit).replace("％", "%")
    for prefix, mult in PREFIXES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return mult, unit[len(prefix) :]
    if unit in ("万", "亿", "千"):
        return dict(PREFIXES)[unit], ""
    return 1.0, unit


_BLANK_KEYS = frozenset(_SPACE.sub("", b).lower() for b in BLANKS)


def read_value(value, table_unit: str, catalogue_unit: str) -> float | None:
    """The number a cell holds in the catalogue's unit; None for a blank (—, …); ValueError in
    Chinese for text that is not a number or a unit that contradicts the catalogue."""
    if isinstance(value, bool):
        raise ValueError("不是数值")
    if isinstance(value, int | float):
        number, suffix = float(value), ""
    else:
        text = cell_text(value).replace("，", ",").replace("％", "%")
        key = squeeze(text)
        if key in _BLANK_KEYS:
            return None
        m = _NUMBER.match(key)
        if not m:
            raise ValueError(f"「{text[:20]}」不是数值")
        number, suffix = float(m[1].replace(",", "")), m[2]
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("不是有限数值")
    return number * _scale(suffix, table_unit, catalogue_unit)


@lru_cache(maxsize=1024)
def _scale(suffix: str, table_unit: str, catalogue_unit: str) -> float:
    """What a number written with ``suffix`` (万, 亿元, %) in a table in ``table_unit`` is
    multiplied by to be in ``catalogue_unit``; ValueError when the units contradict."""
    want_mult, want_base = split_unit(catalogue_unit)
    if suffix == "%" or (not suffix and squeeze(table_unit) in ("%", "％")):
        if want_base != "%":
            raise ValueError(f"百分数与目录单位「{catalogue_unit or '无'}」不符")
        return 1.0
    have_mult, have_base = split_unit(suffix or table_unit or catalogue_unit)
    if suffix and not have_base:
        # 「1.2万」: the cell's 万 multiplies the table's unit (or the catalogue's).
        table_mult, table_base = split_unit(table_unit or catalogue_unit)
        have_mult, have_base = have_mult * table_mult, table_base
    if have_base != want_base and have_base and want_base:
        raise ValueError(f"单位「{suffix or table_unit}」与目录单位「{catalogue_unit}」不符")
    return have_mult / want_mult


# --- layouts ----------------------------------------------------------------------------------


def _header_row(rows: list[list], places: Names) -> int:
    """The index of the header among the top rows: the first that names the long layout's columns,
    cities or periods (a title split over two cells is not one), else the first with two cells."""
    candidates = [
        i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if sum(1 for c in row if cell_text(c)) >= 2
    ]
    if not candidates:
        raise TableError("找不到表头：前10行中没有至少两列有内容的行")
    for i in candidates:
        labels = rows[i][1:]
        if _long_columns(rows[i]) or any(places.find(cell_text(c)) or looks_like_period(c) for c in labels):
            return i
    return candidates[0]


def _long_columns(header: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = squeeze(cell_text(cell))
        for role, names in LONG_HEADERS.items():
            if role not in found and text in names:
                found[role] = i
                break
    return found if {"indicator", "entity", "period", "value"} <= found.keys() else {}


def _title_of(rows: list[list], header_at: int) -> tuple[str, str]:
    """The title lines above the header, and the unit they name (「单位：万元」, 「（亿元）」)."""
    lines = [cell_text(c) for row in rows[:header_at] for c in row if cell_text(c)]
    unit = ""
    for line in lines:
        if m := _TITLE_UNIT.search(line):
            unit = (m[1] or m[2] or "").strip()
    return " ".join(lines), unit


def read_table(
    data: bytes,
    catalogue: dict[str, IndicatorInfo],
    entities: dict[str, Iterable[str]],
    indicator: str | None = None,
    name: str = "",
) -> TableRead:
    """Read ``data`` (xlsx or CSV) against the catalogue (indicator name → info) and the entities
    (canonical name → its aliases). ``indicator``: the indicator of a one-indicator table, chosen
    on upload. A file that cannot be read at all is a problem at row 0."""
    read = TableRead()
    try:
        places = Names(entities)
        rows = grid(data, name)
        header_at = _header_row(rows, places)
    except TableError as exc:
        read.problem(0, 0, str(exc))
        return read
    header = rows[header_at]
    body = rows[header_at + 1 :]
    first_row = header_at + 2  # sheet rows count from 1
    long = _long_columns(header)
    if long:
        read.layout = "long"
        _read_long(read, body, first_row, long, catalogue, places)
    else:
        title, title_unit = _title_of(rows, header_at)
        info = _table_indicator(read, catalogue, indicator, title)
        if info is None:
            return read
        read.indicator = info.name
        labels = header[1:]
        across_places = sum(1 for c in labels if places.find(cell_text(c)))
        across_periods = sum(1 for c in labels if looks_like_period(c))
        if across_places == 0 and across_periods == 0:
            read.problem(
                header_at + 1,
                0,
                "无法识别表格布局：表头既不是城市也不是期别，也没有「指标、地区、时间、数值」列",
            )
            return read
        read.layout = "cities-across" if across_places >= across_periods else "periods-across"
        _read_wide(read, header, header_at + 1, body, first_row, info, places, title_unit)
    if not read.figures and not read.problems:
        read.problem(0, 0, "表格中没有数值")
    _find_duplicates(read)
    return read


def _table_indicator(read: TableRead, catalogue, chosen: str | None, title: str) -> IndicatorInfo | None:
    if chosen:
        info = catalogue.get(chosen)
        if info is None:
            read.problem(0, 0, f"指标「{chosen[:40]}」不在指标目录中")
        return info
    names = Names({n: () for n in catalogue})
    # The longest catalogue name the title contains: 「地区生产总值增速」 before 「地区生产总值」.
    hits = [n for n in sorted(catalogue, key=len, reverse=True) if squeeze(n) in squeeze(title)]
    if hits:
        return catalogue[hits[0]]
    if names.find(title):
        return catalogue[names.find(title)]
    read.problem(0, 0, "请选择这张表的指标（表头是城市或期别，标题中没有目录里的指标名称）")
    return None


def _read_wide(read, header, header_row, body, first_row, info, places, title_unit) -> None:
    across_places = read.layout == "cities-across"
    columns: dict[int, str] = {}
    for col, cell in enumerate(header[1:], 2):
        text = cell_text(cell)
        if not text:
            continue
        if across_places:
            name = places.find(text)
            if name is None:
                if squeeze(text) in ("合计", "总计", "全省", "全市", "小计"):
                    continue  # totals are not an entity's figure
                read.problem(header_row, col, f"未知城市「{text[:20]}」")
                continue
            columns[col] = name
        else:
            try:
                columns[col] = read_period(cell, info.frequency)
            except ValueError as exc:
                read.problem(header_row, col, f"表头「{text[:20]}」：{exc}")
    for number, row in enumerate(body, first_row):
        if not row or not cell_text(row[0]) and not any(cell_text(c) for c in row):
            continue
        label = row[0] if row else None
        if across_places:
            try:
                row_key = read_period(label, info.frequency)
            except ValueError as exc:
                if squeeze(cell_text(label)).startswith(("注", "说明", "资料来源", "数据来源")):
                    continue  # notes under the table
                read.problem(number, 1, f"「{cell_text(label)[:20]}」：{exc}")
                continue
        else:
            row_key = places.find(cell_text(label))
            if row_key is None:
                text = cell_text(label)
                if squeeze(text) in ("合计", "总计", "全省", "全市", "小计") or squeeze(text).startswith(
                    ("注", "说明", "资料来源")
                ):
                    continue
                read.problem(number, 1, f"未知城市「{text[:20]}」")
                continue
        for col, key in columns.items():
            raw = row[col - 1] if col - 1 < len(row) else None
            entity, period = (key, row_key) if across_places else (row_key, key)
            _add(read, info, entity, period, raw, title_unit, number, col)


def _distinct(cells: list) -> tuple[list, list[int]]:
    """The distinct cells and each cell's index among them. True equals 1 as a dict key but not
    as a cell (「True」 is no year): a column holding a truth value is keyed by type as well."""
    if any(c.__class__ is bool for c in cells):
        keyed, codes = _distinct([(c.__class__, c) for c in cells])
        return [c for _, c in keyed], codes
    index: dict = {}
    codes = [index.setdefault(c, len(index)) for c in cells]
    return list(index), codes


def _read_long(read, body, first_row, cols, catalogue, places) -> None:
    """One figure a row. Each distinct indicator, city and period is read once: a 100,000-row
    table names a few hundred of each, and reading them cell by cell took seconds. A row's first
    problem is listed, checked in the order indicator, city, period, value."""
    # _bounded dropped the trailing blank cells: a blank row is an empty one.
    numbered = [(n, r) for n, r in enumerate(body, first_row) if r]
    if not numbered:
        return

    def column(role: str) -> list:
        if role not in cols:
            return [None] * len(numbered)
        i = cols[role]
        return [r[i] if i < len(r) else None for _, r in numbered]

    indicators = Names({n: () for n in catalogue})
    distinct, ind = _distinct(column("indicator"))
    infos = [catalogue.get(indicators.find(cell_text(c)) or "") for c in distinct]
    distinct, ent = _distinct(column("entity"))
    entities = [places.find(cell_text(c)) for c in distinct]
    # A period is read against its indicator's frequency: each distinct (indicator, cell) once.
    cells, per = _distinct(column("period"))
    pairs, per = _distinct([i * len(cells) + p for i, p in zip(ind, per, strict=True)])
    periods: list[tuple[str | None, str]] = []
    for pair in pairs:
        info, cell = infos[pair // len(cells)], cells[pair % len(cells)]
        try:
            periods.append((read_period(cell, info.frequency), "") if info else (None, ""))
        except ValueError as exc:
            periods.append((None, str(exc)))
    distinct, unit_of = _distinct(column("unit"))
    unit_texts = [cell_text(c) for c in distinct]
    values = column("value")
    value_column = cols["value"] + 1
    found: list[tuple[int, int, str]] = []
    for k, (number, row) in enumerate(numbered):
        info = infos[ind[k]]
        if info is None:
            text = cell_text(row[cols["indicator"]] if cols["indicator"] < len(row) else None)
            found.append((number, cols["indicator"] + 1, f"未知指标「{text[:30]}」"))
            continue
        entity = entities[ent[k]]
        if entity is None:
            text = cell_text(row[cols["entity"]] if cols["entity"] < len(row) else None)
            found.append((number, cols["entity"] + 1, f"未知城市「{text[:20]}」"))
            continue
        period, why = periods[per[k]]
        if period is None:
            found.append((number, cols["period"] + 1, why))
            continue
        raw = values[k]
        try:
            value = read_value(raw, unit_texts[unit_of[k]], info.unit)
        except ValueError as exc:
            found.append((number, value_column, f"{info.name}：{exc}"))
            continue
        if value is None:
            read.blanks += 1
            continue
        read.figures.append(
            TableFigure(info.name, entity, period, value, number, value_column, cell_text(raw)[:50])
        )
    for problem in found[:MAX_PROBLEMS]:
        read.problem(*problem)


def _add(read, info, entity, period, raw, unit, row, col) -> None:
    try:
        value = read_value(raw, unit, info.unit)
    except ValueError as exc:
        read.problem(row, col, f"{info.name}：{exc}")
        return
    if value is None:
        read.blanks += 1
        return
    read.figures.append(TableFigure(info.name, entity, period, value, row, col, cell_text(raw)[:50]))


def _find_duplicates(read: TableRead) -> None:
    seen: dict[tuple[str, str, str], TableFigure] = {}
    for f in read.figures:
        key = (f.indicator, f.entity, f.period)
        if key in seen:
            first = seen[key]
            read.problem(
                f.row,
                f.column,
                f"与第{first.row}行第{column_letter(first.column)}列重复（{f.entity} {f.period}）",
            )
        else:
            seen[key] = f


def rows_of(read: TableRead) -> Iterator[tuple]:
    """The figures as plain tuples, for storing a read between review and commit."""
    for f in read.figures:
        yield (f.indicator, f.entity, f.period, f.value, f.row, f.column, f.raw)
