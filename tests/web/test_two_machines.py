"""Two machines: two ``luoshi serve`` processes with instance folders of their own, on one database
and one Redis, driven over HTTP. What one machine does, the other knows at its next request.

The database is a scratch PostgreSQL database when DATABASE_URL names PostgreSQL, else one
SQLite file; the Redis is a private ``redis-server``. The same checks run on the single-folder
default (two processes on one LUOSHI_HOME, no Redis), which must keep working.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.web.services import free_port, wait_for_port
from tests.web.test_serve import PASSWORD, ROOT, Server, environment, luoshi

USERS = """
from django.contrib.auth import get_user_model
from luoshi.accounts.models import Profile
for name in ("office", "victim"):
    u = get_user_model().objects.create_user(name, password="Correct-Horse-42")
    Profile.objects.create(user=u, role="office")
"""
RENAME = """
from django.contrib.auth import get_user_model
u = get_user_model().objects.get(username="office")
u.username = "office-renamed"
u.save()
"""


class Machine(Server):
    """One app server: its own instance folder, the shared database (and Redis, when given)."""

    def __init__(self, home: Path, **env: str) -> None:
        self.home, self.port = home, free_port()
        # Generous login throttles: this test signs in many times from one address.
        self.env = environment(home, LUOSHI_LOGIN_PER_MINUTE_PER_IP="1000", LUOSHI_LOGIN_PER_MINUTE="1000", **env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "luoshi", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        wait_for_port(self.port, self.process, 60)

    def shell(self, code: str) -> None:
        result = luoshi("manage", "shell", "-c", code, env=self.env)
        assert result.returncode == 0, result.stderr

    def sign_in(self, username: str, password: str = PASSWORD) -> str | None:
        """The session cookie of a fresh sign-in, or None when refused."""
        cookie, token = self.login_form()
        status, headers, _ = self.login(username, password, cookie, token)
        found = re.search(r"sessionid=([^;]+)", " ".join(headers.get_all("Set-Cookie") or []))
        return found.group(1) if status == 302 and found else None

    def get(self, path: str, session: str) -> tuple[int, str]:
        status, _headers, body = self.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        return status, body

    def sign_out(self, session: str) -> None:
        status, headers, body = self.request("GET", "/ledger/", headers={"Cookie": f"sessionid={session}"})
        csrf = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie") or [])).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        status, _, _ = self.request(
            "POST",
            "/accounts/logout/",
            urlencode({"csrfmiddlewaretoken": token}),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Referer": f"http://127.0.0.1:{self.port}/",
            },
        )
        assert status == 302


@pytest.fixture(params=["shared-cache", "one-folder"])
def machines(request, tmp_path, shared_database):
    """Machines A and B: own folders and a shared Redis, or (the default) one folder for both."""
    if request.param == "shared-cache":
        cache = request.getfixturevalue("redis_url")
        homes, extra = (tmp_path / "a", tmp_path / "b"), {"LUOSHI_CACHE_URL": cache}
    else:
        homes, extra = (tmp_path / "one", tmp_path / "one"), {}
    env = {"DATABASE_URL": shared_database, **extra}
    setup = environment(homes[0], **env)
    for step in (("manage", "migrate", "-v0"), ("manage", "shell", "-c", USERS)):
        result = luoshi(*step, env=setup)
        assert result.returncode == 0, result.stderr
    started = [Machine(home, **env) for home in homes]
    yield started
    for m in started:
        m.stop()


def test_a_logout_on_a_is_refused_on_b_at_once(machines):
    a, b = machines
    session = a.sign_in("office")
    assert b.get("/ledger/", session)[0] == 200  # B knows the session, and now holds it in its cache
    a.sign_out(session)
    assert a.get("/ledger/", session)[0] == 302
    assert b.get("/ledger/", session)[0] == 302


def test_a_lock_out_on_a_holds_on_b_and_ends_the_sessions_there(machines):
    a, b = machines
    session = b.sign_in("victim")
    assert b.get("/ledger/", session)[0] == 200
    for _ in range(5):
        assert a.sign_in("victim", "wrong-password-1A!") is None
    assert b.sign_in("victim") is None  # the right password, refused while locked
    assert b.get("/ledger/", session)[0] == 302


def test_a_change_on_a_shows_on_bs_next_page(machines):
    a, b = machines
    session = a.sign_in("office")
    for _ in range(3):  # built twice: B now serves the page from its cache
        status, page = b.get("/ledger/", session)
        assert status == 200 and ">office<" in page
    a.shell(RENAME)  # who sees what changed on A: the pages' scope stamp is renewed
    status, page = b.get("/ledger/", session)
    assert status == 200 and ">office-renamed<" in page
