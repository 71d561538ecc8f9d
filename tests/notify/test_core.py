"""The framework-free sender: each platform's exact request and signature, checked by a real HTTPS
server standing in for the robots, and the address rules that keep requests off the intranet."""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl

import pytest

from luoshi.notify import core
from tests.notify import robots as r

MSG = core.Message(
    "【催办】“建设城际铁路”2024年3月进展情况已逾期5天未报送", "市交通运输局：\n请及时登录系统报送。"
)
LOCAL = core.UrlPolicy.with_extra(["127.0.0.1"])


@pytest.fixture
def server(robot_server):
    robot_server.reset()
    return robot_server


@pytest.fixture
def tls(server) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=server.ca_file)


def send(config: core.ChannelConfig, tls, **kw) -> core.HttpResponse:
    return core.send_http(config, MSG, LOCAL, timeout=5, context=tls, **kw)


def test_a_wecom_robot_gets_the_documented_text_message(server, tls):
    send(core.ChannelConfig(core.WECOM, url=server.wecom_url), tls)
    (got,) = server.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": r.WECOM_KEY}
    assert got.json == {"msgtype": "text", "text": {"content": MSG.text()}}
    assert got.headers["content-type"].startswith("application/json")
    assert got.answer["errcode"] == 0


def test_a_dingtalk_robot_gets_a_signature_it_accepts(server, tls):
    send(core.ChannelConfig(core.DINGTALK, url=server.dingtalk_url, secret=r.DINGTALK_SECRET), tls)
    (got,) = server.received
    assert set(got.query) == {"access_token", "timestamp", "sign"}
    assert got.answer == {"errcode": 0, "errmsg": "ok"}  # the server checked the HMAC itself
    assert got.json == {"msgtype": "text", "text": {"content": MSG.text()}}


def test_a_dingtalk_signature_made_with_the_wrong_secret_is_refused(server, tls):
    with pytest.raises(core.DeliveryError, match="310000"):
        send(core.ChannelConfig(core.DINGTALK, url=server.dingtalk_url, secret="SECwrong"), tls)


def test_a_dingtalk_signature_an_hour_old_is_refused(server, tls):
    config = core.ChannelConfig(core.DINGTALK, url=server.dingtalk_url, secret=r.DINGTALK_SECRET)
    with pytest.raises(core.DeliveryError, match="310000"):
        send(config, tls, now=dt.datetime.now().timestamp() - 7200)


def test_a_feishu_robot_gets_timestamp_and_sign_in_the_body(server, tls):
    send(core.ChannelConfig(core.FEISHU, url=server.feishu_url, secret=r.FEISHU_SECRET), tls)
    (got,) = server.received
    body = got.json
    assert set(body) == {"timestamp", "sign", "msg_type", "content"}
    assert body["msg_type"] == "text" and body["content"] == {"text": MSG.text()}
    assert got.answer["code"] == 0


def test_a_feishu_robot_with_a_wrong_secret_answers_19021(server, tls):
    with pytest.raises(core.DeliveryError, match="19021"):
        send(core.ChannelConfig(core.FEISHU, url=server.feishu_url, secret="nope"), tls)


def test_signatures_match_the_platforms_published_recipes():
    # Recomputed here from the recipe each platform documents, not from the code under test.
    import base64
    import hashlib
    import hmac

    ts = 1700000000000
    ding = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert core.dingtalk_sign("SECabc", ts) == ding
    fei = base64.b64encode(hmac.new(b"1700000000\nabc", b"", hashlib.sha256).digest()).decode()
    assert core.feishu_sign("abc", 1700000000) == fei


def test_the_dingtalk_signature_is_url_encoded_in_the_query():
    req = core.build_request(
        core.ChannelConfig(
            core.DINGTALK, url="https://oapi.dingtalk.com/robot/send?access_token=x", secret="S"
        ),
        MSG,
        now=1700000000.0,
    )
    sign = core.dingtalk_sign("S", 1700000000000)
    from urllib.parse import quote_plus

    assert req.url.endswith(f"&timestamp=1700000000000&sign={quote_plus(sign)}")


