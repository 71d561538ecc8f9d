"""Sending one message to one channel: group robots (企业微信, 钉钉, 飞书), SMS gateways, and the rules
that keep outgoing requests safe. No Django in here: the app layer (``luoshi.notify.delivery``) reads
channels from the database, claims messages and records every attempt.

1. ``check_url`` refuses a webhook that is not https on an allowed host, before it is saved and
   again before every send;
2. ``build_request`` turns a message into the exact request each platform documents (DingTalk and
   Feishu signed with the robot's secret);
3. ``post`` resolves the host, refuses private and loopback addresses unless the operator listed the
   host, and connects to the address it checked (a second DNS answer cannot redirect it), without
   following redirects;
4. ``check_response`` reads the platform's own error code: robots answer HTTP 200 with an error
   code inside when a key is wrong or a signature does not match.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

WECOM = "wecom"
DINGTALK = "dingtalk"
FEISHU = "feishu"
EMAIL = "email"
SMS = "sms"
ROBOTS = (WECOM, DINGTALK, FEISHU)

# The robots' documented hosts; an operator adds others (a gateway, a proxy) in LUOSHI_NOTIFY_HOSTS.
DEFAULT_HOSTS = frozenset({"qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn"})

# Waits before the 1st … 5th retry of a failed send; after the last one the message is given up.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
    dt.timedelta(days=1),
)

# Text limits of the platforms (bytes of UTF-8): WeCom text 2048; DingTalk and Feishu take more,
# but a reminder longer than this is unreadable in a chat anyway.
ROBOT_TEXT_BYTES = 2048
SMS_TEXT_CHARS = 300
RESPONSE_BYTES = 64 * 1024

EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures (a refused address, a missing key) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status


class UnsafeUrl(DeliveryError):
    """A webhook address luoshi refuses to call."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class Message:
    """What is sent: a subject line and a body, plain text."""

    subject: str
    body: str

    def text(self) -> str:
        """Subject and body as one chat message."""
        return f"{self.subject}\n{self.body}" if self.body else self.subject


@dataclass(frozen=True)
class ChannelConfig:
    """One channel as the sender needs it: kind, webhook, secrets, addresses, SMS provider."""

    kind: str
    url: str = ""
    secret: str = ""  # DingTalk/Feishu signing secret; the SMS gateway's token
    address: str = ""  # e-mail addresses or mobile numbers, comma-separated
    provider: str = ""  # SMS provider name (see SMS_PROVIDERS)


@dataclass(frozen=True)
class UrlPolicy:
    """Which hosts may be called: the platforms' own, plus those the operator listed (``extra``).

    Hosts in ``extra`` may be on any port and may resolve to private or loopback addresses: the
    operator named them. The platforms' hosts must use port 443 and resolve to public addresses.
    """

    extra: frozenset[str] = frozenset()
    defaults: frozenset[str] = DEFAULT_HOSTS

    @property
    def hosts(self) -> frozenset[str]:
        """Every allowed host name."""
        return self.defaults | self.extra

    @classmethod
    def with_extra(cls, hosts: Iterable[str]) -> UrlPolicy:
        """The default policy plus these host names (case and blanks ignored)."""
        return cls(extra=frozenset(h.strip().lower().strip("[]") for h in hosts if h.strip()))


@dataclass(frozen=True)
class HttpRequest:
    """One POST: where, the JSON body as bytes, the headers."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpResponse:
    """What came back: the status and at most RESPONSE_BYTES of the body."""

    status: int
    body: bytes


def split_addresses(raw: str) -> list[str]:
    """Addresses from a comma-, semicolon-, space- or 、-separated text, blanks dropped."""
    return [a for a in re.split(r"[\s,;，；、]+", raw or "") if a]


def check_addresses(kind: str, raw: str) -> list[str]:
    """The channel's addresses, or DeliveryError naming the first bad one (e-mail or mainland mobile)."""
    items = split_addresses(raw)
    if not items:
        raise DeliveryError("没有填写接收地址", permanent=True)
    if len(items) > 50:
        raise DeliveryError("接收地址最多50个", permanent=True)
    pattern = EMAIL_RE if kind == EMAIL else MOBILE_RE
    for item in items:
        if len(item) > 254 or not pattern.match(item):
            raise DeliveryError(f"地址格式不正确：{item[:60]}", permanent=True)
    return items


