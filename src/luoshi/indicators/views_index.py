"""同城化指数 pages: the stored runs and the form computing a new one, a run with its method,
figures, chart and sensitivity, the 「按原数据重算」 check and the Excel export. Thin views over
``luoshi.indicators.index_pages`` and ``services.compute_index``; read: ``index.view``, compute:
``index.compute``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from luoshi.accounts import audit
from luoshi.accounts.rules import can
from luoshi.accounts.views import require
from luoshi.indicators import index_pages, services
from luoshi.indicators.models import IndexRun
from luoshi.indicators.services import IndicatorError
from luoshi.web.downloads import download

RUNS_LISTED = 200


def _form_context(request, post=None) -> dict:
    """The compute form's choices, with what the staff member typed when it is shown again."""
    post = post if post is not None else {}
    chosen_indicators = set(post.getlist("indicator")) if post else set()
    chosen_entities = set(post.getlist("entity")) if post else set()
    return {
        "indicators": [
            (i, str(i.pk) in chosen_indicators, post.get(f"weight-{i.pk}", "")[:40] if post else "")
            for i in index_pages.indicator_choices()
        ],
        "entities": [(e, str(e.pk) in chosen_entities) for e in index_pages.entity_choices()],
        "form": {
            "name": post.get("name", "")[:200] if post else "",
            "period": post.get("period", "")[:20] if post else "",
            "on": post.get("on", "")[:20] if post else "",
            "method": post.get("method", "minmax") if post else "minmax",
            "weighting": post.get("weighting", "equal") if post else "equal",
        },
    }


@login_required
def run_list(request):
    """The stored runs (who, when, parameters) and, for the office, the form computing a new one."""
    require(request, "index.view")
    compute = can(request.user, "index.compute")
    status = 200
    post = None
    if request.method == "POST":
        require(request, "index.compute")
        try:
            asked = index_pages.read_form(request.POST)
            run = services.compute_index(
                asked.name,
                asked.indicators,
                asked.entities,
                asked.period,
                on=asked.on,
                method=asked.method,
                weighting=asked.weighting,
                weights=asked.weights,
                by=request.user,
            )
        except IndicatorError as exc:
            messages.error(request, str(exc))
            status, post = 400, request.POST
        else:
            messages.success(request, _("已计算并保存「%(name)s」") % {"name": run.name[:40]})
            for note in run.results.get("notes", []):
                messages.warning(request, note)
            return redirect("indicators:index_run", pk=run.pk)
    context = {
        "runs": [
            (
                r,
                index_pages.WEIGHTING_NAMES.get(r.weighting, r.weighting),
                index_pages.METHOD_NAMES.get(r.method, r.method),
            )
            for r in IndexRun.objects.select_related("created_by")[:RUNS_LISTED]
        ],
        "can_compute": compute,
    }
    if compute:
        context.update(_form_context(request, post))
    return render(request, "indicators/index_list.html", context, status=status)


def _run_page(request, run: IndexRun, check: dict | None = None):
    tables = index_pages.run_tables(run)
    return render(
        request,
        "indicators/index_run.html",
        {
            "run": run,
            "t": tables,
            "method_name": index_pages.METHOD_NAMES.get(run.method, run.method),
            "weighting_name": index_pages.WEIGHTING_NAMES.get(run.weighting, run.weighting),
            "check": check,
        },
    )


@login_required
def run_page(request, pk: int):
    """One run: its method in words, the index and sub-indices with ranks, chart and sensitivity."""
    require(request, "index.view")
    return _run_page(request, get_object_or_404(IndexRun.objects.select_related("created_by"), pk=pk))


@login_required
def run_check(request, pk: int):
    """Recompute the run from the observations it names and say whether it gives the same figures."""
    require(request, "index.view")
    run = get_object_or_404(IndexRun.objects.select_related("created_by"), pk=pk)
    try:
        again = services.reproduce(run)
    except IndicatorError as exc:
        check = {"ok": False, "error": str(exc)}
    else:
        differ = [name for name, score in again["scores"].items() if run.results["scores"].get(name) != score]
        check = {"ok": index_pages.matches(run, again), "differ": differ, "inputs": len(run.inputs)}
    return _run_page(request, run, check)


@login_required
def run_xlsx(request, pk: int):
    """The run's tables as an Excel workbook."""
    require(request, "index.view")
    run = get_object_or_404(IndexRun, pk=pk)
    audit.record("download", request, detail=f"index run {run.pk}")
    return download(index_pages.run_workbook(run), f"index-{run.pk}-{run.period}.xlsx")
