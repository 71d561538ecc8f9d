"""Business rules that change the ledger: editing tasks, assignments, reports; each writes history."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.ledger import history, periods
from luoshi.ledger.models import (
    Domain,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportStateChange,
    ReportValue,
    Role,
    Status,
    SupportContribution,
    Task,
    TaskAssignment,
    TaskRole,
    Unit,
)
from luoshi.ledger.uploads import ATTACHMENT_KINDS, check_upload
from luoshi.textplan.controls import strip_controls
from luoshi.web import clock, storage

EDITABLE_FIELDS = ("title", "text", "deadline", "domain", "role")
# Sent with ``report`` when a report (or a new version of one) carries achieved values.
report_values_added = Signal()
# The longest text each field takes: longer is refused with the limit named, never cut unsaid.
TITLE_MAX = 500  # Task.title
TASK_TEXT_MAX = 50_000
NARRATIVE_MAX = 20_000
REASON_MAX = 2_000


class RuleError(ValueError):
    """A request the ledger's rules refuse; the message is shown to the user."""


class StaleEdit(RuleError):
    """Someone else saved the task after this edit began; the edit is refused, not merged."""


def clean_text(value, limit: int, what) -> str:
    """A user's text as stored: control characters dropped (as the importer drops them), and a
    RuleError naming ``what`` and the limit when it is longer than ``limit`` characters."""
    text = strip_controls(str(value or ""))
    if len(text) > limit:
        raise RuleError(_("%(what)s过长（上限 %(n)d 字）") % {"what": what, "n": limit})
    return text


# -- tasks and assignments --------------------------------------------------------------------


