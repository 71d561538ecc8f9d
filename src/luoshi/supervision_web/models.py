"""Supervision and bulletin records: calendars, notices and their history, reminder log, lights, bulletins.

Models stay thin: the rules live in the framework-free `luoshi.supervision` and `luoshi.bulletins`
packages and are applied by services.py, reminders.py and bulletins.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.models import Plan, Role, Task, TaskAssignment, Unit
from luoshi.supervision.notices import STATES


class ReportingCalendar(models.Model):
    """When a plan's reports are due: monthly or quarterly, by day N of the following month."""

    class Kind(models.TextChoices):
        MONTH = "month", _("每月")
        QUARTER = "quarter", _("每季度")
        HALF_YEAR = "half-year", _("每半年")
        YEAR = "year", _("每年")

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="reporting_calendar")
    kind = models.CharField(_("报送周期"), max_length=10, choices=Kind.choices, default=Kind.MONTH)
    day = models.PositiveSmallIntegerField(_("截止日"), default=10)
    days_before = models.PositiveSmallIntegerField(_("提前提醒天数"), default=3)
    days_after = models.PositiveSmallIntegerField(_("逾期催办天数"), default=3)

    class Meta:
        verbose_name = _("报送日历")
        verbose_name_plural = _("报送日历")

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.day}"


class NoticeState(models.TextChoices):
    ISSUED = "issued", STATES["issued"]
    RECEIVED = "received", STATES["received"]
    REPLIED = "replied", STATES["replied"]
    CLOSED = "closed", STATES["closed"]
    ESCALATED = "escalated", STATES["escalated"]


class NoticeQuerySet(models.QuerySet):
    """Notices, with those that name a unit under 抄送."""

    def copied_to(self, unit_id: int) -> NoticeQuerySet:
        """The notices that name the unit under 抄送 (``SupervisionNotice.copy_units``)."""
        through = SupervisionNotice.copy_units.through.objects.filter(unit_id=unit_id)
        return self.filter(pk__in=through.values("supervisionnotice_id"))


class SupervisionNotice(models.Model):
    """A 督办单 about one task; every change of state is a NoticeTransition row.

    Notices, their transitions and replies, and bulletins are records: PROTECT keeps them from going
    with a plan, a task or the user who wrote them (users are deactivated, never deleted).
    """

    number = models.CharField(_("编号"), max_length=40, unique=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="notices")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="notices")
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="notices")
    copy_units = models.ManyToManyField(Unit, blank=True, related_name="copied_notices")
    reason = models.TextField(_("督办原因"))
    rule = models.CharField(max_length=32, blank=True)
    issued_on = models.DateField(_("下发日期"))
    reply_due = models.DateField(_("回复期限"))
    state = models.CharField(
        _("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.ISSUED
    )
    replied_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        # The notice list of one unit, and open notices per task when proposing new ones.
        indexes = [
            models.Index(fields=["lead_unit", "state"], name="notice_unit_state"),
            models.Index(fields=["task", "state"], name="notice_task_state"),
        ]

    def __str__(self) -> str:
        return self.number

    def copies(self) -> models.QuerySet[Unit]:
        """The units the notice names under 抄送: those it was copied to when issued (the task's
        co-operating units then), in their order on the task while they still co-operate on it.

        The one answer to "who is 抄送": the Word file and the page print these, and their
        reporters read the notice (``accounts.rules``). The task's units may change after the notice
        went out (a re-import); the notice still says whom it was sent to.
        """
        position = TaskAssignment.objects.filter(
            task_id=self.task_id, unit_id=models.OuterRef("pk"), role=Role.SUPPORT
        ).values("position")[:1]
        ranked = self.copy_units.annotate(on_task=models.Subquery(position))
        return ranked.order_by(models.F("on_task").asc(nulls_last=True), "name", "pk")


class NoticeTransition(models.Model):
    """One move of a notice from one state to another: who, when, and any note."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=10, blank=True)  # blank: the notice was issued
    to_state = models.CharField(max_length=10)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.from_state}→{self.to_state}"


class NoticeReply(models.Model):
    """The lead unit's written answer to a notice."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("办理情况"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class ReminderLog(models.Model):
    """One reminder (task, period, kind): claimed before sending, so it is never sent twice.

    The unique key is what makes "at most once" hold across worker processes: a worker inserts
    (or conditionally re-claims) the row in its own transaction before it sends.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    key = models.CharField(max_length=120, unique=True)  # task id:period:kind
    task = models.ForeignKey(Task, null=True, on_delete=models.SET_NULL, related_name="+")
    period = models.CharField(max_length=8)
    kind = models.CharField(max_length=8)
    recipient = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    last_error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        # The retry pass: failed rows whose retry time has come.
        indexes = [models.Index(fields=["status", "next_retry_at"], name="reminder_status_retry")]

    def __str__(self) -> str:
        return f"{self.key} {self.status}"


class TaskLight(models.Model):
    """The last computed light of a task (the scheduled job refreshes it; pages may compute live)."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="light")
    colour = models.CharField(max_length=8)
    rule = models.CharField(max_length=32)
    reason = models.TextField()
    standing = models.CharField(max_length=8)
    expected = models.FloatField(null=True)
    actual = models.FloatField(null=True)
    period = models.CharField(max_length=8, blank=True)
    on = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)


class Bulletin(models.Model):
    """A produced bulletin of a plan for a period: its figures and the Word, PDF and Excel files."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="bulletins")
    period = models.CharField(_("期间"), max_length=8)
    on = models.DateField(_("通报日期"))
    title = models.CharField(max_length=300)
    figures = models.JSONField(default=dict)
    docx = models.FileField(upload_to="bulletins/%Y/", blank=True)
    pdf = models.FileField(upload_to="bulletins/%Y/", blank=True)
    xlsx = models.FileField(upload_to="bulletins/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        indexes = [models.Index(fields=["plan", "period"], name="bulletin_plan_period")]

    def __str__(self) -> str:
        return self.title
