"""Background jobs of the proposals app (django-tasks, like the supervision app's)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="reminders")
def send_reminders(on: str | None = None) -> dict[str, int]:
    """Send every proposal reminder due on `on` (default today), each at most once."""
    from luoshi.proposals import supervising
    from luoshi.supervision_web import backends
    from luoshi.supervision_web.tasks import _day

    backend = backends.configured()
    try:
        return supervising.send_reminders(_day(on), backend).as_dict()
    finally:
        backend.close()
