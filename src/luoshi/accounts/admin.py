"""Admin: profiles and tokens are managed here; the AuditLog is read-only for everyone.

Every change made through these admins (roles, permissions, passwords, tokens, a plan's offices)
is written to the AuditLog with who, when and from which address, besides Django's own LogEntry.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from luoshi.accounts import audit
from luoshi.accounts.models import ApiToken, AuditLog, Profile


def _fields(message) -> list[str]:
    """The field names a change message (Django's JSON list, or text) says were changed."""
    if isinstance(message, str):
        try:
            message = json.loads(message) if message.startswith("[") else message
        except ValueError:
            return [message]
    if isinstance(message, str):
        return [message] if message else []
    return [str(f) for part in message for f in part.get("changed", {}).get("fields", [])]


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions also go to the AuditLog."""

    def _audit(self, request, event: str, obj, fields: list[str] | None = None) -> None:
        label = f"{obj._meta.label_lower} {obj.pk} {obj}"
        audit.record(event, request, detail=f"{label}: {', '.join(fields)}" if fields else label)

    def log_addition(self, request, obj, message):
        self._audit(request, "admin_add", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = _fields(message)
        # The admin's password form is the only way to reset another user's password here.
        password = isinstance(obj, get_user_model()) and any("password" in f.lower() or "密码" in f for f in fields)
        self._audit(request, "password_reset" if password else "admin_change", obj, fields)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "admin_delete", obj)
        return super().log_deletions(request, queryset)


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit", "all_cities")
    list_filter = ("role",)
    autocomplete_fields = ("unit",)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "event", "username", "ip")
    list_filter = ("event",)
    search_fields = ("username", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used")
    readonly_fields = ("prefix", "digest", "created", "last_used")


# Users and groups carry the permissions: their admin pages are Django's, audited.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(AuditedAdmin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(AuditedAdmin, auth_admin.GroupAdmin):
    pass
