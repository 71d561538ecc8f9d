"""HTML fragments of the ledger and task pages built in Python.

Template loops cost more than the database does on these pages (a variable lookup, a filter
and a ``get_FOO_display`` per cell), so the long lists are joined here instead. Every value
that comes from the database or from a user goes through ``escape``/``format_html``.

The unit and city option lists depend only on the data, so each process keeps them, keyed
by the ledger's version (see ``views.ledger_version``): any change through the services
renews them on the next request, and a unit or city saved in this process drops them at once.
"""

from __future__ import annotations

import html
import threading

from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from luoshi.ledger.models import City, Status, Unit
from luoshi.ledger.target_text import figure_text

_lock = threading.Lock()
_options_cache: dict[tuple, object] = {}


def _cached(key: tuple, version: int, build, fresh: bool = False):
    """``build()`` once per process and ledger version (older versions are dropped); ``fresh``
    builds it again."""
    full = (*key, version)
    value = None if fresh else _options_cache.get(full)
    if value is None:
        value = build()
        with _lock:
            for old in [k for k in _options_cache if k[:-1] == key and k[-1] != version]:
                del _options_cache[old]
            _options_cache[full] = value
    return value


def clear_cache(**_kwargs) -> None:
    with _lock:
        _options_cache.clear()


def connect() -> None:
    """Drop this process's lists when a unit or a city is saved or deleted here (the admin pages,
    the shell), even before the change is in the history."""
    from django.db.models.signals import post_delete, post_save

    for model in (Unit, City):
        post_save.connect(clear_cache, sender=model, dispatch_uid=f"fragments-save-{model.__name__}")
        post_delete.connect(clear_cache, sender=model, dispatch_uid=f"fragments-delete-{model.__name__}")


def _e(value) -> str:
    """``escape`` without its lazy-string wrapper, which costs more than the escaping: these
    fragments escape hundreds of values a page."""
    return html.escape(str(value))


def _plain_options(rows) -> str:
    return "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in rows)


def select(markup: str, values) -> str:
    """Mark the options whose value is in ``values`` as selected in ``markup`` (from ``_plain_options``)."""
    for v in values:
        if v is None or v == "":
            continue
        plain = f'<option value="{_e(v)}">'
        markup = markup.replace(plain, plain[:-1] + " selected>", 1)
    return mark_safe(markup)


def options(choices, selected=None, blank: bool = True) -> str:
    """``<option>`` elements for ``choices`` (value, label), ``selected`` marked."""
    rows = [("", "—")] if blank else []
    rows += [(str(v), str(label)) for v, label in choices]
    selected = "" if selected is None else str(selected)
    return mark_safe(
        "".join(
            f'<option value="{_e(v)}"{" selected" if v == selected else ""}>{_e(label)}</option>'
            for v, label in rows
        )
    )


def unit_options(version: int, selected=None) -> str:
    """Every unit, by name, each with its city (namesakes in several cities), with a blank first
    option: the ledger's unit filter."""

    def build() -> str:
        rows = Unit.objects.order_by("name", "city__name").values_list("id", "name", "city__name")
        labelled = [(pk, f"{name}（{city}）" if city else name) for pk, name, city in rows]
        return '<option value="">—</option>' + _plain_options(labelled)

    html = _cached(("units",), version, build)
    return select(html, [] if selected is None else [str(selected)])


def city_options(version: int, selected=None) -> str:
    html = _cached(
        ("cities",),
        version,
        lambda: '<option value="">—</option>' + _plain_options(City.objects.values_list("id", "name")),
    )
    return select(html, [] if selected is None else [str(selected)])


def units_near(version: int, city_id: int | None) -> list[tuple[int, str]]:
    """Units of the city ``city_id`` and national ones, by name (a fresh list: callers may extend it)."""
    from django.db.models import Q

    rows = _cached(
        ("near", city_id),
        version,
        lambda: tuple(
            Unit.objects.filter(Q(city=city_id) | Q(city__isnull=True))
            .order_by("name")
            .values_list("id", "name")
        ),
    )
    return list(rows)


def names_by_id(version: int, ids=()) -> dict[int, str]:
    """Every unit's name by id; read again when one of ``ids`` is not in it yet (a unit made in
    another process since this one read them)."""

    def read() -> dict[int, str]:
        return dict(Unit.objects.values_list("id", "name"))

    names = _cached(("names",), version, read)
    if any(i not in names for i in ids):
        names = _cached(("names",), version, read, fresh=True)
    return names