def test_the_json_sms_gateway_gets_numbers_text_and_its_token(server, tls):
    config = core.ChannelConfig(
        core.SMS, url=server.sms_url, secret=r.SMS_TOKEN, address="13800138000, 13900139000", provider="json"
    )
    send(config, tls)
    (got,) = server.received
    assert got.headers["authorization"] == f"Bearer {r.SMS_TOKEN}"
    assert got.json["mobiles"] == ["13800138000", "13900139000"]
    assert got.json["content"].startswith("【催办】")


def test_an_sms_gateway_refusing_the_token_is_a_permanent_failure(server, tls):
    config = core.ChannelConfig(
        core.SMS, url=server.sms_url, secret="bad", address="13800138000", provider="json"
    )
    with pytest.raises(core.DeliveryError) as caught:
        send(config, tls)
    assert caught.value.permanent and caught.value.status == 401


def test_other_sms_providers_plug_in_by_name(server, tls):
    class Plain(core.SmsProvider):
        name, label = "plain-test", "test"

        def build(self, config, message, now):
            return core.HttpRequest(
                config.url,
                json.dumps({"mobiles": [config.address], "content": "x"}).encode(),
                {"Authorization": f"Bearer {config.secret}"},
            )

    core.register_sms_provider(Plain())
    try:
        send(
            core.ChannelConfig(
                core.SMS, url=server.sms_url, secret=r.SMS_TOKEN, address="13800138000", provider="plain-test"
            ),
            tls,
        )
    finally:
        del core.SMS_PROVIDERS["plain-test"]
    assert server.received[0].json["content"] == "x"
    with pytest.raises(core.DeliveryError, match="未知的短信服务商"):
        core.build_request(core.ChannelConfig(core.SMS, url=server.sms_url, provider="plain-test"), MSG)


def test_a_wrong_wecom_key_is_an_error_even_with_http_200(server, tls):
    with pytest.raises(core.DeliveryError, match="93000"):
        send(core.ChannelConfig(core.WECOM, url=f"{server.base}/cgi-bin/webhook/send?key=wrong"), tls)


def test_a_busy_robot_is_a_failure_to_retry(server, tls):
    server.fail_next = 1
    with pytest.raises(core.DeliveryError) as caught:
        send(core.ChannelConfig(core.WECOM, url=server.wecom_url), tls)
    assert not caught.value.permanent and caught.value.status == 503


def test_redirects_are_not_followed(server, tls):
    with pytest.raises(core.DeliveryError, match="重定向"):
        send(core.ChannelConfig(core.WECOM, url=f"{server.base}/redirect"), tls)
    assert len(server.received) == 1


def test_a_hung_robot_times_out(server, tls):
    server.delay = 1.5
    with pytest.raises(core.DeliveryError, match="连接失败"):
        core.send_http(
            core.ChannelConfig(core.WECOM, url=server.wecom_url), MSG, LOCAL, timeout=0.5, context=tls
        )


def test_an_untrusted_certificate_is_refused(server):
    with pytest.raises(core.DeliveryError, match="TLS"):
        send(core.ChannelConfig(core.WECOM, url=server.wecom_url), ssl.create_default_context())
    assert server.received == []


def test_a_long_message_is_cut_to_the_robots_limit_on_a_character_boundary(server, tls):
    long = core.Message("督办" * 2000, "")
    core.send_http(core.ChannelConfig(core.WECOM, url=server.wecom_url), long, LOCAL, timeout=5, context=tls)
    content = server.received[0].json["text"]["content"]
    assert len(content.encode()) <= core.ROBOT_TEXT_BYTES and content.endswith("…")
    assert server.received[0].answer["errcode"] == 0


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https"),
        ("https://evil.example.com/cgi-bin/webhook/send?key=k", "不在允许"),
        ("https://qyapi.weixin.qq.com.evil.example.com/x", "不在允许"),
        ("https://127.0.0.1/x", "不在允许"),
        ("https://169.254.169.254/latest/meta-data", "不在允许"),
        ("https://[::1]/x", "不在允许"),
        ("https://user:pw@oapi.dingtalk.com/robot/send", "用户名"),
        ("https://oapi.dingtalk.com:8443/robot/send", "443"),
        ("https://oapi.dingtalk.com:99999/robot/send", "格式"),
        ("https://oapi.dingtalk.com/robot/send?x=1\r\nHost: evil", "控制字符"),
        ("https://oapi.dingtalk.com/ robot", "控制字符"),
        ("file:///etc/passwd", "https"),
        ("", "为空"),
        ("https://" + "a" * 2100, "过长"),
        ("https:///robot/send", "主机"),
    ],
)
def test_unsafe_webhook_addresses_are_refused(url, why):
    with pytest.raises(core.UnsafeUrl, match=why):
        core.check_url(url, core.UrlPolicy())


