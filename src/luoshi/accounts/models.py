"""Who someone is in luoshi (role, unit, scope), the security audit log and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    OFFICE = "office", _("办公室")
    REPORTER = "reporter", _("责任单位联络员")
    LEADER = "leader", _("领导")
    MEMBER = "member", _("委员/代表")
    COMMITTEE = "committee", _("提案委/人大工委")


class Profile(models.Model):
    """A user's role; reporters belong to one unit, leaders may be limited to some cities."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "ledger.Unit", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("单位")
    )
    # A leader reads the plans of these cities; an office keeps the units of these cities besides
    # those of its plans' cities. An empty list grants nothing: every city is said with all_cities.
    cities = models.ManyToManyField("ledger.City", blank=True, verbose_name=_("范围（城市）"))
    all_cities = models.BooleanField(_("范围：全部城市"), default=False)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AuditLog(models.Model):
    """A security event; rows are written once and never changed (等保2.0 安全审计)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    event = models.CharField(max_length=32)
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        # Serves the lock-out check: recent failures of one user name.
        indexes = [models.Index(fields=["username", "event", "at"], name="audit_user_event_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise ValueError("AuditLog rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AuditLog rows cannot be deleted")


class LoginFailures(models.Model):
    """Failed logins of one user name, counted by conditional UPDATEs (see accounts.lockout).

    ``count`` is taken before the password is checked, so concurrent guesses cannot all slip in
    between a check and its record; ``locked_at`` is when the name was last locked, and a session
    that began before it is ended.
    """

    username = models.CharField(max_length=150, unique=True)
    count = models.PositiveIntegerField(default=0)
    last = models.DateTimeField(db_index=True)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self) -> str:
        return f"{self.username}: {self.count}"


class LoginBucket(models.Model):
    """A token bucket of password checks: one per client address and one for the whole site."""

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated = models.FloatField(db_index=True)  # seconds since the epoch, for the refill arithmetic in SQL

    def __str__(self) -> str:
        return f"{self.key}: {self.tokens:.1f}"


class ApiToken(models.Model):
    """A token another system uses for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        """Create a token for ``user``; the plain token is returned once and never stored."""
        token = "ls_" + secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, prefix=token[:10], digest=cls.digest_of(token))
        return row, token
