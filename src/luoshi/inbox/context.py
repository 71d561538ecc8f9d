"""Template context: ``inbox``, the header's 待办 counts, computed only if a template reads them."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from luoshi.accounts.rules import role_of
from luoshi.web import clock

# Roles the inbox has items for; others (committee, public) get no header link.
ROLES = ("reporter", "office", "admin", "leader", "member")


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if role_of(user) not in ROLES:
        return {"inbox": None}

    def counts() -> dict[str, int]:
        from luoshi.inbox.counts import for_header

        return for_header(user, clock.today(), request)

    return {"inbox": SimpleLazyObject(counts)}
