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


def test_a_reporter_adds_a_wecom_robot_of_their_own_from_the_inbox_and_tests_it(world, robots, live_server, page):
    web.log_in(page, live_server.url, "reporter_a")
    page.wait_for_url(f"{live_server.url}/inbox/")
    page.click("#my-channels")
    page.wait_for_selector("text=尚未添加个人渠道。")
    page.click("text=添加个人渠道")
    assert page.locator("select[name=unit]").count() == 0  # whose it is comes from the session
    page.select_option("select[name=kind]", "wecom")
    page.fill("input[name=name]", "我的企业微信")
    page.fill("input[name=url]", robots.wecom_url)
    page.click("#channel-form button[type=submit]")
    page.wait_for_selector("#test-form")
    assert r.WECOM_KEY not in page.content()

    page.click("#test-form button")
    page.wait_for_selector("text=测试消息已发送")
    (got,) = robots.received
    assert got.answer == {"errcode": 0, "errmsg": "ok"} and "reporter_a" in got.json["text"]["content"]
    channel = Channel.objects.get()
    assert (channel.owner, channel.unit) == (world.reporter_a, None)

    page.goto(f"{live_server.url}/channels/mine/")
    assert page.locator("#channels tbody tr").first.inner_text().startswith("企业微信")
    assert page.locator("#message-log tbody tr.status-sent").count() == 1
