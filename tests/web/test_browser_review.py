"""In a real browser: the office builds the ledger in the import review. It marks a background row
as a task, gives it a lead unit found by typing, swaps a row's lead for the namesake of another city
(removing the document's one with its ×), adds a support unit, commits, and finds all of it in the
ledger; the safeguard rows stay out of the ledger and are marked on the plan page."""

from __future__ import annotations

import re

import pytest

from luoshi.ledger.models import Plan, Task
from tests.web import test_browser
from tests.web.test_browser import CHROMIUM, log_in
from tests.web.test_browser_import import progress_cache  # noqa: F401  (the live server's cache)
from tests.web.test_task_roles import PLAN_WITH_ROLES

page = test_browser.page  # the same chromium fixture

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("progress_cache"),
]

AGREEMENT, RAIL = 1, 3  # rows 合作机制初步建立 (background) and 加快轨道交通建设 (lead 市交通运输局)


def picker(page, name: str):
    """The Tom Select control that replaced ``<select name=NAME>``, once it is built."""
    wrapper = page.locator(f"select[name={name}] + .ts-wrapper")
    wrapper.wait_for(state="visible", timeout=10_000)
    return wrapper


def pick(page, name: str, typed: str, option: str) -> None:
    wrapper = picker(page, name)
    wrapper.locator(".ts-control").click()
    wrapper.locator(".ts-control input").press_sequentially(typed, delay=30)
    choice = wrapper.locator(".ts-dropdown .option", has_text=option)
    choice.first.wait_for(state="visible", timeout=10_000)
    choice.first.click()
    # Closed and left, so that a late answer to the search cannot reopen it over the next row.
    page.keyboard.press("Escape")
    page.locator("h1").click()
    wrapper.locator(".ts-dropdown").wait_for(state="hidden", timeout=10_000)


def chosen(page, name: str) -> list[str]:
    return page.eval_on_selector(f"select[name={name}]", "s => Array.from(s.selectedOptions, o => o.text)")


def units(task: Task, role: str) -> list[str]:
    rows = task.assignments.filter(role=role, inherited=False).order_by("position").select_related("unit__city")
    return [a.unit.with_city for a in rows]


def test_the_office_builds_the_ledger_in_the_review(live_server, page):
    from tests.web.world import World

    World()
    base = live_server.url
    log_in(page, base, "office_a")
    page.goto(f"{base}/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "roles.txt", "mimeType": "text/plain", "buffer": PLAN_WITH_ROLES.encode()}],
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_url(re.compile(r"/import/\d+/$"), timeout=60_000)
    page.wait_for_selector("h1:has-text('导入预览')")

    # The engine's suggestion is shown; the office turns the background row into a task (once the
    # page's script has started: it has when the row's pickers are built).
    picker(page, f"lead_{AGREEMENT}")
    row = page.locator(f"tr[data-row='{AGREEMENT}']")
    assert page.input_value(f"select[name=role_{AGREEMENT}]") == "context"
    assert "not-chased" in (row.get_attribute("class") or "")
    page.select_option(f"select[name=role_{AGREEMENT}]", "task")
    page.wait_for_function(
        "n => !document.querySelector(`tr[data-row='${n}']`).classList.contains('not-chased')", arg=AGREEMENT
    )

    # A lead for it, found by typing part of the name; the plan's city is not chosen yet, so the
    # picker lists both cities' namesakes.
    pick(page, f"lead_{AGREEMENT}", "商务", "市商务局（甲市）")
    assert chosen(page, f"lead_{AGREEMENT}") == ["市商务局（甲市）"]

    # The rail task's lead: the document's 市交通运输局 out with its ×, 乙市's in; a support unit added.
    assert chosen(page, f"lead_{RAIL}") == ["未知单位：市交通运输局"]
    picker(page, f"lead_{RAIL}").locator(".item .remove").first.click()
    assert chosen(page, f"lead_{RAIL}") == []
    pick(page, f"lead_{RAIL}", "交通", "市交通运输局（乙市）")
    pick(page, f"support_{RAIL}", "发展改革", "市发展改革局（甲市）")
    assert chosen(page, f"lead_{RAIL}") == ["市交通运输局（乙市）"]

    page.select_option("select[name=city]", label="甲市")
    page.click("button[name=commit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"), timeout=60_000)
    page.wait_for_selector("text=已导入")

    plan = Plan.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    agreement = Task.objects.get(plan=plan, title="合作机制初步建立")
    rail = Task.objects.get(plan=plan, title="加快轨道交通建设")
    assert agreement.role == "task" and units(agreement, "lead") == ["市商务局（甲市）"]
    assert units(rail, "lead") == ["市交通运输局（乙市）"] and units(rail, "support") == ["市发展改革局（甲市）"]

    # The plan page marks the rows that are not tasks; the ledger lists the tasks only.
    assert page.locator("tr.role-safeguard .role-mark").count() == 3
    page.goto(f"{base}/ledger/?plan={plan.pk}")
    ledger = page.locator("table").last.inner_text()
    assert "合作机制初步建立" in ledger and "市商务局" in ledger
    assert "加快轨道交通建设" in ledger and "加强组织领导" not in ledger and "基本情况" not in ledger


def test_a_section_is_applied_to_its_rows_from_the_keyboard(live_server, page):
    """The office gives section 二、 a lead and a deadline, tabs to its 应用到下级 and presses Enter:
    the rows under it show the same, the button has the focus again, and the commit writes them."""
    from luoshi.ledger import importing
    from tests.web.world import World, upload

    world = World()
    session = importing.start_import(upload(), world.office_a)
    base = live_server.url
    log_in(page, base, "office_a")
    page.goto(f"{base}/import/{session.pk}/")
    second, rows_under = 3, (4, 5, 6)
    pick(page, f"lead_{second}", "发展改革", "市发展改革局（甲市）")
    page.focus(f"input[name=deadline_{second}]")
    page.keyboard.type("06302026")  # a date field takes the digits in the browser's order (en-US: m/d/y)
    if page.input_value(f"input[name=deadline_{second}]") != "2026-06-30":
        page.fill(f"input[name=deadline_{second}]", "2026-06-30")
    apply = page.locator(f"button[name=apply_down][value='{second}']")
    apply.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"button[name=apply_down][value='{second}']:focus", timeout=30_000)
    for i in rows_under:
        assert chosen(page, f"lead_{i}") == ["市发展改革局（甲市）"]
        assert page.input_value(f"input[name=deadline_{i}]") == "2026-06-30"
    assert chosen(page, "lead_1") == ["未知单位：市交通运输局"]  # another section's row untouched

    page.click("button[name=commit]")
    page.wait_for_url(re.compile(r"/plans/\d+/$"), timeout=60_000)
    plan = Plan.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    for title in ("共建产业园区", "建设合作园区", "举办招商活动"):
        task = Task.objects.get(plan=plan, title=title)
        assert units(task, "lead") == ["市发展改革局（甲市）"]
        assert task.deadline.isoformat() == "2026-06-30"