def near_options(version: int, city_id: int | None, units: list[tuple[int, str]], selected: set[int]) -> str:
    """``<option>`` elements for ``units``: from the per-process cache when they are the city's."""
    if len(units) == len(_options_cache.get(("near", city_id, version), ())):
        html = _cached(("near-html", city_id), version, lambda: _plain_options(units))
        return select(html, [str(pk) for pk in selected])
    return mark_safe(
        "".join(
            f'<option value="{pk}"{" selected" if pk in selected else ""}>{escape(name)}</option>'
            for pk, name in units
        )
    )


def unit_names(assignments) -> str:
    """Unit names joined by 、, each inherited one marked; — when there are none."""
    if not assignments:
        return "—"
    inherited = format_html(' <span class="inherited">{}</span>', _("继承"))
    return mark_safe("、".join(escape(a.unit.name) + (inherited if a.inherited else "") for a in assignments))


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _related(report, name: str):
    """``report.<name>.all()``, or the list ``shown_<name>`` fetched for it beforehand."""
    shown = getattr(report, f"shown_{name}", None)
    return getattr(report, name).all() if shown is None else shown


def reports(request, rows, *, show_people: bool, can_return: bool, flags: dict | None = None) -> str:
    """The task page's list of progress reports, each with its quality flags when ``flags`` has some."""
    if not rows:
        return format_html('<p class="muted">{}</p>', _("尚无报送。"))
    statuses = {value: _e(label) for value, label in Status.choices}
    # Translated outside the f-strings below: makemessages does not look inside them.
    correction, returned = _e(_("更正")), _e(_("已退回"))
    reason, return_button = _e(_("退回理由")), _e(_("退回"))
    corrected = f'<span class="muted">（{correction}）</span>'
    attachment_url = reverse("ledger:attachment", args=[0]).removesuffix("0/")
    return_url = reverse("ledger:report_return", args=[0])
    return_form_end = (
        f'"><input type="hidden" name="csrfmiddlewaretoken" value="{_e(get_token(request))}">'
        f'<input type="text" name="reason" placeholder="{reason}" required> '
        f"<button>{return_button}</button></form>"
        if can_return
        else ""
    )
    out = []
    for r in rows:
        status = _e(r.status)
        parts = [
            f'<div class="card report">\n  <b>{_e(r.period)}</b> v{_e(r.version)} · {_e(r.unit.name)} · '
            f'<span class="status-{status}">{statuses.get(r.status, status)}</span>\n  '
        ]
        if show_people:
            user = r.submitted_by
            parts.append(f"· {_e(user.get_username()) if user is not None else ''} ")
        parts.append(f"· {_when(r.submitted_at)}\n  ")
        if r.supersedes_id:
            parts.append(corrected)
        parts.append("\n  ")
        changes = _related(r, "state_changes")
        parts += [f'<div class="error">{returned}：{_e(s.reason)}</div>' for s in changes]
        parts += [
            f'<div class="flag" data-flag="{_e(f.code)}">⚑ {_e(f.message)}</div>'
            for f in (flags or {}).get(r.pk, ())
        ]
        parts.append(f"\n  <div>{linebreaksbr(r.narrative, autoescape=True)}</div>\n  ")
        for v in _related(r, "values"):
            target = v.target
            parts.append(
                f'<div class="muted">{_e(target.metric or target.display())}：'
                f"{_e(figure_text(v.value, target.unit))}</div>"
            )
        parts.append("\n  ")
        if show_people:
            for a in _related(r, "attachments"):
                parts.append(
                    f'<div><a href="{attachment_url}{a.pk}/">{_e(a.name)}</a> '
                    f'<span class="muted">{_e(filesizeformat(a.size))}</span></div>'
                )
        parts.append("\n  ")
        if can_return and not changes:
            url = return_url.replace("/0/", f"/{r.pk}/")
            parts.append(f'<form method="post" action="{_e(url)}{return_form_end}')
        parts.append("\n</div>")
        out.append("".join(parts))
    return mark_safe("".join(out))


def timeline(changes) -> str:
    """The task's history, newest first."""
    out = []
    for c in changes:
        who = c.who.get_username() if c.who is not None else ""
        before = format_html("<del>{}</del> → ", truncatechars(c.before, 200)) if c.before else ""
        out.append(
            format_html(
                '<li><span class="muted">{} {}</span> {}：{}{}</li>',
                _when(c.at),
                who,
                c.field_label,
                before,
                truncatechars(c.after, 200),
            )
        )
    if not out:
        return format_html('<li class="muted">{}</li>', _("无"))
    return mark_safe("".join(out))
