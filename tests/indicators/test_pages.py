"""The indicator pages: the catalogue, the template round trip through the page, an indicator's
figures as known on a day with its chart data and Excel export, and the table import's review."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from luoshi.indicators import services
from luoshi.indicators.models import ImportBatch, Indicator, Observation
from luoshi.indicators.services import Figure
from tests.indicators.tables import GDP_CITIES_ACROSS, csv, xlsx
from tests.indicators.test_observations import at


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def office(area, people, login):
    return login(people.office)


def test_the_catalogue_lists_indicators_by_area(office):
    body = office.get("/indicators/").content.decode()
    assert "地区生产总值" in body and "日开行动车" in body and "上传指标目录" in body
    body = office.get("/indicators/?area=交通").content.decode()
    assert "日开行动车" in body and "地区生产总值" not in body


def test_the_nav_shows_indicators_to_those_who_may_read_them(area, people, login):
    assert 'href="/indicators/">指标<' in login(people.leader).get("/ledger/").content.decode()
    assert 'href="/indicators/"' not in login(people.reporter).get("/mine/").content.decode()


def test_the_template_downloads_and_an_edited_one_uploads(office):
    data = office.get("/indicators/catalogue.xlsx").content
    wb = load_workbook(io.BytesIO(data))
    wb.active.append(["跨市公交线路", "条", "越高越好", "交通", "", "", "年度", "城市对"])
    out = io.BytesIO()
    wb.save(out)
    response = office.post(
        "/indicators/catalogue/upload/", {"file": upload(out.getvalue(), "目录.xlsx")}, follow=True
    )
    assert "新增1项，修改0项，未变3项" in response.content.decode()
    assert Indicator.objects.filter(name="跨市公交线路").exists()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.xlsx", "文件为空"),
        (b"%PDF-1.4 junk", "x.xlsx", "不支持的文件类型"),
        ("指标名称\n新指标\n".encode(), "目录.csv", "不支持的文件类型"),
    ],
)
def test_a_bad_catalogue_upload_changes_nothing(office, data, name, message):
    response = office.post("/indicators/catalogue/upload/", {"file": upload(data, name)}, follow=True)
    assert message in response.content.decode()
    assert Indicator.objects.count() == 3


def test_an_indicator_shows_its_figures_as_known_on_a_day(area, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2023", 22074.7), Figure(area.gdp, e["德阳"], "2023", 3014.6)],
        at=at("2024-02-20"),
    )
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.8)], at=at("2024-06-03"))
    now = office.get(f"/indicators/{area.gdp.pk}/")
    assert chart_data(now) == {
        "periods": ["2023年"],
        "series": [{"name": "德阳市", "data": [3014.6]}, {"name": "成都市", "data": [22074.8]}],
    }
    body = now.content.decode()
    assert "22074.8" in body and "indicator-data" in body and "echarts.min.js" in body
    then = office.get(f"/indicators/{area.gdp.pk}/?on=2024-03-01")
    assert chart_data(then)["series"][1] == {"name": "成都市", "data": [22074.7]}
    assert "2024年3月1日掌握的数据" in then.content.decode()
    before = office.get(f"/indicators/{area.gdp.pk}/?on=2024-01-01")
    assert "尚无数据" in before.content.decode() and "indicator-data" not in before.content.decode()


def chart_data(response) -> dict:
    """The chart's data as the page's script reads it."""
    found = re.search(
        r'<script id="indicator-data" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize("on", ["yesterday", "2024-13-01", "0001-01-01", "2024-02-30"])
def test_a_bad_day_is_a_bad_request(area, office, on):
    assert office.get(f"/indicators/{area.gdp.pk}/?on={on}").status_code == 400


def test_the_table_behind_the_chart_exports_to_excel(area, office):
    services.record([Figure(area.gdp, area.entity["成都"], "2023", 22074.7)], at=at("2024-02-20"))
    response = office.get(f"/indicators/{area.gdp.pk}/figures.xlsx?on=2024-03-01")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "地区生产总值（亿元），截至2024年3月1日掌握的数据"
    assert [c.value for c in ws[2]] == ["统计对象", "2023年"]
    assert [c.value for c in ws[3]] == ["成都市", 22074.7]


def test_the_excel_table_leaves_a_cell_without_a_figure_blank(area, office):
    e = area.entity
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.7)], at=at("2024-02-20"))
    services.record([Figure(area.gdp, e["德阳"], "2022", 2816.9)], at=at("2024-02-20"))
    response = office.get(f"/indicators/{area.gdp.pk}/figures.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["统计对象", "2022年", "2023年"],
        ["德阳市", 2816.9, None],
        ["成都市", None, 22074.7],
    ]


def test_importing_a_table_through_the_pages(area, office):
    response = office.post(
        "/indicators/import/", {"file": upload(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx")}, follow=True
    )
    body = response.content.decode()
    batch = ImportBatch.objects.get()
    assert "读取到 8 个数值" in body and "确认导入" in body
    assert Observation.objects.count() == 0
    body = office.post(f"/indicators/import/{batch.pk}/commit/", follow=True).content.decode()
    assert "已导入8个数值" in body
    assert Observation.objects.count() == 8


def test_a_table_with_problems_is_committed_only_with_them_excluded(area, office):
    rows = [["年份", "成都", "乙市"], ["2023", 1, 2]]
    office.post(
        "/indicators/import/", {"file": upload(csv(rows, "gb18030"), "t.csv"), "indicator": area.gdp.pk}
    )
    batch = ImportBatch.objects.get()
    body = office.get(f"/indicators/import/{batch.pk}/").content.decode()
    assert "第1行第C列：未知城市「乙市」" in body and "排除有问题的单元格" in body
    body = office.post(f"/indicators/import/{batch.pk}/commit/", follow=True).content.decode()
    assert "还有1处问题" in body and Observation.objects.count() == 0
    office.post(f"/indicators/import/{batch.pk}/commit/", {"exclude": "1"})
    assert Observation.objects.count() == 1


@pytest.mark.parametrize(
    "post, message",
    [
        ({}, "请选择文件"),
        ({"file": b"MZ\x90\x00" + bytes(range(256)) * 4}, "不支持的文件类型"),
        ({"file": b"\x00" * 2000}, "不支持的文件类型"),
        ({"file": xlsx(GDP_CITIES_ACROSS), "indicator": "999999"}, "所选指标不存在"),
        ({"file": xlsx(GDP_CITIES_ACROSS), "indicator": "abc"}, "所选指标不存在"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_kept(area, office, post, message):
    if "file" in post:
        post = {**post, "file": upload(post["file"], "t.xlsx")}
    body = office.post("/indicators/import/", post, follow=True).content.decode()
    assert message in body
    assert ImportBatch.objects.count() == 0


def test_a_file_that_cannot_be_read_offers_no_commit(area, office):
    office.post("/indicators/import/", {"file": upload("甲,乙\n".encode("utf-16"), "t.csv")})
    batch = ImportBatch.objects.get()
    body = office.get(f"/indicators/import/{batch.pk}/").content.decode()
    assert "文件无法读取，不能导入" in body and "确认导入" not in body


def test_discarding_a_batch(area, office):
    office.post("/indicators/import/", {"file": upload(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx")})
    batch = ImportBatch.objects.get()
    office.post(f"/indicators/import/{batch.pk}/discard/")
    batch.refresh_from_db()
    assert batch.state == "discarded"
    office.post(f"/indicators/import/{batch.pk}/commit/")
    assert Observation.objects.count() == 0


def test_dates_are_written_the_chinese_way(area, office):
    services.record([Figure(area.gdp, area.entity["成都"], "2023", 1.0)], at=at("2024-02-20"))
    assert "2024年2月20日" in office.get(f"/indicators/{area.gdp.pk}/").content.decode()
    assert dt.date(2024, 2, 20)


def test_the_pages_speak_english_on_request(area, office):
    body = office.get("/indicators/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Indicator catalogue" in body and "Higher is better" in body and "指标目录" not in body
    body = office.get(f"/indicators/{area.gdp.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No figures yet." in body and "Back to the indicator catalogue" in body
