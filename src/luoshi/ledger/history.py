"""Write the history rows the task timeline shows; called from the service functions."""

from __future__ import annotations

from luoshi.ledger.models import Change, Plan, Task


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    return str(value)


def record(
    who, obj, field: str, before, after, *, plan: Plan | None = None, task: Task | None = None
) -> Change | None:
    """One row for one changed field of a plan, task, assignment or report; nothing when unchanged."""
    before, after = _text(before), _text(after)
    if before == after:
        return None
    object_type = type(obj).__name__.lower()
    object_type = {
        "taskassignment": "assignment",
        "progressreport": "report",
        "supportcontribution": "contribution",
    }.get(object_type, object_type)
    if isinstance(obj, Task):
        task, plan = obj, plan or obj.plan
    if isinstance(obj, Plan):
        plan = obj
    return Change.objects.create(
        who=who if who is not None and who.is_authenticated else None,
        object_type=object_type,
        object_id=obj.pk,
        plan=plan,
        task=task,
        field=field,
        before=before[:5000],
        after=after[:5000],
    )
