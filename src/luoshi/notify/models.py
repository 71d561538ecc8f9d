"""Channels of a unit and the log of every message sent through them.

A ``Message`` is one text for one channel (unique per channel and key, so a reminder routed twice
is queued once); every try to send it is an ``Attempt`` row, so the log shows each failure with
its error. Secrets (the webhook address, which carries the robot's key, the signing secret, a
gateway token) are kept only encrypted, in ``Channel.secrets``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.models import Unit
from luoshi.notify import core


class Channel(models.Model):
    """Where one unit's messages go (a group robot, SMS numbers or e-mail addresses), or one
    person's: a channel with an ``owner`` has no unit of its own and receives what is sent to the
    unit of the owner's profile, whichever that is at the time."""

    class Kind(models.TextChoices):
        WECOM = core.WECOM, _("企业微信群机器人")
        DINGTALK = core.DINGTALK, _("钉钉群机器人")
        FEISHU = core.FEISHU, _("飞书群机器人")
        EMAIL = core.EMAIL, _("电子邮件")
        SMS = core.SMS, _("短信")

    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="channels", verbose_name=_("单位")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_channels",
        verbose_name=_("个人"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    enabled = models.BooleanField(_("启用"), default=True)
    # E-mail addresses or mobile numbers: shown back to the office, so not secret.
    address = models.CharField(_("接收地址"), max_length=1000, blank=True)
    provider = models.CharField(_("短信服务商"), max_length=40, blank=True)
    # The webhook's host only, shown on the page in place of the address, which holds the key.
    host = models.CharField(max_length=253, blank=True)
    # Fernet token of {"url": …, "secret": …}: see core.SecretBox and crypto.box().
    secrets = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit__name", "kind", "name", "id"]
        verbose_name = _("消息渠道")
        verbose_name_plural = _("消息渠道")
        constraints = [
            # A unit's channel or a person's, never both nor neither.
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, owner__isnull=True)
                | models.Q(unit__isnull=True, owner__isnull=False),
                name="channel_unit_or_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.owner} {self.get_kind_display()} {self.name}"

    @property
    def personal(self) -> bool:
        return self.owner_id is not None


class Message(models.Model):
    """One text for one channel; claimed with a conditional UPDATE before each try (see delivery)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败待重试")
        GAVE_UP = "gave_up", _("已放弃")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    # The unit the message is for; none for a test sent to a person's own channel.
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # What the message is about: reminder:<task>:<period>:<kind>, notice:<number>, test:<uuid>.
    key = models.CharField(max_length=160)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="message_once_per_channel")]
        # The retry pass: messages waiting, or failed with their time come.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_status_next")]

    def __str__(self) -> str:
        return f"{self.key} → {self.channel_id} {self.status}"


class Attempt(models.Model):
    """One try to send a message: when, the outcome, the HTTP status and the error."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {'ok' if self.ok else 'failed'}"
