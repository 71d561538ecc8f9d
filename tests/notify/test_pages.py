"""消息渠道 pages: an office sets up its units' robots, secrets are never shown back, 发送测试 reaches
the robot, unsafe addresses are refused, and every other role is turned away."""

from __future__ import annotations

import pytest

from luoshi.notify import core, delivery
from luoshi.notify.models import Attempt, Channel, Message
from tests.notify import robots as r

pytestmark = pytest.mark.django_db


def add(client, unit, **fields):
    data = {"unit": unit.pk, "kind": core.WECOM, "name": "交通工作群", "enabled": "on", **fields}
    return client.post("/channels/new/", data)


@pytest.fixture
def dingtalk(world, robots) -> Channel:
    row = Channel(unit=world.transport_a, kind=core.DINGTALK, name="钉钉群")
    delivery.set_secrets(row, url=robots.dingtalk_url, secret=r.DINGTALK_SECRET)
    row.save()
    return row


def test_an_office_adds_a_wecom_robot_and_its_key_is_never_shown_back(world, robots, login):
    office = login(world.office_a)
    response = add(office, world.transport_a, url=robots.wecom_url)
    channel = Channel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/channels/{channel.pk}/"
    assert channel.host == "127.0.0.1" and channel.created_by == world.office_a
    for page in (office.get(f"/channels/{channel.pk}/"), office.get("/channels/")):
        html = page.content.decode()
        assert page.status_code == 200 and r.WECOM_KEY not in html and "127.0.0.1" in html
    assert "已保存（127.0.0.1）" in office.get(f"/channels/{channel.pk}/").content.decode()


def test_saving_without_the_secrets_keeps_them(world, dingtalk, login):
    office = login(world.office_a)
    html = office.get(f"/channels/{dingtalk.pk}/").content.decode()
    assert r.DINGTALK_SECRET not in html and r.DINGTALK_TOKEN not in html
    data = {"unit": world.transport_a.pk, "kind": core.DINGTALK, "name": "钉钉群（改名）", "enabled": "on"}
    assert office.post(f"/channels/{dingtalk.pk}/", data).status_code == 302
    dingtalk.refresh_from_db()
    assert dingtalk.name == "钉钉群（改名）"
    assert delivery.config_of(dingtalk).secret == r.DINGTALK_SECRET


def test_the_secret_can_be_cleared(world, dingtalk, login):
    office = login(world.office_a)
    data = {"unit": world.transport_a.pk, "kind": core.DINGTALK, "name": "钉钉群", "clear_secret": "on"}
    office.post(f"/channels/{dingtalk.pk}/", data)
    dingtalk.refresh_from_db()
    assert delivery.config_of(dingtalk).secret == "" and delivery.config_of(dingtalk).url
    assert dingtalk.enabled is False  # the box was left unticked


def test_the_test_button_reaches_the_robot_and_is_logged(world, dingtalk, robots, login):
    office = login(world.office_a)
    page = office.post(f"/channels/{dingtalk.pk}/test/", follow=True)
    assert "测试消息已发送" in page.content.decode()
    (got,) = robots.received
    assert got.answer["errcode"] == 0 and got.json["text"]["content"].startswith("【测试】")
    message = Message.objects.get()
    assert message.status == "sent" and message.key.startswith("test:")
    assert "【测试】落实台账消息渠道测试" in page.content.decode()  # the log on the page


