"""In a real browser: a reporter signs in and lands on 待办, follows a returned report to its
form, reports again, and the header's count goes down on the next page; at phone width the
count stays in sight while the menu is folded."""

from __future__ import annotations

import datetime as dt
import os

from luoshi.ledger import services
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_a_reporter_starts_the_day_on_the_inbox_and_clears_it(world, live_server, page, office_day):
    office_day(dt.date(2024, 6, 20))  # May's reports were due on 11 June
    report = services.submit_report(
        world.task_a, world.reporter_a, period="2024-05", status="推进中", narrative="推进"
    )
    services.return_report(report, world.office_a, "请补充里程数")

    web.log_in(page, live_server.url, "reporter_a")
    assert page.url.endswith("/inbox/")
    assert page.locator("#inbox-link .badge").inner_text() == "1"
    returned = page.locator("#inbox-returned")
    assert "请补充里程数" in returned.inner_text()
    if os.environ.get("LUOSHI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LUOSHI_SCREENSHOTS"], "inbox.png"), full_page=True)

    returned.locator("a").first.click()
    page.wait_for_selector("#report-form")
    page.select_option("select[name=status]", "推进中")
    page.fill("textarea[name=narrative]", "已补充：完成路基施工12公里。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=进展已报送")
    assert page.locator("#inbox-link .badge").count() == 0

    page.click("#inbox-link")
    page.wait_for_selector("#inbox-summary")
    assert "没有待办事项" in page.locator("#inbox-summary").inner_text()

    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    assert page.locator("#inbox-link").is_visible() and not page.locator("#site-nav").is_visible()
