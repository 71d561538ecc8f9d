"""Indicator pages: thin views that ask accounts.rules and call the services."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.accounts.views import require
from luoshi.indicators import figure_table, page_versions, services
from luoshi.indicators.models import DocumentRead, Entity, ImportBatch, Indicator, ProposedFigure
from luoshi.indicators.services import IndicatorError
from luoshi.ledger import pagecache
from luoshi.ledger.uploads import DOCUMENT_KINDS, UploadRejected, check_upload
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id
from luoshi.web.sqlrows import table

TABLE_KINDS = frozenset({"xlsx", "text"})  # .xlsx, and CSV (sniffed as text)
REVIEW_ROWS = 200  # figures listed on the review page; the rest are counted


def _on(request) -> dt.date | None:
    """?on=YYYY-MM-DD: the figures as known at the end of that day; None (now) when absent."""
    raw = request.GET.get("on", "")
    if not raw:
        return None
    try:
        on = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(_("日期格式应为 YYYY-MM-DD")) from None
    if not dt.date(1900, 1, 1) <= on <= dt.date(2999, 12, 31):
        raise BadRequest(_("日期超出范围"))
    return on


def read_upload(request, kinds: frozenset[str] = TABLE_KINDS) -> tuple[bytes, str]:
    """The posted file's bytes and the name to show, once its kind and size are checked."""
    upload = request.FILES.get("file")
    checked = check_upload(upload, kinds)
    upload.seek(0)
    return upload.read(), checked.display_name


@login_required
def catalogue(request):
    """The indicator catalogue by area, with the template and the table import."""
    require(request, "indicator.view")
    area = request.GET.get("area", "")
    indicators = Indicator.objects.all()
    if area:
        indicators = indicators.filter(area=area)
    return render(
        request,
        "indicators/catalogue.html",
        {
            "indicators": indicators,
            "areas": Indicator.objects.order_by("area").values_list("area", flat=True).distinct(),
            "area": area,
            "can_manage": can(request.user, "indicator.manage"),
            "can_record": can(request.user, "indicator.record"),
            "batches": ImportBatch.objects.filter(uploaded_by=request.user)[:10]
            if can(request.user, "indicator.record")
            else [],
        },
    )


@login_required
def catalogue_xlsx(request):
    """The catalogue as the Excel template (edit it and upload it again)."""
    require(request, "indicator.view")
    audit.record("download", request, detail="indicator catalogue")
    return download(services.export_catalogue(), "indicators.xlsx")


