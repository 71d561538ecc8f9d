"""Start Django from a command: settings module, secret key, clear errors instead of tracebacks."""

from __future__ import annotations

import os
import sys


def setup(*, create_secret: bool = False, demo: bool = False) -> None:
    """Configure and set up Django; exits with a one-line message when the environment is wrong."""
    from luoshi.web import env

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.web.settings")
    if demo:
        # The demo serves plain http on loopback, where secure-only cookies would never come back.
        os.environ.setdefault("LUOSHI_SECURE_COOKIES", "false")
    try:
        env.secret_key(env.home(), create=create_secret)
        import django

        django.setup()
    except env.SettingError as e:
        print(f"luoshi: {e}", file=sys.stderr)
        raise SystemExit(2) from None
