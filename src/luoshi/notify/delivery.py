"""Queueing, claiming, sending and logging messages through the channels in the database.

For each message:

1. ``queue`` inserts one row per enabled channel of the unit (unique per channel and key, so the
   same reminder routed by two runs is queued once);
2. ``claim`` takes it with a conditional UPDATE (waiting, or failed with its retry time come, or
   "sending" past the lease because its worker died) and sends only when exactly one row changed,
   so two workers never send the same message;
3. ``attempt`` sends, writes an Attempt row whatever happened, and marks the message sent, failed
   with the time of the next try (1 min, 10 min, 1 h, 6 h, 1 day), or given up.

One channel failing never stops the others: each message is claimed and sent on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from luoshi.notify import core
from luoshi.notify.models import Attempt, Channel, Message

log = logging.getLogger(__name__)

# A "sending" message older than this belongs to a worker that died mid-send.
LEASE = dt.timedelta(minutes=15)
SECRET_FIELDS = ("url", "secret")


def box() -> core.SecretBox:
    """The box that encrypts channel secrets with the site's secret key (and its fallbacks)."""
    return core.SecretBox(settings.SECRET_KEY, getattr(settings, "SECRET_KEY_FALLBACKS", ()))


def policy() -> core.UrlPolicy:
    """Which webhook hosts may be called: the platforms' and LUOSHI_NOTIFY_HOSTS."""
    return core.UrlPolicy.with_extra(settings.LUOSHI_NOTIFY_HOSTS)


def ssl_context() -> ssl.SSLContext:
    """The system's trusted CAs, plus LUOSHI_NOTIFY_CA_FILE when set."""
    context = ssl.create_default_context()
    if settings.LUOSHI_NOTIFY_CA_FILE:
        context.load_verify_locations(cafile=settings.LUOSHI_NOTIFY_CA_FILE)
    return context


def secrets_of(channel: Channel) -> dict[str, str]:
    """The channel's decrypted secrets ({} when none); ValueError when they cannot be opened."""
    return box().decrypt(channel.secrets)


def set_secrets(channel: Channel, *, url: str | None = None, secret: str | None = None) -> None:
    """Replace the webhook address and/or secret (None keeps the stored one); the address is checked first."""
    values = secrets_of(channel) if channel.secrets else {}
    if url is not None:
        channel.host = core.check_url(url, policy()) if url else ""
        values["url"] = url
    if secret is not None:
        values["secret"] = secret
    values = {k: v for k, v in values.items() if v}
    channel.secrets = box().encrypt(values) if values else ""


def config_of(channel: Channel) -> core.ChannelConfig:
    """What the sender needs to know about ``channel``."""
    values = secrets_of(channel)
    return core.ChannelConfig(
        kind=channel.kind,
        url=values.get("url", ""),
        secret=values.get("secret", ""),
        address=channel.address,
        provider=channel.provider,
    )


def send_now(channel: Channel, message: core.Message) -> int | None:
    """Send ``message`` through ``channel`` at once; the HTTP status (None for e-mail) or DeliveryError."""
    try:
        config = config_of(channel)
    except ValueError as exc:
        raise core.DeliveryError(str(exc), permanent=True) from None
    if channel.kind == core.EMAIL:
        addresses = core.check_addresses(core.EMAIL, config.address)
        try:
            send_mail(message.subject, message.body, None, addresses)
        except Exception as exc:  # SMTP refusals, timeouts: one more failure to retry
            raise core.DeliveryError(f"邮件发送失败：{type(exc).__name__}: {exc}") from None
        return None
    response = core.send_http(
        config, message, policy(), timeout=settings.LUOSHI_NOTIFY_TIMEOUT, context=ssl_context()
    )
    return response.status


