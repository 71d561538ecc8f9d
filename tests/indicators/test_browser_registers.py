"""In a real browser: the office opens the entity register, finds the ledger's cities brought in,
renames one and gives it aliases, and finds the change after a reload; the 跨城通办 page draws its
chart and takes a new item."""

from __future__ import annotations

from luoshi.indicators.models import Entity, ServiceItem
from luoshi.ledger.models import City
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_the_office_edits_an_entity_of_the_register_and_finds_it_after_a_reload(people, live_server, page):
    for name in ("成都市", "德阳市", "眉山市"):
        City.objects.create(name=name)
    assert not Entity.objects.exists()  # the register is filled from the ledger when it is opened
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/indicators/entities/")
    assert "已从台账城市新增统计对象" in page.content()
    register = page.locator("table.entities").first.inner_text()
    assert "成都市" in register and "德阳市" in register and "眉山市" in register
    assert "成都—德阳" in page.content()  # a pair of the ledger's cities

    page.click("table.entities >> text=德阳市")
    page.fill("#entity-rename input[name=name]", "德阳")
    page.click("#entity-rename button[type=submit]")
    page.wait_for_selector("text=已更名")
    page.fill("#entity-aliases textarea[name=aliases]", "德阳市\n旌城")
    page.click("#entity-aliases button[type=submit]")
    page.wait_for_selector("text=别名已保存")

    page.reload()
    assert page.locator("h1").inner_text().startswith("德阳")
    assert page.locator("#entity-aliases textarea").input_value().splitlines() == ["德阳市", "旌城"]
    assert "更名" in page.locator("#entity-changes").inner_text()
    page.goto(f"{live_server.url}/indicators/entities/")
    row = page.locator("table.entities tr", has_text="旌城").inner_text()
    assert row.startswith("德阳") and "旌城" in row
    assert "已从台账城市新增统计对象" not in page.content()  # nothing new to bring in the second time
    entity = Entity.objects.get(kind="city", city__name="德阳市")
    assert (entity.name, entity.alias_list()) == ("德阳", ["德阳市", "旌城"])


def test_the_office_adds_a_service_item_and_the_chart_counts_it(people, live_server, page):
    for name in ("成都市", "德阳市"):
        City.objects.create(name=name)
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/indicators/services/")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    assert page.locator("#chart-crosscity canvas").count() == 1
    page.fill("#crosscity-new input[name=name]", "住房公积金异地转移接续")
    page.fill("#crosscity-new input[name=department]", "市住房公积金管理中心")
    chengdu = Entity.objects.get(kind="city", city__name="成都市")
    page.check(f"#crosscity-new input[name=city][value='{chengdu.pk}']")
    page.fill(f"#crosscity-new input[name=since-{chengdu.pk}]", "2023-07-01")
    page.click("#crosscity-new button[type=submit]")
    page.wait_for_selector("text=已新增事项")
    assert "成都市（2023-07-01起）" in page.locator("#crosscity-cities").inner_text()
    page.goto(f"{live_server.url}/indicators/services/")
    assert "1" in page.locator("#crosscity-counts tr", has_text="成都市").inner_text()
    assert ServiceItem.objects.get().cities.get().since.isoformat() == "2023-07-01"
