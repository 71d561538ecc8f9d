"""Reminders (催办) for reports not yet in, and sending them at most once each.

Which reminders are due on a date, for a period whose report is still missing:

1. "before": from `days_before` days before the due date until the day before it;
2. "due": on the due date itself;
3. "after": from `days_after` days after the due date onwards, while still missing.

Each reminder has the key (task id, period, kind). The sender skips keys already sent, so a
job that runs twice a day, or again after a crash, never sends the same reminder twice; a
window rather than a single day means a day the job did not run is caught up the next day.
Sending goes through a `Backend` (`send(recipient, subject, body)`); the web app wraps
Django's mail in one. `send_due` logs a failure and goes on with the rest.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TextIO

from luoshi.supervision.facts import ReportFacts, TaskFacts, id_key
from luoshi.supervision.periods import chinese_date, parse_period
from luoshi.supervision.reporting_calendar import DueDate

log = logging.getLogger(__name__)

KINDS = ("before", "due", "after")
Key = tuple[str, str, str]  # (task id, period, kind)


@dataclass(frozen=True)
class Reminder:
    """One reminder to one unit about one task's report for one period."""

    task_id: str
    period: str
    kind: str
    recipient: str
    subject: str
    body: str
    due: date

    @property
    def key(self) -> Key:
        """(task id, period, kind): the same reminder always has the same key."""
        return (self.task_id, self.period, self.kind)


class Backend(Protocol):
    """Whatever delivers a message: e-mail, SMS, a console."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Deliver one message or raise."""


@dataclass
class ConsoleBackend:
    """Writes each message to a stream (stdout by default)."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Print the message."""
        self.stream.write(f"To: {recipient}\nSubject: {subject}\n\n{body}\n\n")


@dataclass(frozen=True)
class Failure:
    """A message that could not be sent, kept for a retry."""

    recipient: str
    subject: str
    body: str
    error: str


class GuardedBackend:
    """Wraps a backend: a send that raises or takes longer than `timeout` seconds is recorded, not raised.

    A timed-out send cannot be stopped from Python; its thread is left to finish on its own, and
    the message counts as failed so the retry decides (a rare duplicate beats a lost reminder).
    """

    def __init__(self, inner: Backend, timeout: float | None = 10.0) -> None:
        self.inner = inner
        self.timeout = timeout
        self.failures: list[Failure] = []
        self._pool = ThreadPoolExecutor(max_workers=1) if timeout else None

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Send through the inner backend; on error or timeout record a Failure and raise SendError."""
        try:
            if self._pool is None:
                self.inner.send(recipient, subject, body)
            else:
                self._pool.submit(self.inner.send, recipient, subject, body).result(self.timeout)
        except FutureTimeout:
            # The stuck thread keeps its worker; later sends get a fresh one instead of queueing behind it.
            self._pool.shutdown(wait=False)  # type: ignore[union-attr]
            self._pool = ThreadPoolExecutor(max_workers=1)
            self._fail(recipient, subject, body, f"发送超时（{self.timeout}秒）")
        except Exception as exc:  # any backend error is recorded for retry, never lost
            self._fail(recipient, subject, body, f"{type(exc).__name__}: {exc}")

    def _fail(self, recipient: str, subject: str, body: str, error: str) -> None:
        """Record a failure and tell the caller."""
        self.failures.append(Failure(recipient, subject, body, error))
        raise SendError(error)

    def close(self) -> None:
        """Stop the worker thread once pending sends finish."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)


class SendError(RuntimeError):
    """A guarded send failed; the failure is already recorded."""


@dataclass
class SendResult:
    """What `send_due` did: keys sent, keys skipped as already sent, and failures with their error."""

    sent: list[Key] = field(default_factory=list)
    skipped: list[Key] = field(default_factory=list)
    failed: list[tuple[Key, str]] = field(default_factory=list)


def due_reminders(
    tasks: Iterable[TaskFacts],
    reports: Iterable[ReportFacts],
    due: DueDate,
    on: date,
    *,
    days_before: int = 3,
    days_after: int = 3,
) -> list[Reminder]:
    """Reminders due on `on` for `due.period`, for tasks begun, not done and not yet reported, by task id."""
    kind = kind_on(due.due, on, days_before, days_after)
    if kind is None:
        return []
    period = parse_period(due.period)
    reported, done = set(), set()
    for r in reports:
        if r.submitted_at.date() > on:
            continue
        if r.period == due.period:
            reported.add(r.task_id)
        elif r.status == "已完成" and r.period_value.end < period.start:
            done.add(r.task_id)  # finished earlier: nothing more to report
    out = []
    for t in sorted(tasks, key=lambda t: id_key(t.id)):
        if t.id in reported or t.id in done or t.start > period.end:
            continue
        subject, body = _message(t, period.label, due.due, on, kind)
        out.append(Reminder(t.id, due.period, kind, t.lead_unit, subject, body, due.due))
    return out


def send_due(reminders: Iterable[Reminder], backend: Backend, already_sent: set[Key]) -> SendResult:
    """Send each reminder whose key is not in `already_sent`; log failures and go on."""
    result = SendResult()
    seen = set(already_sent)
    for r in reminders:
        if r.key in seen:
            result.skipped.append(r.key)
            continue
        seen.add(r.key)  # a failed key is tried again only in the next run, not twice in this one
        try:
            backend.send(r.recipient, r.subject, r.body)
        except Exception as exc:  # one unit's broken address must not stop the others' reminders
            log.warning("reminder %s to %s failed: %s", r.key, r.recipient, exc)
            result.failed.append((r.key, str(exc)))
            continue
        log.info("reminder %s sent to %s", r.key, r.recipient)
        result.sent.append(r.key)
    return result


def kind_on(due: date, on: date, days_before: int, days_after: int) -> str | None:
    """Which reminder (before, due, after or none) `on` calls for, relative to the due date."""
    gap = (due - on).days
    if gap == 0:
        return "due"
    if 0 < gap <= days_before:
        return "before"
    if -gap >= days_after:
        return "after"
    return None


def _message(task: TaskFacts, label: str, due: date, on: date, kind: str) -> tuple[str, str]:
    """Subject and body of a reminder in Chinese."""
    what = f"“{task.title}”{label}进展情况"
    if kind == "before":
        subject = f"【提醒】请于{chinese_date(due)}前报送{what}"
    elif kind == "due":
        subject = f"【提醒】今天（{chinese_date(due)}）是{what}报送截止日"
    else:
        subject = f"【催办】{what}已逾期{(on - due).days}天未报送"
    body = (
        f"{task.lead_unit}：\n"
        f"《{task.plan_title}》{task.label_path}“{task.title}”由你单位牵头，"
        f"{label}进展情况应于{chinese_date(due)}前报送，目前尚未收到。请及时登录系统报送。"
    )
    return subject, body
