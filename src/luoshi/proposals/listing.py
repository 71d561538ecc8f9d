"""The proposal list: its filters, one page read in a fixed number of queries, and its rows as HTML.

The list is the busiest proposal page. A page is read as plain values (no model instances), the
units of all its rows in one more query, and its table body is joined here rather than in a
template loop, which cost more than the queries did (a lookup, a filter and a translation per
cell); so are the filters' options (sixty units each looked up, compared and filtered in the
template cost as much as the rows). Every value from the database goes through ``escape``
(MarkupSafe's, in C: Django's checks each argument for lazy strings first, a tenth of the page's
time). The filters' choices (sessions, units) depend only on the data, so each process keeps them
per user and data version.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from markupsafe import escape

from luoshi.ledger import fragments
from luoshi.ledger.models import Unit
from luoshi.ledger.queries import Page
from luoshi.proposals import handling as h
from luoshi.proposals.models import AssignedUnit, State
from luoshi.supervision.reporting_calendar import add_working_days
from luoshi.web.ids import parse_id
from luoshi.web.lru import LRU

PAGE_SIZE = 50
# Far above any real count: the list says 共 N 件 exactly, but counts at most this many rows.
COUNT_CAP = 1_000_000
# The states in which a reply is owed: a reply deadline passed in one of them is a red light.
OWING = ("assigned", "communicated", "adjusting", "rehandling")
# Translated where shown; marked here so the catalog keeps them.
LIGHTS = {"red": gettext_noop("逾期"), "yellow": gettext_noop("临近"), "green": gettext_noop("正常")}
FILTERS = ("session", "state", "kind", "unit", "light", "q")
COLUMNS = ("id", "session", "number", "key", "title", "proposer", "reply_due", "state", "assignment_id")


def read_filters(query) -> dict[str, str]:
    """The list's filters from a query string, trimmed and bounded."""
    return {k: str(query.get(k, "")).strip()[:100] for k in FILTERS}


def filtered(rows, f: dict[str, str], today: dt.date):
    """`rows` narrowed by the list's filters (session, state, kind, unit id, light, words), and the
    last day a reply deadline lights yellow; the pages and the API filter alike."""
    if f.get("session"):
        rows = rows.filter(session=f["session"])
    if f.get("state") in State.values:
        rows = rows.filter(state=f["state"])
    if f.get("kind") in ("proposal", "suggestion"):
        rows = rows.filter(kind=f["kind"])
    unit = parse_id(str(f.get("unit") or ""))
    if unit:
        rows = rows.filter(assignment__in=AssignedUnit.objects.filter(unit_id=unit).values("assignment_id"))
    warn_until = add_working_days(today, h.Rules().warn_days)[0]
    owing = Q(state__in=OWING, reply_due__isnull=False)
    if f.get("light") == "red":
        rows = rows.filter(owing, reply_due__lt=today)
    elif f.get("light") == "yellow":
        rows = rows.filter(owing, reply_due__gte=today, reply_due__lte=warn_until)
    if f.get("q"):
        rows = rows.filter(
            Q(title__icontains=f["q"]) | Q(number__icontains=f["q"]) | Q(proposer__icontains=f["q"])
        )
    return rows, warn_until


def light(state: str, reply_due: dt.date | None, today: dt.date, warn_until: dt.date) -> str:
    """The list's light, from the reply deadline alone (the detail page weighs everything owed)."""
    if state not in OWING or reply_due is None:
        return ""
    if reply_due < today:
        return "red"
    return "yellow" if reply_due <= warn_until else "green"


def page(rows, number, count_key=None) -> Page:
    """One page of `rows` in the list's order, as named tuples of ``COLUMNS``: one query for the
    rows and, when there is a next page, one bounded count (remembered under ``count_key``)."""
    values = rows.order_by("session", "number_key", "id").values_list(*COLUMNS, named=True)
    # Counted by id alone: the count then reads the list's index, not every matching row.
    return Page(values, number, PAGE_SIZE, COUNT_CAP, count_key, counted=rows.values("id"))