@login_required
@require_POST
def catalogue_upload(request):
    """An edited template: applied whole, or not at all with every problem listed."""
    require(request, "indicator.manage")
    try:
        data, _name = read_upload(request, frozenset({"xlsx"}))
        result = services.import_catalogue(data, by=request.user)
    except (UploadRejected, IndicatorError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("指标目录已更新：新增%(created)d项，修改%(updated)d项，未变%(unchanged)d项")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return redirect("indicators:catalogue")


def exists_or_404(pk: int) -> None:
    """Raise Http404 unless indicator ``pk`` exists.

    A page served from the page cache needs no instance of the indicator, and loading one through
    the ORM cost a fifth of such a request's CPU; this is one written-out query on the key.
    """
    if parse_id(pk) is None:  # past a 64-bit column: no row, and the driver would overflow
        raise Http404("No Indicator matches the given query.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table(Indicator)} WHERE id = %s", [pk])
        if cursor.fetchone() is None:
            raise Http404("No Indicator matches the given query.")


@login_required
def indicator(request, pk: int):
    """One indicator: its definition, its figures by entity and period as known on a day, a chart,
    and the latest revisions."""
    exists_or_404(pk)
    # The rule reads no field of the indicator (the role decides) and a refusal's audit row
    # names its id, so an instance holding only the id serves.
    require(request, "indicator.view", Indicator(pk=pk))
    on = _on(request)
    # Whole pages are kept per user under the figures' version (with ?on= in the URL): a figure
    # recorded, an entity merged or the indicator edited shows on the next request.
    version = page_versions.figures_version()
    return pagecache.cached_page(
        request,
        "indicator",
        version,
        lambda: _indicator_page(request, get_object_or_404(Indicator, pk=pk), on, version),
    )


def _indicator_page(request, row: Indicator, on: dt.date | None, version: str):
    figures = figure_table.figures(row, on, version)
    query = f"?on={on.isoformat()}" if on else ""
    body = render_to_string(
        "indicators/indicator_body.html",
        {
            "indicator": row,
            "on": on,
            "day": dateformat.format(on, _("Y年n月j日")) if on else "",
            "links": {
                "catalogue": reverse("indicators:catalogue"),
                "xlsx": reverse("indicators:indicator_xlsx", args=[row.pk]) + query,
                "compare": reverse("indicators:compare", args=[row.pk]) + query,
            },
            "figures": figures,
            "recent": figure_table.recent(row, version, pagecache.scope_stamp()),
        },
        using="jinja2",
    )
    # Autoescaped by the Jinja2 backend; marked safe so the page's template does not escape it twice.
    return render(
        request, "indicators/indicator.html", {"indicator": row, "figures": figures, "body": mark_safe(body)}
    )


@login_required
def indicator_xlsx(request, pk: int):
    """The table behind the chart, as known on ?on=, as an Excel workbook."""
    row = get_object_or_404(Indicator, pk=pk)
    require(request, "indicator.view", row)
    on = _on(request)
    audit.record("download", request, detail=f"indicator {row.pk} figures on {on or 'now'}")
    data = services.indicator_workbook(row, on)
    return download(data, f"indicator-{row.pk}.xlsx")


@login_required
def table_import(request):
    """Upload a statistics table (xlsx or CSV); it is read for review, nothing is recorded yet."""
    require(request, "indicator.record")
    if request.method == "POST":
        chosen = parse_id(request.POST.get("indicator"))
        picked = Indicator.objects.filter(pk=chosen).first() if chosen else None
        if request.POST.get("indicator") and picked is None:
            messages.error(request, _("所选指标不存在"))
            return redirect("indicators:import")
        try:
            data, name = read_upload(request)
        except UploadRejected as exc:
            audit.record("import_rejected", request, detail=str(exc))
            messages.error(request, str(exc))
            return redirect("indicators:import")
        batch = services.start_table_import(data, name, by=request.user, indicator=picked)
        return redirect("indicators:batch", pk=batch.pk)
    return render(request, "indicators/import.html", {"indicators": Indicator.objects.order_by("name")})


def _batch(request, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("indicator", "uploaded_by"), pk=pk)
    require(request, "indicator.record", batch)
    return batch


@login_required
def batch(request, pk: int):
    """The review of an uploaded table: its problems with row and column, and the figures read."""
    row = _batch(request, pk)
    problems = [services.problem_text(p) for p in row.problems]
    return render(
        request,
        "indicators/batch.html",
        {
            "batch": row,
            "problems": problems,
            "whole_file": any(p[0] == 0 for p in row.problems),
            "figures": row.figures[:REVIEW_ROWS],
            "more": max(len(row.figures) - REVIEW_ROWS, 0),
        },
    )


@login_required
@require_POST
def batch_commit(request, pk: int):
    """Record the reviewed figures, all or nothing (the cells with problems left out when asked)."""
    row = _batch(request, pk)
    try:
        row = services.commit_table_import(row, by=request.user, exclude=request.POST.get("exclude") == "1")
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:batch", pk=row.pk)
    messages.success(
        request,
        _("已导入%(recorded)d个数值（与已有数值相同的%(same)d个未重复记录，排除%(excluded)d个）")
        % {
            "recorded": row.recorded,
            "same": len(row.figures) - row.excluded - row.recorded,
            "excluded": row.excluded,
        },
    )
    return redirect("indicators:batch", pk=row.pk)


@login_required
@require_POST
def batch_discard(request, pk: int):
    row = _batch(request, pk)
    try:
        services.discard_table_import(row, by=request.user)
        messages.success(request, _("已放弃该批次"))
    except IndicatorError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:batch", pk=row.pk)


# --- figures proposed from documents ---------------------------------------------------------


def _document_text(request) -> tuple[str, str]:
    """The document's text: pasted, or read from an uploaded .txt/.html/.docx/.pdf."""
    pasted = request.POST.get("text", "")
    if pasted.strip():
        return pasted, (request.POST.get("name") or _("粘贴的文本"))[:255]
    import tempfile
    from pathlib import Path

    from luoshi.textplan.readers import ReadError, read_document

    upload = request.FILES.get("file")
    checked = check_upload(upload, DOCUMENT_KINDS - {"xlsx"})
    upload.seek(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / checked.storage_name
        path.write_bytes(upload.read())
        try:
            return read_document(path), checked.display_name
        except ReadError as exc:
            raise UploadRejected(exc.reason) from None


@login_required
def document_upload(request):
    """Paste or upload a scorecard or article; its achieved figures are proposed for review."""
    require(request, "indicator.record")
    if request.method == "POST":
        entity = Entity.objects.filter(active=True, pk=parse_id(request.POST.get("entity"))).first()
        try:
            text, name = _document_text(request)
            doc = services.propose_from_document(
                text, name, request.POST.get("period", ""), entity, by=request.user
            )
        except (UploadRejected, IndicatorError) as exc:
            messages.error(request, str(exc))
            return redirect("indicators:documents")
        return redirect("indicators:document", pk=doc.pk)
    return render(
        request,
        "indicators/documents.html",
        {
            "entities": Entity.objects.filter(active=True),
            "documents": DocumentRead.objects.filter(uploaded_by=request.user)[:10],
        },
    )


def _document(request, pk: int) -> DocumentRead:
    doc = get_object_or_404(DocumentRead.objects.select_related("entity"), pk=pk)
    require(request, "indicator.record", doc)
    return doc


@login_required
def document(request, pk: int):
    """The figures a document reports, each in its sentence, to accept, correct or reject."""
    doc = _document(request, pk)
    figures = doc.figures.select_related("indicator", "entity", "decided_by", "observation")
    for f in figures:
        # The sentence with the figure marked, escaped in the template piece by piece.
        at = f.sentence.find(f.quoted)
        f.before, f.after = (
            (f.sentence[:at], f.sentence[at + len(f.quoted) :]) if at >= 0 else (f.sentence, "")
        )
    return render(
        request,
        "indicators/document.html",
        {
            "doc": doc,
            "figures": figures,
            "indicators": Indicator.objects.order_by("name"),
            "entities": Entity.objects.filter(active=True),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    """Accept, correct or reject one proposed figure."""
    figure = get_object_or_404(ProposedFigure.objects.select_related("document"), pk=pk)
    require(request, "indicator.record", figure.document)
    action = request.POST.get("action", "")
    indicator = Indicator.objects.filter(pk=parse_id(request.POST.get("indicator"))).first()
    entity = Entity.objects.filter(active=True, pk=parse_id(request.POST.get("entity"))).first()
    raw = request.POST.get("value", "").strip()
    try:
        value = float(raw) if raw else None
        if value is not None and not math.isfinite(value):
            raise ValueError
    except ValueError:
        messages.error(request, _("数值无效"))
        return redirect("indicators:document", pk=figure.document_id)
    try:
        services.decide(
            figure,
            action,
            by=request.user,
            indicator=indicator,
            entity=entity,
            period=request.POST.get("period", "").strip() or None,
            value=value,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已处理：%(quoted)s") % {"quoted": figure.quoted})
    except IndicatorError as exc:
        messages.error(request, str(exc))
    return redirect("indicators:document", pk=figure.document_id)
