"""In a real browser, on the office's days: the reporter reports what the form offers and is not
chased; a bulletin made mid-period is dated that day and counts what the lights page counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from luoshi.bulletins.pdf_render import FontNotFound, find_cjk_font
from luoshi.ledger.models import Task
from tests.supervision_web.test_bulletin_day import plan  # noqa: F401 (the 2026 plan with its reports)
from tests.web import test_browser as web
from tests.web.world import SAMPLE_2026, import_plan

pytestmark = web.pytestmark
page = web.page

DAY = dt.date(2026, 12, 5)


def log_out(page) -> None:
    page.click("button:has-text('退出')")
    page.wait_for_load_state()


def report_what_the_form_offers(page, base: str, narrative: str) -> str:
    """From 我的任务, open the 2026 plan's task to report, submit the period the form offers."""
    page.goto(f"{base}/mine/")
    page.locator("tr", has_text="某市2026年").locator("text=待报送").click()
    period = page.input_value("#report-form select[name=period]")
    page.select_option("#report-form select[name=status]", "推进中")
    page.fill("#report-form textarea[name=narrative]", narrative)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=进展已报送")
    return period


def test_a_unit_reporting_what_the_form_offers_is_not_red_nor_chased(world, live_server, page, office_day):
    office_day(dt.date(2026, 11, 6))
    plan_2026 = import_plan(world.office_a, world.city_a, text=SAMPLE_2026)
    plan_2026.date = dt.date(2026, 10, 1)
    plan_2026.save()
    rail = Task.objects.get(plan=plan_2026, label="（一）")
    base = live_server.url

    web.log_in(page, base, "reporter_a")
    assert report_what_the_form_offers(page, base, "10月完成路基12公里。") == "2026-10"
    office_day(DAY)
    page.goto(f"{base}/mine/")
    assert "2026-11：待报送 截止2026-12-10" in page.locator("tr", has_text="某市2026年").inner_text()
    assert report_what_the_form_offers(page, base, "11月完成路基20公里。") == "2026-11"
    page.goto(f"{base}/mine/")
    assert "2026-11：已报送 v1" in page.locator("tr", has_text="某市2026年").inner_text()
    log_out(page)

    web.log_in(page, base, "office_a")
    page.goto(f"{base}/plans/{plan_2026.pk}/lights/")
    assert "本期报送：2026-10" in page.content()
    row = page.locator("#lights tr", has=page.locator(f'a[href="/tasks/{rail.pk}/"]'))
    assert row.locator(".lamp-red").count() == 0 and "逾期未报送" not in row.inner_text()
    page.click("text=按红灯生成督办单")
    proposals = page.locator("main").inner_text()
    assert "加快轨道交通建设" not in proposals and "织密高速公路网络" in proposals


def test_a_bulletin_made_mid_period_is_dated_that_day_in_every_file(plan, live_server, page, tmp_path):  # noqa: F811
    try:
        find_cjk_font()
    except FontNotFound:
        pytest.skip("no CJK font installed: the bulletin's PDF cannot be made")
    base = live_server.url
    web.log_in(page, base, "office_a")
    page.goto(f"{base}/plans/{plan.pk}/lights/")
    lights_red = int(page.locator(".stats b.light-red").inner_text())
    page.goto(f"{base}/plans/{plan.pk}/bulletin/?period=2026-12")
    assert "2026年12月5日" in page.locator("#bulletin-date").inner_text()
    red = page.locator(".stats div", has_text="红灯").locator("b").inner_text()
    assert int(red) == lights_red == 1
    page.click("button:has-text('生成通报文件')")
    page.wait_for_selector("#produced a")

    files = {}
    for fmt, label in (("docx", "Word"), ("pdf", "PDF"), ("xlsx", "Excel")):
        with page.expect_download() as download:
            page.click(f"#produced a:has-text('{label}')")
        path = tmp_path / f"bulletin.{fmt}"
        download.value.save_as(path)
        files[fmt] = path.read_bytes()

    word = Document(io.BytesIO(files["docx"]))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "2026年12月5日" in word.paragraphs[1].text and word.core_properties.created.date() == DAY
    assert "2027年1月11日前报送，逾期未报送" not in text and "逾期未回复0件" in text
    assert PdfReader(io.BytesIO(files["pdf"])).metadata.creation_date.date() == DAY
    sheets = load_workbook(io.BytesIO(files["xlsx"]))
    overall = {r[0]: r[1] for r in sheets["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert overall["通报日期"] == "2026年12月5日" and overall["红灯任务"] == lights_red
