"""The Jinja2 environment for the few templates that render thousands of rows (the import
review): Django's template language took seconds for them. Autoescaping stays on, as in Django
templates, and ``_()`` is Django's gettext, so the strings share the project's catalogue."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend builds its templates in."""
    env = Environment(**options)
    # Django's active language at render time; newstyle escapes the translated text too.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env
