"""跨城通办 pages: the list of service items with the counts per city, adding and editing an item,
the Excel template out and in (review, then commit or discard). Thin views over
``luoshi.indicators.crosscity``; read: ``crosscity.view``, change: ``crosscity.manage``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.accounts.views import require
from luoshi.indicators import crosscity
from luoshi.indicators.core import crosscity as core
from luoshi.indicators.core.catalogue import CellError
from luoshi.indicators.entities import sync_from_ledger
from luoshi.indicators.models import Indicator, ServiceImport, ServiceItem
from luoshi.indicators.services import IndicatorError
from luoshi.indicators.views import read_upload
from luoshi.ledger.uploads import UploadRejected
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id

FIELD_MAX = 1000  # characters of one form field read; the model's limits are smaller still
ACTIONS = {"created": gettext_lazy("新增"), "updated": gettext_lazy("修改")}
FIELD_LABELS = {
    "name": gettext_lazy("事项名称"),
    "department": gettext_lazy("主管部门"),
    "category": gettext_lazy("类别"),
    "note": gettext_lazy("备注"),
    "cities": gettext_lazy("可办城市"),
}


def _spec_from_form(request) -> core.ItemSpec:
    """The item the add/edit form describes; IndicatorError for what cannot be read."""
    values = {}
    for f in core.TEXT_FIELDS:
        value = request.POST.get(f, "")
        if len(value) > FIELD_MAX:
            raise IndicatorError(_("输入过长"))
        values[f] = value.strip()
    by_id = {e.pk: e for e in crosscity.city_choices()}
    cities = []
    for raw in request.POST.getlist("city")[:200]:
        pk = parse_id(raw)
        if pk not in by_id:
            raise IndicatorError(_("所选城市未登记或已停用"))
        since_raw = request.POST.get(f"since-{pk}", "")[:40].strip()
        since = None
        if since_raw:
            try:
                since = dt.date.fromisoformat(since_raw)
            except ValueError:
                raise IndicatorError(_("开通日期格式应为 YYYY-MM-DD")) from None
        cities.append((by_id[pk].name, since))
    return core.ItemSpec(cities=tuple(dict(cities).items()), **values)


def _counts_table():
    """(city, count) now for every active city, the area's count, and the chart's data."""
    per_city, anywhere = crosscity.counts_on(timezone.localdate())
    rows = [(e.name, per_city.get(e.name, 0)) for e in crosscity.city_choices()]
    chart = {"cities": [r[0] for r in rows], "counts": [r[1] for r in rows]}
    return rows, anywhere, chart


@login_required
def item_list(request):
    """The list of items, the counts per city and their chart, and (office) add and import."""
    require(request, "crosscity.view")
    manage = can(request.user, "crosscity.manage")
    if manage:
        sync_from_ledger(by=request.user)  # a city new to the ledger can be chosen at once
    category = request.GET.get("category", "")[:50]
    items = ServiceItem.objects.prefetch_related("cities__entity")
    if category:
        items = items.filter(category=category)
    rows, anywhere, chart = _counts_table()
    return render(
        request,
        "indicators/crosscity.html",
        {
            "items": items,
            "categories": ServiceItem.objects.order_by("category")
            .values_list("category", flat=True)
            .distinct(),
            "category": category,
            "counts": rows,
            "anywhere": anywhere,
            "chart": chart,
            "cities": crosscity.city_choices() if manage else [],
            "can_manage": manage,
            "indicators": Indicator.objects.filter(
                name__in=[crosscity.CITY_INDICATOR, crosscity.AREA_INDICATOR]
            ),
            "imports": ServiceImport.objects.filter(uploaded_by=request.user)[:10] if manage else [],
        },
    )


@login_required
@require_POST
def item_new(request):
    """Add an item from the form; the counts are fed at once."""
    require(request, "crosscity.manage")
    try:
        spec = _spec_from_form(request)
        crosscity.save_item(spec, by=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:crosscity")
    messages.success(request, _("已新增事项「%(name)s」") % {"name": spec.name[:40]})
    item = ServiceItem.objects.get(name=spec.name.strip())
    return redirect("indicators:crosscity_item", pk=item.pk)


@login_required
def item(request, pk: int):
    """One item: where it can be handled and since when, its history; (office) the edit form."""
    require(request, "crosscity.view")
    row = get_object_or_404(ServiceItem, pk=pk)
    manage = can(request.user, "crosscity.manage")
    if request.method == "POST":
        require(request, "crosscity.manage")
        try:
            crosscity.save_item(_spec_from_form(request), by=request.user, item=row)
        except IndicatorError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存"))
        return redirect("indicators:crosscity_item", pk=row.pk)
    handled = {c.entity_id: c.since for c in row.cities.all()}
    choices = crosscity.city_choices() if manage else []
    return render(
        request,
        "indicators/crosscity_item.html",
        {
            "item": row,
            "handled": row.cities.select_related("entity"),
            "choices": [(e, e.pk in handled, handled.get(e.pk)) for e in choices],
            "changes": [
                (
                    c,
                    ACTIONS.get(c.action, c.action),
                    [(FIELD_LABELS.get(f, f), v) for f, v in c.fields.items()],
                )
                for c in row.changes.select_related("by")[:100]
            ],
            "can_manage": manage,
        },
    )


@login_required
@require_POST
def sync(request):
    """Record the counts up to today (the current period's figure when the list has not changed)."""
    require(request, "crosscity.manage")
    recorded = crosscity.feed(by=request.user)
    messages.success(request, _("已更新统计：记录%(n)d个数值") % {"n": recorded})
    return redirect("indicators:crosscity")


@login_required
def items_xlsx(request):
    """The list as the Excel template (edit it and upload it again)."""
    require(request, "crosscity.view")
    audit.record("download", request, detail="crosscity service items")
    return download(crosscity.export_items(), "crosscity-services.xlsx")


@login_required
@require_POST
def upload(request):
    """An edited list: read for review, nothing applied yet."""
    require(request, "crosscity.manage")
    try:
        data, name = read_upload(request, frozenset({"xlsx"}))
        batch = crosscity.start_import(data, name, by=request.user)
    except UploadRejected as exc:
        messages.error(request, str(exc))
        return redirect("indicators:crosscity")
    return redirect("indicators:crosscity_import", pk=batch.pk)


def _batch(request, pk: int) -> ServiceImport:
    batch = get_object_or_404(ServiceImport, pk=pk)
    require(request, "crosscity.manage", batch)
    return batch


@login_required
def review(request, pk: int):
    """The items an upload read and its problems, each with its row and column; commit or discard."""
    batch = _batch(request, pk)
    return render(
        request,
        "indicators/crosscity_import.html",
        {
            "batch": batch,
            "problems": [str(CellError(*p)) for p in batch.problems[:500]],
            "more_problems": max(0, len(batch.problems) - 500),
            "items": batch.items[: crosscity.REVIEW_ROWS],
            "more": max(0, len(batch.items) - crosscity.REVIEW_ROWS),
            "known": set(
                ServiceItem.objects.filter(name__in=[i[1] for i in batch.items]).values_list(
                    "name", flat=True
                )
            ),
        },
    )


@login_required
@require_POST
def commit(request, pk: int):
    """Apply a reviewed list whole; refused while it has problems."""
    batch = _batch(request, pk)
    try:
        result = crosscity.commit_import(batch, by=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:crosscity_import", pk=batch.pk)
    messages.success(
        request,
        _("事项清单已导入：新增%(created)d项，修改%(updated)d项，未变%(unchanged)d项")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("indicators:crosscity")


@login_required
@require_POST
def discard(request, pk: int):
    """Drop a list under review."""
    batch = _batch(request, pk)
    try:
        crosscity.discard_import(batch, by=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:crosscity")
