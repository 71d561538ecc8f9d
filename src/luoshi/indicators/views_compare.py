"""The city comparison page of an indicator and its Excel workbook: thin views over
``comparison``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markupsafe import Markup

from luoshi.accounts import audit
from luoshi.accounts.views import require
from luoshi.indicators import comparison, page_versions
from luoshi.indicators.comparison import ComparisonError
from luoshi.indicators.figure_table import FRAGMENT_SECONDS
from luoshi.indicators.models import Entity, Indicator, Level
from luoshi.indicators.views import _on, exists_or_404
from luoshi.ledger import pagecache
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id


def _chosen(request, row: Indicator) -> tuple[list[Entity], str]:
    """The entities asked for by ?entities=, or none and the reason when they cannot be compared."""
    raw = request.GET.getlist("entities")
    try:
        return comparison.choose(row, raw), ""
    except ComparisonError as exc:
        # Opening the page without a choice is not an error: the picker says what to do.
        return [], str(exc) if raw else ""


@login_required
def compare(request, pk: int):
    """Two or more cities on one indicator as known on ?on=: levels, growth, gap and ratio,
    co-movement of growth rates and σ-convergence, with a picker for the cities."""
    exists_or_404(pk)
    # The rule reads no field of the indicator (the role decides) and a refusal's audit row
    # names its id, so an instance holding only the id serves.
    require(request, "indicator.view", Indicator(pk=pk))
    on = _on(request)
    # Kept whole per user like the indicator page, under the figures' version (a figure recorded,
    # an entity changed or an indicator edited: the picker and the tables both follow); the
    # cities and ?on= are in the URL, so each choice is its own page.
    version = page_versions.figures_version()
    return pagecache.cached_page(
        request,
        "compare",
        version,
        lambda: _compare_page(request, get_object_or_404(Indicator, pk=pk), on, version),
    )


def _compare_page(request, row: Indicator, on, version: str):
    chosen, problem = _chosen(request, row)
    result = comparison.compare(row, chosen, on) if chosen else None
    # Ids and names: fifty entities built as models cost a tenth of the page.
    offered = list(
        Entity.objects.filter(kind=row.level, active=True).order_by("name").values_list("pk", "name")
    )
    picked = {e.pk for e in chosen}
    # An inactive entity asked for by id is still compared (it keeps its figures); show it ticked.
    offered += [(e.pk, e.name) for e in chosen if not e.active]
    return render(
        request,
        "indicators/compare.html",
        {
            "indicator": row,
            "on": on,
            "offered": _cities(offered, picked),
            "chosen": chosen,
            "problem": problem,
            "result": result,
            "tables": _tables(result) if result is not None and result.any else None,
            "query": request.GET.urlencode() if chosen else "",
            "options": _options(row, version),
        },
    )


def _cities(offered: list[tuple[int, str]], picked: set[int]) -> SafeString:
    """The checkboxes of the cities to compare, those in ``picked`` ticked, rendered (Jinja2)."""
    html = render_to_string(
        "indicators/compare_cities.html",
        {"offered": [(pk, name, pk in picked) for pk, name in offered]},
        using="jinja2",
    )
    return mark_safe(html)


def _tables(result: comparison.Comparison) -> SafeString:
    """The comparison's tables, chart data and verdict, rendered (Jinja2)."""
    html = render_to_string(
        "indicators/compare_tables.html",
        {
            "names": result.names,
            "table": _table(result),
            "verdict": result.verdict(),
            "chart": json_script(result.chart(), "compare-data"),
        },
        using="jinja2",
    )
    # Autoescaped by the Jinja2 backend; marked safe so the page's template does not escape it twice.
    return mark_safe(html)


