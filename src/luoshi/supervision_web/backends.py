"""Reminder delivery backends (the core's `Backend` protocol): e-mail through Django, the console.

Another channel (SMS, a messaging app) is a class with `send(recipient, subject, body)` named
in LUOSHI_REMINDER_BACKEND. Backends run in a helper thread under a timeout, so they must not
touch the database.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from luoshi.supervision.reminders import Backend, GuardedBackend


class NoAddress(ValueError):
    """The unit has no reporter with an e-mail address."""


class MailBackend:
    """Sends through Django's e-mail (console in the demo, SMTP in production)."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Mail the addresses in `recipient` (comma-separated); a unit without one is an error to retry."""
        addresses = [a.strip() for a in recipient.split(",") if "@" in a]
        if not addresses:
            raise NoAddress(f"{recipient}没有登记联络员邮箱")
        send_mail(subject, body, None, addresses)


class ConsoleBackend:
    """Prints each reminder to standard output."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Print the message."""
        sys.stdout.write(f"To: {recipient}\nSubject: {subject}\n\n{body}\n\n")


def configured() -> GuardedBackend:
    """The backend named in settings, guarded: a send that raises or hangs is recorded, not raised further."""
    inner: Backend = import_string(settings.LUOSHI_REMINDER_BACKEND)()
    return GuardedBackend(inner, timeout=settings.LUOSHI_REMINDER_TIMEOUT)