def update_task(task: Task, user, expected_version: int, changes: Mapping[str, object]) -> Task:
    """Save ``changes`` only if the task is still at ``expected_version`` (optimistic concurrency)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleError(_("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    changes = dict(changes)
    if "title" in changes:
        changes["title"] = clean_text(changes["title"], TITLE_MAX, _("标题")).strip()
    if "text" in changes:
        changes["text"] = clean_text(changes["text"], TASK_TEXT_MAX, _("内容"))
    if "title" in changes and not str(changes["title"]).strip():
        raise RuleError(_("任务标题不能为空"))
    if "domain" in changes and changes["domain"] not in Domain.values:
        raise RuleError(_("未知领域"))
    if "role" in changes and changes["role"] not in TaskRole.values:
        raise RuleError(_("性质“%s”不正确") % str(changes["role"])[:20])
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        # A conditional UPDATE: exactly one row changes only when nobody saved in between.
        updated = Task.objects.filter(pk=task.pk, version=expected_version).update(
            version=F("version") + 1, **changes
        )
        if updated != 1:
            raise StaleEdit(
                _("该任务已被他人修改（当前版本 %(v)d），您的修改未保存，请刷新后重新填写。")
                % {"v": current.version}
            )
        for field, after in changes.items():
            before = getattr(current, field)
            if field == "role":  # the timeline names a role as the page does (背景 → 任务)
                before, after = TaskRole(before).label, TaskRole(after).label
            history.record(user, current, field, before, after)
    task.refresh_from_db()
    return task


def set_assignments(task: Task, user, lead: Iterable[Unit], support: Iterable[Unit]) -> None:
    """Replace the units a task names explicitly, then recompute what its descendants inherit."""
    lead, support = list(dict.fromkeys(lead)), [u for u in dict.fromkeys(support) if u not in lead]
    with transaction.atomic():
        old = TaskAssignment.objects.filter(task=task, inherited=False)
        before = {r: sorted(a.unit.name for a in old if a.role == r) for r in (Role.LEAD, Role.SUPPORT)}
        old.delete()
        rows = [TaskAssignment(task=task, unit=u, role=Role.LEAD, position=i) for i, u in enumerate(lead)]
        rows += [
            TaskAssignment(task=task, unit=u, role=Role.SUPPORT, position=i) for i, u in enumerate(support)
        ]
        TaskAssignment.objects.filter(task=task, unit__in=lead + support).delete()
        TaskAssignment.objects.bulk_create(rows)
        history.record(user, task, "lead", before[Role.LEAD], sorted(u.name for u in lead))
        history.record(user, task, "support", before[Role.SUPPORT], sorted(u.name for u in support))
        refresh_inherited(task.plan)


def change_units(task: Task, user, lead: Iterable[Unit], support: Iterable[Unit]) -> bool:
    """Save the units the edit form shows for ``task``, inherited ones included; False when unchanged.

    The form shows every unit the task answers through, inherited or its own. A role whose units are
    sent back as they were keeps them as they are (inherited ones keep following the parent), except
    that a task given its own lead no longer inherits, so inherited support units it keeps become its
    own. History records each changed role with the units it had before, inherited ones marked.
    """
    lead, support = list(dict.fromkeys(lead)), [u for u in dict.fromkeys(support) if u not in lead]
    with transaction.atomic():
        rows = list(TaskAssignment.objects.filter(task=task).select_related("unit").order_by("position"))
        had = {role: [a for a in rows if a.role == role] for role in (Role.LEAD, Role.SUPPORT)}
        sent = {Role.LEAD: lead, Role.SUPPORT: support}
        changed = {
            role: {a.unit_id for a in had[role]} != {u.pk for u in sent[role]}
            for role in (Role.LEAD, Role.SUPPORT)
        }
        if not any(changed.values()):
            return False
        own = {role: [a.unit for a in had[role] if not a.inherited] for role in (Role.LEAD, Role.SUPPORT)}
        new = {role: sent[role] if changed[role] else own[role] for role in (Role.LEAD, Role.SUPPORT)}
        if new[Role.LEAD] and not changed[Role.SUPPORT]:
            new[Role.SUPPORT] = [a.unit for a in had[Role.SUPPORT]]  # no longer inherited: made its own
        inherited = _("继承")
        for role in (Role.LEAD, Role.SUPPORT):
            if changed[role]:
                before = [f"{a.unit.name}（{inherited}）" if a.inherited else a.unit.name for a in had[role]]
                history.record(user, task, role, before, [u.name for u in sent[role]])
        TaskAssignment.objects.filter(task=task).delete()
        TaskAssignment.objects.bulk_create(
            [
                TaskAssignment(task=task, unit=u, role=role, position=i)
                for role in (Role.LEAD, Role.SUPPORT)
                for i, u in enumerate(new[role])
            ]
        )
        refresh_inherited(task.plan)
    return True


def refresh_inherited(plan: Plan) -> None:
    """Copy responsibility down the tree: an item naming no lead takes its nearest ancestor's units."""
    # Withdrawn tasks are out of the tree: they keep the units they had, as their reports do.
    tasks = list(Task.objects.current().filter(plan=plan).only("id", "parent_id").order_by("position"))
    explicit: dict[int, dict[str, list[int]]] = {}
    for a in TaskAssignment.objects.filter(task__plan=plan, inherited=False).order_by("position"):
        explicit.setdefault(a.task_id, {Role.LEAD: [], Role.SUPPORT: []})[a.role].append(a.unit_id)
    effective: dict[int, dict[str, list[int]]] = {}
    rows: list[TaskAssignment] = []
    for t in tasks:  # position order is depth first, so a parent is always seen before its children
        own = explicit.get(t.id, {Role.LEAD: [], Role.SUPPORT: []})
        parent = effective.get(t.parent_id, {Role.LEAD: [], Role.SUPPORT: []})
        eff = {Role.LEAD: own[Role.LEAD], Role.SUPPORT: own[Role.SUPPORT]}
        if not own[Role.LEAD] and parent[Role.LEAD]:
            eff = {Role.LEAD: parent[Role.LEAD], Role.SUPPORT: own[Role.SUPPORT] or parent[Role.SUPPORT]}
            taken = set(own[Role.SUPPORT])
            for role in (Role.LEAD, Role.SUPPORT):
                for i, unit_id in enumerate(eff[role]):
                    if unit_id in taken or (role == Role.SUPPORT and unit_id in eff[Role.LEAD]):
                        continue
                    taken.add(unit_id)
                    rows.append(
                        TaskAssignment(task_id=t.id, unit_id=unit_id, role=role, inherited=True, position=i)
                    )
        effective[t.id] = eff
    TaskAssignment.objects.filter(task__plan=plan, task__removed_at__isnull=True, inherited=True).delete()
    TaskAssignment.objects.bulk_create(rows, batch_size=1000)


