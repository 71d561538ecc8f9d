"""Scorecard pages: thin views that ask accounts.rules and call ``scorecards``.

A published scorecard, its Word and its PDF are public (no login); drafts are read by those who
read indicators and changed by the office.
"""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.accounts.views import require
from luoshi.indicators import page_versions, scorecards
from luoshi.indicators.core import scorecard as core
from luoshi.indicators.models import Entity, Scorecard
from luoshi.indicators.services import IndicatorError
from luoshi.ledger import pagecache
from luoshi.web import storage
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id


@login_required
def scorecard_list(request):
    """Drafts and published scorecards; the office drafts a new one for an entity and a period."""
    require(request, "indicator.view")
    can_edit = can(request.user, "scorecard.edit")
    if request.method == "POST":
        require(request, "scorecard.edit")
        entity = Entity.objects.filter(pk=parse_id(request.POST.get("entity")), active=True).first()
        if entity is None:
            messages.error(request, _("请选择统计对象"))
            return redirect("indicators:scorecards")
        try:
            row = scorecards.draft(
                entity,
                request.POST.get("period", ""),
                request.POST.get("title", ""),
                by=request.user,
                issuer=request.POST.get("issuer", ""),
            )
        except IndicatorError as exc:
            messages.error(request, str(exc))
            return redirect("indicators:scorecards")
        audit.record("scorecard_draft", request, detail=f"scorecard {row.pk} {row.period}")
        return redirect("indicators:scorecard", pk=row.pk)
    return render(
        request,
        "indicators/scorecards.html",
        {
            "rows": Scorecard.objects.select_related("entity").defer("content")[:100],
            "entities": Entity.objects.filter(active=True) if can_edit else [],
            "can_edit": can_edit,
        },
    )


def _row(request, pk: int, action: str = "scorecard.view") -> Scorecard:
    row = get_object_or_404(Scorecard.objects.select_related("entity"), pk=pk)
    require(request, action, row)
    return row


def _visitor_on_draft(request, pk: int):
    """A login redirect for a visitor who opens a draft (published ones are public), else None."""
    if request.user.is_authenticated or Scorecard.objects.filter(pk=pk, state="published").exists():
        return None
    return redirect_to_login(request.get_full_path())


def scorecard(request, pk: int):
    """One scorecard: each keyword with its headline, paragraph and figures; the office edits the
    wording and targets of a draft here."""
    if login := _visitor_on_draft(request, pk):
        return login
    # Everything on the page changes only with the scorecard, and each change is a row (publishing
    # too, which opens it to everyone): whole pages are kept per user under the newest, so a page
    # served from the cache was built, and allowed, for this user at this very version. The
    # keywords, tables and edit fields are kept for everyone (built through ``sections`` and
    # ``chart`` only on a miss).
    version = page_versions.scorecard_version(pk)
    return pagecache.cached_page(request, "scorecard", version, lambda: _scorecard_page(request, pk, version))


def _scorecard_page(request, pk: int, version: str, kept=None, status: int = 200):
    """The page; ``kept``, a refused edit's fields, is shown in the edit form in place of the card's."""
    row = _row(request, pk)
    card = row.card()
    if kept:
        _overlay(card, kept)
    staff = can(request.user, "indicator.view")
    return render(
        request,
        "indicators/scorecard.html",
        {
            "row": row,
            "card": card,
            "version": version,
            "issuing": core.issuing_line(card),
            "sections": cache(lambda: _sections(card, kept)),
            "chart": cache(lambda: _chart(card)),
            "basis": core.BASIS,
            "header": core.TABLE_HEADER,
            "can_edit": can(request.user, "scorecard.edit", row),
            "changes": row.changes.select_related("by")[:50] if staff else [],
            "kept": bool(kept),
        },
        status=status,
    )


def _overlay(card: core.Scorecard, kept) -> None:
    """The wording as typed in a refused edit (the figures stay as stored)."""
    card.title = kept.get("title", card.title)
    card.intro = kept.get("intro", card.intro)
    for i, s in enumerate(card.sections):
        for field in ("keyword", "headline", "text"):
            setattr(s, field, kept.get(f"{field}-{i}", getattr(s, field)))


def _sections(card: core.Scorecard, kept=None) -> list[dict]:
    """Each keyword with its rows: (line, its table cells, the text of its target field, as typed
    in a refused edit or else the target stored)."""
    kept = kept or {}

    def target(line: core.Line) -> str:
        stored = "" if line.target is None else floatformat(line.target, "-4")
        return kept.get(f"target-{line.indicator_id}", stored)

    return [
        {
            "index": i,
            "number": i + 1,
            "section": s,
            "rows": [(line, core.table_row(line), target(line)) for line in s.lines],
        }
        for i, s in enumerate(card.sections)
    ]


def _chart(card: core.Scorecard) -> dict:
    lines = list(card.lines())
    return {
        "names": [line.name for line in lines],
        "growth": [None if line.growth is None else round(line.growth, 1) for line in lines],
        "share": [None if line.share is None else round(line.share, 1) for line in lines],
    }


@login_required
@require_POST
def scorecard_edit(request, pk: int):
    row = _row(request, pk, "scorecard.edit")
    try:
        changed = scorecards.edit(row, request.POST, by=request.user)
    except IndicatorError as exc:
        # Shown again as typed: a mistyped target does not cost the wording of every keyword.
        messages.error(request, str(exc))
        version = page_versions.scorecard_version(pk)
        return _scorecard_page(request, pk, version, kept=request.POST, status=400)
    else:
        messages.success(request, _("已保存%(n)d处修改") % {"n": changed} if changed else _("没有修改"))
    return redirect("indicators:scorecard", pk=row.pk)


@login_required
@require_POST
def scorecard_refresh(request, pk: int):
    row = _row(request, pk, "scorecard.edit")
    try:
        scorecards.refresh(row, by=request.user)
        messages.success(request, _("已按目前掌握的数据更新，文字和目标保留"))
    except IndicatorError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:scorecard", pk=row.pk)


@login_required
@require_POST
def scorecard_publish(request, pk: int):
    row = _row(request, pk, "scorecard.edit")
    try:
        row = scorecards.publish(row, by=request.user)
    except IndicatorError as exc:
        messages.error(request, str(exc))
    else:
        audit.record("scorecard_publish", request, detail=f"scorecard {row.pk} {row.period}")
        messages.success(request, _("成绩单已发布"))
    return redirect("indicators:scorecard", pk=row.pk)


def scorecard_file(request, pk: int, fmt: str):
    """Word or PDF: the stored file of a published scorecard, a fresh rendering of a draft."""
    if login := _visitor_on_draft(request, pk):
        return login
    row = _row(request, pk)
    if fmt not in scorecards.FORMATS:
        raise Http404
    if row.published:
        try:
            data = storage.read_bytes(getattr(row, fmt))  # an unreachable store: 503 (web.storage)
        except FileNotFoundError:
            raise Http404 from None
    else:
        audit.record("download", request, detail=f"scorecard {row.pk} draft {row.period}.{fmt}")
        try:
            data = scorecards.render(row.card(), fmt)
        except IndicatorError as exc:
            messages.error(request, str(exc))
            return redirect("indicators:scorecard", pk=row.pk)
    return download(data, scorecards.file_name(row, fmt))


def public_scorecards(request):
    """The published scorecards, for everyone."""
    return render(request, "indicators/public_scorecards.html", {"rows": scorecards.published()})
