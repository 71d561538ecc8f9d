"""Admin for reference data; plans and tasks change through the import and task pages, which keep history."""

from django.contrib import admin

from luoshi.accounts.admin import AuditedAdmin
from luoshi.ledger.models import City, Plan, Unit, UnitAlias


class AliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "parent")
    list_filter = ("city",)
    search_fields = ("name", "aliases__name")
    inlines = [AliasInline]


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):  # its offices are who manages the plan: a permission
    list_display = ("title", "city", "year", "published")
    fields = ("title", "issuer", "doc_number", "date", "year", "city", "cadence", "offices")
    filter_horizontal = ("offices",)