def _options(current: Indicator, version: str) -> SafeString:
    """The picker's indicators by area and name, ``current`` selected. Every comparison page has
    the same 500 options but one: they are rendered (Jinja2) once per version of the figures (an
    indicator added or edited renews it) and language, kept in the shared cache, and the current
    one is marked in the kept text."""
    key = f"compare-options:{version}:{get_language()}"
    html = cache.get(key)
    if html is None:
        levels = {value: str(label) for value, label in Level.choices}
        rows = Indicator.objects.order_by("area", "name").values_list("pk", "area", "name", "level")
        html = render_to_string(
            "indicators/compare_options.html",
            {"options": [(pk, area, name, levels.get(level, level)) for pk, area, name, level in rows]},
            using="jinja2",
        )
        cache.set(key, html, FRAGMENT_SECONDS)
    plain = f'<option value="{current.pk}">'
    return mark_safe(html.replace(plain, f'<option value="{current.pk}" selected>', 1))


def _cells(figures: list[str]) -> Markup:
    """A row's cells joined once: ``comparison.numbers`` writes only digits, sign, point or the
    dash, so nothing in them needs escaping one by one."""
    return Markup('</td><td class="num">'.join(figures))


def _table(result: comparison.Comparison) -> dict:
    """The page's tables, every figure formatted, each table's figures in one call."""
    n = comparison.numbers
    period_labels = comparison.labels(result.periods)
    return {
        "levels": list(zip(period_labels, _rows(n(result.levels), len(result.names)), strict=True)),
        "growth": list(zip(period_labels, _rows(n(result.growth), len(result.names)), strict=True)),
        "spread": list(zip(period_labels, n(result.gap), n(result.ratio, 3), strict=True)),
        "co_movement": list(
            zip(result.names, _rows(n(result.co_movement, 3), len(result.names)), strict=True)
        ),
        "cv": list(zip(comparison.labels(result.cv_periods), n(result.cv, 4), strict=True)),
        "slope": comparison.number(result.slope, 4),
    }


def _rows(figures: list[str], width: int) -> list[Markup]:
    """The cells of a table written row after row, ``width`` a row, joined row by row."""
    return [_cells(figures[i : i + width]) for i in range(0, len(figures), width)]


@login_required
def compare_xlsx(request, pk: int):
    """Every table behind the comparison's charts, one sheet each, as known on ?on=."""
    row = get_object_or_404(Indicator, pk=pk)
    require(request, "indicator.view", row)
    on = _on(request)
    try:
        chosen = comparison.choose(row, request.GET.getlist("entities"))
    except ComparisonError as exc:
        raise BadRequest(str(exc)) from None
    audit.record(
        "download", request, detail=f"indicator {row.pk} comparison {[e.pk for e in chosen]} on {on or 'now'}"
    )
    data = comparison.workbook(row, comparison.compare(row, chosen, on), on or timezone.localdate())
    return download(data, f"indicator-{row.pk}-compare.xlsx")


def _indicators():
    """Every indicator for the picker, by area and name (names and levels only)."""
    return Indicator.objects.order_by("area", "name").only("pk", "name", "area", "level")


@login_required
def pick(request):
    """Choose the indicator to compare cities on; with ?indicator=N, go to its comparison, keeping
    the cities and the day chosen."""
    require(request, "indicator.view")
    raw = request.GET.get("indicator", "")
    on = _on(request)
    problem = ""
    if raw:
        pk = parse_id(raw)
        row = Indicator.objects.filter(pk=pk).first() if pk else None
        if row is not None:
            keep = QueryDict(mutable=True)
            # One more than is ever read, so the comparison still says there are too many.
            keep.setlist("entities", request.GET.getlist("entities")[: comparison.MAX_RAW + 1])
            if on:
                keep["on"] = on.isoformat()
            url = reverse("indicators:compare", args=[row.pk])
            return redirect(f"{url}?{keep.urlencode()}" if keep else url)
        problem = _("所选指标不存在")
    return render(
        request,
        "indicators/compare_pick.html",
        {"indicators": _indicators(), "problem": problem, "on": on},
    )