def set_published(plan: Plan, user, published: bool) -> None:
    """Show or hide the plan on the public page."""
    history.record(user, plan, "published", plan.published, published)
    Plan.objects.filter(pk=plan.pk).update(published=published)
    plan.published = published


# -- reports ----------------------------------------------------------------------------------


def lead_unit(task: Task, user) -> Unit:
    """The unit a reporter reports for, when it leads ``task``."""
    unit_id = getattr(getattr(user, "profile", None), "unit_id", None)
    a = (
        TaskAssignment.objects.filter(task=task, unit_id=unit_id, role=Role.LEAD)
        .select_related("unit")
        .first()
    )
    if a is None:
        raise RuleError(_("只有牵头单位可以报送进展"))
    return a.unit


def submit_report(
    task: Task,
    user,
    *,
    period: str,
    status: str,
    narrative: str,
    values: Mapping[int, float] | None = None,
    attachments: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
    as_unit: Unit | None = None,
    keep_attachments: Iterable[int] = (),
) -> ProgressReport:
    """Append a report (or a new version of this period's report) and move the task's status with it.

    A new version carries the previous version's attachments whose ids are in ``keep_attachments``
    (the correction form keeps them unless the reporter unticks them). ``as_unit`` lets seeding code
    (demo, benchmark) report for a lead unit without a reporter account; views never pass it.
    """
    now = now or clock.now()
    if problem := periods.refusal(task.plan, period, timezone.localdate(now)):
        raise RuleError(problem)
    if status not in Status.values:
        raise RuleError(_("未知状态"))
    narrative = clean_text(narrative, NARRATIVE_MAX, _("进展情况")).strip()
    if not narrative:
        raise RuleError(_("请填写进展情况"))
    unit = as_unit or lead_unit(task, user)
    targets = {t.id: t for t in task.targets.all()}
    values = dict(values or {})
    if set(values) - set(targets):
        raise RuleError(_("目标不属于该任务"))
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values.values()):
        raise RuleError(_("数值须为有限的数字"))
    checked = [(f, check_upload(f, ATTACHMENT_KINDS)) for f in attachments]  # refuse before writing
    stored: list[str] = []  # files written for this report: deleted again when it is not kept
    try:
        with transaction.atomic():
            Task.objects.select_for_update().filter(pk=task.pk).first()  # serialise versions of one task
            previous = ProgressReport.objects.filter(task=task, period=period).order_by("-version").first()
            report = ProgressReport.objects.create(
                task=task,
                unit=unit,
                period=period,
                version=previous.version + 1 if previous else 1,
                supersedes=previous,
                status=status,
                narrative=narrative,
                submitted_by=user,
                submitted_at=now,
            )
            ReportValue.objects.bulk_create(
                [ReportValue(report=report, target=targets[tid], value=v) for tid, v in values.items()]
            )
            if values:
                # Inside the transaction: what listens (the indicators a target is linked to)
                # records with the report or not at all.
                report_values_added.send(sender=ProgressReport, report=report)
            keep = set(keep_attachments)
            if previous is not None and keep:
                for a in previous.attachments.filter(pk__in=keep):
                    # The same stored file: attachments are never deleted, so versions can share it.
                    ReportAttachment.objects.create(
                        report=report, file=a.file.name, name=a.name, content_type=a.content_type, size=a.size
                    )
            for upload, info in checked:
                upload.seek(0)
                attachment = ReportAttachment(
                    report=report, name=info.display_name, content_type=info.content_type, size=upload.size
                )
                attachment.file.save(info.storage_name, ContentFile(upload.read()), save=False)
                stored.append(attachment.file.name)
                attachment.save()
            history.record(
                user, report, "report", "", f"{period} v{report.version} {status}", task=task, plan=task.plan
            )
            if latest_period(task) == period and task.status != status:
                history.record(user, task, "status", task.status, status)
                Task.objects.filter(pk=task.pk).update(status=status)
                task.status = status
    except BaseException:
        # The transaction is rolled back (a store that failed half-way through the attachments, a
        # database error): no report, and none of its files.
        storage.forget(stored)
        raise
    return report


