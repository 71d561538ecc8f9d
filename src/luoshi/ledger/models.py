"""The ledger: plans, their task trees, who answers for each task, and progress reports.

Models stay thin; rules that span several models live in services.py and rules.py.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    name = models.CharField(_("城市"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("城市")
        verbose_name_plural = _("城市")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A responsible unit; one record however documents spell it (see UnitAlias)."""

    name = models.CharField(_("单位"), max_length=100)
    city = models.ForeignKey(City, null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="unit_unique_in_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def with_city(self) -> str:
        """The name with its city, so namesakes in two cities can be told apart (load ``city`` with it)."""
        return f"{self.name}（{self.city.name}）" if self.city_id else self.name


class UnitAlias(models.Model):
    """Another spelling of a unit's name (市发改局 for 市发展改革局)."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")

    def __str__(self) -> str:
        return f"{self.name} → {self.unit}"


class Cadence(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    HALF_YEAR = "half-year", _("每半年")
    YEAR = "year", _("每年")


class Plan(models.Model):
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发文单位"), max_length=200, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    date = models.DateField(_("成文日期"), null=True, blank=True)
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    city = models.ForeignKey(City, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("城市"))
    source = models.FileField(_("原文"), upload_to="plans/%Y/", blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    cadence = models.CharField(_("报送周期"), max_length=16, choices=Cadence.choices, default=Cadence.MONTH)
    published = models.BooleanField(_("公开"), default=False)
    offices = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="office_plans", verbose_name=_("管理办公室")
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")

    def __str__(self) -> str:
        return self.title

    @property
    def short_title(self) -> str:
        """The title for narrow columns: what a covering notice issues (关于印发《X》的通知 → X),
        cut in the middle, since two plans of one issuer share their opening words."""
        title = self.title
        if m := _ISSUED_PLAN.search(title):
            title = m.group(1)
        return (
            title
            if len(title) <= SHORT_TITLE
            else title[: SHORT_TITLE // 2 - 1] + "…" + title[-SHORT_TITLE // 2 :]
        )


SHORT_TITLE = 28
_ISSUED_PLAN = re.compile(r"关于(?:印发|转发|下达)《?(.+?)》?的(?:通知|函)$")


class PlanText(models.Model):
    """The plan's document text as read at import: hundreds of thousands of characters, in its own
    table so that no query of plans (every ``select_related("plan")`` of a task list) carries it."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True, related_name="document")
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("方案原文")
        verbose_name_plural = _("方案原文")

    def __str__(self) -> str:
        return f"{self.plan_id}: {len(self.text)}"


class Domain(models.TextChoices):
    PLANNING = "规划", _("规划")
    TRANSPORT = "交通", _("交通")
    INDUSTRY = "产业", _("产业")
    INNOVATION = "科创", _("科创")
    ECOLOGY = "生态", _("生态")
    OPENING = "开放", _("开放")
    PUBLIC = "公共服务", _("公共服务")
    MARKET = "市场", _("市场")
    OTHER = "其他", _("其他")


class Status(models.TextChoices):
    NOT_STARTED = "未启动", _("未启动")
    IN_PROGRESS = "推进中", _("推进中")
    DONE = "已完成", _("已完成")
    LATE = "滞后", _("滞后")


class TaskRole(models.TextChoices):
    """What a row of a plan is for; only tasks are chased (see roles.py of the text engine)."""

    TASK = "task", _("任务")
    CONTEXT = "context", _("背景")
    SAFEGUARD = "safeguard", _("保障")


class TaskQuerySet(models.QuerySet):
    def current(self) -> TaskQuerySet:
        """Tasks still in their plan, leaving out those a re-import withdrew."""
        return self.filter(removed_at__isnull=True)

    def chased(self) -> TaskQuerySet:
        """Current rows that are tasks: the ones reported on, lit, reminded, noticed and counted.

        Background (基本情况, 指导思想) and safeguard (保障措施) rows stay in the plan's tree only.
        """
        return self.current().filter(role=TaskRole.TASK)


class Task(models.Model):
    """One item of a plan's tree; ``version`` guards against two people saving over each other."""

    # PROTECT here and on the rows below: a plan, its tasks, reports and history are records, never
    # deleted in passing (a revision withdraws a task instead; see removed_at).
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)  # order in the whole plan, depth first
    depth = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("序号"), max_length=32, blank=True)
    path = models.CharField(max_length=255, blank=True)  # labels from the root: 一、/（一）/1.
    title = models.CharField(_("任务"), max_length=500)
    text = models.TextField(_("内容"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_text = models.CharField(max_length=200, blank=True)
    domain = models.CharField(_("领域"), max_length=8, choices=Domain.choices, default=Domain.OTHER)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.NOT_STARTED)
    confidence = models.FloatField(default=1.0)
    role = models.CharField(_("性质"), max_length=10, choices=TaskRole.choices, default=TaskRole.TASK)
    version = models.PositiveIntegerField(default=1)
    # Set when a re-import drops the task: the row stays for its reports and history, but it leaves
    # the tree (parent cleared), so "has no children" still finds the leaves among current tasks.
    removed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    # Not filtered: admin, history and the task page still reach withdrawn tasks; lists use current().
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "position"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [
            # The plan tree and the ledger's default order.
            models.Index(fields=["plan", "position"], name="task_plan_position"),
            # Ledger filters by status/domain and the overdue filter on deadline.
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
            # Domain and status filters read one page in the sort order straight off this index
            # (no sort of every match): the deadline sort, then the plan order.
            models.Index(
                fields=["domain", "status", "deadline", "plan", "position"], name="task_domain_status_sort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_chased and self.deadline and self.deadline < today and self.status != Status.DONE)

    @property
    def is_chased(self) -> bool:
        """A current task row (not background or safeguard): reported on, lit and counted."""
        return self.role == TaskRole.TASK and self.removed_at is None


class Role(models.TextChoices):
    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")


class TaskAssignment(models.Model):
    """A unit answering for a task; ``inherited`` rows are copied down from the nearest ancestor that names one."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=8, choices=Role.choices)
    inherited = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position"]
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [models.UniqueConstraint(fields=["task", "unit", "role"], name="assignment_unique")]
        # 我的任务 and the unit filter: every task of one unit.
        indexes = [models.Index(fields=["unit", "role"], name="assignment_unit_role")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit} {self.role}"


class CurrentTargets(models.Manager):
    """Targets the task's text sets now; those a revision replaced stay for the values reported on them."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(superseded_at__isnull=True)


class TaskTarget(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("指标"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    comparator = models.CharField(max_length=2, blank=True)
    value = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    kind = models.CharField(max_length=8, default="target")
    text = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Set when a revised document replaces the target: reported values keep pointing at it.
    superseded_at = models.DateTimeField(null=True, blank=True)

    # ``task.targets`` and every list read current targets; a report value reaches its own target
    # through the base manager, superseded or not.
    objects = CurrentTargets()
    all_objects = models.Manager()

    class Meta:
        ordering = ["position"]
        base_manager_name = "all_objects"
        verbose_name = _("目标")
        verbose_name_plural = _("目标")

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        """The target as the plan says it: 组织至少1次, 新增停车位≥6000个."""
        from luoshi.ledger.target_text import target_text

        return target_text(self.metric, self.comparator, self.value, self.unit, self.low, self.high)


class AppendOnly(models.Model):
    """Rows written once: corrections are new rows, so the record of what was said stays."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)


class ProgressReport(AppendOnly):
    """A lead unit's report on a task for one period; a correction is a new version."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("报送期"), max_length=8)  # 2024-03, 2024-Q1, 2024-H1 or 2024
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices)
    narrative = models.TextField(_("进展情况"))
    # A user who wrote anything is deactivated, never deleted: PROTECT keeps every author's name.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "-version"]
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "version"], name="report_version_unique")
        ]
        indexes = [
            # The latest report of a task; the dashboard's reports per period.
            models.Index(fields=["task", "period", "version"], name="report_task_period"),
            models.Index(fields=["period", "unit"], name="report_period_unit"),
            # The dashboard's latest reports.
            models.Index(fields=["submitted_at"], name="report_submitted_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.period} v{self.version}"


class ReportValue(AppendOnly):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    # PROTECT: what a unit reported is never deleted with the target it was reported against.
    target = models.ForeignKey(TaskTarget, on_delete=models.PROTECT, related_name="achieved")
    value = models.FloatField()


class ReportAttachment(AppendOnly):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class ReportStateChange(AppendOnly):
    """The office returning (退回) a report, with its reason; a row rather than a flag."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=16, default="returned")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]


class SupportContribution(AppendOnly):
    """A supporting unit's part of the progress on a task in one period."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="contributions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    period = models.CharField(max_length=8)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]


class Change(AppendOnly):
    """One field of one object changed: the history shown as a timeline on the task page."""

    at = models.DateTimeField(default=timezone.now)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    object_type = models.CharField(max_length=32)  # plan, task, assignment, report, contribution
    object_id = models.PositiveBigIntegerField()
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=50)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["task", "at"], name="change_task_at")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}.{self.field}"

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


FIELD_LABELS = {
    "title": _("标题"),
    "text": _("内容"),
    "deadline": _("完成时限"),
    "domain": _("领域"),
    "status": _("状态"),
    "role": _("性质"),
    "lead": _("牵头单位"),
    "support": _("配合单位"),
    "units": _("责任单位"),
    "targets": _("目标"),
    "report": _("进展报送"),
    "returned": _("退回"),
    "contribution": _("配合情况"),
    "published": _("公开"),
    "created": _("创建"),
    "reimported": _("导入修订版"),
    "task_removed": _("撤销任务"),
    "task_restored": _("恢复任务"),
}


class ImportSession(models.Model):
    """An upload waiting for review: the extracted plan as JSON, nothing in Plan/Task yet."""

    class State(models.TextChoices):
        OPEN = "open", _("待审核")
        COMMITTED = "committed", _("已导入")
        ABANDONED = "abandoned", _("已放弃")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    kind = models.CharField(max_length=8)  # document | excel
    target = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="reimports"
    )
    data = models.JSONField()
    row_errors = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created"]
