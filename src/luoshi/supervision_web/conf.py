"""Settings of supervision and bulletins, read from the environment and declared as data.

Imported by luoshi.web.settings, so nothing here may import Django models.
"""

from __future__ import annotations

import os

from luoshi.web.env import Setting, SettingError

TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
QUEUES = ["default", "reminders", "bulletins"]
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}

SETTINGS = [
    Setting(
        "LUOSHI_TASKS",
        "immediate",
        "background jobs: immediate (run in the requesting process) or database (queued; `luoshi worker` runs them)",
    ),
    Setting(
        "LUOSHI_REMINDER_BACKEND",
        "luoshi.supervision_web.backends.MailBackend",
        "dotted path of the class that delivers reminders (send(recipient, subject, body)); e.g. an SMS gateway",
    ),
    Setting(
        "LUOSHI_REMINDER_TIMEOUT", "10", "seconds one reminder may take to send before it counts as failed"
    ),
    Setting(
        "LUOSHI_EMAIL_BACKEND", "console", "console (print e-mail) or smtp (Django's EMAIL_HOST… settings)"
    ),
    Setting("LUOSHI_DEFAULT_FROM_EMAIL", "luoshi@localhost", "sender address of reminder e-mails"),
]
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The variable's value, or its declared default."""
    return os.environ.get(name, _BY_NAME[name].default).strip() or _BY_NAME[name].default


def tasks() -> dict:
    """Django's TASKS setting: one default backend serving every queue."""
    name = get("LUOSHI_TASKS")
    if name not in TASK_BACKENDS:
        raise SettingError(f"LUOSHI_TASKS={name!r}: expected {' or '.join(TASK_BACKENDS)}")
    return {"default": {"BACKEND": TASK_BACKENDS[name], "QUEUES": QUEUES}}


def email_backend() -> str:
    """Django's EMAIL_BACKEND from a short name."""
    name = get("LUOSHI_EMAIL_BACKEND")
    if name not in EMAIL_BACKENDS:
        raise SettingError(f"LUOSHI_EMAIL_BACKEND={name!r}: expected {' or '.join(EMAIL_BACKENDS)}")
    return EMAIL_BACKENDS[name]


def timeout() -> float:
    """LUOSHI_REMINDER_TIMEOUT as seconds."""
    raw = get("LUOSHI_REMINDER_TIMEOUT")
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"LUOSHI_REMINDER_TIMEOUT={raw!r}: expected seconds") from None
    if value <= 0:
        raise SettingError(f"LUOSHI_REMINDER_TIMEOUT={raw!r}: must be positive")
    return value
