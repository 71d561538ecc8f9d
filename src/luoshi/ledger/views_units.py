"""组织机构管理: the unit register's pages, thin views over the rules in ledger.units."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.accounts.views import require
from luoshi.ledger import units
from luoshi.ledger.export import units_workbook
from luoshi.ledger.models import City, Unit, UnitAlias
from luoshi.ledger.services import RuleError
from luoshi.web.downloads import download

QUERY_MAX = 100


class UnitChoice(forms.ModelChoiceField):
    """A unit picked by id, shown with its city (two cities often have a 市交通运输局 each)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": gettext_lazy("所选单位不存在")})
        super().__init__(queryset=Unit.objects.select_related("city").order_by("name"), **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return units.label(obj)


class UnitForm(forms.Form):
    # No max_length here: units.clean_name says what is wrong with a name, for every caller.
    name = forms.CharField(label=gettext_lazy("单位名称"), required=False, strip=False)
    city = forms.ModelChoiceField(
        label=gettext_lazy("城市"),
        queryset=City.objects.all(),
        required=False,
        empty_label=gettext_lazy("不属于任何城市"),
        error_messages={"invalid_choice": gettext_lazy("所选城市不存在")},
    )
    parent = UnitChoice(label=gettext_lazy("上级单位"), required=False, empty_label=gettext_lazy("无"))

    def __init__(self, *args, unit: Unit | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=unit.pk)


class MergeForm(forms.Form):
    into = UnitChoice(label=gettext_lazy("并入"))
    confirm = forms.BooleanField(label=gettext_lazy("我已核对，两者是同一单位"))

    def __init__(self, *args, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Merging into itself stays a choice the rules refuse with a reason, rather than a missing option.
        self.fields["into"].widget.choices = [
            c for c in self.fields["into"].choices if str(c[0]) != str(unit.pk)
        ]


def _require_city(request, city: City | None) -> None:
    """A unit is added to or moved into one of the office's own cities (or into none)."""
    if city is not None:
        require(request, "unit.manage", city)


@login_required
def unit_list(request):
    """Every unit by city, with aliases and parent; ``?q=`` searches names and aliases."""
    require(request, "unit.view")
    q = request.GET.get("q", "")[:QUERY_MAX]
    return render(
        request,
        "ledger/units.html",
        {"units": units.search_units(q), "q": q, "can_manage": can(request.user, "unit.manage")},
    )


@login_required
def unit_export(request):
    """The list as an Excel workbook, narrowed by the same ``?q=``."""
    require(request, "unit.view")
    q = request.GET.get("q", "")[:QUERY_MAX]
    data = units_workbook(units.search_units(q))
    audit.record("export", request, detail=f"units.xlsx q={q}")
    return download(data, "单位.xlsx")


@login_required
def unit_new(request):
    require(request, "unit.manage")
    form = UnitForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        _require_city(request, form.cleaned_data["city"])
        try:
            unit = units.add_unit(request.user, **form.cleaned_data)
        except RuleError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("已添加单位“%(name)s”") % {"name": unit.name})
            return redirect("units:edit", pk=unit.pk)
    status = 400 if form.is_bound else 200
    return render(request, "ledger/units_edit.html", {"form": form}, status=status)


def _edit_page(request, unit: Unit, status: int = 200, **forms_and_errors) -> HttpResponse:
    context = {
        "unit": unit,
        "aliases": unit.aliases.order_by("name"),
        "children": unit.children.select_related("city").order_by("name"),
        "form": UnitForm(initial={"name": unit.name, "city": unit.city, "parent": unit.parent}, unit=unit),
        "merge_form": MergeForm(unit=unit),
        **forms_and_errors,
    }
    return render(request, "ledger/units_edit.html", context, status=status)


@login_required
def unit_edit(request, pk: int):
    """The unit's form, its aliases and the merge form (GET); saving the form (POST)."""
    unit = get_object_or_404(Unit.objects.select_related("city", "parent"), pk=pk)
    require(request, "unit.manage", unit)
    if request.method != "POST":
        return _edit_page(request, unit)
    form = UnitForm(request.POST, unit=unit)
    if form.is_valid():
        _require_city(request, form.cleaned_data["city"])
        try:
            units.edit_unit(unit, request.user, **form.cleaned_data)
        except RuleError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("已保存"))
            return redirect("units:edit", pk=unit.pk)
    unit.refresh_from_db()
    return _edit_page(request, unit, 400, form=form)


@require_POST
@login_required
def alias_add(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    require(request, "unit.manage", unit)
    name = request.POST.get("name", "")
    try:
        units.add_unit_alias(unit, request.user, name)
    except RuleError as e:
        return _edit_page(request, unit, 400, alias_error=str(e), alias_input=name[: units.NAME_MAX])
    messages.success(request, _("已添加别名"))
    return redirect("units:edit", pk=unit.pk)


@require_POST
@login_required
def alias_remove(request, pk: int, alias_pk: int):
    alias = get_object_or_404(UnitAlias.objects.select_related("unit"), pk=alias_pk, unit_id=pk)
    require(request, "unit.manage", alias.unit)
    units.remove_alias(alias, request.user)
    messages.success(request, _("已删除别名“%(name)s”") % {"name": alias.name})
    return redirect("units:edit", pk=pk)


@require_POST
@login_required
def unit_merge(request, pk: int):
    """Fold this unit (the duplicate) into the chosen one, which is kept."""
    duplicate = get_object_or_404(Unit.objects.select_related("city"), pk=pk)
    require(request, "unit.manage", duplicate)
    form = MergeForm(request.POST, unit=duplicate)
    if form.is_valid():
        keep = form.cleaned_data["into"]
        require(request, "unit.manage", keep)  # the kept unit takes the duplicate's rows: it must be ours too
        try:
            units.merge_units(keep, duplicate, request.user, request=request)
        except RuleError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _("已将“%(gone)s”合并到“%(keep)s”")
                % {"gone": units.label(duplicate), "keep": units.label(keep)},
            )
            return redirect("units:edit", pk=keep.pk)
    return _edit_page(request, duplicate, 400, merge_form=form)
