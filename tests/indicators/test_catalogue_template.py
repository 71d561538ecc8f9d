"""The catalogue's Excel template, without a database: written, edited, read back; and every way
an uploaded template can be wrong is named with its row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from luoshi.indicators.core import catalogue
from luoshi.indicators.core.catalogue import IndicatorSpec, read_catalogue, write_catalogue

SPECS = [
    IndicatorSpec("日开行动车", "对", "up", "交通", "成德间每日开行动车组列车", "铁路部门", "month", "pair"),
    IndicatorSpec("PM2.5平均浓度", "微克/立方米", "down", "生态", "", "生态环境局", "year", "area"),
    IndicatorSpec('=HYPERLINK("x")', "个", "up", "其他", "", "", "quarter", "city"),
]


def sheet(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_reads_back_what_it_wrote():
    read = read_catalogue(write_catalogue(SPECS))
    assert read.errors == []
    assert read.specs == SPECS


def test_the_template_shows_labels_and_keeps_formulas_as_text():
    ws = load_workbook(io.BytesIO(write_catalogue(SPECS)))[catalogue.SHEET]
    assert [c.value for c in ws[1]] == list(catalogue.HEADERS.values())
    assert [c.value for c in ws[2]][2] == "越高越好"
    assert ws["A4"].data_type == "s" and ws["A4"].quotePrefix


def test_edits_staff_make_in_excel_are_read():
    wb = load_workbook(io.BytesIO(write_catalogue(SPECS[:1])))
    ws = wb[catalogue.SHEET]
    ws["B2"] = "列"
    ws.append(["跨市公交线路", "条", "正向", "交通", "", "交通运输局", "按年", "城市对"])
    out = io.BytesIO()
    wb.save(out)
    read = read_catalogue(out.getvalue())
    assert read.errors == []
    assert read.specs[0].unit == "列"
    assert read.specs[1] == IndicatorSpec(
        "跨市公交线路", "条", "up", "交通", "", "交通运输局", "year", "pair"
    )


def test_retyped_headers_and_missing_optional_columns_read_with_defaults():
    read = read_catalogue(sheet([["指标", "单位"], ["常住人口", "万人"], [None, None], ["城镇化率", "%"]]))
    assert read.errors == []
    assert [(s.name, s.unit, s.direction, s.frequency, s.level, s.area) for s in read.specs] == [
        ("常住人口", "万人", "up", "year", "city", "其他"),
        ("城镇化率", "%", "up", "year", "city", "其他"),
    ]


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([["指标名称", "方向"], ["a", "向上走"]], "第2行「方向」：无法识别「向上走」"),
        ([["指标名称", "频度"], ["a", "每周"]], "第2行「频度」：无法识别「每周」"),
        ([["指标名称", "层级"], ["a", "省"]], "第2行「层级」：无法识别「省」"),
        ([["指标名称", "计量单位"], [None, "个"]], "第2行「指标名称」：指标名称不能为空"),
        ([["指标名称"], ["a"], ["a"]], "第3行「指标名称」：与第2行重复"),
        ([["指标名称"], ["x" * 201]], "第2行「指标名称」：超过200字"),
        ([["名字", "单位"], ["a", "个"]], "找不到「指标名称」列"),
        ([["指标名称"]], "模板中没有指标"),
    ],
)
def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_read(rows, expected):
    read = read_catalogue(sheet(rows))
    assert not read.ok and read.specs == []
    assert expected in "；".join(str(e) for e in read.errors)


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "文件为空"),
        ("指标名称,单位\n地区生产总值,亿元\n".encode("gb18030"), "不是有效的 Excel"),
        (b"PK\x03\x04" + b"\x00" * 200, "不是有效的 Excel"),
        (b"\xff\xfe\x00garbage" * 100, "不是有效的 Excel"),
    ],
)
def test_files_that_are_not_templates_are_refused(data, expected):
    read = read_catalogue(data)
    assert not read.ok
    assert expected in str(read.errors[0])


def test_a_huge_template_is_refused(monkeypatch):
    monkeypatch.setattr(catalogue, "MAX_ROWS", 10)
    read = read_catalogue(sheet([["指标名称"]] + [[f"指标{i}"] for i in range(20)]))
    assert read.specs == [] and "行数超过上限10" in str(read.errors[0])


@pytest.mark.parametrize(
    "field, text, code",
    [
        ("direction", "越低越好", "down"),
        ("direction", "逆向", "down"),
        ("direction", "UP", "up"),
        ("frequency", "季度", "quarter"),
        ("frequency", "月报", "month"),
        ("level", "都市圈", "area"),
        ("level", "两市", "pair"),
        ("level", "省", None),
    ],
)
def test_coded_fields_read_the_way_staff_write_them(field, text, code):
    assert catalogue.code_of(field, text) == code
