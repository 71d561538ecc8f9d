"""In a real browser, under the Content-Security-Policy: every page's scripts run and none is refused."""

from __future__ import annotations

import pytest

from tests.web.test_browser import CHROMIUM, log_in, page  # noqa: F401 - the browser fixture

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

# Every refusal, as the page sees it (securitypolicyviolation) and as the console reports it.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _watch(tab) -> list[str]:
    console: list[str] = []
    tab.add_init_script(WATCH)
    tab.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return console


def _violations(tab, console: list[str]) -> list[str]:
    return list(tab.evaluate("window.__csp || []")) + console


def test_pages_run_their_scripts_with_no_policy_violation(live_server, page):  # noqa: F811
    from tests.web.world import World

    world = World()
    base = live_server.url
    console = _watch(page)
    log_in(page, base, "office_a")
    seen = {}
    for path, ready in [
        ("/ledger/", None),
        ("/dashboard/", "body[data-charts-ready='1']"),
        (f"/plans/{world.plan_a.pk}/", None),
        (f"/tasks/{world.task_a.pk}/", None),
        (f"/plans/{world.plan_a.pk}/lights/", None),
        (f"/plans/{world.plan_a.pk}/bulletin/?period=2024-03", None),
        ("/import/", None),
        ("/api/docs", "#swagger-ui .info"),
        ("/public/", None),
        ("/inbox/", None),
        ("/proposals/", None),
    ]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        if ready:
            page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page, console)
        console.clear()
    assert {p: v for p, v in seen.items() if v} == {}
    # htmx loaded from the site: the script was allowed.
    assert page.evaluate("typeof window.htmx") == "object"


def test_the_language_menu_works_without_an_inline_handler_and_names_each_language_in_itself(
    live_server,
    page,  # noqa: F811
):
    from tests.web.world import World

    World()
    base = live_server.url
    console = _watch(page)
    page.goto(f"{base}/public/")
    options = page.locator("select[name=language] option").all_inner_texts()
    assert [o.strip() for o in options] == ["简体中文", "English"]
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("html[lang=en]")
    options = page.locator("select[name=language] option").all_inner_texts()
    assert [o.strip() for o in options] == ["简体中文", "English"]
    assert _violations(page, console) == []


def test_an_injected_inline_handler_does_not_run(live_server, page):  # noqa: F811
    from tests.web.world import World

    World()
    console = _watch(page)
    page.goto(f"{live_server.url}/public/")
    # What a stored XSS would try: markup with an event handler, and an inline script.
    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="/static/luoshi/favicon.svg" onload="window.__ran = 1">');
        const s = document.createElement('script'); s.textContent = 'window.__ran2 = 1'; document.body.appendChild(s);
    }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran === undefined && window.__ran2 === undefined")
    assert len(_violations(page, console)) >= 2


def test_an_injected_style_element_does_not_apply_and_the_sites_own_styles_do(live_server, page):  # noqa: F811
    from tests.web.world import World

    world = World()
    console = _watch(page)
    log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/plans/{world.plan_a.pk}/lights/?on=2024-04-15")
    # The lights' colours come from site.css, not from a style element of the page.
    lamp = page.locator(".lamp").first
    assert lamp.evaluate("e => getComputedStyle(e).borderRadius") == "50%"
    # What injected markup would try: a style element hiding or restyling the page.
    page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend', '<style>main { display: none }</style>')"""
    )
    page.wait_for_timeout(200)
    assert page.locator("main").is_visible()
    assert any("style-src" in v for v in _violations(page, console))
