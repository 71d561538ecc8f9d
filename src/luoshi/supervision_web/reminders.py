"""Sending reminders at most once each, across any number of worker processes.

For each reminder the core says is due (`luoshi.supervision.reminders.due_reminders`):

1. claim it, before anything is sent, in a transaction of its own (200 reminders per transaction):
   insert its ReminderLog row (unique key; a conflict inserts nothing), or re-claim an existing
   row with a conditional UPDATE when it failed and its retry time has come, or when it has been
   "sending" for longer than the lease (its worker died);
2. send it only when this process won the claim (the row carries this claim's token);
3. mark the row sent right after sending, or failed with the error and the time of the next try.

A worker killed between 1 and 3 leaves a "sending" row that the next run re-claims after the
lease; a worker killed after sending but before step 3 is the one case that can send twice,
and only after the lease — a rare duplicate is preferred to a reminder never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from luoshi.accounts.models import Profile
from luoshi.accounts.models import Role as UserRole
from luoshi.ledger import periods
from luoshi.ledger.models import Plan
from luoshi.notify import routing
from luoshi.supervision.reminders import Backend, Reminder, due_reminders
from luoshi.supervision_web import facts_from_db
from luoshi.supervision_web.models import ReminderLog
from luoshi.supervision_web.services import calendar_for

log = logging.getLogger(__name__)

# A "sending" row older than this belongs to a worker that died mid-send.
LEASE = dt.timedelta(minutes=15)
# Waits before the 1st, 2nd, 3rd… retry of a failed send; the last one repeats.
RETRY_DELAYS = (dt.timedelta(minutes=10), dt.timedelta(hours=1), dt.timedelta(hours=6), dt.timedelta(days=1))


@dataclass
class Outcome:
    """What one run did, by key."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """Counts, for a job's return value and the command's output."""
        return {"sent": len(self.sent), "failed": len(self.failed), "skipped": len(self.skipped)}


@dataclass(frozen=True)
class Addressed:
    """A due reminder with the address it goes to."""

    reminder: Reminder
    recipient: str
    unit_id: int | None = None  # the lead unit, whose message channels also get the reminder

    @property
    def key(self) -> str:
        """The ReminderLog key: task id:period:kind."""
        return key_of(*self.reminder.key)


def key_of(task_id: str, period: str, kind: str) -> str:
    """task id:period:kind."""
    return f"{task_id}:{period}:{kind}"


def due_for(plan: Plan, on: dt.date, task_ids: list[int] | None = None) -> list[Addressed]:
    """The plan's reminders due on `on`: for the last period due (overdue reminders, as the lights
    judge it) and for the period being reported now (reminders before and on its due date)."""
    cal = calendar_for(plan)
    reporting = periods.reporting(plan, on)
    facts = facts_from_db.load([plan], task_ids=task_ids, known_on=on)
    out: list[Reminder] = []
    for due in dict.fromkeys(d for d in (reporting.last_due, reporting.now) if d is not None):
        out += due_reminders(
            facts.tasks,
            facts.reports,
            due,
            on,
            days_before=cal.days_before,
            days_after=cal.days_after,
        )
    emails = _emails_by_unit(set(facts.lead_unit_ids.values()))
    return [
        Addressed(
            r,
            emails.get(facts.lead_unit_ids.get(r.task_id), "") or r.recipient,
            facts.lead_unit_ids.get(r.task_id),
        )
        for r in out
    ]


def _emails_by_unit(unit_ids: set[int]) -> dict[int, str]:
    """Comma-separated e-mail addresses of each unit's active reporters."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = Profile.objects.filter(unit_id__in=unit_ids, role=UserRole.REPORTER, user__is_active=True).exclude(
        user__email=""
    )
    for unit_id, email in rows.order_by("user__email").values_list("unit_id", "user__email"):
        out[unit_id].append(email)
    return {k: ",".join(v) for k, v in out.items()}


def _row(item: Addressed, token: str, now: dt.datetime) -> ReminderLog:
    """A new "sending" log row for `item`, claimed with `token`."""
    r = item.reminder
    return ReminderLog(
        key=item.key,
        task_id=int(r.task_id) if r.task_id.isdigit() else None,
        period=r.period,
        kind=r.kind,
        recipient=item.recipient[:300],
        subject=r.subject[:300],
        claimed_by=token,
        claimed_at=now,
    )


def _retry_due(now: dt.datetime, lease: dt.timedelta) -> Q:
    """Rows another claim may take: failed with the retry time come, or "sending" past the lease."""
    return Q(status=ReminderLog.Status.FAILED, next_retry_at__lte=now) | Q(
        status=ReminderLog.Status.SENDING, claimed_at__lt=now - lease
    )


