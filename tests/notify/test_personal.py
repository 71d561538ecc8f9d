"""A person's own channels: anyone signed in adds theirs (a robot, a phone, an address) with
发送测试; what is sent to their unit reaches them as well as the unit's channels; nobody else but
the office keeping their unit and the admin may see or change them."""

from __future__ import annotations

import pytest

from luoshi.accounts.rules import can
from luoshi.notify import core, delivery
from luoshi.notify.models import Channel, Message
from tests.notify import robots as r

pytestmark = pytest.mark.django_db


def add_mine(client, **fields):
    data = {"kind": core.WECOM, "name": "我的企业微信", "enabled": "on", **fields}
    return client.post("/channels/mine/new/", data)


def own(user, kind=core.WECOM, url="", secret="", **kw) -> Channel:
    row = Channel(owner=user, kind=kind, name=f"{user.username}的{kind}", **kw)
    delivery.set_secrets(row, url=url, secret=secret)
    row.save()
    return row


@pytest.fixture
def unit_group(world, robots) -> Channel:
    row = Channel(unit=world.transport_a, kind=core.DINGTALK, name="交通局钉钉群")
    delivery.set_secrets(row, url=robots.dingtalk_url, secret=r.DINGTALK_SECRET)
    row.save()
    return row


def test_a_reporter_adds_a_robot_of_their_own_and_its_key_is_never_shown_back(world, robots, login):
    client = login(world.reporter_a)
    response = add_mine(client, url=robots.wecom_url, unit=world.transport_b.pk, owner=world.reporter_b.pk)
    channel = Channel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/channels/{channel.pk}/"
    # Whose it is comes from the session, never from the post.
    assert (channel.owner, channel.unit, channel.created_by) == (world.reporter_a, None, world.reporter_a)
    for url in ("/channels/mine/", f"/channels/{channel.pk}/"):
        html = client.get(url).content.decode()
        assert "我的企业微信" in html and r.WECOM_KEY not in html
    assert 'name="unit"' not in client.get(f"/channels/{channel.pk}/").content.decode()


def test_the_test_button_reaches_the_persons_robot(world, robots, login):
    channel = own(world.reporter_a, core.FEISHU, robots.feishu_url, r.FEISHU_SECRET)
    client = login(world.reporter_a)
    response = client.post(f"/channels/{channel.pk}/test/", follow=True)
    assert "测试消息已发送" in response.content.decode()
    (got,) = robots.received
    assert got.answer["code"] == 0 and "reporter_a" in got.json["content"]["text"]
    message = Message.objects.get()
    assert message.status == "sent" and message.unit == world.transport_a


def test_a_message_to_the_unit_reaches_its_people_and_its_group_but_no_one_else(world, robots, unit_group):
    mine = own(world.reporter_a, url=robots.wecom_url)
    own(world.reporter_b, url=robots.wecom_url)  # 乙市's 市交通运输局: another unit
    own(world.supporter_a, url=robots.wecom_url)  # 市发展改革局: another unit
    off = own(world.reporter_a, core.EMAIL, address="a@jt.gov.cn", enabled=False)
    outcome = delivery.route(world.transport_a.pk, "notice:person-1", "【督办】请回复", "正文")
    assert len(outcome.sent) == 2 and outcome.failed == []
    assert sorted(x.path.split("/")[1] for x in robots.received) == ["cgi-bin", "robot"]
    sent = set(Message.objects.values_list("channel_id", flat=True))
    assert sent == {unit_group.pk, mine.pk} and off.pk not in sent


def test_a_person_who_left_the_unit_or_was_deactivated_no_longer_receives_its_messages(world, robots):
    own(world.reporter_a, url=robots.wecom_url)
    profile = world.reporter_a.profile
    profile.unit = world.ndrc_a
    profile.save()
    assert delivery.route(world.transport_a.pk, "k1", "s", "b").sent == []
    assert len(delivery.route(world.ndrc_a.pk, "k2", "s", "b").sent) == 1  # follows them to the new unit
    world.reporter_a.is_active = False
    world.reporter_a.save()
    assert delivery.route(world.ndrc_a.pk, "k3", "s", "b").sent == []


