"""Proposal records: the proposal, its assignments, contacts, opinions, replies, ratings and history.

Models stay thin: every rule lives in the framework-free `handling` module and is applied by
services.py, which turns rows into a `handling.Proposal`, runs one step and writes what it added.
Rows are records: PROTECT keeps them from going with a unit or a user, and `ProposalEvent` rows are
written once and never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.models import City, Plan, Unit
from luoshi.proposals import handling as h

USER = settings.AUTH_USER_MODEL


class HandlingRules(models.Model):
    """One organisation's deadlines; the row without a city is the default for every other."""

    city = models.OneToOneField(City, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("城市"))
    reply_months = models.PositiveSmallIntegerField(_("答复期限（月）"), default=3)
    support_months = models.PositiveSmallIntegerField(_("会办意见期限（月）"), default=1)
    pre_contact_days = models.PositiveSmallIntegerField(_("办前沟通期限（工作日）"), default=15)
    feedback_days = models.PositiveSmallIntegerField(_("反馈期限（工作日）"), default=15)
    adjust_days = models.PositiveSmallIntegerField(_("调整申请期限（工作日）"), default=5)
    rehandle_months = models.PositiveSmallIntegerField(_("重新办理期限（月）"), default=1)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")

    def __str__(self) -> str:
        return str(self.city or _("默认"))

    def as_rules(self) -> h.Rules:
        return h.Rules(
            reply_months=self.reply_months,
            support_months=self.support_months,
            pre_contact_days=self.pre_contact_days,
            feedback_days=self.feedback_days,
            adjust_days=self.adjust_days,
            rehandle_months=self.rehandle_months,
        )


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    SUGGESTION = "suggestion", _("建议")


class State(models.TextChoices):
    REGISTERED = "registered", _("已立案")
    ASSIGNED = "assigned", _("已交办")
    ADJUSTING = "adjusting", _("调整中")
    COMMUNICATED = "communicated", _("已沟通")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    RATED = "rated", _("已反馈")


class Proposal(models.Model):
    """A proposal or suggestion; `state`, `assignment`, `round` and `reply_due` mirror its history
    so lists filter and sort without reading it."""

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    number = models.CharField(_("案号"), max_length=40)
    # The digits of the 案号 (第0123号 → 123): two spellings of one number are one proposal.
    number_key = models.CharField(max_length=40)
    session = models.CharField(_("届次"), max_length=40)
    title = models.CharField(_("案由"), max_length=300)
    proposer = models.CharField(_("提案人"), max_length=100)
    cosigners = models.TextField(_("联名人"), blank=True)  # one name a line
    group = models.CharField(_("界别（代表团）"), max_length=100, blank=True)
    text = models.TextField(_("正文"), blank=True)
    category = models.CharField(_("分类"), max_length=50, blank=True)
    submitted = models.DateField(_("提交日期"), null=True, blank=True)
    key = models.BooleanField(_("重点提案"), default=False)
    # The 领衔督办 leader as written (lists and letters name them); ``leader_account`` is that
    # leader's account when one is known: it lets the leader read the proposal (accounts.rules).
    leader = models.CharField(_("领衔督办领导"), max_length=50, blank=True)
    leader_account = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("领衔督办领导账号"),
    )
    city = models.ForeignKey(City, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("城市"))
    # The member's account: the proposer sees the proposal, confirms contacts and rates the reply.
    member = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("委员账号"),
    )
    # A key proposal's handling plan (办理工作方案), imported as a ledger plan: its tasks are chased
    # like any other, and the proposal's page shows their progress.
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("办理工作方案"),
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED)
    assignment = models.ForeignKey(
        "Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(default=1)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    rehandle_due = models.DateField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "number_key", "id"]
        verbose_name = _("提案建议")
        verbose_name_plural = _("提案建议")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "number_key"], name="proposal_number_per_session"
            )
        ]
        # The list filtered by session and state, ordered by deadline.
        indexes = [
            models.Index(fields=["session", "state", "reply_due"], name="proposal_session_state"),
            # The list's order followed by every column the list filters on and shows: a page, its
            # count and a search for words are read from this index alone, never from the rows,
            # whose text (正文) made each row read cost tenfold and a page further down (OFFSET)
            # read every row before it.
            models.Index(
                fields=[
                    "session",
                    "number_key",
                    "id",
                    "city",
                    "state",
                    "kind",
                    "reply_due",
                    "assignment",
                    "key",
                    "number",
                    "title",
                    "proposer",
                ],
                name="proposal_list_order",
            ),
            # Lights across sessions: the owing states' reply deadlines in a range (临近 within a
            # week, 逾期 before today), so those pages and their counts read a few index entries
            # rather than every proposal; the 督办 page asks the same.
            models.Index(fields=["state", "reply_due"], name="proposal_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.session}第{self.number}号"

    @property
    def cosigner_list(self) -> list[str]:
        return [n for n in self.cosigners.splitlines() if n.strip()]


class Assignment(models.Model):
    """One 交办 (or re-assignment after 调整) and the deadlines computed for it."""

    class Mode(models.TextChoices):
        LEAD = "lead", _("主办会办")
        SPLIT = "split", _("分办")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="assignments")
    mode = models.CharField(_("交办方式"), max_length=8, choices=Mode.choices, default=Mode.LEAD)
    on = models.DateField(_("交办日期"))
    reply_due = models.DateField(_("答复期限"))
    support_due = models.DateField(_("会办意见期限"))
    pre_contact_due = models.DateField(_("办前沟通期限"))
    adjust_until = models.DateField(_("调整申请期限"))
    holiday_data = models.BooleanField(default=True)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]


