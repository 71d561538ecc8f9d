"""Reading statistics tables without a database: the three layouts, synonyms, units and every
kind of bad input, each named with its row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.indicators.core import tables
from luoshi.indicators.core.tables import IndicatorInfo, read_period, read_table, read_value
from tests.indicators.tables import GDP_CITIES_ACROSS, GDP_PERIODS_ACROSS, LONG, csv, xlsx

CATALOGUE = {
    "地区生产总值": IndicatorInfo("地区生产总值", "亿元", "year", "city"),
    "地区生产总值增速": IndicatorInfo("地区生产总值增速", "%", "year", "city"),
    "城镇化率": IndicatorInfo("城镇化率", "%", "year", "city"),
    "日开行动车": IndicatorInfo("日开行动车", "对", "month", "pair"),
    "常住人口": IndicatorInfo("常住人口", "万人", "year", "city"),
}
ENTITIES = {"成都市": ["蓉"], "德阳市": [], "眉山市": [], "资阳市": [], "成德": ["成都—德阳"]}


def figures(read) -> dict:
    return {(f.indicator, f.entity, f.period): f.value for f in read.figures}


@pytest.mark.parametrize(
    "make", [xlsx, csv, lambda rows: csv(rows, "gb18030"), lambda rows: csv(rows, "utf-16")]
)
def test_cities_across_with_the_indicator_and_unit_from_the_title(make):
    read = read_table(make(GDP_CITIES_ACROSS), CATALOGUE, ENTITIES)
    assert (read.layout, read.indicator, read.problems) == ("cities-across", "地区生产总值", [])
    got = figures(read)
    assert len(got) == 8  # the 合计 column and the note under the table are not figures
    assert got[("地区生产总值", "成都市", "2023")] == pytest.approx(22074.7)
    assert read.figures[0].row == 4 and read.figures[0].column == 2


def test_periods_across_converts_wan_yuan_to_the_catalogues_yi_yuan():
    read = read_table(xlsx(GDP_PERIODS_ACROSS), CATALOGUE, ENTITIES)
    assert (read.layout, read.problems) == ("periods-across", [])
    assert figures(read)[("地区生产总值", "德阳市", "2023")] == pytest.approx(3014.6)


def test_one_row_per_observation_reads_several_indicators():
    read = read_table(xlsx(LONG), CATALOGUE, ENTITIES)
    assert (read.layout, read.problems) == ("long", [])
    assert figures(read) == {
        ("地区生产总值", "成都市", "2023"): 22074.7,
        ("地区生产总值", "资阳市", "2023"): 1067.3,
        ("日开行动车", "成德", "2024-03"): 107.5,
        ("城镇化率", "成都市", "2023"): 80.5,
    }


def test_the_indicator_chosen_on_upload_wins_over_a_title_without_one():
    rows = [["年份", "成都", "德阳"], ["2023", "2140.3", "345.4"]]
    assert "请选择这张表的指标" in str(read_table(xlsx(rows), CATALOGUE, ENTITIES).problems[0])
    read = read_table(xlsx(rows), CATALOGUE, ENTITIES, indicator="常住人口")
    assert figures(read) == {("常住人口", "成都市", "2023"): 2140.3, ("常住人口", "德阳市", "2023"): 345.4}


def test_the_longest_catalogue_name_in_the_title_is_the_tables_indicator():
    rows = [["2023年地区生产总值增速（%）"], ["地区", "2023年"], ["成都", "6.0%"]]
    read = read_table(xlsx(rows), CATALOGUE, ENTITIES)
    assert figures(read) == {("地区生产总值增速", "成都市", "2023"): 6.0}


def test_blanks_and_dashes_are_no_figure_and_no_problem():
    rows = [["年份", "成都", "德阳", "眉山"], ["2023", "—", None, "…"]]
    read = read_table(csv(rows), CATALOGUE, ENTITIES, indicator="常住人口")
    assert read.problems[0].message == "表格中没有数值"
    assert read.blanks == 3


@pytest.mark.parametrize(
    "rows, indicator, expected",
    [
        ([["年份", "成都", "乙市"], ["2023", 1, 2]], "常住人口", "第1行第C列：未知城市「乙市」"),
        ([["年份", "成都"], ["2023", "约12"]], "常住人口", "第2行第B列：常住人口：「约12」不是数值"),
        ([["年份", "成都"], ["去年", 1]], "常住人口", "第2行第A列：「去年」"),
        ([["年份", "成都"], ["2023-03", 1]], "常住人口", "与指标频度不符"),
        ([["年份", "成都"], ["2023", "12%"]], "常住人口", "百分数与目录单位「万人」不符"),
        (
            [["常住人口（亿元）"], ["年份", "成都"], ["2023", "12"]],
            None,
            "单位「亿元」与目录单位「万人」不符",
        ),
        ([["年份", "成都", "成都市"], ["2023", 1, 2]], "常住人口", "第2行第C列：与第2行第B列重复"),
        ([["地区", "2023"], ["成都", 1], ["蓉", 2]], "常住人口", "第3行第B列：与第2行第B列重复"),
        ([["年份", "成都"], ["2023", 1]], "不存在的指标", "不在指标目录中"),
        ([["指标", "地区", "时间", "数值"], ["GDP", "成都", "2023", 1]], None, "第2行第A列：未知指标「GDP」"),
        ([["说明文字"], ["只有一列"]], None, "找不到表头"),
        ([["甲", "乙"], ["1", "2"]], "常住人口", "无法识别表格布局"),
    ],
)
def test_problems_are_named_with_row_and_column(rows, indicator, expected):
    for make in (xlsx, csv):
        read = read_table(make(rows), CATALOGUE, ENTITIES, indicator=indicator)
        assert not read.ok
        assert expected in "；".join(str(p) for p in read.problems)


def test_a_long_table_lists_each_rows_first_problem_in_row_order():
    rows = [
        ["指标", "地区", "时间", "数值"],
        ["日开行动车", "成德", "2024年3月", 107.5],
        ["常住人口", "成都", "2024年3月", 1],  # the same period cell, for a yearly indicator
        ["GDP", "火星", "去年", "约12"],  # the indicator is named first
        ["常住人口", "火星", "去年", "约12"],  # then the city
        ["常住人口", "成都", "去年", "约12"],  # then the period
        ["常住人口", "成都", "2023", "约12"],  # then the value
        ["日开行动车", "成德", "2024.03", 108],
    ]
    for make in (xlsx, csv):
        read = read_table(make(rows), CATALOGUE, ENTITIES)
        assert [str(p).split("：")[0] for p in read.problems] == [
            "第3行第C列",
            "第4行第A列",
            "第5行第B列",
            "第6行第C列",
            "第7行第D列",
            "第8行第D列",
        ]
        assert "与指标频度不符" in str(read.problems[0]) and "未知城市「火星」" in str(read.problems[2])
        assert "与第2行第D列重复" in str(read.problems[5])
        assert [f.row for f in read.figures] == [2, 8]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "文件为空"),
        (b"PK\x03\x04" + b"\x00" * 300, "不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 300, "旧版 Excel"),
        (bytes(range(128, 256)) * 50, "无法识别文件编码"),
        (b"MZ\x90\x00" + bytes(range(256)) * 10, "不是 Excel 或 CSV 文件"),
        (b"\n\n  \n", "为空"),
        (xlsx([]), "表格是空的"),
    ],
)
def test_files_that_are_not_tables_are_one_problem_of_the_whole_file(data, expected):
    read = read_table(data, CATALOGUE, ENTITIES)
    assert read.figures == [] and read.problems[0].row == 0
    assert expected in read.problems[0].message


def test_hidden_sheets_are_skipped():
    read = read_table(xlsx(GDP_PERIODS_ACROSS, hidden_first=True), CATALOGUE, ENTITIES)
    assert read.layout == "periods-across" and len(read.figures) == 4


def test_a_huge_table_is_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 50)
    rows = [["年份", "成都"]] + [[str(2000 + i % 20), i] for i in range(100)]
    read = read_table(csv(rows), CATALOGUE, ENTITIES, indicator="常住人口")
    assert read.figures == [] and "行数超过上限 50" in read.problems[0].message


def test_a_wide_table_is_refused():
    read = read_table(csv([["年份"] + ["成都"] * 600]), CATALOGUE, ENTITIES)
    assert "列数超过上限" in read.problems[0].message


def test_problems_listed_are_bounded():
    rows = [["年份", "成都"]] + [["2023", "x"]] * 2000
    read = read_table(csv(rows), CATALOGUE, ENTITIES, indicator="常住人口")
    assert len(read.problems) == tables.MAX_PROBLEMS


@pytest.mark.parametrize(
    "cell, frequency, code",
    [
        ("2023", "year", "2023"),
        (2023, "year", "2023"),
        ("2023年", "year", "2023"),
        ("2023年度", "year", "2023"),
        ("2024年3月", "month", "2024-03"),
        ("2024.3", "month", "2024-03"),
        ("2024/03", "month", "2024-03"),
        (dt.datetime(2024, 3, 1), "month", "2024-03"),
        (dt.datetime(2024, 1, 1), "year", "2024"),
        ("2024年第一季度", "quarter", "2024-Q1"),
        ("2024年3季度", "quarter", "2024-Q3"),
        ("2024Q4", "quarter", "2024-Q4"),
        ("2024-Q2", "quarter", "2024-Q2"),
    ],
)
def test_periods_read_as_chinese_tables_write_them(cell, frequency, code):
    assert read_period(cell, frequency) == code


@pytest.mark.parametrize(
    "cell, table_unit, catalogue_unit, value",
    [
        ("1,234.5", "", "亿元", 1234.5),
        ("1.2万", "", "个", 12000),
        ("3.5亿元", "", "亿元", 3.5),
        ("3500万元", "", "亿元", 0.35),
        (2816.9, "万元", "亿元", 0.28169),
        ("12.5%", "", "%", 12.5),
        ("12.5％", "", "%", 12.5),
        (12.5, "%", "%", 12.5),
        ("2140.3", "万人", "万人", 2140.3),
        ("21403000", "人", "万人", 2140.3),
        ("-3.2", "", "%", -3.2),
        ("—", "", "亿元", None),
        ("", "", "亿元", None),
    ],
)
def test_values_with_wan_yi_and_percent(cell, table_unit, catalogue_unit, value):
    got = read_value(cell, table_unit, catalogue_unit)
    assert got == (None if value is None else pytest.approx(value))


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "约12", "12左右", True, float("nan"), "1e999"])
def test_values_that_are_not_numbers_are_refused(cell):
    with pytest.raises(ValueError):
        read_value(cell, "", "个")
