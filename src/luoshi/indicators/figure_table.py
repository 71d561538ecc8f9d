"""An indicator's figure table on its page, built once per version of the figures.

The table and its chart data are rendered from a Jinja2 template and kept in the shared cache
under the indicator, the figures' version stamp (``page_versions.figures_version``), the moment
of the latest figure they hold and the language, so a page with 50 entities over 120 periods
costs its database read and its 6,000 cells once per recorded change, not once per request. The
days between two recordings share one table, and the days after the latest share today's. The
latest records below it are kept likewise.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from markupsafe import Markup

from luoshi.indicators.known_figures import known_grid
from luoshi.indicators.models import Indicator, Observation, end_of
from luoshi.supervision.periods import parse_period

# As long as a whole page: on PostgreSQL an import that took its ids before another one's and
# commits after it leaves the newest id unchanged, so a table built in between is stale until the
# next figure or this long at most.
FRAGMENT_SECONDS = 5 * 60
NO_FIGURE = "—"
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Figures:
    """The rendered table and chart data; ``any`` is False when nothing was known on the day."""

    html: SafeString
    any: bool


def figure_text(value: float) -> str:
    """``value`` as Django's ``floatformat:"-2"`` writes it (a whole number without decimals, else
    two, rounded half up), without its per-call cost of localisation: 30 µs a cell."""
    text = repr(value)
    whole, dot, decimals = text.partition(".")
    # Most figures have one or two decimals as written: nothing to round, and their text is read
    # off repr() alone (half the cost of comparing with int() first, for 6,000 cells a table).
    if dot and decimals.isdigit():
        if len(decimals) == 2:
            return text
        if len(decimals) == 1:
            return text + "0" if decimals != "0" else str(int(value))  # -0.0 is 0
    if value == int(value):
        return str(int(value))
    rounded = Decimal(text).quantize(_CENT, ROUND_HALF_UP)
    return str(rounded if rounded else Decimal("0.00"))  # -0.001 is 0.00, not -0.00


# Below this a figure with two decimals is a whole number of hundredths well inside a double's
# 15 exact digits, so printf's "%.2f" writes what repr() wrote.
_PRINTF_EXACT = 1e13


def figure_texts(values: np.ndarray) -> np.ndarray:
    """``figure_text`` of every value, ``NO_FIGURE`` for NaN, in the array's shape: formatted by
    one printf call over the whole table (a 6,000-cell table cost 6 ms a value at a time), each
    value whose text printf would not write as ``figure_text`` does given to ``figure_text``."""
    texts = np.full(values.shape, NO_FIGURE, dtype=object)
    known = ~np.isnan(values)
    figures = values[known]
    whole = np.floor(figures) == figures
    # A whole number printed as one ("%d" writes -0.0 as 0, as figure_text does). Not NUL between
    # them: numpy's fixed-width strings drop it at the end.
    spec = "".join(np.where(whole, "%d|", "%.2f|").tolist())
    written = (spec % tuple(figures.tolist())).split("|")[:-1]
    for i in np.flatnonzero(~_written_exactly(figures)).tolist():
        written[i] = figure_text(float(figures[i]))
    texts[known] = written
    return texts


def _written_exactly(values: np.ndarray) -> np.ndarray:
    """Which of ``values`` ``figure_texts`` writes as printf did, digit for digit the figure: the
    whole numbers, and whole hundredths below ``_PRINTF_EXACT`` (False for NaN)."""
    with np.errstate(invalid="ignore"):
        whole = np.floor(values) == values
        hundredths = (np.round(values * 100) / 100 == values) & (np.abs(values) < _PRINTF_EXACT)
    return whole | hundredths


def chart_data(
    element_id: str, periods: list[str], names: list[str], values: np.ndarray, texts: np.ndarray | None = None
) -> str:
    """``json_script`` of ``{"periods": …, "series": [{"name": …, "data": […]}, …]}``, one series a
    row of ``values`` (NaN as null), the figures written by one printf call: the JSON encoder took
    as long again as the table. Python's JSON writes a float as its repr, as "%r" does.

    ``texts``, the table's ``figure_texts`` of the same values, are reused for the figures they
    write exactly (a JSON reader takes 1.50 as 1.5): repr cost more than the table's whole text."""
    tokens = np.full(values.shape, "null", dtype=object)
    known = ~np.isnan(values)
    if texts is None:
        rest = known
    else:
        exact = _written_exactly(values)
        tokens[exact] = texts[exact]
        rest = known & ~exact
    tokens[rest] = ("%r|" * int(rest.sum()) % tuple(values[rest].tolist())).split("|")[:-1]
    series = ", ".join(
        f'{{"name": {_json(name)}, "data": [{", ".join(row)}]}}'
        for name, row in zip(names, tokens.tolist(), strict=True)
    )
    data = f'{{"periods": {_json(periods)}, "series": [{series}]}}'
    return f'<script id="{escape(element_id)}" type="application/json">{data}</script>'