def latest_period(task: Task) -> str | None:
    return ProgressReport.objects.filter(task=task).aggregate(p=Max("period"))["p"]


def return_report(report: ProgressReport, user, reason: str) -> ReportStateChange:
    """The office sends a report back (退回) with a reason; the reporter then submits a new version."""
    reason = clean_text(reason, REASON_MAX, _("退回理由")).strip()
    if not reason:
        raise RuleError(_("请填写退回理由"))
    if report.state_changes.filter(state="returned").exists():
        raise RuleError(_("该报送已退回"))
    if hasattr(report, "superseded_by"):
        raise RuleError(_("该报送已有新版本"))
    with transaction.atomic():
        change = ReportStateChange.objects.create(
            report=report, state="returned", reason=reason, by=user
        )
        history.record(user, report, "returned", "", reason, task=report.task, plan=report.task.plan)
    return change


def add_contribution(task: Task, user, *, period: str, text: str) -> SupportContribution:
    """A supporting unit's part of the progress."""
    if problem := periods.refusal(task.plan, period, clock.today()):
        raise RuleError(problem)
    text = clean_text(text, NARRATIVE_MAX, _("配合情况")).strip()
    if not text:
        raise RuleError(_("请填写配合情况"))
    unit_id = getattr(getattr(user, "profile", None), "unit_id", None)
    a = TaskAssignment.objects.filter(task=task, unit_id=unit_id, role=Role.SUPPORT).first()
    if a is None:
        raise RuleError(_("只有配合单位可以填写配合情况"))
    with transaction.atomic():
        c = SupportContribution.objects.create(
            task=task, unit_id=unit_id, period=period, text=text, by=user
        )
        history.record(user, c, "contribution", "", f"{period}: {text[:200]}", task=task, plan=task.plan)
    return c


def open_returns(task_ids: Iterable[int]) -> dict[int, ReportStateChange]:
    """For each task, the newest return (退回) that no later version of its report answers yet;
    its ``report`` tells the period."""
    rows = (
        ReportStateChange.objects.filter(
            state="returned", report__task_id__in=list(task_ids), report__superseded_by__isnull=True
        )
        .select_related("report")
        .order_by("at")
    )
    return {c.report.task_id: c for c in rows}


def current_reports(wanted: Mapping[int, str]) -> dict[int, ProgressReport]:
    """The newest version of each task's report for the period ``wanted`` names for it."""
    rows = ProgressReport.objects.filter(task_id__in=list(wanted), period__in=set(wanted.values()))
    out: dict[int, ProgressReport] = {}
    for r in rows.order_by("version"):
        if wanted[r.task_id] == r.period:
            out[r.task_id] = r
    return out


def current_report(task: Task, period: str) -> ProgressReport | None:
    """The newest version of ``task``'s report for ``period``."""
    return ProgressReport.objects.filter(task=task, period=period).order_by("-version").first()