def test_a_failed_test_says_why_and_is_not_retried(world, robots, login):
    office = login(world.office_a)
    add(office, world.transport_a, url=f"{robots.base}/cgi-bin/webhook/send?key=wrong")
    channel = Channel.objects.get()
    page = office.post(f"/channels/{channel.pk}/test/", follow=True).content.decode()
    assert "测试消息发送失败" in page and "93000" in page
    assert Message.objects.get().status == "gave_up" and Attempt.objects.get().ok is False


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, "https://"),
        ({"url": "https://10.0.0.1/cgi-bin/webhook/send?key=k"}, "不在允许"),
        ({"url": "https://metadata.internal/latest"}, "不在允许"),
        ({"url": ""}, "请填写Webhook地址"),
        ({"url": "https://qyapi.weixin.qq.com/x", "name": ""}, "名称"),
        ({"url": "https://qyapi.weixin.qq.com/x", "name": "群" * 61}, "名称"),
        ({"url": "https://qyapi.weixin.qq.com/x", "kind": "pigeon"}, "类型"),
        ({"url": "https://qyapi.weixin.qq.com/x", "secret": "s" * 501}, "密钥"),
        ({"kind": core.EMAIL, "address": "not-mail"}, "地址格式不正确"),
        (
            {"kind": core.SMS, "url": "https://127.0.0.1/sms", "address": "12345", "provider": "json"},
            "地址格式",
        ),
        ({"kind": core.SMS, "url": "https://127.0.0.1/sms", "address": "13800138000"}, "短信服务商"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_stores_nothing(world, robots, login, fields, error):
    office = login(world.office_a)
    response = add(office, world.transport_a, **fields)
    assert response.status_code == 400 and error in response.content.decode()
    assert Channel.objects.count() == 0


def test_an_e_mail_channel_keeps_its_addresses_and_no_secrets(world, login):
    office = login(world.office_a)
    add(office, world.transport_a, kind=core.EMAIL, address="a@jt.gov.cn；b@jt.gov.cn", secret="ignored")
    channel = Channel.objects.get()
    assert channel.address == "a@jt.gov.cn,b@jt.gov.cn" and channel.secrets == ""


def test_an_office_cannot_add_a_channel_to_another_citys_unit(world, robots, login):
    office_b = login(world.office_b)
    response = add(office_b, world.transport_a, url=robots.wecom_url)
    assert response.status_code == 400 and "不归你管理" in response.content.decode()
    assert Channel.objects.count() == 0


def test_an_office_sees_and_changes_only_its_own_units_channels(world, dingtalk, login):
    office_b = login(world.office_b)
    assert "钉钉群" not in office_b.get("/channels/").content.decode()
    assert office_b.get(f"/channels/{dingtalk.pk}/").status_code == 403
    assert office_b.post(f"/channels/{dingtalk.pk}/", {"name": "x"}).status_code == 403
    assert office_b.post(f"/channels/{dingtalk.pk}/test/").status_code == 403
    dingtalk.refresh_from_db()
    assert dingtalk.name == "钉钉群" and Message.objects.count() == 0


@pytest.mark.parametrize("who", ["reporter_a", "supporter_a", "leader", "leader_b"])
def test_other_roles_get_403_everywhere(world, dingtalk, login, who):
    client = login(getattr(world, who))
    assert client.get("/channels/").status_code == 403
    assert client.get("/channels/new/").status_code == 403
    assert add(client, world.transport_a, url="https://qyapi.weixin.qq.com/x").status_code == 403
    assert client.get(f"/channels/{dingtalk.pk}/").status_code == 403
    assert client.post(f"/channels/{dingtalk.pk}/test/").status_code == 403
    assert Channel.objects.count() == 1 and Message.objects.count() == 0
    assert "/channels/" not in client.get("/plans/").content.decode()  # no menu entry


def test_visitors_are_sent_to_the_login_page(world, dingtalk, client):
    for url in ("/channels/", "/channels/new/", f"/channels/{dingtalk.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_manages_every_units_channels(world, dingtalk, login):
    admin = login(world.admin)
    assert "钉钉群" in admin.get("/channels/").content.decode()
    assert admin.get(f"/channels/{dingtalk.pk}/").status_code == 200


def test_the_test_button_only_answers_post(world, dingtalk, login):
    assert login(world.office_a).get(f"/channels/{dingtalk.pk}/test/").status_code == 405


def test_the_page_is_in_english_when_asked(world, dingtalk, login):
    from django.utils import translation

    office = login(world.office_a)
    try:
        html = office.get("/channels/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    finally:
        translation.deactivate()  # the request leaves English active in this thread for later tests
    assert "Message channels" in html and "Add a channel" in html and "DingTalk group robot" in html


def test_adding_and_changing_a_channel_is_audited_without_its_secrets(world, robots, login):
    from luoshi.accounts.models import AuditLog

    office = login(world.office_a)
    add(office, world.transport_a, kind=core.DINGTALK, url=robots.dingtalk_url, secret=r.DINGTALK_SECRET)
    channel = Channel.objects.get()
    office.post(
        f"/channels/{channel.pk}/", {"unit": world.transport_a.pk, "kind": core.DINGTALK, "name": "n"}
    )
    rows = list(
        AuditLog.objects.filter(event__startswith="channel_")
        .order_by("id")
        .values_list("event", "username", "detail")
    )
    assert [(e, u) for e, u, _ in rows] == [("channel_added", "office_a"), ("channel_changed", "office_a")]
    assert not any(r.DINGTALK_SECRET in d or r.DINGTALK_TOKEN in d for _, _, d in rows)
    admin = login(world.admin)
    assert "添加消息渠道" in admin.get("/accounts/audit/").content.decode()