def claim(item: Addressed, now: dt.datetime | None = None, lease: dt.timedelta = LEASE) -> str | None:
    """A claim token when this process may send `item`, else None (sent, or being sent elsewhere)."""
    token, won = claim_many([item], now, lease)
    return token if won else None


def claim_many(
    items: list[Addressed], now: dt.datetime | None = None, lease: dt.timedelta = LEASE
) -> tuple[str, set[str]]:
    """Claim many reminders in one transaction: (the claim token, the keys this process won).

    New keys are inserted with ON CONFLICT DO NOTHING, old ones re-claimed by a conditional UPDATE;
    either way a row carries our fresh token only if we claimed it, so reading the token back
    tells exactly which reminders are ours to send (one commit per batch instead of per reminder).
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    keys = [i.key for i in items]
    with transaction.atomic():
        ReminderLog.objects.bulk_create([_row(i, token, now) for i in items], ignore_conflicts=True)
        ReminderLog.objects.filter(_retry_due(now, lease), key__in=keys).exclude(claimed_by=token).update(
            status=ReminderLog.Status.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return token, set(
        ReminderLog.objects.filter(key__in=keys, claimed_by=token).values_list("key", flat=True)
    )


def _send_claimed(
    item: Addressed, token: str, backend: Backend, with_channels: set[int] | None = None
) -> str:
    """Send a reminder this process claimed, record the outcome at once ("sent" or "failed"), then
    send it to the unit's message channels too (their own log and retries; they never change the outcome).

    ``with_channels``: the units known to have channels (None: look), so a batch of reminders to units
    without any costs one query rather than one per reminder.
    """
    result = _mail_claimed(item, token, backend)
    if with_channels is None or item.unit_id in with_channels:
        r = item.reminder
        routing.route(item.unit_id, routing.reminder_key(item.key), r.subject, r.body)
    return result


def _mail_claimed(item: Addressed, token: str, backend: Backend) -> str:
    """Send through the reminder backend and mark the log row."""
    r = item.reminder
    try:
        backend.send(item.recipient, r.subject, r.body)
    except Exception as exc:  # recorded for the next run; the other reminders go on
        row = ReminderLog.objects.only("attempts").get(key=item.key)
        delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
        ReminderLog.objects.filter(key=item.key, claimed_by=token).update(
            status=ReminderLog.Status.FAILED, last_error=str(exc)[:2000], next_retry_at=timezone.now() + delay
        )
        log.warning("reminder %s to %s failed: %s", item.key, item.recipient, exc)
        return "failed"
    # Marked sent right after each send (not per batch), so a crash can repeat one message at most.
    ReminderLog.objects.filter(key=item.key, claimed_by=token).update(
        status=ReminderLog.Status.SENT, sent_at=timezone.now(), last_error="", next_retry_at=None
    )
    return "sent"


def deliver(
    item: Addressed, backend: Backend, now: dt.datetime | None = None, lease: dt.timedelta = LEASE
) -> str:
    """Claim, send, record: "sent", "failed" or "skipped"."""
    token = claim(item, now, lease)
    return "skipped" if token is None else _send_claimed(item, token, backend)


def deliver_many(
    items: list[Addressed], backend: Backend, lease: dt.timedelta = LEASE, batch: int = 200
) -> list[str]:
    """deliver() for many reminders, claiming them `batch` at a time; the outcome of each, in order."""
    out: list[str] = []
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        token, won = claim_many(chunk, lease=lease)
        with_channels = routing.units_with_channels({i.unit_id for i in chunk if i.key in won})
        out += [_send_claimed(i, token, backend, with_channels) if i.key in won else "skipped" for i in chunk]
    return out


def send_due(on: dt.date, backend: Backend, plans=None, lease: dt.timedelta = LEASE) -> Outcome:
    """Send every reminder due on `on` for `plans` (default all), each at most once; failures wait for a retry."""
    outcome = Outcome()
    for plan in plans if plans is not None else Plan.objects.all():
        items = due_for(plan, on)
        # One read of what is already sent saves a claim per reminder on every later run;
        # the claim still decides, so a row sent meanwhile by another worker is skipped there.
        periods = {i.reminder.period for i in items}
        sent = set(
            ReminderLog.objects.filter(period__in=periods, status=ReminderLog.Status.SENT).values_list(
                "key", flat=True
            )
        )
        todo = [i for i in items if i.key not in sent]
        outcome.skipped += [i.key for i in items if i.key in sent]
        for item, result in zip(todo, deliver_many(todo, backend, lease), strict=True):
            getattr(outcome, result).append(item.key)
    return outcome
