"""The 跨城通办 list's template and counts, without Django: written and read back, cells read the
way staff fill them in, every bad cell named by its row and column."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from luoshi.indicators.core import crosscity as core
from tests.indicators.tables import csv, xlsx

CITIES = {"成都市": "成都市", "成都": "成都市", "德阳市": "德阳市", "德阳": "德阳市", "眉山市": "眉山市"}
D = dt.date


def test_it_reads_back_what_it_wrote():
    items = [
        core.ItemSpec(
            "养老保险关系转移接续",
            "市人社局",
            "社会保障",
            "",
            (("成都市", D(2020, 3, 1)), ("德阳市", D(2021, 1, 15))),
        ),
        core.ItemSpec('=HYPERLINK("x")', "市公安局", "户籍", "网办", (("眉山市", D(2022, 6, 30)),)),
        core.ItemSpec("营业执照补领", "市市场监管局", "市场准入"),
    ]
    read = core.read_items(core.write_items(items, ["成都市", "德阳市", "眉山市"]), CITIES)
    assert read.errors == []
    assert [spec for _row, spec in read.items] == items
    assert [row for row, _spec in read.items] == [2, 3, 4]


def test_the_template_keeps_formulas_as_text_and_dates_as_dates():
    data = core.write_items([core.ItemSpec("=1+1", cities=(("成都市", D(2020, 3, 1)),))], ["成都市"])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["E2"].value.date() == D(2020, 3, 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, (False, None, "")),
        ("", (False, None, "")),
        ("否", (False, None, "")),
        ("—", (False, None, "")),
        ("是", (True, None, "")),
        ("√", (True, None, "")),
        ("可办", (True, None, "")),
        (dt.datetime(2021, 3, 1), (True, D(2021, 3, 1), "")),
        (D(2021, 3, 1), (True, D(2021, 3, 1), "")),
        ("2021-03-01", (True, D(2021, 3, 1), "")),
        ("2021/3/1", (True, D(2021, 3, 1), "")),
        ("2021年3月1日", (True, D(2021, 3, 1), "")),
        ("2021年3月", (True, D(2021, 3, 1), "")),
        ("2021-03", (True, D(2021, 3, 1), "")),
        ("2021.3.1", (True, D(2021, 3, 1), "")),
    ],
)
def test_city_cells_read_the_way_staff_fill_them_in(cell, expected):
    assert core.parse_since(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2021-02-30", "日期「2021-02-30」不存在"),
        ("1800-01-01", "日期超出范围"),
        (dt.datetime(1900, 1, 1), "日期超出范围"),
        ("下个月", "无法识别「下个月」"),
        ("2021-13-01", "不存在"),
        (3.5, "无法识别「3.5」"),
    ],
)
def test_bad_city_cells_say_why(cell, message):
    handled, since, problem = core.parse_since(cell)
    assert not handled and since is None and message in problem


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # an unknown city as a column
        (
            [["事项名称", "成都市", "广州市"], ["社保卡申领", "是", "是"]],
            ["第1行「广州市」：不是事项字段，也不是登记的城市"],
        ),
        # the same city twice, by name and alias
        (
            [["事项名称", "成都市", "成都"], ["社保卡申领", "是", ""]],
            ["第1行「成都」：与「成都市」是同一城市"],
        ),
        ([["名称说明", "成都市"], ["社保卡申领", "是"]], ["第1行：找不到「事项名称」列", "第1行「名称说明」：不是事项字段"]),
        # a bad date, a missing name, a duplicate
        (
            [
                ["事项名称", "主管部门", "成都市", "德阳市"],
                ["社保卡申领", "人社局", "2021-02-30", "是"],
                ["", "人社局", "是", ""],
                ["户口迁移", "公安局", "是", ""],
                ["户口迁移", "公安局", "", "是"],
            ],
            [
                "第2行「成都市」：日期「2021-02-30」不存在",
                "第3行「事项名称」：事项名称不能为空",
                "第5行「事项名称」：与第4行重复",
            ],
        ),
        ([["事项名称", "主管部门", "成都市"], ["社保" * 101, "", "是"]], ["第2行「事项名称」：超过200字"]),
        ([["事项名称", "成都市"]], ["文件：表中没有事项"]),
    ],
)
def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_read(rows, expected):
    read = core.read_items(xlsx(rows), CITIES)
    assert read.items == []
    got = [str(e) for e in read.errors]
    assert len(got) == len(expected)
    for message, want in zip(got, expected, strict=True):
        assert message.startswith(want), (message, want)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件为空"),
        (b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
        (csv([["事项名称", "成都市"], ["社保卡申领", "是"]]), "不是有效的 Excel"),
        (csv([["事项名称", "成都市"], ["社保卡申领", "是"]], "gb18030"), "不是有效的 Excel"),
        ("事项名称,成都市".encode("utf-16"), "不是有效的 Excel"),
        (b"\x00" * 10_000, "不是有效的 Excel"),
    ],
)
def test_files_that_are_not_lists_are_refused(data, expected):
    read = core.read_items(data, CITIES)
    assert read.items == [] and expected in str(read.errors[0])


def test_a_huge_list_is_refused(monkeypatch):
    monkeypatch.setattr(core, "MAX_ROWS", 50)
    rows = [["事项名称", "成都市"]] + [[f"事项{i}", "是"] for i in range(60)]
    read = core.read_items(xlsx(rows), CITIES)
    assert read.items == [] and "行数超过上限50" in str(read.errors[0])


def test_blank_rows_and_cells_marked_no_are_skipped():
    rows = [
        ["事项名称", "成都", "德阳"],
        ["社保卡申领", "是", "否"],
        [None, None, None],
        ["户口迁移", "", "2020-01-01"],
    ]
    read = core.read_items(xlsx(rows), CITIES)
    assert read.errors == []
    assert [(s.name, s.cities) for _r, s in read.items] == [
        ("社保卡申领", (("成都市", None),)),
        ("户口迁移", (("德阳市", D(2020, 1, 1)),)),
    ]


def test_counts_per_city_and_for_the_area_on_a_day():
    items = [
        [("成都市", D(2020, 1, 1)), ("德阳市", D(2021, 1, 1))],
        [("成都市", D(2021, 6, 1))],
        [("眉山市", D(2030, 1, 1))],  # not yet open
        [],  # handled nowhere
    ]
    assert core.counts(items, D(2020, 12, 31)) == ({"成都市": 1}, 1)
    assert core.counts(items, D(2021, 6, 1)) == ({"成都市": 2, "德阳市": 1}, 2)
    assert core.counts([], D(2021, 6, 1)) == ({}, 0)


def test_a_malformed_item_is_refused():
    spec = core.ItemSpec(" ", cities=(("成都市", None), ("成都市", D(2020, 1, 1)), ("德阳市", D(1800, 1, 1))))
    problems = dict(core.check_item(spec))
    assert problems["name"] == "事项名称不能为空"
    assert [m for f, m in core.check_item(spec) if f == "cities"] == [
        "同一城市出现多次",
        "德阳市的开通日期超出范围",
    ]
