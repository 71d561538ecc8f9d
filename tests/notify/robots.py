"""A stand-in for the robots' servers: real HTTPS on 127.0.0.1, checking what each platform checks.

It answers the paths of 企业微信 (/cgi-bin/webhook/send?key=…), 钉钉 (/robot/send?access_token=…,
signed in the query) and 飞书 (/open-apis/bot/v2/hook/…, signed in the body) and the JSON SMS
gateway (/sms), verifying keys and signatures as the platforms do and answering with their error
codes when they do not match. Every request is recorded for the tests to read.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "d1e2a3b4c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2"
DINGTALK_SECRET = "SEC4f1d7c0a8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0"
FEISHU_HOOK = "2c6a1a8f-5b1d-4b9e-8d0a-3f7e2b1c9d4e"
FEISHU_SECRET = "qNtRtYkTm8vXbJdWcZpLfA"
SMS_TOKEN = "gw-token-5f2e9c1b7a"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate PEM, key PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "luoshi test robots")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "robots.pem", folder / "robots.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    """One request as the server saw it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    answer: dict

    @property
    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Robots:
    """The running server: its base URL, what it received, and failures to answer with."""

    base: str = ""
    ca_file: str = ""
    received: list[Received] = field(default_factory=list)
    # Answer the next N requests with this HTTP status instead of handling them.
    fail_next: int = 0
    fail_status: int = 503
    # Sleep this long before answering (a hung robot).
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.fail_next, self.fail_status, self.delay = 0, 503, 0.0

    @property
    def wecom_url(self) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={WECOM_KEY}"

    @property
    def dingtalk_url(self) -> str:
        return f"{self.base}/robot/send?access_token={DINGTALK_TOKEN}"

    @property
    def feishu_url(self) -> str:
        return f"{self.base}/open-apis/bot/v2/hook/{FEISHU_HOOK}"

    @property
    def sms_url(self) -> str:
        return f"{self.base}/sms"


def _dingtalk(query: dict[str, str], body: dict) -> dict:
    if query.get("access_token") != DINGTALK_TOKEN:
        return {"errcode": 300001, "errmsg": "token is not exist"}
    ts, sign = query.get("timestamp", ""), query.get("sign", "")
    if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 3600_000:
        return {"errcode": 310000, "errmsg": "timestamp expired"}
    want = base64.b64encode(
        hmac.new(DINGTALK_SECRET.encode(), f"{ts}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    if not hmac.compare_digest(sign, want):
        return {"errcode": 310000, "errmsg": "sign not match"}
    if body.get("msgtype") != "text" or not body.get("text", {}).get("content"):
        return {"errcode": 40035, "errmsg": "缺少参数 json"}
    return {"errcode": 0, "errmsg": "ok"}


def _feishu(path: str, body: dict) -> dict:
    if not path.endswith("/" + FEISHU_HOOK):
        return {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
    ts, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
    if not ts.isdigit() or abs(time.time() - int(ts)) > 3600:
        return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
    want = base64.b64encode(
        hmac.new(f"{ts}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    if not hmac.compare_digest(sign, want):
        return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
    if body.get("msg_type") != "text" or not body.get("content", {}).get("text"):
        return {"code": 9499, "msg": "Bad Request"}
    return {"code": 0, "msg": "success", "data": {}}


def _wecom(query: dict[str, str], body: dict) -> dict:
    if query.get("key") != WECOM_KEY:
        return {"errcode": 93000, "errmsg": "invalid webhook url"}
    content = body.get("text", {}).get("content", "")
    if body.get("msgtype") != "text" or not content:
        return {"errcode": 40008, "errmsg": "invalid message type"}
    if len(content.encode("utf-8")) > 2048:
        return {"errcode": 40058, "errmsg": "content exceed max length"}
    return {"errcode": 0, "errmsg": "ok"}


def _sms(headers: dict[str, str], body: dict) -> tuple[int, dict]:
    if headers.get("authorization") != f"Bearer {SMS_TOKEN}":
        return 401, {"code": 401, "msg": "unauthorized"}
    if not body.get("mobiles") or not body.get("content"):
        return 200, {"code": 1, "msg": "missing mobiles or content"}
    return 200, {"code": 0, "msg": "ok"}


def start(folder: Path) -> tuple[Robots, ThreadingHTTPServer]:
    """Start the server on a free port of 127.0.0.1 in a daemon thread."""
    cert, key = make_certificate(folder)
    robots = Robots(ca_file=str(cert))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with robots.lock:
                failing = robots.fail_next > 0
                if failing:
                    robots.fail_next -= 1
                delay = robots.delay
            if delay:
                time.sleep(delay)
            status = 200
            if failing:
                status, answer = robots.fail_status, {"errcode": -1, "errmsg": "system busy"}
            elif parts.path == "/redirect":
                status, answer = 302, {}
            else:
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = {}
                if parts.path == "/cgi-bin/webhook/send":
                    answer = _wecom(query, body)
                elif parts.path == "/robot/send":
                    answer = _dingtalk(query, body)
                elif parts.path.startswith("/open-apis/bot/v2/hook/"):
                    answer = _feishu(parts.path, body)
                elif parts.path == "/sms":
                    status, answer = _sms(headers, body)
                else:
                    status, answer = 404, {"errcode": 404, "errmsg": "not found"}
            with robots.lock:
                robots.received.append(Received(parts.path, query, headers, raw, answer))
            data = json.dumps(answer).encode()
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "https://127.0.0.1:1/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address) -> None:
            pass  # a client that timed out or refused the certificate hung up: nothing to report

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    robots.base = f"https://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return robots, server
