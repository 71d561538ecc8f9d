"""In a real browser: an office sets up a unit's DingTalk robot, presses 发送测试, and the robot
stand-in accepts the signed message; the secret never comes back into the page."""

from __future__ import annotations

import os

from luoshi.notify.models import Channel, Message
from tests.notify import robots as r
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_an_office_adds_a_dingtalk_robot_and_sends_a_test(world, robots, live_server, page):
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/plans/")
    page.click("nav >> text=消息渠道")
    page.click("text=添加渠道")
    page.select_option("select[name=unit]", str(world.transport_a.pk))
    page.select_option("select[name=kind]", "dingtalk")
    page.fill("input[name=name]", "交通局钉钉群")
    page.fill("input[name=url]", robots.dingtalk_url)
    page.fill("input[name=secret]", r.DINGTALK_SECRET)
    page.click("#channel-form button[type=submit]")
    page.wait_for_selector("text=已添加渠道“交通局钉钉群”")
    html = page.content()
    assert r.DINGTALK_SECRET not in html and r.DINGTALK_TOKEN not in html
    assert page.input_value("input[name=url]") == "" and page.input_value("input[name=secret]") == ""

    page.click("#test-form button")
    page.wait_for_selector("text=测试消息已发送")
    assert page.locator("#message-log tbody tr.status-sent").count() == 1
    (got,) = robots.received
    assert got.answer == {"errcode": 0, "errmsg": "ok"}
    assert Channel.objects.get().unit == world.transport_a and Message.objects.get().status == "sent"
    if os.environ.get("LUOSHI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LUOSHI_SCREENSHOTS"], "channel.png"), full_page=True)
