"""Admin views for inspecting supervision records; changes go through the pages and services."""

from django.contrib import admin

from luoshi.supervision_web.models import Bulletin, ReminderLog, ReportingCalendar, SupervisionNotice


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(admin.ModelAdmin):
    list_display = ("plan", "kind", "day", "days_before", "days_after")


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "task", "lead_unit", "state", "issued_on", "reply_due")
    list_filter = ("state",)
    search_fields = ("number",)
    raw_id_fields = ("task", "plan")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("key", "status", "attempts", "next_retry_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("key",)


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "period", "on", "created_by", "created")
