"""The public page of replies marked 主动公开 (no sign-in)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from luoshi.proposals import public

PER_PAGE = 20


def replies(request):
    """The public replies, newest first, searchable; telephone numbers and the like put out of sight."""
    query = " ".join(public.words_of(request.GET.get("q", "")))
    page = Paginator(public.search(query), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "reply": r,
            "proposal": r.proposal,
            "title": public.redact(r.proposal.title),
            "text": public.redact(r.text),
        }
        for r in page
    ]
    return render(request, "proposals/public.html", {"rows": rows, "page": page, "q": query})
