"""Supervision in the web app: calendars, lights, notices — the core's rules applied to ledger rows."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from luoshi.ledger import periods
from luoshi.ledger.models import Plan, Task, Unit
from luoshi.ledger.services import NARRATIVE_MAX, RuleError, clean_text
from luoshi.supervision import lights as core_lights
from luoshi.supervision import notices as core_notices
from luoshi.supervision.facts import NoticeFacts, id_key
from luoshi.supervision.lights import Light
from luoshi.supervision.reporting_calendar import Cadence
from luoshi.supervision_web import facts_from_db
from luoshi.supervision_web.models import (
    NoticeReply,
    NoticeTransition,
    ReportingCalendar,
    SupervisionNotice,
    TaskLight,
)
from luoshi.web import clock


class NoticeError(ValueError):
    """A notice action that cannot be done, with a message for the page."""


def calendar_for(plan: Plan) -> ReportingCalendar:
    """The plan's reporting calendar, made from the plan's cadence the first time it is asked for."""
    cal, _created = ReportingCalendar.objects.get_or_create(
        plan=plan, defaults={"kind": plan.cadence, "day": 10}
    )
    return cal


def cadence_for(plan: Plan) -> Cadence:
    """The core Cadence of a plan, read as every page reads it (``ledger.periods.cadence_of``)."""
    calendar_for(plan)  # from its first use the office finds the plan's calendar in the admin
    return periods.cadence_of(plan)


@dataclass(frozen=True)
class LightRow:
    """One task's light beside what the page shows about the task."""

    task_id: int
    label: str
    title: str
    lead_unit: str
    deadline: dt.date | None
    light: Light


def plan_lights(plan: Plan, on: dt.date) -> list[LightRow]:
    """Every leaf task of the plan with its light on `on`, red first, then by task order."""
    facts = facts_from_db.load([plan], known_on=on)
    lights = core_lights.assess_all(facts.tasks, facts.reports, on, cadence_for(plan))
    order = {"red": 0, "yellow": 1, "green": 2}
    rows = [
        LightRow(int(t.id), t.label_path, t.title, t.lead_unit, t.deadline, lights[t.id]) for t in facts.tasks
    ]
    return sorted(rows, key=lambda r: (order[r.light.colour], id_key(str(r.task_id))))


def recompute_lights(on: dt.date, plans: list[Plan] | None = None) -> int:
    """Store every leaf task's light on `on` in TaskLight (one bulk upsert per plan); the count stored."""
    count = 0
    for plan in plans if plans is not None else Plan.objects.all():
        facts = facts_from_db.load([plan], known_on=on)
        lights = core_lights.assess_all(facts.tasks, facts.reports, on, cadence_for(plan))
        rows = [
            TaskLight(
                task_id=int(tid),
                colour=x.colour,
                rule=x.rule,
                reason=x.reason,
                standing=x.standing,
                expected=x.expected,
                actual=x.actual,
                period=x.period or "",
                on=on,
            )
            for tid, x in lights.items()
        ]
        # A row no longer lit (withdrawn, or marked background or safeguard) loses its stored light.
        stale = TaskLight.objects.filter(task__plan=plan).exclude(task__in=Task.objects.chased())
        stale.delete()
        TaskLight.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["task"],
            update_fields=[
                "colour",
                "rule",
                "reason",
                "standing",
                "expected",
                "actual",
                "period",
                "on",
                "computed_at",
            ],
        )
        count += len(rows)
    return count


def propose_notices(plan: Plan, on: dt.date) -> list[core_notices.NoticeDraft]:
    """Drafts for the plan's red tasks that have no open notice."""
    facts = facts_from_db.load([plan], known_on=on)
    lights = core_lights.assess_all(facts.tasks, facts.reports, on, cadence_for(plan))
    return core_notices.propose(lights, facts.notices, on)


def issue_notices(
    plan: Plan, task_ids: list[int], user, on: dt.date, drafts: list[core_notices.NoticeDraft] | None = None
) -> list[SupervisionNotice]:
    """Number and issue notices for the chosen red tasks; tasks no longer proposed are skipped."""
    drafts = drafts if drafts is not None else propose_notices(plan, on)
    chosen = [d for d in drafts if int(d.task_id) in set(task_ids)]
    out = []
    for d in chosen:
        task = Task.objects.get(pk=int(d.task_id), plan=plan)
        lead = task.assignments.filter(role="lead").order_by("position").select_related("unit").first()
        if lead is None:
            raise NoticeError(_("任务“%(title)s”没有牵头单位，不能下发督办单") % {"title": task.title})
        copies = [a.unit for a in task.assignments.filter(role="support").select_related("unit")]
        out.append(_create_numbered(plan, task, lead.unit, copies, d, user, on))
    if out:
        # To the units' 企业微信/钉钉/飞书 groups and phones as well; the notices stand whatever they answer.
        from luoshi.notify.tasks import route_notices

        route_notices.enqueue([n.pk for n in out])
    return out