class AssignedUnit(models.Model):
    """A unit of an assignment: lead (主办, or each unit of a 分办) or support (会办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        SUPPORT = "support", _("会办")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="proposal_assignments")
    role = models.CharField(max_length=8, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assignment", "role", "position"]
        constraints = [models.UniqueConstraint(fields=["assignment", "unit"], name="assigned_unit_once")]


class Communication(models.Model):
    """A contact with the member (办前/办中/办后); the member confirms it."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("办前")
        DURING = "during", _("办中")
        AFTER = "after", _("办后")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="communications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    method = models.CharField(_("方式"), max_length=8)
    on = models.DateField(_("日期"))
    summary = models.TextField(_("沟通情况"))
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    confirmed = models.DateField(_("委员确认"), null=True, blank=True)

    class Meta:
        ordering = ["on", "id"]


class SupportOpinion(models.Model):
    """A 会办 unit's opinion to the 主办 unit."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="opinions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    text = models.TextField(_("会办意见"))
    late = models.BooleanField(default=False)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]


class Reply(models.Model):
    """A unit's 答复 with its result category."""

    class Category(models.TextChoices):
        A = "A", _("A类：所提问题已解决或基本解决")
        B = "B", _("B类：正在解决或已列入计划")
        C = "C", _("C类：因条件限制暂不能解决、留作参考")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("办理结果"), max_length=1, choices=Category.choices)
    on = models.DateField(_("答复日期"))
    text = models.TextField(_("答复正文"))
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    signer = models.CharField(_("签发人"), max_length=50, blank=True)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    public = models.BooleanField(_("主动公开"), default=False)
    late = models.BooleanField(default=False)
    round = models.PositiveSmallIntegerField(default=1)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]


class Rating(models.Model):
    """The member's rating of one round of replies."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="ratings")
    attitude = models.CharField(_("办理态度"), max_length=8)
    result = models.CharField(_("办理结果"), max_length=8)
    on = models.DateField(_("评价日期"))
    comment = models.TextField(_("评价意见"), blank=True)
    late = models.BooleanField(default=False)
    round = models.PositiveSmallIntegerField(default=1)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="one_rating_a_round")]


class AdjustRequest(models.Model):
    """A unit's 调整 request and the office's decision (filled once, never changed)."""

    class Decision(models.TextChoices):
        OPEN = "", _("待处理")
        GRANTED = "granted", _("同意调整")
        REFUSED = "refused", _("不同意调整")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="adjustments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("调整理由"))
    on = models.DateField(_("申请日期"))
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("处理结果"), max_length=8, choices=Decision.choices, blank=True)
    decided = models.DateField(null=True, blank=True)
    note = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]


class ProposalEvent(models.Model):
    """One line of a proposal's history; written once, never changed or deleted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    on = models.DateField(_("日期"))
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(_("事项"), max_length=20)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    before = models.CharField(max_length=12, blank=True)
    after = models.CharField(max_length=12)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal", "seq"]
        constraints = [models.UniqueConstraint(fields=["proposal", "seq"], name="proposal_event_seq")]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise ValueError("ProposalEvent rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ProposalEvent rows cannot be deleted")


class ProposalNoticeQuerySet(models.QuerySet):
    """Notices with the one definition of whom each names under 抄送."""

    def copies(self) -> ProposalNoticeQuerySet:
        """One row per notice and unit it names under 抄送, annotated ``copy_unit_id``,
        ``copy_unit_name`` and ``copy_position``: the 会办 units of its proposal's assignment in
        force, never the unit it is addressed to.

        The Word 督办单 prints these (``supervising.copied_to``) and the same units read it
        (``accounts.rules.proposal_notices_in_scope``), so the two cannot drift: a unit relieved by
        调整 leaves both at once. Read from the assignment in force, not stored with the notice:
        those are the units that handle the proposal now.
        """
        units = "proposal__assignment__units"
        return (
            self.annotate(
                copy_unit_id=models.F(f"{units}__unit"),
                copy_unit_name=models.F(f"{units}__unit__name"),
                copy_position=models.F(f"{units}__position"),
                copy_role=models.F(f"{units}__role"),
            )
            .filter(copy_role=AssignedUnit.Role.SUPPORT)
            .exclude(copy_unit_id=models.F("unit"))
        )


class ProposalNotice(models.Model):
    """A 督办单 to a unit about a proposal whose reply is overdue (numbered 提案督办〔2024〕1号).

    The numbers, states, drafting rule and Word form are the supervision core's; this row only ties
    a notice to a proposal instead of a ledger task. The unit's reply to the proposal answers it.
    """

    number = models.CharField(_("编号"), max_length=40, unique=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="proposal_notices")
    reason = models.TextField(_("督办原因"))
    rule = models.CharField(max_length=32, blank=True)
    issued_on = models.DateField(_("下发日期"))
    reply_due = models.DateField(_("回复期限"))
    state = models.CharField(_("状态"), max_length=10, default="issued")
    replied_on = models.DateField(null=True, blank=True)
    # The leader it was escalated to (提级督办); kept after the unit answers, as the ledger's are.
    escalated_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    objects = ProposalNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("提案督办单")
        verbose_name_plural = _("提案督办单")
        # Open notices per proposal when drafting new ones.
        indexes = [models.Index(fields=["proposal", "state"], name="proposal_notice_open")]

    def __str__(self) -> str:
        return self.number
