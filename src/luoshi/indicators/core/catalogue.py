"""The indicator catalogue as data: the fields of one indicator, their allowed values, and the
Excel template office staff download, edit and upload again.

An indicator is keyed by its name (指标名称): a row of the template whose name is already in the
catalogue updates that indicator, any other row adds one. Values are read as staff type them:
"越高越好", "正向" and "up" all mean higher is better.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from luoshi.workbook_cells import put, put_row

DIRECTIONS = {"up": "越高越好", "down": "越低越好"}
FREQUENCIES = {"month": "月度", "quarter": "季度", "year": "年度"}
LEVELS = {"city": "城市", "pair": "城市对", "area": "都市圈"}
AREAS = ("交通", "产业", "公共服务", "生态", "政务服务", "体制机制", "创新", "开放", "其他")

# Spellings staff use for the coded fields, beyond the codes and the labels above.
_SYNONYMS = {
    "direction": {
        "正向": "up",
        "越大越好": "up",
        "higher": "up",
        "逆向": "down",
        "负向": "down",
        "越小越好": "down",
        "lower": "down",
    },
    "frequency": {
        "月": "month",
        "按月": "month",
        "月报": "month",
        "季": "quarter",
        "按季": "quarter",
        "按季度": "quarter",
        "季报": "quarter",
        "年": "year",
        "按年": "year",
        "年报": "year",
    },
    "level": {
        "市": "city",
        "单个城市": "city",
        "城市间": "pair",
        "两市": "pair",
        "区域": "area",
        "全域": "area",
        "整体": "area",
    },
}
_CHOICES = {"direction": DIRECTIONS, "frequency": FREQUENCIES, "level": LEVELS}

MAX_LENGTHS = {"name": 200, "unit": 20, "area": 20, "definition": 2000, "source": 200}
MAX_ROWS = 5_000  # a catalogue is hundreds of indicators; more is a wrong file
SHEET = "指标目录"


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One indicator as the catalogue holds it; coded fields hold codes (up, year, city)."""

    name: str
    unit: str = ""
    direction: str = "up"
    area: str = "其他"
    definition: str = ""
    source: str = ""
    frequency: str = "year"
    level: str = "city"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


FIELDS = tuple(f.name for f in fields(IndicatorSpec))
HEADERS = {
    "name": "指标名称",
    "unit": "计量单位",
    "direction": "方向",
    "area": "领域",
    "definition": "定义",
    "source": "数据来源",
    "frequency": "频度",
    "level": "层级",
}
# Header spellings accepted on upload, so a template whose headers were retyped still reads.
_HEADER_SYNONYMS = {
    "name": ("指标名称", "指标", "名称", "name"),
    "unit": ("计量单位", "单位", "unit"),
    "direction": ("方向", "指标方向", "极性", "direction"),
    "area": ("领域", "类别", "板块", "area"),
    "definition": ("定义", "指标定义", "说明", "口径", "definition"),
    "source": ("数据来源", "来源", "source"),
    "frequency": ("频度", "频率", "统计频度", "frequency"),
    "level": ("层级", "统计层级", "level"),
}


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem in the uploaded template: sheet row (from 1) and column header, or 0 / "" for the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{'「' + self.column + '」' if self.column else ''}：{self.message}"


@dataclass(slots=True)
class CatalogueRead:
    """What an uploaded template says: the indicators it lists, or the errors that stop it."""

    specs: list[IndicatorSpec]
    errors: list[CellError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.specs)


def code_of(field: str, text: str) -> str | None:
    """The code a coded field's text means ("越低越好" → "down"), or None when it means none."""
    value = (text or "").strip()
    choices = _CHOICES[field]
    if value.lower() in choices:
        return value.lower()
    for code, label in choices.items():
        if value == label:
            return code
    return _SYNONYMS[field].get(value) or _SYNONYMS[field].get(value.lower())


def check_spec(spec: IndicatorSpec) -> list[tuple[str, str]]:
    """The problems of one indicator as (field, message); empty when it can be stored."""
    problems: list[tuple[str, str]] = []
    if not spec.name.strip():
        problems.append(("name", "指标名称不能为空"))
    for field, limit in MAX_LENGTHS.items():
        if len(getattr(spec, field)) > limit:
            problems.append((field, f"超过{limit}字"))
    for field, choices in _CHOICES.items():
        if getattr(spec, field) not in choices:
            problems.append((field, f"应为{'、'.join(choices.values())}之一"))
    return problems


