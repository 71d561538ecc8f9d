"""What supervision sends to units' channels: overdue and due-date reminders, issued 督办单.

The channels come on top of what the app already does, never instead: a reminder is still logged
(ReminderLog) and mailed as before, and a notice is issued and listed in the app whatever a robot
answers. Routing errors are logged and swallowed here so that a broken channel, or even a broken
message table, can never undo or stop the reminder or the notice that asked for it.
"""

from __future__ import annotations

import logging

from django.db import transaction

from luoshi.notify import delivery
from luoshi.supervision.periods import chinese_date

log = logging.getLogger(__name__)


def reminder_key(reminder_key: str) -> str:
    """The message key of a reminder (task id:period:kind)."""
    return f"reminder:{reminder_key}"


def notice_key(number: str) -> str:
    """The message key of a notice."""
    return f"notice:{number}"


def units_with_channels(unit_ids: set[int | None]) -> set[int]:
    """Which of these units have an enabled channel, of their own or of one of their people (two queries)."""
    from luoshi.notify.models import Channel

    ids = {u for u in unit_ids if u is not None}
    if not ids:
        return set()
    own = Channel.objects.filter(unit_id__in=ids, enabled=True).values_list("unit_id", flat=True)
    people = Channel.objects.filter(
        owner__profile__unit_id__in=ids, owner__is_active=True, enabled=True
    ).values_list("owner__profile__unit_id", flat=True)
    return set(own) | set(people)


def route(unit_id: int | None, key: str, subject: str, body: str) -> delivery.Outcome:
    """Send to every enabled channel of the unit; never raises (the caller's work is already done)."""
    if unit_id is None:
        return delivery.Outcome()
    try:
        # A savepoint of its own: a failing insert must not break the caller's transaction.
        with transaction.atomic():
            messages = delivery.queue(unit_id, key, subject, body)
        return delivery.deliver(messages)
    except Exception:  # the reminder or notice stands; the retry pass picks up what was queued
        log.exception("routing %s to unit %s failed", key, unit_id)
        return delivery.Outcome()


def notice_text(notice) -> tuple[str, str]:
    """Subject and body of an issued 督办单 for a chat group or a text message."""
    task = notice.task
    subject = f"【督办】{notice.number}：“{task.title[:60]}”"
    body = (
        f"{notice.lead_unit.name}：\n"
        f"《{notice.plan.title}》{task.label}“{task.title}”由你单位牵头。{notice.reason}\n"
        f"请于{chinese_date(notice.reply_due)}前登录系统签收并回复办理情况（督办单{notice.number}）。"
    )
    return subject, body


def route_notice(notice) -> delivery.Outcome:
    """Send an issued notice to the lead unit's channels, and a copy (抄送) to the co-operating units'."""
    subject, body = notice_text(notice)
    outcome = route(notice.lead_unit_id, notice_key(notice.number), subject, body)
    for unit in notice.copy_units.all():
        copy = route(unit.pk, notice_key(notice.number), f"【抄送】{subject}", f"{unit.name}：\n{body}")
        for name in ("sent", "failed", "skipped"):
            getattr(outcome, name).extend(getattr(copy, name))
    return outcome
