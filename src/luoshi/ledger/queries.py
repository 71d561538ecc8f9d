"""The ledger table's filters, sorting and search, as a form over ``tasks_in_scope``."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.models import City, Domain, Role, Status, Task, Unit

SORTS = {
    "position": ("plan_id", "position"),
    "deadline": ("deadline", "plan_id", "position"),
    "-deadline": ("-deadline", "plan_id", "position"),
    "status": ("status", "plan_id", "position"),
    "title": ("title",),
    "plan": ("plan__title", "position"),
}


class LedgerFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    city = forms.ModelChoiceField(label=_("城市"), queryset=City.objects.all(), required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.all(), required=False)
    domain = forms.ChoiceField(label=_("领域"), choices=[("", "—")] + Domain.choices, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", "—")] + Status.choices, required=False)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("position", _("方案顺序")),
            ("deadline", _("时限升序")),
            ("-deadline", _("时限降序")),
            ("status", _("状态")),
            ("title", _("标题")),
            ("plan", _("方案")),
        ],
    )


def apply_filter(tasks: QuerySet[Task], data: dict, today=None) -> tuple[QuerySet[Task], LedgerFilter]:
    """The tasks matching the query string ``data``; invalid values are ignored, never an error page."""
    form = LedgerFilter(data)
    form.is_valid()
    f = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    if "q" in f:
        # icontains is enough at this size; see the benchmark for how far it carries.
        tasks = tasks.filter(Q(title__icontains=f["q"]) | Q(label__icontains=f["q"]))
    if "city" in f:
        tasks = tasks.filter(plan__city=f["city"])
    if "unit" in f:
        tasks = tasks.filter(assignments__unit=f["unit"], assignments__role=Role.LEAD)
    if "domain" in f:
        tasks = tasks.filter(domain=f["domain"])
    if "status" in f:
        tasks = tasks.filter(status=f["status"])
    if "plan" in f:
        tasks = tasks.filter(plan_id=f["plan"])
    if f.get("overdue"):
        tasks = tasks.filter(deadline__lt=today or timezone.localdate()).exclude(status=Status.DONE)
    tasks = tasks.order_by(*SORTS[f.get("sort", "position")])
    return tasks, form
