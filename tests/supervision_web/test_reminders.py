"""Reminders: each sent once, failures logged and retried, dead workers' claims taken over."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from luoshi.supervision.reminders import GuardedBackend
from luoshi.supervision_web import reminders
from luoshi.supervision_web.backends import MailBackend
from luoshi.supervision_web.models import ReminderLog
from tests.supervision_web.conftest import task

pytestmark = pytest.mark.django_db

DUE = dt.date(2024, 4, 10)  # the March reports are due; the lights judge March, not February any more
ALL = 4  # the world's four tasks have no March report: a "due" reminder each


class Recorder:
    """A backend that keeps what it was asked to send, and can be told to fail for some recipients."""

    def __init__(self, fail_for: str = "") -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_for = fail_for

    def send(self, recipient: str, subject: str, body: str) -> None:
        if self.fail_for and self.fail_for in recipient:
            raise ConnectionError("gateway down")
        self.sent.append((recipient, subject))


def test_on_the_due_date_every_unreported_task_is_reminded_once(world):
    backend = Recorder()
    first = reminders.send_due(DUE, backend, [world.plan_a])
    again = reminders.send_due(DUE, backend, [world.plan_a])
    assert len(first.sent) == ALL and again.sent == [] and len(again.skipped) == ALL
    assert len(backend.sent) == ALL
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {"sent"}


def test_reported_tasks_are_not_reminded(reported):
    outcome = reminders.send_due(DUE, Recorder(), [reported.plan_a])
    march = {k for k in outcome.sent if ":2024-03:" in k}
    # Only （二） and 2. have no March report by the due date (2. reports two days later).
    assert march == {
        f"{task(reported.plan_a, '2.').pk}:2024-03:due",
        f"{task(reported.plan_a, '（二）').pk}:2024-03:due",
    }


def test_reminders_go_to_the_lead_units_reporters_by_mail(world):
    world.reporter_a.email = "jt@example.org"
    world.reporter_a.save()
    outcome = reminders.send_due(DUE, MailBackend(), [world.plan_a])
    assert [m.to for m in mail.outbox] == [["jt@example.org"]]
    # Units without a reporter's address are failures to retry, not silent successes.
    assert len(outcome.failed) == ALL - 1
    assert "没有登记联络员邮箱" in ReminderLog.objects.filter(status="failed").first().last_error


def test_a_failing_backend_is_logged_with_a_retry_time_and_the_rest_go_on(world):
    backend = Recorder(fail_for="市发展改革局")
    outcome = reminders.send_due(DUE, backend, [world.plan_a])
    assert len(outcome.failed) == 1 and len(outcome.sent) == ALL - 1
    row = ReminderLog.objects.filter(status="failed").first()
    assert row.last_error == "gateway down" and row.attempts == 1
    assert row.next_retry_at > timezone.now()


def test_the_next_run_retries_a_failure_once_its_time_has_come(world):
    reminders.send_due(DUE, Recorder(fail_for="市发展改革局"), [world.plan_a])
    backend = Recorder()
    early = reminders.send_due(DUE, backend, [world.plan_a])
    assert early.sent == []  # not yet time to retry
    ReminderLog.objects.filter(status="failed").update(next_retry_at=timezone.now() - dt.timedelta(seconds=1))
    later = reminders.send_due(DUE, backend, [world.plan_a])
    assert len(later.sent) == 1 and len(backend.sent) == 1
    assert ReminderLog.objects.get(key=later.sent[0]).attempts == 2


def test_a_backend_that_hangs_times_out_and_is_logged_as_failed(world):
    class Hangs:
        def send(self, recipient, subject, body):
            time.sleep(1)

    guarded = GuardedBackend(Hangs(), timeout=0.05)
    t0 = time.monotonic()
    outcome = reminders.send_due(DUE, guarded, [world.plan_a])
    assert len(outcome.failed) == ALL and time.monotonic() - t0 < 1
    assert all("发送超时" in e for e in ReminderLog.objects.values_list("last_error", flat=True))
    guarded.close()


def test_a_claim_is_won_by_one_process_only(world):
    (item, *_rest) = reminders.due_for(world.plan_a, DUE)
    assert reminders.claim(item) is not None
    assert reminders.claim(item) is None


def test_a_reminder_claimed_by_a_worker_that_died_is_sent_once_after_the_lease(world):
    (item, *_rest) = reminders.due_for(world.plan_a, DUE)
    reminders.claim(item)  # the worker dies here, before sending
    backend = Recorder()
    assert reminders.deliver(item, backend) == "skipped"  # it may still be sending: wait for the lease
    later = timezone.now() + reminders.LEASE + dt.timedelta(seconds=1)
    assert reminders.deliver(item, backend, now=later) == "sent"
    assert reminders.deliver(item, backend, now=later) == "skipped"
    assert len(backend.sent) == 1 and ReminderLog.objects.get(key=item.key).attempts == 2
