"""待办: the page of what awaits the signed-in user; the counts it shows feed the header too."""

from __future__ import annotations

from html import escape

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from luoshi.inbox import counts, items
from luoshi.web import clock


def _clip(text: str, n: int) -> str:
    return escape(Truncator(text).chars(n))


def _rows(rows: list[items.Item]) -> str:
    """A section's table body as one string: a unit may owe a hundred reports, and the template
    engine's per-cell lookups and filters cost more than gathering them did."""
    late_text = escape(_("已逾期"))
    late_row, late_cell = ' class="late"', ' class="overdue"'
    out = []
    for i in rows:
        due = f"{i.due:%Y-%m-%d}" if i.due else ""
        if i.late and due:
            due += f" {late_text}"
        out.append(
            f"<tr{late_row if i.late else ''}>"
            f'<td><a href="{escape(i.url)}">{_clip(i.title, 80)}</a></td>'
            f"<td>{_clip(i.where, 30)}</td><td>{_clip(i.detail, 120)}</td>"
            f"<td{late_cell if i.late else ''}>{due}</td></tr>"
        )
    return mark_safe("\n".join(out))


@login_required
def inbox(request):
    today = clock.today()
    sections = items.for_user(request.user, today)
    figures = counts.remember(request.user, today, sections, request)
    profile = getattr(request.user, "profile", None)
    return render(
        request,
        "inbox/inbox.html",
        {
            "sections": [
                (kind, items.SECTIONS[kind], len(rows), _rows(rows)) for kind, rows in sections.items()
            ],
            "figures": figures,
            "unit": getattr(profile, "unit", None) if profile else None,
            "today": today,
            # The header reads the same figures rather than asking the cache again.
            "inbox": figures,
        },
    )