def units_of(assignment_ids, ledger_version: int) -> dict[int, tuple[list[str], list[str]]]:
    """The 主办 and 会办 unit names of each assignment, in their order: one plain query for the
    links (compiling the ORM's join cost more than running it) and the names this process keeps
    per ledger version (a unit renamed writes a history row)."""
    out: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    ids = [a for a in assignment_ids if a]
    if not ids:
        return out
    sql = (
        f"SELECT assignment_id, role, unit_id FROM {connection.ops.quote_name(AssignedUnit._meta.db_table)} "
        f"WHERE assignment_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY assignment_id, role, position"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        links = cursor.fetchall()
    names = fragments.names_by_id(ledger_version, {unit for _a, _r, unit in links})
    for aid, role, unit in links:
        out[aid][0 if role == "lead" else 1].append(names[unit])
    return out


def rows_html(rows, today: dt.date, warn_until: dt.date, ledger_version: int) -> SafeString:
    """The table body of one page: light, 届次, 案号, 案由 (linked), 提案人, 主办, 会办, deadline, state."""
    units = units_of((r.assignment_id for r in rows), ledger_version)
    states = {v: escape(label) for v, label in State.choices}
    lights = {k: escape(_(v)) for k, v in LIGHTS.items()}
    key_flag = f' <span class="flag">{escape(_("重点"))}</span>'
    base = reverse("proposals:list")
    out = []
    for r in rows:
        shade = light(r.state, r.reply_due, today, warn_until)
        mark = f'<b class="light-{shade}" title="{shade}">●</b> {lights[shade]}' if shade else ""
        leads, supports = units.get(r.assignment_id, ((), ()))
        due = f"{r.reply_due.year}年{r.reply_due.month}月{r.reply_due.day}日" if r.reply_due else ""
        out.append(
            f"<tr><td>{mark}</td><td>{escape(r.session)}</td>"
            f"<td>{escape(r.number)}{key_flag if r.key else ''}</td>"
            f'<td><a href="{base}{r.id}/">{escape(r.title)}</a></td><td>{escape(r.proposer)}</td>'
            f"<td>{escape('、'.join(leads))}</td><td>{escape('、'.join(supports))}</td>"
            f"<td>{due}</td><td>{states.get(r.state, escape(r.state))}</td></tr>"
        )
    return mark_safe("\n".join(out))


def options(choices, selected: str) -> SafeString:
    """The ``<option>`` elements of (value, label) pairs, the one whose value is ``selected`` selected."""
    out = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == selected else ""
        out.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
    return mark_safe("".join(out))


_choices = LRU(512)


def _cached(key: tuple, build):
    value = _choices.get(key)
    if value is None:
        value = build()
        _choices.put(key, value)
    return value


def session_choices(scope, key: tuple) -> list[str]:
    """The sessions of the proposals in `scope`; `key` names the user's scope and the data version."""
    return _cached(
        ("sessions", *key),
        lambda: sorted(scope.order_by().values_list("session", flat=True).distinct()),
    )


def unit_choices(scope, key: tuple) -> list[tuple[int, str]]:
    """(id, name with city) of the units assigned any proposal in `scope`, by name."""

    def build():
        # One indexed probe per unit that stops at its first assignment in scope, rather than a
        # scan of every assignment of every proposal (the list's cost grew with the proposals).
        used = AssignedUnit.objects.filter(unit=OuterRef("pk"), assignment__proposal__in=scope)
        units = Unit.objects.filter(Exists(used)).select_related("city").order_by("name")
        return [(u.pk, u.with_city) for u in units]

    return _cached(("units", *key), build)


def clear_cache() -> None:
    """Forget the choices kept (tests start each database over, version numbers with it)."""
    _choices.clear()
