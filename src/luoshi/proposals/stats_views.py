"""Proposal statistics: the page, the Excel figures and the statistics bulletin (Word, PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from luoshi.accounts import audit
from luoshi.accounts.rules import proposal_stats_in_scope
from luoshi.accounts.views import require
from luoshi.bulletins.pdf_render import FontNotFound
from luoshi.proposals import reports
from luoshi.proposals import statistics as st
from luoshi.web import clock
from luoshi.web.downloads import download


def _scope(request):
    """The proposals the user's statistics count, narrowed to ?session= when it names one of them."""
    rows = proposal_stats_in_scope(request.user)
    sessions = sorted(set(rows.order_by().values_list("session", flat=True).distinct()))
    session = request.GET.get("session", "").strip()[:40]
    if session not in sessions:
        session = ""
    return (rows.filter(session=session) if session else rows), session, sessions


@login_required
def statistics(request):
    """On-time reply rate, 办复率, satisfaction, A/B/C shares and re-handled cases by unit and session."""
    require(request, "proposal.stats")
    rows, session, sessions = _scope(request)
    s = reports.compute(rows)
    table = lambda figures: [[st.shown(v) for v in st.row(f)] for f in figures]  # noqa: E731
    return render(
        request,
        "proposals/statistics.html",
        {
            "session": session,
            "sessions": sessions,
            "summary": st.summary(s, f"{session}会议" if session else _("各届次")),
            "header": st.HEADER,
            "by_unit": table(s.by_unit),
            "by_session": table(s.by_session),
            "total": table([s.total])[0],
            "definitions": st.DEFINITIONS,
            "board_header": st.BOARD_HEADER,
            "board": [st.board_row(f) for f in (*s.by_unit, s.total)],
            "board_by_session": [st.board_row(f) for f in s.by_session],
            "board_note": st.BOARD_NOTE,
        },
    )


@login_required
def export(request, fmt: str):
    """The statistics as Excel figures or as a bulletin in Word or PDF."""
    require(request, "proposal.stats")
    rows, session, _sessions = _scope(request)
    s = reports.compute(rows)
    on = clock.today()
    if fmt == "pdf":
        try:
            data = reports.pdf(s, session, on)
        except FontNotFound as e:
            return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    else:
        data = getattr(reports, fmt)(s, session, on)
    audit.record("download", request, detail=f"proposal statistics {session or 'all'}.{fmt}")
    return download(data, f"proposal-statistics-{on:%Y%m%d}.{fmt}")
