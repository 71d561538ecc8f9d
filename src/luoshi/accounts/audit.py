"""Write security events to the AuditLog."""

from __future__ import annotations

from django.http import HttpRequest

from luoshi.accounts.models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address; X-Forwarded-For is not trusted because anyone can send it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    event: str, request: HttpRequest | None = None, *, user=None, username: str = "", detail: str = ""
) -> None:
    """Append one security event."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    AuditLog.objects.create(
        event=event,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=client_ip(request),
        detail=detail[:2000],
    )
