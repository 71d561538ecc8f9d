"""Login throttling per client address and for the whole site, and what a lock-out ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from luoshi.accounts.models import AuditLog, LoginFailures
from tests.web.test_api import token_for
from tests.web.world import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(ip: str, username: str, password: str = "wrong-password"):
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": username, "password": password})


@override_settings(LOGIN_PER_MINUTE_PER_IP=10, LOGIN_PER_MINUTE=1000)
def test_one_address_guessing_many_names_is_slowed_down(world):
    answers = [attempt("198.51.100.9", f"nobody{n}").status_code for n in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
    refused = attempt("198.51.100.9", "office_a", PASSWORD)
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert attempt("198.51.100.10", "office_a", PASSWORD).status_code == 302  # another address is not
    assert AuditLog.objects.filter(event="login_throttled", ip="198.51.100.9").count() == 3


@override_settings(LOGIN_PER_MINUTE_PER_IP=1000, LOGIN_PER_MINUTE=8)
def test_many_addresses_at_once_are_slowed_down_for_the_whole_site(world):
    answers = [attempt(f"203.0.113.{n}", f"nobody{n}").status_code for n in range(4)]
    assert answers[:2] == [200, 200] and 429 in answers  # a burst of a quarter-minute's worth, then wait


def test_a_locked_accounts_sessions_and_api_tokens_stop_working(world, client):
    token = token_for(world.office_a)
    client.force_login(world.office_a, backend="luoshi.accounts.backends.LockoutBackend")
    assert client.get("/ledger/").status_code == 200
    for _ in range(5):
        attempt("192.0.2.1", "office_a")
    assert AuditLog.objects.filter(event="account_locked", username="office_a").exists()
    assert client.get("/ledger/").status_code == 302  # sent to the login page
    assert Client().get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401

    # When the lock has run out the token works again; the session that predates it does not.
    LoginFailures.objects.filter(username="office_a").update(last=timezone.now() - dt.timedelta(minutes=16))
    assert Client().get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.get("/ledger/").status_code == 302
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "office_a", "password": PASSWORD}).status_code == 302
    assert fresh.get("/ledger/").status_code == 200