def write_catalogue(specs: Iterable[IndicatorSpec]) -> bytes:
    """The catalogue as an .xlsx template: one row per indicator, drop-down lists on the coded
    columns, and a sheet explaining the columns. Reading it back with ``read_catalogue`` gives the
    same indicators."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    put_row(ws, 1, [HEADERS[f] for f in FIELDS])
    count = 0
    for count, spec in enumerate(specs, 1):
        row = [getattr(spec, f) for f in FIELDS]
        for i, field in enumerate(FIELDS):
            if field in _CHOICES:
                row[i] = _CHOICES[field][row[i]]
        put_row(ws, count + 1, row)
    last = max(count + 1, 500)  # room for new rows typed under the exported ones
    for field, choices in _CHOICES.items():
        col = "ABCDEFGH"[FIELDS.index(field)]
        check = DataValidation(type="list", formula1='"' + ",".join(choices.values()) + '"', allow_blank=True)
        check.add(f"{col}2:{col}{last}")
        ws.add_data_validation(check)
    for col, width in zip("ABCDEFGH", (28, 10, 10, 10, 40, 16, 8, 8), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明")
    put_row(notes, 1, ["列", "填写说明"])
    explained = {
        "name": "必填；已有指标按名称更新，新名称新增指标",
        "unit": "如 个、条、亿元、%",
        "direction": "、".join(DIRECTIONS.values()),
        "area": "如 " + "、".join(AREAS),
        "definition": "统计口径",
        "source": "如 统计局、交通运输局、台账",
        "frequency": "、".join(FREQUENCIES.values()),
        "level": "、".join(LEVELS.values()) + "（整个都市圈）",
    }
    for i, field in enumerate(FIELDS, 2):
        put(notes, i, 1, HEADERS[field])
        put(notes, i, 2, explained[field])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class UnreadableSheet(Exception):
    """An upload that holds no sheet to read; ``problem`` says why, for the review."""

    def __init__(self, problem: CellError) -> None:
        super().__init__(str(problem))
        self.problem = problem


@contextmanager
def sheet_rows(data: bytes, sheet: str) -> Iterator[tuple[tuple, Iterator[tuple]]]:
    """The header row and the rows below it of ``sheet`` (else the first sheet) of an uploaded
    workbook, closed afterwards; raises UnreadableSheet for an empty, broken or blank file."""
    if not data:
        raise UnreadableSheet(CellError(0, "", "文件为空"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UnreadableSheet(CellError(0, "", "不是有效的 Excel（.xlsx）文件")) from None
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise UnreadableSheet(CellError(0, "", "表格是空的"))
        yield header, rows
    finally:
        wb.close()


def cell_text(value) -> str:
    """A cell as text: whole floats without their .0, surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(row: tuple) -> tuple[dict[str, int], list[CellError]]:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        text = cell_text(cell).replace(" ", "").lower()
        for field, names in _HEADER_SYNONYMS.items():
            if text in names and field not in found:
                found[field] = i
    errors = []
    if "name" not in found:
        errors.append(CellError(1, "", "找不到「指标名称」列，请使用下载的模板"))
    return found, errors


def read_catalogue(data: bytes) -> CatalogueRead:
    """The indicators in an uploaded template. Any error (file, header, a row) is listed with its
    row and column; a template with errors is not to be applied at all."""
    try:
        with sheet_rows(data, SHEET) as (header, rows):
            return _catalogue_rows(header, rows)
    except UnreadableSheet as e:
        return CatalogueRead([], [e.problem])


def _catalogue_rows(header: tuple, rows: Iterator[tuple]) -> CatalogueRead:
    columns, errors = _header_map(header)
    if errors:
        return CatalogueRead([], errors)
    specs: list[IndicatorSpec] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 2):
        if number - 1 > MAX_ROWS:
            return CatalogueRead([], [CellError(number, "", f"行数超过上限{MAX_ROWS}")])
        values = {f: cell_text(row[i]) if i < len(row) else "" for f, i in columns.items()}
        if not any(values.values()):
            continue  # blank rows between indicators
        spec, row_errors = _spec_of(values, number)
        if spec is not None and spec.name in seen:
            row_errors.append(CellError(number, HEADERS["name"], f"与第{seen[spec.name]}行重复"))
        if spec is not None:
            seen.setdefault(spec.name, number)
        errors.extend(row_errors)
        if spec is not None and not row_errors:
            specs.append(spec)
    if not specs and not errors:
        errors.append(CellError(0, "", "模板中没有指标"))
    return CatalogueRead(specs if not errors else [], errors)


def _spec_of(values: dict[str, str], number: int) -> tuple[IndicatorSpec | None, list[CellError]]:
    errors: list[CellError] = []
    kwargs: dict[str, str] = {}
    for field in FIELDS:
        value = values.get(field, "")
        if field in _CHOICES:
            if not value:
                continue  # the default
            code = code_of(field, value)
            if code is None:
                choices = "、".join(_CHOICES[field].values())
                errors.append(
                    CellError(number, HEADERS[field], f"无法识别「{value[:20]}」，应为{choices}之一")
                )
                continue
            value = code
        elif field == "area" and not value:
            continue
        kwargs[field] = value
    spec = IndicatorSpec(**kwargs) if kwargs.get("name") else None
    if spec is None:
        errors.append(CellError(number, HEADERS["name"], "指标名称不能为空"))
        return None, errors
    errors.extend(CellError(number, HEADERS[f], m) for f, m in check_spec(spec))
    return spec, errors
