"""Template context: the current user's role, for menus."""

from luoshi.accounts.rules import can, role_of


def role(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "role": role_of(user),
        "can_dashboard": can(user, "dashboard.view"),
        "can_import": can(user, "plan.import"),
        "can_audit": can(user, "audit.view"),
        "can_units": can(user, "unit.view"),
        "can_channels": can(user, "channel.manage"),
        "can_indicators": can(user, "indicator.view"),
        "can_proposals": can(user, "proposal.list"),
    }
