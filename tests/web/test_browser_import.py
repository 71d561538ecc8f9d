"""In a real browser: a 3,000-item plan is uploaded and committed with a progress bar, and the
plain form still works with JavaScript off."""

from __future__ import annotations

import re
import time

import pytest
from django.test import override_settings

from luoshi.ledger import import_progress
from luoshi.ledger.models import Plan
from tests.web import test_browser
from tests.web.test_browser import CHROMIUM, log_in

page = test_browser.page  # the same chromium fixture

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("progress_cache"),
]

NUMERALS = "一二三四五六七八九十"
UNITS = ["市交通运输局", "市发展改革局", "市商务局", "市工业和信息化局", "市生态环境局"]
# Any stage the server reports while it works (see ledger.importing), as the page shows it.
SERVER_STAGE = (
    r"^(读取文件|识别结构|识别责任单位|识别目标和时限|保存预览|写入台账 \d+/3010|写入目标和责任单位)$"
)


@pytest.fixture
def progress_cache():
    # The live server's threads share one process, and so one local-memory cache.
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        yield


@pytest.fixture
def slow_server(monkeypatch):
    """Each stage lasts a little, as on the office's slow machines, so the page's polls catch some."""
    original = import_progress.Tracker.stage

    def stage(self, label, fraction):
        original(self, label, fraction)
        time.sleep(0.15)

    monkeypatch.setattr(import_progress.Tracker, "stage", stage)


def big_plan() -> str:
    """10 areas × 10 groups × 29 measures: 3,010 items, each measure with a lead unit and a target."""
    lines = ["某市2024年同城化重点任务清单", "各牵头单位每月报送1次工作进展。"]
    k = 0
    for a in range(10):
        lines.append(f"{NUMERALS[a]}、第{a + 1}领域重点工作")
        for g in range(10):
            lines.append(f"（{NUMERALS[g]}）第{a + 1}领域第{g + 1}组工作")
            for i in range(1, 30):
                k += 1
                lines.append(
                    f"{i}.推进第{k}项重点工作，力争新增企业{k % 9 + 1}家以上，2024年底前完成。"
                    f"（牵头单位：{UNITS[k % len(UNITS)]}）"
                )
    return "\n".join(lines) + "\n"


def wait_for_server_stage(page) -> None:
    page.wait_for_function(
        "re => new RegExp(re).test(document.querySelector('.import-progress-text')?.textContent || '')",
        arg=SERVER_STAGE,
        timeout=30_000,
    )


def test_a_large_plan_uploads_and_commits_with_a_progress_bar(live_server, page, slow_server):
    from tests.web.world import World

    World()
    base = live_server.url
    log_in(page, base, "office_a")
    page.goto(f"{base}/import/")
    bar = page.locator("[data-progress-box] progress")
    assert not bar.is_visible()
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "big-plan.txt", "mimeType": "text/plain", "buffer": big_plan().encode()}],
    )
    page.click("button:has-text('上传并预览')")
    bar.wait_for(state="visible")
    wait_for_server_stage(page)
    page.wait_for_url(re.compile(r"/import/\d+/$"), timeout=60_000)
    page.wait_for_selector("h1:has-text('导入预览')")
    assert page.locator("input[name^=title_]").count() == 3010

    page.click("button[name=commit]")
    page.locator("[data-progress-box] progress").wait_for(state="visible")
    wait_for_server_stage(page)
    page.wait_for_url(re.compile(r"/plans/\d+/$"), timeout=60_000)
    page.wait_for_selector("text=已导入")  # the page the commit answered with, not a second one
    plan = Plan.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert plan.tasks.count() == 3010
    assert plan.title == "某市2024年同城化重点任务清单"


def test_the_plain_forms_still_work_without_javascript(live_server):
    from playwright.sync_api import sync_playwright

    from tests.web.world import SAMPLE, World

    World()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(java_script_enabled=False, locale="zh-CN")
        log_in(page, live_server.url, "office_a")
        page.goto(f"{live_server.url}/import/")
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "plan.txt", "mimeType": "text/plain", "buffer": SAMPLE.encode()}],
        )
        page.click("button:has-text('上传并预览')")
        page.wait_for_url(re.compile(r"/import/\d+/$"))
        assert not page.locator("[data-progress-box]").is_visible()
        page.click("button[name=commit]")
        page.wait_for_url(re.compile(r"/plans/\d+/$"))
        assert "已导入" in page.content()
        browser.close()
