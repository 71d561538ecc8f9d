"""``luoshi serve`` as deployed: a real waitress process on 127.0.0.1 over a SQLite file in a fresh
instance folder, driven over HTTP (the proxy headers, the login flood, the refused deploy checks
and dropped requests are the server's behaviour, not a view's)."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "serve-test-secret-" + "k" * 50
PASSWORD = "Correct-Horse-42"
USERS = """
from django.contrib.auth import get_user_model
from luoshi.accounts.models import Profile
for name in ("office", "victim"):
    u = get_user_model().objects.create_user(name, password="Correct-Horse-42")
    Profile.objects.create(user=u, role="office")
"""
AUDIT = """
import json
from luoshi.accounts.models import AuditLog
print(json.dumps(list(AuditLog.objects.values_list("event", "username", "ip"))))
"""


# Its processes make their own databases and ignore DATABASE_URL: one run of it is enough.
pytestmark = pytest.mark.own_instance


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    env.update(LUOSHI_HOME=str(home), LUOSHI_SECRET_KEY=SECRET, **extra)
    return env


def luoshi(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running ``luoshi serve`` and what a test needs to talk to it."""

    def __init__(self, home: Path, *args: str, **env: str) -> None:
        self.home, self.port = home, free_port()
        self.env = environment(home, **env)
        assert luoshi("manage", "migrate", "-v0", env=self.env).returncode == 0
        assert luoshi("manage", "shell", "-c", USERS, env=self.env).returncode == 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "luoshi", "serve", "--port", str(self.port), *args],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stderr.read()) from None
                time.sleep(0.2)
        raise AssertionError("luoshi serve did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def login_form(self, headers: dict | None = None) -> tuple[str, str]:
        """The csrftoken cookie and the form's token of a fresh login page."""
        _status, got, body = self.request("GET", "/accounts/login/", headers=headers)
        cookie = re.search(r"csrftoken=([^;]+)", got["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        return cookie, token

    def login(self, username: str, password: str, cookie: str, token: str, headers: dict | None = None):
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        return self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
                **(headers or {}),
            },
        )

    def audit(self) -> list[tuple[str, str, str]]:
        out = luoshi("manage", "shell", "-c", AUDIT, env=self.env)
        return [tuple(row) for row in json.loads(out.stdout.strip().splitlines()[-1])]


@pytest.fixture
def server(tmp_path):
    running: list[Server] = []

    def start(*args: str, **env: str) -> Server:
        running.append(Server(tmp_path / f"instance{len(running)}", *args, **env))
        return running[-1]

    yield start
    for s in running:
        s.stop()


# -- deploy checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "check"),
    [({"LUOSHI_DEBUG": "true"}, "security.W018"), ({"LUOSHI_SECRET_KEY": "short"}, "security.W009")],
)
def test_serve_refuses_to_start_when_the_deploy_checks_fail(tmp_path, env, check):
    result = luoshi("serve", "--port", str(free_port()), env={**environment(tmp_path), **env}, timeout=60)
    assert result.returncode == 2
    assert check in result.stderr and "--insecure" in result.stderr


def test_serve_insecure_serves_a_local_demo_anyway(server):
    demo = server("--insecure", LUOSHI_DEBUG="true", LUOSHI_SECURE_COOKIES="false")
    assert demo.request("GET", "/public/")[0] == 200


# -- behind an HTTPS proxy ----------------------------------------------------------------------


def test_behind_a_trusted_proxy_the_scheme_and_client_address_come_from_its_headers(server):
    s = server(LUOSHI_TRUSTED_PROXY="127.0.0.1", LUOSHI_ALLOWED_HOSTS="luoshi.example.org")
    proxied = {"Host": "luoshi.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    status, headers, _body = s.request("GET", "/public/", headers=proxied)
    assert status == 200 and "max-age=31536000" in headers["Strict-Transport-Security"]
    cookie, token = s.login_form(proxied)
    # A browser sends the https origin; it matches the request's scheme and host only if both were trusted.
    status, headers, _body = s.login(
        "office", PASSWORD, cookie, token,
        {**proxied, "Origin": "https://luoshi.example.org", "Referer": "https://luoshi.example.org/accounts/login/"},
    )
    assert status == 302, _body[:300]
    assert ("login", "office", "203.0.113.7") in s.audit()


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(server):
    s = server(LUOSHI_ALLOWED_HOSTS="127.0.0.1")
    cookie, token = s.login_form()
    s.login("office", PASSWORD, cookie, token, {"X-Forwarded-For": "203.0.113.7"})
    assert ("login", "office", "127.0.0.1") in s.audit()


# -- the login flood ----------------------------------------------------------------------------


def test_forty_concurrent_guesses_check_at_most_five_passwords(server):
    s = server(
        "--threads", "8", "--insecure",
        LUOSHI_SECURE_COOKIES="false", LUOSHI_LOGIN_PER_MINUTE="1000", LUOSHI_LOGIN_PER_MINUTE_PER_IP="1000",
    )
    cookie, token = s.login_form()
    statuses: list[int] = []
    start = threading.Barrier(40)

    def guess(n: int) -> None:
        start.wait()
        statuses.append(s.login("victim", f"wrong-{n}", cookie, token)[0])

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = [event for event, username, _ip in s.audit() if username == "victim"]
    assert statuses == [200] * 40  # the form again, with a message; never a server error
    assert events.count("login_failed") == 5
    assert events.count("login_locked") == 35
    assert events.count("account_locked") == 1
    # The right password is refused too while the lock lasts.
    assert "锁定" in s.login("victim", PASSWORD, cookie, token)[2]


def test_a_request_body_over_the_upload_limit_is_refused_by_the_server(server):
    s = server("--insecure", LUOSHI_SECURE_COOKIES="false", LUOSHI_MAX_UPLOAD_MB="1")
    # The server answers from the declared length, before a byte of the body, and closes: a client
    # still writing the body then races that close (a broken pipe), so the answer is read first.
    with socket.create_connection(("127.0.0.1", s.port), timeout=30) as raw:
        raw.sendall(
            (
                "POST /import/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {3 * 1024 * 1024}\r\n\r\n"
            ).encode()
        )
        answer = raw.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413 ")


def test_a_request_whose_client_hung_up_while_it_waited_is_not_served(server):
    s = server("--threads", "2", "--insecure", LUOSHI_SECURE_COOKIES="false")
    cookie, token = s.login_form()
    # Hold SQLite's write lock: the two threads block on their first write (the login throttle),
    # and the third request waits in waitress's queue.
    lock = sqlite3.connect(s.home / "luoshi.sqlite3", timeout=30, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    busy = [threading.Thread(target=s.login, args=("office", f"busy-{n}", cookie, token)) for n in range(2)]
    for t in busy:
        t.start()
    time.sleep(1.5)
    body = urlencode({"username": "gone", "password": "x", "csrfmiddlewaretoken": token})
    raw = socket.create_connection(("127.0.0.1", s.port))
    raw.sendall(
        (
            f"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken={cookie}\r\n"
            f"Referer: http://127.0.0.1:{s.port}/accounts/login/\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n{body}"
        ).encode()
    )
    time.sleep(0.5)
    raw.close()  # the client gives up before a thread is free
    time.sleep(0.5)
    lock.execute("COMMIT")
    lock.close()
    for t in busy:
        t.join()
    time.sleep(1)
    users = [username for event, username, _ip in s.audit() if event.startswith("login")]
    assert users.count("office") == 2 and "gone" not in users