def test_another_user_cannot_see_change_or_test_a_persons_channel(world, robots, login):
    channel = own(world.reporter_a, url=robots.wecom_url)
    for who in (world.supporter_a, world.reporter_b, world.leader, world.office_b):
        client = login(who)
        assert client.get(f"/channels/{channel.pk}/").status_code == 403, who
        assert client.post(f"/channels/{channel.pk}/", {"kind": core.EMAIL, "name": "x"}).status_code == 403
        assert client.post(f"/channels/{channel.pk}/test/").status_code == 403
        assert "reporter_a" not in client.get("/channels/mine/").content.decode()
    channel.refresh_from_db()
    assert channel.name == "reporter_a的wecom" and Message.objects.count() == 0 and robots.received == []


def test_the_office_keeping_the_unit_and_the_admin_may_manage_it(world, robots, login):
    channel = own(world.reporter_a, url=robots.wecom_url)
    assert can(world.office_a, "channel.manage", channel) and can(world.admin, "channel.manage", channel)
    assert not can(world.office_b, "channel.manage", channel)
    office = login(world.office_a)
    data = {"kind": core.WECOM, "name": "已核实", "enabled": "", "unit": world.transport_b.pk}
    assert office.post(f"/channels/{channel.pk}/", data).status_code == 302
    channel.refresh_from_db()
    # Disabled by the office; still the person's, not turned into a unit's channel by the post.
    assert (channel.name, channel.enabled, channel.unit, channel.owner) == (
        "已核实",
        False,
        None,
        world.reporter_a,
    )
    # The office's own page lists units' channels, not people's.
    assert "已核实" not in office.get("/channels/").content.decode()


def test_every_signed_in_role_may_keep_channels_of_its_own_and_visitors_may_not(world, client, login):
    for who in (world.reporter_a, world.leader, world.office_a, world.admin):
        assert can(who, "channel.own")
        assert login(who).get("/channels/mine/").status_code == 200
    client.logout()
    for url in ("/channels/mine/", "/channels/mine/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"url": "https://metadata.internal/latest"}, "不在允许"),
        ({"url": ""}, "请填写Webhook地址"),
        ({"url": "https://qyapi.weixin.qq.com/x", "name": ""}, "名称"),
        ({"url": "https://qyapi.weixin.qq.com/x", "name": "群" * 61}, "名称"),
        ({"url": "https://qyapi.weixin.qq.com/x", "kind": "pigeon"}, "类型"),
        ({"url": "https://qyapi.weixin.qq.com/" + "x" * 3000}, "Webhook"),
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
    response = add_mine(login(world.reporter_a), **fields)
    assert response.status_code == 400 and error in response.content.decode()
    assert Channel.objects.count() == 0


def test_an_sms_phone_of_ones_own(world, robots, login):
    client = login(world.reporter_a)
    response = add_mine(
        client, kind=core.SMS, url=robots.sms_url, secret=r.SMS_TOKEN, address="13800138000", provider="json"
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.address == "13800138000" and channel.owner == world.reporter_a
    client.post(f"/channels/{channel.pk}/test/")
    (got,) = robots.received
    assert got.path == "/sms" and got.json["mobiles"] == ["13800138000"]


def test_wrongly_encoded_and_nul_input_is_refused(world, login):
    client = login(world.reporter_a)
    response = client.post(
        "/channels/mine/new/",
        "kind=wecom&name=%FF%FE&url=https%3A%2F%2Fqyapi.weixin.qq.com%2Fx",
        content_type="application/x-www-form-urlencoded",
    )
    # Bytes that are not UTF-8 arrive as replacement characters: stored as text, never as bytes.
    assert response.status_code in (400, 302)
    assert [c.name for c in Channel.objects.all()] in ([], ["\ufffd\ufffd"])
    response = add_mine(client, name="群\x00", url="https://qyapi.weixin.qq.com/x")
    assert response.status_code == 400
    assert all("\x00" not in c.name for c in Channel.objects.all())
