"""Background jobs (django-tasks): in-process by default, queued for `luoshi worker` with LUOSHI_TASKS=database."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from luoshi.ledger.models import Plan


def _day(on: str | None) -> dt.date:
    """An ISO date argument, or today in the office's time zone (job arguments must be JSON)."""
    from luoshi.supervision_web.services import today

    return dt.date.fromisoformat(on) if on else today()


@task()
def recompute_lights(on: str | None = None) -> int:
    """Refresh every task's stored light."""
    from luoshi.supervision_web.services import recompute_lights as run

    return run(_day(on))


@task(queue_name="reminders")
def send_reminders(on: str | None = None) -> dict[str, int]:
    """Send every reminder due today, each at most once."""
    from luoshi.supervision_web import backends, reminders

    backend = backends.configured()
    try:
        return reminders.send_due(_day(on), backend).as_dict()
    finally:
        backend.close()


@task(queue_name="reminders")
def send_reminder(task_id: int, period: str, kind: str, on: str) -> str:
    """Send one task's reminder for `period` if it is still due: "sent", "failed", "skipped" or "not due"."""
    from luoshi.ledger.models import Task
    from luoshi.supervision_web import backends, reminders

    plan = Task.objects.select_related("plan").get(pk=task_id).plan
    items = [
        i
        for i in reminders.due_for(plan, _day(on), [task_id])
        if i.key == reminders.key_of(str(task_id), period, kind)
    ]
    if not items:
        return "not due"
    backend = backends.configured()
    try:
        return reminders.deliver(items[0], backend)
    finally:
        backend.close()


@task(queue_name="bulletins")
def produce_bulletin(
    plan_id: int,
    period: str,
    formats: list[str] | None = None,
    user_id: int | None = None,
    on: str | None = None,
) -> int:
    """Produce and store a bulletin dated `on` (default today); returns its id."""
    from django.contrib.auth import get_user_model

    from luoshi.supervision_web import bulletins

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    row, _files = bulletins.produce(
        Plan.objects.get(pk=plan_id), period, formats or bulletins.FORMATS, user, _day(on)
    )
    return row.pk


def requeue_stale(older_than: dt.timedelta) -> int:
    """Put back on the queue the jobs "running" for longer than `older_than`: their worker died.

    django-tasks-db leaves a job whose worker was killed as RUNNING for ever; the next worker to
    start hands it out again. Jobs here are safe to run twice (reminders are claimed, bulletins and
    lights are recomputed), so a job that was merely slow costs time, never a duplicate message.
    """
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    return stale.update(status=TaskResultStatus.READY)