def _create_numbered(
    plan: Plan, task: Task, lead: Unit, copies: list[Unit], d: core_notices.NoticeDraft, user, on: dt.date
) -> SupervisionNotice:
    """Insert the notice under the next free number; a clash with a concurrent issue takes the next one."""
    for _attempt in range(20):
        existing = SupervisionNotice.objects.filter(number__contains=f"〔{on.year}〕").values_list(
            "number", flat=True
        )
        number = core_notices.next_number(on.year, existing)
        try:
            with transaction.atomic():
                notice = SupervisionNotice.objects.create(
                    number=number,
                    plan=plan,
                    task=task,
                    lead_unit=lead,
                    reason=d.reason,
                    rule=d.rule,
                    issued_on=on,
                    reply_due=d.reply_due,
                    created_by=user,
                )
                notice.copy_units.set(copies)
                NoticeTransition.objects.create(notice=notice, from_state="", to_state="issued", by=user)
                return notice
        except IntegrityError:
            continue  # the unique number was taken by someone issuing at the same moment
    raise NoticeError(_("督办单编号冲突，请重试"))


def facts_of(notice: SupervisionNotice) -> NoticeFacts:
    """The notice as the core's NoticeFacts."""
    return NoticeFacts(
        notice.number,
        str(notice.task_id),
        notice.state,
        notice.issued_on,
        notice.reply_due,
        notice.reason,
        notice.rule,
        notice.escalated_to.get_username() if notice.escalated_to_id else "",
        notice.replied_on,
        notice.closed_on,
    )


def move_notice(
    notice: SupervisionNotice, to: str, user, on: dt.date, *, leader=None, note: str = ""
) -> SupervisionNotice:
    """Move the notice to state `to` by the core's state machine and record who did it.

    The row is updated only if it is still in the state we read, so two clicks at once make one move.
    """
    try:
        note = clean_text(note, NARRATIVE_MAX, _("说明"))
    except RuleError as e:
        raise NoticeError(str(e)) from None
    try:
        moved = core_notices.transition(
            facts_of(notice), to, on, leader=leader.get_username() if leader else ""
        )
    except core_notices.InvalidTransition as e:
        raise NoticeError(str(e)) from None
    with transaction.atomic():
        changed = SupervisionNotice.objects.filter(pk=notice.pk, state=notice.state).update(
            state=moved.state,
            replied_on=moved.replied,
            closed_on=moved.closed,
            escalated_to=leader if to == "escalated" else notice.escalated_to,
        )
        if changed != 1:
            raise NoticeError(_("%(number)s已被他人处理，请刷新后再试") % {"number": notice.number})
        NoticeTransition.objects.create(
            notice=notice, from_state=notice.state, to_state=to, by=user, note=note
        )
    notice.refresh_from_db()
    return notice


def reply(notice: SupervisionNotice, user, text: str, on: dt.date) -> SupervisionNotice:
    """Record the lead unit's reply and move the notice to 已回复 (signing for it first when needed)."""
    try:
        text = clean_text(text, NARRATIVE_MAX, _("办理情况"))
    except RuleError as e:
        raise NoticeError(str(e)) from None
    if not text.strip():
        raise NoticeError(_("请填写办理情况"))
    with transaction.atomic():
        if notice.state == "issued":
            notice = move_notice(notice, "received", user, on)
        notice = move_notice(notice, "replied", user, on, note=text.strip())
        NoticeReply.objects.create(notice=notice, unit=notice.lead_unit, text=text.strip(), by=user)
    return notice


def notice_docx(notice: SupervisionNotice) -> bytes:
    """The notice as a Word 督办单, 主送 the unit it was issued to and 抄送 the units it was copied
    to (``SupervisionNotice.copies``, who read it), not whoever leads or co-operates on the task
    today."""
    facts = facts_from_db.load([notice.plan], task_ids=[notice.task_id])
    task = next((t for t in facts.tasks if t.id == str(notice.task_id)), None)
    if task is None:  # a heading task is not among the leaf facts: describe it directly
        task = _heading_facts(notice)
    task = replace(
        task, lead_unit=notice.lead_unit.name, support_units=tuple(u.name for u in notice.copies())
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = core_notices.render_docx(facts_of(notice), task, Path(tmp) / "notice.docx")
        return path.read_bytes()


def _heading_facts(notice: SupervisionNotice):
    """TaskFacts for a task that has children (not among the leaf facts)."""
    from luoshi.supervision.facts import TaskFacts

    t = notice.task
    return TaskFacts(
        str(t.pk),
        t.path or t.label,
        t.title,
        notice.plan.title,
        t.domain,
        "",
        notice.lead_unit.name,
        deadline=t.deadline,
    )


def today() -> dt.date:
    """The office's date now (pages and jobs pass it on; the core never reads a clock)."""
    return clock.today()


def latest_period(plan: Plan, on: dt.date) -> str | None:
    """The last period due by `on` under the plan's calendar: the one the lights judge."""
    due = periods.reporting(plan, on).last_due
    return due.period if due else None
