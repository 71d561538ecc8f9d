"""Two machines: two ``luoshi serve`` processes with instance folders of their own, on one database,
one Redis and one S3-compatible object store, and a ``luoshi worker`` with a third folder, driven
over HTTP. What one machine does, the other knows at its next request, and a file one of them
stored, every other one serves.

The database is a scratch PostgreSQL database when DATABASE_URL names PostgreSQL, else one
SQLite file; the Redis is a private ``redis-server``; the object store is moto's standalone S3
server. The same checks run on the single-folder default (every process on one LUOSHI_HOME, no
Redis, files on disk), which must keep working.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import uuid
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
WORLD = """
from tests.web.world import World
World()
"""
IDS = """
import json
from luoshi.ledger.models import Plan, Task
plan = Plan.objects.get(city__name="甲市")
print(json.dumps({"plan": plan.pk, "task": Task.objects.get(plan=plan, label="（一）").pk}))
"""
BULLETIN = """
from luoshi.supervision_web.tasks import produce_bulletin
produce_bulletin.enqueue(plan_id=%d, period="2024-03", formats=["docx", "xlsx"])
"""
BULLETIN_ID = """
from luoshi.supervision_web.models import Bulletin
print(Bulletin.objects.get().pk)
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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

    def shell(self, code: str) -> str:
        result = luoshi("manage", "shell", "-c", code, env=self.env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def get_file(self, path: str, session: str) -> tuple[int, bytes]:
        """Status and raw bytes of a download."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def post_report(self, session: str, task: int, narrative: str, attachment: tuple[str, bytes]) -> int:
        """Submit the task's progress report with one attachment, as the task page's form does."""
        status, headers, page = self.request("GET", f"/tasks/{task}/", headers={"Cookie": f"sessionid={session}"})
        assert status == 200
        csrf = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie") or [])).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": token, "period": "2024-03", "status": "推进中", "narrative": narrative}
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        name, data = attachment
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(
                "POST",
                f"/tasks/{task}/report/",
                body=body,
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Cookie": f"sessionid={session}; csrftoken={csrf}",
                    "Referer": f"http://127.0.0.1:{self.port}/tasks/{task}/",
                },
            )
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

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


@pytest.fixture(params=["shared", "one-folder"])
def machines(request, tmp_path, shared_database):
    """Machines A and B (and the worker's folder C): own folders, a shared Redis and a shared
    bucket, or (the default) one folder for all of them."""
    if request.param == "shared":
        cache = request.getfixturevalue("redis_url")
        store = request.getfixturevalue("object_store")
        homes, extra = (tmp_path / "a", tmp_path / "b", tmp_path / "c"), {"LUOSHI_CACHE_URL": cache, **store.env}
    else:
        store, homes, extra = None, (tmp_path / "one",) * 3, {}
    env = {"DATABASE_URL": shared_database, "LUOSHI_TASKS": "database", **extra}
    setup = environment(homes[0], **env)
    for step in (("manage", "migrate", "-v0"), ("manage", "shell", "-c", USERS), ("manage", "shell", "-c", WORLD)):
        result = luoshi(*step, env=setup)
        assert result.returncode == 0, result.stderr
    started = [Machine(home, **env) for home in homes[:2]]
    started[0].worker_env = environment(homes[2], **env)
    started[0].store = store
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


def test_a_report_with_an_attachment_submitted_on_a_is_downloaded_on_b(machines):
    a, b = machines
    ids = json.loads(a.shell(IDS).strip().splitlines()[-1])
    reporter = a.sign_in("reporter_a")
    assert a.post_report(reporter, ids["task"], "征地完成", ("进展.pdf", PDF)) == 302
    office = b.sign_in("office_a")
    status, page = b.get(f"/tasks/{ids['task']}/", office)
    assert status == 200 and "征地完成" in page
    (attachment,) = set(re.findall(r'href="/attachments/(\d+)/"', page))
    assert b.get_file(f"/attachments/{attachment}/", office) == (200, PDF)
    if a.store is not None:  # in the bucket, not in either machine's folder
        assert PDF in a.store.objects("files/reports/").values()
        assert not list(a.home.rglob("*.pdf")) and not list(b.home.rglob("*.pdf"))


def test_a_bulletin_made_by_the_worker_is_downloaded_from_a_and_b(machines):
    a, b = machines
    ids = json.loads(a.shell(IDS).strip().splitlines()[-1])
    a.shell(BULLETIN % ids["plan"])
    done = luoshi("worker", "--batch", "--queue", "bulletins", "--interval", "0.1", env=a.worker_env, timeout=300)
    assert done.returncode == 0, done.stderr
    bulletin = int(a.shell(BULLETIN_ID).strip().splitlines()[-1])
    got = [m.get_file(f"/bulletins/{bulletin}/{fmt}/", m.sign_in("office_a")) for m in (a, b) for fmt in ("docx", "xlsx")]
    assert [status for status, _ in got] == [200] * 4
    assert got[0][1] == got[2][1] and got[1][1] == got[3][1]  # A and B hand out the same files
    assert all(data.startswith(b"PK") for _, data in got)  # Word and Excel are zip files
    if a.store is not None:
        assert set(a.store.objects("files/bulletins/").values()) == {got[0][1], got[1][1]}
