"""Admin: each city's handling deadlines are set here; proposals are read here and changed only
through the pages and services, so every change stays in their history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from luoshi.proposals import handling as h
from luoshi.proposals.models import HandlingRules, Proposal, ProposalEvent


class HandlingRulesForm(forms.ModelForm):
    class Meta:
        model = HandlingRules
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            # The core's own bounds: 1-12 months, 0-120 working days.
            HandlingRules(**{k: v for k, v in data.items() if k != "city"}).as_rules()
        except h.HandlingError as e:
            raise ValidationError(str(e)) from e
        return data


@admin.register(HandlingRules)
class HandlingRulesAdmin(admin.ModelAdmin):
    form = HandlingRulesForm
    list_display = (
        "__str__",
        "reply_months",
        "support_months",
        "pre_contact_days",
        "feedback_days",
        "adjust_days",
    )


class EventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    can_delete = False
    fields = ("seq", "on", "action", "by_name", "before", "after", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("session", "number", "title", "proposer", "state", "reply_due")
    list_filter = ("kind", "session", "state")
    search_fields = ("number", "title", "proposer")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