def check_url(url: str, policy: UrlPolicy) -> str:
    """The host name of ``url`` when luoshi may call it; UnsafeUrl when not (https, allowed host, no userinfo)."""
    if not isinstance(url, str) or not url or len(url) > 2000:
        raise UnsafeUrl("Webhook地址为空或过长")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise UnsafeUrl("Webhook地址含有空白或控制字符")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("Webhook地址格式不正确") from None
    if parts.scheme.lower() != "https":
        raise UnsafeUrl("Webhook地址必须以 https:// 开头")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("Webhook地址不能包含用户名或密码")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeUrl("Webhook地址缺少主机名")
    if host not in policy.hosts:
        raise UnsafeUrl(f"主机 {host} 不在允许的列表中（LUOSHI_NOTIFY_HOSTS）")
    if host not in policy.extra and port not in (None, 443):
        raise UnsafeUrl(f"主机 {host} 只能使用443端口")
    return host


def resolve(host: str, port: int, policy: UrlPolicy, getaddrinfo: Callable = socket.getaddrinfo) -> str:
    """The address to connect to: every address the name has must be public unless the operator listed it."""
    try:
        infos = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise DeliveryError(f"无法解析主机 {host}：{exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise DeliveryError(f"无法解析主机 {host}")
    if host not in policy.extra:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise UnsafeUrl(f"主机 {host} 解析到内网或本机地址 {address}，已拒绝")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked, with the host name kept for TLS and Host."""

    def __init__(self, host: str, port: int, address: str, **kwargs) -> None:
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    request: HttpRequest,
    policy: UrlPolicy,
    *,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
) -> HttpResponse:
    """POST ``request`` over verified HTTPS to a checked address; redirects are failures, not followed."""
    host = check_url(request.url, policy)
    parts = urlsplit(request.url)
    port = parts.port or 443
    address = resolve(host, port, policy)
    conn = _PinnedHTTPSConnection(
        host, port, address, timeout=timeout, context=context or ssl.create_default_context()
    )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "luoshi-notify",
        **request.headers,
    }
    try:
        conn.request("POST", target, body=request.body, headers=headers)
        resp = conn.getresponse()
        body = resp.read(RESPONSE_BYTES)
        status = resp.status
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS握手失败：{exc}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"连接失败：{type(exc).__name__}: {exc}") from None
    finally:
        conn.close()
    return HttpResponse(status, body)


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, on a character boundary, marked with …."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature: base64(HMAC-SHA256(key=secret, msg="timestamp\\nsecret"))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's robot signature: base64(HMAC-SHA256(key="timestamp\\nsecret", msg=empty))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def build_request(config: ChannelConfig, message: Message, now: float | None = None) -> HttpRequest:
    """The request a robot or SMS gateway expects for ``message`` (``now``: seconds since the epoch)."""
    now = time.time() if now is None else now
    text = _truncate(message.text(), ROBOT_TEXT_BYTES)
    if config.kind == WECOM:
        return HttpRequest(config.url, _json({"msgtype": "text", "text": {"content": text}}))
    if config.kind == DINGTALK:
        url = config.url
        if config.secret:
            ts = int(now * 1000)
            sign = quote_plus(dingtalk_sign(config.secret, ts))
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={sign}"
        return HttpRequest(url, _json({"msgtype": "text", "text": {"content": text}}))
    if config.kind == FEISHU:
        payload: dict = {"msg_type": "text", "content": {"text": text}}
        if config.secret:
            ts = int(now)
            payload = {"timestamp": str(ts), "sign": feishu_sign(config.secret, ts), **payload}
        return HttpRequest(config.url, _json(payload))
    if config.kind == SMS:
        provider = SMS_PROVIDERS.get(config.provider)
        if provider is None:
            raise DeliveryError(f"未知的短信服务商：{config.provider or '（未选择）'}", permanent=True)
        return provider.build(config, message, now)
    raise DeliveryError(f"不是HTTP渠道：{config.kind}", permanent=True)


def check_response(kind: str, response: HttpResponse, provider: str = "") -> None:
    """Raise DeliveryError when the platform says the message was not taken."""
    if response.status in (301, 302, 303, 307, 308):
        raise DeliveryError(f"对方要求重定向（HTTP {response.status}），已拒绝", status=response.status)
    if not 200 <= response.status < 300:
        # 4xx other than throttling will fail the same way next time: a wrong key or a removed robot.
        permanent = 400 <= response.status < 500 and response.status != 429
        raise DeliveryError(f"HTTP {response.status}", permanent=permanent, status=response.status)
    if kind == SMS:
        SMS_PROVIDERS[provider].check(response)
        return
    try:
        data = json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError("对方返回的不是JSON", status=response.status) from None
    if not isinstance(data, dict):
        raise DeliveryError("对方返回的不是JSON对象", status=response.status)
    if kind in (WECOM, DINGTALK):
        code, text = data.get("errcode"), data.get("errmsg", "")
    else:  # Feishu answers {"code": 0} and, from older robots, {"StatusCode": 0}
        code = data.get("code", data.get("StatusCode"))
        text = data.get("msg", data.get("StatusMessage", ""))
    if code != 0:
        raise DeliveryError(f"平台返回错误 {code}：{str(text)[:200]}", status=response.status)


def send_http(
    config: ChannelConfig,
    message: Message,
    policy: UrlPolicy,
    *,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
    now: float | None = None,
) -> HttpResponse:
    """Build, post and check one robot or SMS message; DeliveryError on any failure."""
    check_url(config.url, policy)
    if config.kind == SMS:
        check_addresses(SMS, config.address)
    response = post(build_request(config, message, now), policy, timeout=timeout, context=context)
    check_response(config.kind, response, config.provider)
    return response


class SmsProvider:
    """An SMS gateway: how a message becomes its request, and how its answer is read.

    Register others with ``register_sms_provider``; a provider whose API is not a JSON POST can be
    written as a subclass the same way.
    """

    name = ""
    label = ""

    def build(self, config: ChannelConfig, message: Message, now: float) -> HttpRequest:
        raise NotImplementedError

    def check(self, response: HttpResponse) -> None:
        """Any 2xx answer counts as accepted unless a provider says otherwise."""


class JsonGateway(SmsProvider):
    """A generic HTTP gateway: POST {"mobiles": [...], "content": "..."} with a bearer token.

    The shape most in-house 短信平台 of government networks accept; the answer must be JSON with
    ``code`` 0 (or no code at all).
    """

    name = "json"
    label = "通用HTTP短信网关（JSON）"

    def build(self, config: ChannelConfig, message: Message, now: float) -> HttpRequest:
        mobiles = check_addresses(SMS, config.address)
        text = message.subject if len(message.subject) >= SMS_TEXT_CHARS else message.text()
        headers = {"Authorization": f"Bearer {config.secret}"} if config.secret else {}
        return HttpRequest(config.url, _json({"mobiles": mobiles, "content": text[:SMS_TEXT_CHARS]}), headers)

    def check(self, response: HttpResponse) -> None:
        try:
            data = json.loads(response.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            raise DeliveryError("短信网关返回的不是JSON", status=response.status) from None
        if isinstance(data, dict) and data.get("code", 0) not in (0, "0"):
            raise DeliveryError(f"短信网关返回错误 {data.get('code')}：{str(data.get('msg', ''))[:200]}")


SMS_PROVIDERS: dict[str, SmsProvider] = {}


def register_sms_provider(provider: SmsProvider) -> None:
    """Make an SMS provider selectable by its ``name``."""
    if not provider.name:
        raise ValueError("an SMS provider needs a name")
    SMS_PROVIDERS[provider.name] = provider


register_sms_provider(JsonGateway())


def retry_delay(attempts: int) -> dt.timedelta | None:
    """The wait before the next try after ``attempts`` failed tries, or None: give up."""
    if attempts < 1:
        return dt.timedelta(0)
    return RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else None


class SecretBox:
    """Encrypts channel secrets with keys derived from the site's secret key (Fernet: AES + HMAC).

    Older secret keys (Django's SECRET_KEY_FALLBACKS) still decrypt, so rotating the key does not
    lose every webhook; ``encrypt`` always uses the current one.
    """

    INFO = b"luoshi.notify channel secrets"

    def __init__(self, secret_key: str, fallbacks: Iterable[str] = ()) -> None:
        if not secret_key:
            raise ValueError("a secret key is needed to encrypt channel secrets")
        self._fernet = MultiFernet([Fernet(self.derive(k)) for k in (secret_key, *fallbacks)])

    @classmethod
    def derive(cls, secret_key: str) -> bytes:
        """A Fernet key from the site's secret key (HKDF-SHA256, its own context string)."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=cls.INFO)
        return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))

    def encrypt(self, values: dict[str, str]) -> str:
        """A token holding ``values`` (JSON)."""
        return self._fernet.encrypt(json.dumps(values, ensure_ascii=False).encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> dict[str, str]:
        """The values in ``token``; an empty token is no values; ValueError when no key opens it."""
        if not token:
            return {}
        try:
            data = json.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeError):
            raise ValueError("渠道密钥无法解密（站点密钥已更换？请重新填写）") from None
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
