"""Statistics tables for the tests, made the way bureaus publish them: xlsx and CSV files."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import io

from openpyxl import Workbook


def xlsx(rows: list[list], hidden_first: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    if hidden_first:
        ws.append(["说明"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("数据")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv_module.writer(out, lineterminator="\n").writerows(
        [["" if c is None else c for c in row] for row in rows]
    )
    return out.getvalue().encode(encoding)


# 四川统计年鉴 style: cities across, years down, the unit in the title.
GDP_CITIES_ACROSS = [
    ["成德眉资地区生产总值（单位：亿元）"],
    [],
    ["年份", "成都市", "德阳市", "眉山市", "资阳市", "合计"],
    ["2022年", 20817.5, 2816.9, 1638.1, 1017.1, 26289.6],
    ["2023年", "22,074.7", 3014.6, 1740.9, 1067.3, 27897.5],
    ["注：2023年为初步核算数。"],
]
# The transpose: cities down, years across, the unit 万元 against the catalogue's 亿元.
GDP_PERIODS_ACROSS = [
    ["地区生产总值（万元）"],
    ["地区", "2022", "2023"],
    ["成都", 208175000, 220747000],
    ["德阳", 28169000, 30146000],
]
# One row per observation, several indicators, percentages and a month of a monthly indicator.
LONG = [
    ["指标名称", "地区", "时间", "数值", "计量单位"],
    ["地区生产总值", "成都市", 2023, 22074.7, "亿元"],
    ["地区生产总值", "资阳", "2023年", "1067.3", ""],
    ["日开行动车", "成德", dt.datetime(2024, 3, 1), "107.5", "对"],
    ["城镇化率", "成都", "2023", "80.5%", ""],
]
