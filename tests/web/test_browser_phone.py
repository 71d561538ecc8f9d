"""At phone width the header folds its navigation behind a menu button; printed pages drop the
navigation and the forms and keep the tables."""

from __future__ import annotations

import pytest

from tests.web.test_browser import CHROMIUM, log_in, page  # noqa: F401 - the browser fixture

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_menu_button_opens_the_navigation(live_server, page):  # noqa: F811
    from tests.web.world import World

    World()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "office_a")
    nav, button = page.locator("#site-nav"), page.locator(".menu-toggle")
    assert button.is_visible() and not nav.is_visible()
    # Folded, the header is one short row, not a column of links pushing the page down.
    assert page.locator("header.top").bounding_box()["height"] < 140
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    ledger = nav.locator("a[href='/ledger/']")
    box = ledger.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]  # every link on the screen
    ledger.click()
    page.wait_for_url("**/ledger/")
    button.click()
    button.click()
    assert not nav.is_visible() and button.get_attribute("aria-expanded") == "false"


def test_on_a_desktop_the_navigation_shows_without_a_button(live_server, page):  # noqa: F811
    from tests.web.world import World

    World()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "office_a")
    assert page.locator("#site-nav").is_visible() and not page.locator(".menu-toggle").is_visible()


@pytest.mark.parametrize("path", ["TASK", "BULLETIN", "LIGHTS", "/ledger/"])
def test_a_printed_page_has_no_navigation_or_forms_but_keeps_its_content(live_server, page, path):  # noqa: F811
    from tests.web.world import World

    world = World()
    base = live_server.url
    log_in(page, base, "office_a")
    path = (
        path.replace("TASK", f"/tasks/{world.task_a.pk}/")
        .replace("BULLETIN", f"/plans/{world.plan_a.pk}/bulletin/?period=2024-03")
        .replace("LIGHTS", f"/plans/{world.plan_a.pk}/lights/")
    )
    page.goto(f"{base}{path}")
    assert page.locator("header.top").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert all(not f.is_visible() for f in page.locator("form.card, form.filters").all())
    assert page.locator("h1").is_visible()
    assert page.locator("main").is_visible() and len(page.locator("main").inner_text()) > 40
    tables = page.locator("table.grid, table.bases").all()
    assert all(t.is_visible() for t in tables)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
