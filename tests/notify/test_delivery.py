"""Messages through the channels in the database: queued once, claimed once, every try logged,
retried on the schedule, secrets kept encrypted; a real HTTPS server stands in for the robots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from luoshi.ledger.models import City, Unit
from luoshi.notify import core, delivery
from luoshi.notify.models import Attempt, Channel, Message
from tests.notify import robots as r

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db) -> Unit:
    return Unit.objects.create(name="市交通运输局", city=City.objects.create(name="甲市"))


def channel(unit, kind, url="", secret="", **kw) -> Channel:
    row = Channel(unit=unit, kind=kind, name=kind, **kw)
    delivery.set_secrets(row, url=url, secret=secret)
    row.save()
    return row


def test_a_message_reaches_every_channel_of_the_unit_and_each_try_is_logged(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    channel(unit, core.DINGTALK, robots.dingtalk_url, r.DINGTALK_SECRET)
    channel(unit, core.FEISHU, robots.feishu_url, r.FEISHU_SECRET)
    channel(unit, core.EMAIL, address="jt@example.org")
    outcome = delivery.route(unit.pk, "notice:test-1", "【督办】请回复", "正文")
    assert len(outcome.sent) == 4 and outcome.failed == []
    assert sorted(x.path.split("/")[1] for x in robots.received) == ["cgi-bin", "open-apis", "robot"]
    assert all(x.answer.get("errcode", x.answer.get("code")) == 0 for x in robots.received)
    assert [m.to for m in mail.outbox] == [["jt@example.org"]]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Attempt.objects.filter(ok=True).count() == 4


def test_the_same_key_is_queued_and_sent_once(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    delivery.route(unit.pk, "reminder:1:2024-03:due", "s", "b")
    again = delivery.route(unit.pk, "reminder:1:2024-03:due", "s", "b")
    assert again.skipped and not again.sent
    assert len(robots.received) == 1 and Message.objects.count() == 1


def test_a_failing_channel_does_not_stop_the_others(robots, unit):
    channel(unit, core.WECOM, f"{robots.base}/cgi-bin/webhook/send?key=removed-robot")
    channel(unit, core.DINGTALK, robots.dingtalk_url, r.DINGTALK_SECRET)
    outcome = delivery.route(unit.pk, "k", "s", "b")
    assert len(outcome.sent) == 1 and len(outcome.failed) == 1
    failed = Message.objects.get(status="failed")
    assert "93000" in failed.last_error and failed.channel.kind == core.WECOM


def test_failures_are_retried_at_one_minute_ten_minutes_an_hour_six_hours_a_day_then_given_up(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    robots.fail_next = 100
    (message,) = delivery.queue(unit.pk, "k", "s", "b")
    waits = []
    for _ in range(6):
        before = timezone.now()
        outcome = delivery.deliver_due(now=before + dt.timedelta(days=2))
        assert outcome.failed == [message.pk]
        message.refresh_from_db()
        if message.next_attempt_at:
            waits.append(round((message.next_attempt_at - before).total_seconds() / 60))
        Message.objects.filter(pk=message.pk, status="failed").update(next_attempt_at=before)
    assert waits == [1, 10, 60, 360, 1440]
    assert message.status == "gave_up" and message.attempts == 6
    assert Attempt.objects.filter(message=message, ok=False).count() == 6
    assert set(Attempt.objects.values_list("status_code", flat=True)) == {503}
    assert delivery.deliver_due(now=timezone.now() + dt.timedelta(days=9)).as_dict()["failed"] == 0


def test_a_retry_before_its_time_is_not_sent_and_after_it_is(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    robots.fail_next = 1
    delivery.route(unit.pk, "k", "s", "b")
    assert delivery.deliver_due().sent == []
    outcome = delivery.deliver_due(now=timezone.now() + dt.timedelta(minutes=2))
    assert len(outcome.sent) == 1 and Message.objects.get().status == "sent"
    assert [a.ok for a in Attempt.objects.order_by("id")] == [False, True]


def test_a_refused_address_is_given_up_at_once(robots, unit, settings):
    row = channel(unit, core.WECOM, robots.wecom_url)
    settings.LUOSHI_NOTIFY_HOSTS = []  # the operator took the host off the list
    delivery.route(unit.pk, "k", "s", "b")
    row.refresh_from_db()
    message = Message.objects.get()
    assert message.status == "gave_up" and "不在允许" in message.last_error
    assert robots.received == []


def test_two_workers_claiming_the_same_message_only_one_wins(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    (message,) = delivery.queue(unit.pk, "k", "s", "b")
    first, second = delivery.claim(message.pk), delivery.claim(message.pk)
    assert first and second is None
    # The winner's send is recorded; the loser's token can change nothing.
    assert delivery.attempt(Message.objects.select_related("channel").get(pk=message.pk), first) == "sent"
    assert delivery.claim(message.pk) is None and len(robots.received) == 1


def test_a_claim_held_past_the_lease_is_taken_over(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url)
    (message,) = delivery.queue(unit.pk, "k", "s", "b")
    assert delivery.claim(message.pk)
    later = timezone.now() + delivery.LEASE + dt.timedelta(seconds=1)
    assert delivery.claim(message.pk, now=timezone.now()) is None
    assert delivery.claim(message.pk, now=later)


def test_a_disabled_channel_gets_nothing(robots, unit):
    channel(unit, core.WECOM, robots.wecom_url, enabled=False)
    assert delivery.route(unit.pk, "k", "s", "b").as_dict() == {"sent": 0, "failed": 0, "skipped": 0}
    assert robots.received == []


def test_the_database_row_holds_no_secret_in_plain_text(unit):
    row = channel(
        unit,
        core.DINGTALK,
        f"https://oapi.dingtalk.com/robot/send?access_token={r.DINGTALK_TOKEN}",
        r.DINGTALK_SECRET,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notify_channel WHERE id = %s", [row.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert r.DINGTALK_TOKEN not in raw and r.DINGTALK_SECRET not in raw and "access_token" not in raw
    assert "oapi.dingtalk.com" in raw  # the host alone is kept readable, to show on the page
    assert delivery.config_of(Channel.objects.get(pk=row.pk)).secret == r.DINGTALK_SECRET


def test_secrets_sealed_with_another_site_key_fail_clearly_and_are_not_retried(robots, unit, settings):
    channel(unit, core.WECOM, robots.wecom_url)
    settings.SECRET_KEY = "a-new-site-key"
    settings.SECRET_KEY_FALLBACKS = []
    delivery.route(unit.pk, "k", "s", "b")
    message = Message.objects.get()
    assert message.status == "gave_up" and "重新填写" in message.last_error


def test_setting_a_secret_keeps_the_stored_address(unit):
    row = channel(unit, core.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/x", "one")
    delivery.set_secrets(row, secret="two")
    assert delivery.config_of(row).url == "https://open.feishu.cn/open-apis/bot/v2/hook/x"
    assert delivery.config_of(row).secret == "two"


def test_an_unsafe_address_is_refused_before_it_is_stored(unit):
    row = Channel(unit=unit, kind=core.WECOM, name="x")
    with pytest.raises(core.UnsafeUrl):
        delivery.set_secrets(row, url="https://10.0.0.1/cgi-bin/webhook/send?key=k")
    assert row.secrets == ""