# As django.utils.html.json_script escapes its text; figures hold none of these characters.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json(value) -> str:
    return json.dumps(value).translate(_JSON_SCRIPT_ESCAPES)


def _store():
    """The shared cache (files, or Redis with ``LUOSHI_CACHE_URL``): a table built by one process
    serves the others, and the key's version keeps every process from reading an old one."""
    return cache


def figures(indicator: Indicator, on: dt.date | None, version: str) -> Figures:
    """The figure table of ``indicator`` as known at the end of ``on`` (now when None), from the
    fragment cache when this version was built before."""
    store = _store()
    moment = "now" if on is None else _moment_known(indicator, on, version)
    key = f"indicator-figures:{indicator.pk}:{version}:{moment}:{get_language()}"
    stored = store.get(key)
    if stored is None:
        known = known_grid(indicator.pk, on)
        html = ""
        if known.periods:
            labels = [parse_period(p).label for p in known.periods]
            texts = figure_texts(known.values)
            html = render_to_string(
                "indicators/indicator_figures.html",
                {
                    "labels": labels,
                    # A row's cells joined here, not escaped one by one in the template: they
                    # are figures this module wrote (digits, sign, point) or the dash. No class
                    # a cell: site.css aligns the table's cells, and 6,000 of them made a third
                    # of the page.
                    "rows": [
                        (entity, Markup("</td><td>".join(cells)))
                        for entity, cells in zip(known.entities, texts.tolist(), strict=True)
                    ],
                    "chart": Markup(
                        chart_data("indicator-data", labels, known.entities, known.values, texts)
                    ),
                },
                using="jinja2",
            )
        stored = (html, bool(known.periods))
        store.set(key, stored, FRAGMENT_SECONDS)
    # Autoescaped by the Jinja2 backend; marked safe so the page's template does not escape it twice.
    return Figures(mark_safe(stored[0]), stored[1])


def _moment_known(indicator: Indicator, on: dt.date, version: str) -> str:
    """Which table "as known at the end of ``on``" is: the figures recorded by then are those
    recorded by the latest of them, so every day up to the next recording shares its table, and
    a day by which every figure was recorded shares today's ("now"), a day before the first has
    "none" and any other day that latest moment (microseconds since 1970)."""
    moments = _moments(indicator, version)
    at = int(np.searchsorted(moments, _micros(end_of(on)), side="right"))
    if at == len(moments):
        return "now"
    if at == 0:
        return "none"
    return str(moments[at - 1])


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _moments(indicator: Indicator, version: str) -> np.ndarray:
    """The moments the indicator's figures were recorded at, ascending, in microseconds since
    1970 (UTC), kept under the figures' version (a figure recorded later, or with an earlier
    moment, changes it): a past day finds its moment here, not by reading the vintage index."""
    store = _store()
    key = f"indicator-moments:{indicator.pk}:{version}"
    moments = store.get(key)
    if moments is None:
        recorded = Observation.objects.filter(indicator=indicator).values_list("recorded_at", flat=True)
        moments = np.array(sorted({_micros(at) for at in recorded.order_by().distinct()}), dtype=np.int64)
        store.set(key, moments, FRAGMENT_SECONDS)
    return moments


RECENT = 20


def recent(indicator: Indicator, version: str, scope: str) -> SafeString:
    """The indicator's latest records (any ?on= day shows the same): kept under the figures'
    version and ``scope``, the users' stamp (a renamed user renews it)."""
    store = _store()
    key = f"indicator-recent:{indicator.pk}:{version}:{scope}:{get_language()}"
    html = store.get(key)
    if html is None:
        when = gettext("Y年n月j日 H:i")
        # Values, not instances: twenty observations with their entity and user built as models
        # cost more than the query.
        by = f"recorded_by__{get_user_model().USERNAME_FIELD}"
        rows = [
            {
                "at": dateformat.format(timezone.localtime(at), when),
                "entity": entity,
                "period": period,
                "value": figure_text(value),
                "source": source,
                "note": note,
                "by": NO_FIGURE if username is None else username,
            }
            for at, entity, period, value, source, note, username in Observation.objects.filter(
                pk__in=_latest_ids(indicator)
            )
            .order_by("-recorded_at", "-id")
            .values_list("recorded_at", "entity__name", "period", "value", "source", "note", by)
        ]
        html = render_to_string("indicators/indicator_recent.html", {"rows": rows}, using="jinja2")
        store.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)


def _latest_ids(indicator: Indicator) -> list[int]:
    """The ids of the indicator's ``RECENT`` latest records, read from the vintage index alone (it
    holds the moment and the id): sorting the rows themselves, with their entity and user joined,
    read every figure the indicator has."""
    return list(
        Observation.objects.filter(indicator=indicator)
        .order_by("-recorded_at", "-id")
        .values_list("pk", flat=True)[:RECENT]
    )
