"""Background jobs of the message channels (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="reminders")
def deliver_messages() -> dict[str, int]:
    """Send waiting messages and those whose retry time has come."""
    from luoshi.notify import delivery

    return delivery.deliver_due().as_dict()


@task(queue_name="reminders")
def route_notices(notice_ids: list[int]) -> dict[str, int]:
    """Send issued notices to their units' channels."""
    from luoshi.notify import delivery, routing
    from luoshi.supervision_web.models import SupervisionNotice

    outcome = delivery.Outcome()
    notices = SupervisionNotice.objects.filter(pk__in=notice_ids).select_related("task", "plan", "lead_unit")
    for notice in notices.order_by("pk"):
        one = routing.route_notice(notice)
        for name in ("sent", "failed", "skipped"):
            getattr(outcome, name).extend(getattr(one, name))
    return outcome.as_dict()