@dataclass
class Outcome:
    """What a delivery pass did: message ids sent, failed (retry or given up) and skipped (not ours)."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """Counts, for a job's return value and the command's output."""
        return {"sent": len(self.sent), "failed": len(self.failed), "skipped": len(self.skipped)}

    def add(self, message_id: int, result: str) -> None:
        getattr(self, result).append(message_id)


def channels_of(unit_id: int):
    """The enabled channels a unit's messages go to: the unit's own, and the personal channels of
    the active users whose profile names the unit now."""
    return Channel.objects.filter(
        Q(unit_id=unit_id) | Q(owner__profile__unit_id=unit_id, owner__is_active=True), enabled=True
    )


def queue(unit_id: int, key: str, subject: str, body: str) -> list[Message]:
    """One waiting message per enabled channel of the unit and of its people (none twice for the
    same key); the unit's messages for ``key``, old and new."""
    channels = list(channels_of(unit_id).values_list("pk", flat=True))
    if not channels:
        return []
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                channel_id=c, unit_id=unit_id, key=key[:160], subject=subject[:300], body=body, created=now
            )
            for c in channels
        ],
        ignore_conflicts=True,
    )
    return list(Message.objects.filter(channel_id__in=channels, key=key[:160]).order_by("id"))


def _claimable(now: dt.datetime, lease: dt.timedelta) -> Q:
    """Messages a claim may take now."""
    return (
        Q(status=Message.Status.PENDING)
        | Q(status=Message.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Message.Status.SENDING, claimed_at__lt=now - lease)
    )


def claim(message_id: int, now: dt.datetime | None = None, lease: dt.timedelta = LEASE) -> str | None:
    """A token when this process won the message, else None: exactly one conditional UPDATE wins."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    won = (
        # A plain single-table UPDATE: a filter across the channel join makes Django write
        # `id IN (SELECT …)`, which PostgreSQL does not re-check after a lock wait, so two
        # workers could both win. A disabled channel is refused in attempt() instead.
        Message.objects.filter(_claimable(now, lease), pk=message_id).update(
            status=Message.Status.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
        )
    )
    return token if won == 1 else None


def attempt(message: Message, token: str) -> str:
    """Send a message this process claimed and record the try: "sent" or "failed"."""
    started = time.monotonic()
    status_code: int | None = None
    error: core.DeliveryError | None = None
    try:
        if not message.channel.enabled:
            raise core.DeliveryError("渠道已停用", permanent=True)
        status_code = send_now(message.channel, core.Message(message.subject, message.body))
    except core.DeliveryError as exc:
        error, status_code = exc, exc.status
    except Exception as exc:  # a bug in a provider must not lose the message: it is retried
        log.exception("message %s: unexpected error", message.pk)
        error = core.DeliveryError(f"{type(exc).__name__}: {exc}")
    took = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    Attempt.objects.create(
        message_id=message.pk,
        at=now,
        ok=error is None,
        status_code=status_code,
        error=str(error or "")[:2000],
        duration_ms=took,
    )
    mine = Message.objects.filter(pk=message.pk, claimed_by=token)
    if error is None:
        # Marked right after each send, so a crash can repeat one message at most.
        mine.update(status=Message.Status.SENT, sent_at=now, last_error="", next_attempt_at=None)
        return "sent"
    attempts = Message.objects.values_list("attempts", flat=True).get(pk=message.pk)
    delay = None if error.permanent else core.retry_delay(attempts)
    if delay is None:
        mine.update(status=Message.Status.GAVE_UP, last_error=str(error)[:2000], next_attempt_at=None)
    else:
        mine.update(status=Message.Status.FAILED, last_error=str(error)[:2000], next_attempt_at=now + delay)
    log.warning("message %s via channel %s failed: %s", message.pk, message.channel_id, error)
    return "failed"


def deliver(messages: list[Message], lease: dt.timedelta = LEASE, now: dt.datetime | None = None) -> Outcome:
    """Claim and send each message in turn; those another worker holds, or already sent, are skipped."""
    outcome = Outcome()
    for message in messages:
        token = claim(message.pk, now=now, lease=lease)
        if token is None:
            outcome.add(message.pk, "skipped")
            continue
        message = Message.objects.select_related("channel").get(pk=message.pk)
        outcome.add(message.pk, attempt(message, token))
    return outcome


def deliver_due(now: dt.datetime | None = None, limit: int = 500, lease: dt.timedelta = LEASE) -> Outcome:
    """Send the waiting messages and the failed ones whose retry time has come (oldest first)."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(_claimable(now, lease), channel__enabled=True).order_by("created", "id")[
            :limit
        ]
    )
    return deliver(due, lease, now)


def route(unit_id: int, key: str, subject: str, body: str) -> Outcome:
    """Queue a message to every enabled channel of a unit and send it now; failures wait for a retry."""
    return deliver(queue(unit_id, key, subject, body))
