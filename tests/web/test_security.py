"""等保2.0 yardsticks: passwords, lock-out, sessions, cookies, audit log, secrets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from luoshi.accounts.lockout import is_locked
from luoshi.accounts.models import AuditLog
from luoshi.web import env
from tests.web.world import PASSWORD

pytestmark = pytest.mark.django_db


def login_post(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "1234567890123", "abcdefghij12"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_mixed_password_is_accepted():
    validate_password("Tong-Cheng-2024")


def test_login_success_and_failure_are_audited(world, client):
    assert login_post(client, "office_a", "wrong-password").status_code == 200
    assert login_post(client, "office_a", PASSWORD).status_code == 302
    events = list(
        AuditLog.objects.filter(username="office_a", event__startswith="login").values_list(
            "event", flat=True
        )
    )
    assert sorted(events) == ["login", "login_failed"]


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client):
    for _ in range(5):
        login_post(client, "office_a", "wrong-password")
    response = login_post(client, "office_a", PASSWORD)  # even the right password
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert AuditLog.objects.filter(event="login_locked", username="office_a").exists()
    later = timezone.now() + dt.timedelta(minutes=16)
    assert not is_locked("office_a", now=later)


def test_lockout_of_one_user_does_not_lock_another(world, client):
    for _ in range(5):
        login_post(client, "office_a", "wrong-password")
    assert login_post(client, "office_b", PASSWORD).status_code == 302


def test_audit_rows_cannot_be_changed_or_deleted(world):
    AuditLog.objects.create(event="login", username="x")
    row = AuditLog.objects.get(username="x")
    row.event = "nothing happened"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_admin_cannot_change_audit_rows(world, client):
    AuditLog.objects.create(event="login", username="x")
    client.force_login(world.admin)
    row = AuditLog.objects.get(username="x")
    page = client.get(f"/admin/accounts/auditlog/{row.pk}/change/")
    assert (
        page.status_code == 200 and "save" not in page.content.decode().lower().split("submit-row")[-1][:200]
    )
    client.post(f"/admin/accounts/auditlog/{row.pk}/change/", {"event": "edited"})
    assert AuditLog.objects.get(pk=row.pk).event == "login"


def test_sessions_are_short_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_activity_pushes_the_session_expiry_forward(world, client):
    from django.contrib.sessions.models import Session

    client.force_login(world.office_a)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    session = client.session
    session["_refreshed"] = 0
    session.save()
    client.get("/ledger/")
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert remaining > dt.timedelta(minutes=29)


def test_cookies_are_secure_and_hsts_on_when_not_debug(monkeypatch, tmp_path):
    import importlib

    import luoshi.web.settings as web_settings

    monkeypatch.setenv("LUOSHI_DEBUG", "false")
    monkeypatch.delenv("LUOSHI_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("LUOSHI_HOME", str(tmp_path))
    fresh = importlib.reload(web_settings)
    try:
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE
        assert fresh.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.undo()
        importlib.reload(web_settings)


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office_a)
    assert client.post(f"/plans/{world.plan_a.pk}/publish/", {"published": "1"}).status_code == 403


def test_missing_secret_key_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.delenv("LUOSHI_SECRET_KEY", raising=False)
    with pytest.raises(env.SettingError, match="secret key"):
        env.secret_key(tmp_path)
    key = env.secret_key(tmp_path, create=True)
    assert len(key) > 40 and (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [("", "sqlite3", "luoshi.sqlite3"), ("postgres://u:p%40ss@db:5433/ledger", "postgresql", "ledger")],
)
def test_database_url_is_parsed(tmp_path, url, engine, name):
    db = env.database(url, tmp_path)
    assert db["ENGINE"].endswith(engine) and db["NAME"].endswith(name)
    if engine == "postgresql":
        assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("u", "p@ss", "db", "5433")


def test_bad_setting_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("LUOSHI_MAX_UPLOAD_MB", "lots")
    with pytest.raises(env.SettingError):
        env.get_int("LUOSHI_MAX_UPLOAD_MB")
    with pytest.raises(env.SettingError):
        env.database("mysql://x/y", __import__("pathlib").Path("."))


def test_every_environment_variable_read_is_documented():
    import re
    from pathlib import Path

    src = Path(env.__file__).parent.parent
    used = set()
    for path in src.rglob("*.py"):
        used |= set(
            re.findall(r'env\.get(?:_bool|_int|_list)?\("([A-Z_]+)"', path.read_text(encoding="utf-8"))
        )
    assert used <= {s.name for s in env.SETTINGS}
    assert all(s.help for s in env.SETTINGS)


@override_settings(MAX_UPLOAD_BYTES=20 * 1024 * 1024)
def test_upload_limit_defaults_to_twenty_megabytes():
    assert env.get_int("LUOSHI_MAX_UPLOAD_MB") == 20


def test_the_session_user_comes_with_its_profile_and_inactive_or_unknown_users_get_nothing(
    world, client, django_assert_num_queries
):
    from luoshi.accounts.backends import LockoutBackend
    from luoshi.accounts.rules import role_of

    backend = LockoutBackend()
    with django_assert_num_queries(1):
        reporter = backend.get_user(str(world.reporter_a.pk))
        assert (role_of(reporter), reporter.profile.unit_id) == ("reporter", world.transport_a.pk)
    assert role_of(backend.get_user(str(world.admin.pk))) == "admin"
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("no_profile", password=PASSWORD)
    with django_assert_num_queries(1):
        assert role_of(backend.get_user(str(nobody.pk))) == "public"
    for bad in ("", "abc", "1 OR 1=1", str(10**9)):
        assert backend.get_user(bad) is None
    world.reporter_a.is_active = False
    world.reporter_a.save()
    assert backend.get_user(str(world.reporter_a.pk)) is None

    # A signed-in reporter who is then deactivated is signed out on the next page.
    world.reporter_b.is_active = True
    client.force_login(world.reporter_b, backend="luoshi.accounts.backends.LockoutBackend")
    assert client.get("/mine/").status_code == 200
    world.reporter_b.is_active = False
    world.reporter_b.save()
    assert client.get("/mine/").status_code == 302
