"""Indicators: the catalogue, the entities measured (a city, a pair of cities, the whole area) and
observations kept as vintages.

Models stay thin: the catalogue rules and the template live in ``core.catalogue``, recording and
the catalogue upload in ``services``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.indicators.core import catalogue
from luoshi.ledger.models import AppendOnly, City, ReportValue, TaskTarget


class Direction(models.TextChoices):
    UP = "up", _("越高越好")
    DOWN = "down", _("越低越好")


class Frequency(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class Level(models.TextChoices):
    CITY = "city", _("城市")
    PAIR = "pair", _("城市对")
    AREA = "area", _("都市圈")


class Indicator(models.Model):
    """One metric of the catalogue; its name is the key the Excel template matches on."""

    name = models.CharField(_("指标名称"), max_length=catalogue.MAX_LENGTHS["name"], unique=True)
    unit = models.CharField(_("计量单位"), max_length=catalogue.MAX_LENGTHS["unit"], blank=True)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.UP)
    area = models.CharField(_("领域"), max_length=catalogue.MAX_LENGTHS["area"], default="其他")
    definition = models.TextField(_("定义"), blank=True)
    source = models.CharField(_("数据来源"), max_length=catalogue.MAX_LENGTHS["source"], blank=True)
    frequency = models.CharField(_("频度"), max_length=8, choices=Frequency.choices, default=Frequency.YEAR)
    level = models.CharField(_("层级"), max_length=8, choices=Level.choices, default=Level.CITY)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self) -> str:
        return self.name

    def spec(self) -> catalogue.IndicatorSpec:
        """The indicator as the framework-free catalogue sees it."""
        return catalogue.IndicatorSpec(**{f: getattr(self, f) for f in catalogue.FIELDS})


class IndicatorChange(AppendOnly):
    """One change to the catalogue (created or which fields moved from what to what), by whom."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=8)  # created / updated
    fields = models.JSONField(default=dict)  # field → [old, new]
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class Entity(models.Model):
    """What an indicator is measured for: a city, an ordered pair of cities, or a whole area."""

    kind = models.CharField(_("类型"), max_length=8, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    city = models.ForeignKey(City, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(City, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(City, blank=True, related_name="areas")  # an area's cities
    # Other names statistics tables use for it, one per line (成都 for 成都市, 成德 for the pair).
    aliases = models.TextField(_("别名"), blank=True)
    # An inactive entity keeps its figures but is matched by no import and offered by no form; the
    # sync from the ledger's cities never brings it back.
    active = models.BooleanField(_("启用"), default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("统计对象")
        verbose_name_plural = _("统计对象")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="city", city__isnull=False, partner__isnull=True)
                    | Q(kind="pair", city__isnull=False, partner__isnull=False)
                    | Q(kind="area", city__isnull=True, partner__isnull=True)
                ),
                name="entity_kind_cities",
            ),
            models.UniqueConstraint(fields=["city"], condition=Q(kind="city"), name="entity_one_per_city"),
            models.UniqueConstraint(
                fields=["city", "partner"], condition=Q(kind="pair"), name="entity_one_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class EntityChange(AppendOnly):
    """One change to an entity (created, renamed, aliases, merged, deactivated, reactivated), by whom,
    with the fields moved from what to what; a merge names the observations it moved."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=12)
    fields = models.JSONField(default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class TargetLink(AppendOnly):
    """Which indicator measures a plan target, and for which entity: each confirmation or change is
    a new row, the latest made by a moment is in force then (lights and bulletins of a past day
    read the link of that day), and one with no indicator unlinks the target."""

    target = models.ForeignKey(TaskTarget, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="target_links"
    )
    # None: the reporting unit's city for a city indicator, the area for an area indicator.
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target", "at"], name="target_link_latest")]


class ImportBatch(models.Model):
    """An uploaded statistics table between review and commit: the figures read and the problems
    found, each with its row and column. Committed at most once, all or nothing."""

    class State(models.TextChoices):
        REVIEW = "review", _("待确认")
        COMMITTED = "committed", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    name = models.CharField(_("文件"), max_length=255)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    layout = models.CharField(max_length=16, blank=True)
    figures = models.JSONField(default=list)  # [indicator, entity, period, value, row, column, raw]
    problems = models.JSONField(default=list)  # [row, column, message]
    blanks = models.PositiveIntegerField(default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    recorded = models.PositiveIntegerField(default=0)  # new vintages the commit wrote
    excluded = models.PositiveIntegerField(default=0)  # figures left out with their problems

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self) -> str:
        return self.name


def end_of(on: dt.date | dt.datetime | None) -> dt.datetime | None:
    """The moment "as known on ``on``" means: a datetime itself, a date the end of that day (in
    the site's time zone), None none (now, with nothing later yet)."""
    if isinstance(on, dt.datetime):
        return on
    if isinstance(on, dt.date):
        start = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
        return start - dt.timedelta(microseconds=1)
    return None


class ObservationQuerySet(models.QuerySet):
    def as_known(self, on: dt.date | dt.datetime | None = None) -> ObservationQuerySet:
        """The figure of each (indicator, entity, period) as it was known at ``on`` (a date means
        the end of that day; None: now): the latest vintage recorded by then. Later vintages
        recorded at the same instant win by id."""
        until = end_of(on)
        rows = self if until is None else self.filter(recorded_at__lte=until)
        later = Observation.objects.filter(
            indicator=OuterRef("indicator"), entity=OuterRef("entity"), period=OuterRef("period")
        ).filter(
            Q(recorded_at__gt=OuterRef("recorded_at"))
            | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
        )
        if until is not None:
            later = later.filter(recorded_at__lte=until)
        return rows.exclude(Exists(later))


class Observation(AppendOnly):
    """A figure of an indicator for an entity and period, as recorded at ``recorded_at``. A revised
    figure is a new row (a new vintage); rows are never changed or deleted."""

    # No index of its own: the vintage index below starts with it, and each index an import
    # writes into costs time at 3,000,000 rows.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="observations")
    # 2024-03, 2024-Q1 or 2024, as the indicator's frequency asks
    period = models.CharField(_("期别"), max_length=8)
    value = models.FloatField(_("数值"))
    source = models.CharField(_("来源"), max_length=200, blank=True)  # file, report or document it came from
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    # The ledger report value it came from: a corrected report is a new value, so a new vintage.
    report_value = models.ForeignKey(
        ReportValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "entity", "period", "recorded_at", "id"]
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        indexes = [
            # The vintage lookup: every as_known query walks this key in order.
            models.Index(fields=["indicator", "entity", "period", "recorded_at"], name="obs_vintage"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.entity_id}/{self.period}={self.value}"

    def delete(self, *args, **kwargs):
        raise ValueError("Observation rows are append-only")


class IndexRun(AppendOnly):
    """A computed integration index, stored with everything it was computed from: the method, the
    weights as staff set them, the day its figures were known on, and each input (observation id,
    indicator, entity, value), so last year's published figure can be recomputed exactly."""

    name = models.CharField(_("名称"), max_length=200)
    period = models.CharField(_("期别"), max_length=8)
    known_on = models.DateTimeField()  # the figures as known at this moment
    method = models.CharField(max_length=8)  # minmax / zscore
    weighting = models.CharField(max_length=8)  # equal / given / entropy
    weights = models.JSONField(default=dict)  # indicator id → weight as given (before normalising)
    inputs = models.JSONField(default=list)  # [observation id, indicator id, entity name, value]
    indicators = models.JSONField(default=list)  # [indicator id, name, direction, area] at the time
    results = models.JSONField(default=dict)  # scores, ranks, sub-indices, weights used, notes
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("同城化指数")
        verbose_name_plural = _("同城化指数")

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class DocumentRead(models.Model):
    """A scorecard or article whose achieved figures were proposed as observations."""

    name = models.CharField(_("文件"), max_length=255)
    text = models.TextField()
    period = models.CharField(_("期别"), max_length=8)  # the period the document reports on
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProposedFigure(models.Model):
    """One achieved figure of a document, with its sentence and span, waiting for a decision.
    Decided once: accepted (recorded as suggested), corrected (recorded as staff set it) or
    rejected; the decision, who made it and the observation it recorded stay with the row."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        CORRECTED = "corrected", _("已更正")
        REJECTED = "rejected", _("已驳回")

    document = models.ForeignKey(DocumentRead, on_delete=models.CASCADE, related_name="figures")
    quoted = models.CharField(max_length=100)
    metric = models.CharField(max_length=200, blank=True)
    value = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    sentence = models.CharField(max_length=500)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    converted = models.FloatField(null=True, blank=True)  # value in the suggested indicator's unit
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["document", "start"]


class Scorecard(models.Model):
    """A scorecard (成绩单) of an entity for a period: the wording staff edit and the figures as
    known at ``known_on`` (``core.scorecard.Scorecard`` as JSON). A draft is read by those who read
    indicators and edited by the office; once published it is frozen, its Word and PDF are stored
    and anyone, the public included, may read it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("标题"), max_length=200)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期别"), max_length=8)
    known_on = models.DateTimeField()  # the figures as known at this moment
    content = models.JSONField(default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    docx = models.FileField(upload_to="scorecards/%Y/", blank=True)
    pdf = models.FileField(upload_to="scorecards/%Y/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("成绩单")
        verbose_name_plural = _("成绩单")

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def card(self):
        """The stored scorecard as ``core.scorecard.Scorecard``."""
        from luoshi.indicators.core.scorecard import Scorecard as Card

        return Card.from_json(self.content)


class ScorecardChange(AppendOnly):
    """One change to a scorecard: created, wording edited (which fields from what to what),
    figures refreshed or published; by whom and when."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10)  # created / edited / refreshed / published
    fields = models.JSONField(default=dict)  # field → [old, new]
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    LABELS = {
        "created": _("起草"),
        "edited": _("修改文字"),
        "refreshed": _("更新数值"),
        "published": _("发布"),
    }

    class Meta:
        ordering = ["-at", "-id"]

    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))


class ServiceItem(models.Model):
    """A 跨城通办 service item (社保关系转移, 公积金异地转移…), keyed by its name; where it can be
    handled is its ``ServiceCity`` rows. Every change is a ``ServiceItemChange`` row with the old
    and new values, so the list as it stood on any day can be read back."""

    name = models.CharField(_("事项名称"), max_length=200, unique=True)
    department = models.CharField(_("主管部门"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("跨城通办事项")
        verbose_name_plural = _("跨城通办事项")

    def __str__(self) -> str:
        return self.name


class ServiceCity(models.Model):
    """A city where a service item can be handled, and since when."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="cities")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="service_items")
    since = models.DateField(_("开通日期"))

    class Meta:
        ordering = ["entity__name"]
        constraints = [models.UniqueConstraint(fields=["item", "entity"], name="service_city_once")]


class ServiceItemChange(AppendOnly):
    """One change to a service item (created or updated: which fields from what to what; the
    cities as 「成都市 2021-03-01」 lines), by whom and when."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=8)  # created / updated
    fields = models.JSONField(default=dict)  # field → [old, new]
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class ServiceImport(models.Model):
    """An uploaded list of service items between review and commit: the items read (with their
    rows) and the problems found (row, column, message). Committed at most once, all or nothing,
    and only without problems."""

    class State(models.TextChoices):
        REVIEW = "review", _("待确认")
        COMMITTED = "committed", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    name = models.CharField(_("文件"), max_length=255)
    items = models.JSONField(default=list)  # [row, name, department, category, note, [[city, since]]]
    problems = models.JSONField(default=list)  # [row, column, message]
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