@pytest.mark.parametrize(
    "url",
    [
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6",
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "https://open.feishu.cn/open-apis/bot/v2/hook/2c6a",
        "https://OPEN.FEISHU.CN:443/open-apis/bot/v2/hook/2c6a",
    ],
)
def test_the_platforms_own_addresses_are_allowed(url):
    assert core.check_url(url, core.UrlPolicy()) in core.DEFAULT_HOSTS


def _answers(*addresses):
    def getaddrinfo(host, port, type=0):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return getaddrinfo


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.1.5",
        "172.16.0.9",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fd00::1",
        "0.0.0.0",
    ],
)
def test_an_allowed_name_that_resolves_inside_the_network_is_refused(address):
    with pytest.raises(core.UnsafeUrl, match="内网或本机"):
        core.resolve("oapi.dingtalk.com", 443, core.UrlPolicy(), getaddrinfo=_answers("203.119.1.1", address))


def test_a_public_answer_is_the_address_connected_to():
    assert (
        core.resolve("oapi.dingtalk.com", 443, core.UrlPolicy(), getaddrinfo=_answers("203.119.1.1"))
        == "203.119.1.1"
    )


def test_a_host_the_operator_listed_may_be_private():
    policy = core.UrlPolicy.with_extra(["sms.gov.internal"])
    assert core.resolve("sms.gov.internal", 443, policy, getaddrinfo=_answers("10.0.0.8")) == "10.0.0.8"
    assert core.check_url("https://sms.gov.internal:8443/send", policy) == "sms.gov.internal"


@pytest.mark.parametrize(
    ("kind", "raw", "ok"),
    [
        (core.EMAIL, "a@b.cn, c@d.org", True),
        (core.EMAIL, "not-an-address", False),
        (core.EMAIL, "", False),
        (core.SMS, "13800138000、13900139000", True),
        (core.SMS, "1380013800", False),
        (core.SMS, "+8613800138000", False),
        (core.SMS, ",".join(["13800138000"] * 51), False),
    ],
)
def test_addresses_are_checked(kind, raw, ok):
    if ok:
        assert core.check_addresses(kind, raw)
    else:
        with pytest.raises(core.DeliveryError):
            core.check_addresses(kind, raw)


def test_retries_wait_one_minute_ten_minutes_an_hour_six_hours_a_day_then_stop():
    waits = [core.retry_delay(n) for n in range(1, 7)]
    assert waits == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=10),
        dt.timedelta(hours=1),
        dt.timedelta(hours=6),
        dt.timedelta(days=1),
        None,
    ]


def test_secrets_round_trip_and_hold_no_plaintext():
    box = core.SecretBox("site-key")
    token = box.encrypt({"url": "https://qyapi.weixin.qq.com/x?key=K123", "secret": "SECxyz"})
    assert "K123" not in token and "SECxyz" not in token
    assert box.decrypt(token)["secret"] == "SECxyz"


def test_secrets_survive_a_key_rotation_through_the_fallbacks_only():
    token = core.SecretBox("old-key").encrypt({"secret": "s"})
    assert core.SecretBox("new-key", ["old-key"]).decrypt(token) == {"secret": "s"}
    with pytest.raises(ValueError, match="无法解密"):
        core.SecretBox("new-key").decrypt(token)
