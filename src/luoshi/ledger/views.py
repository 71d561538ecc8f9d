"""Ledger pages: thin views that ask accounts.rules and call services."""

from __future__ import annotations

import datetime as dt
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can, plans_in_scope, reports_in_scope, role_of, tasks_in_scope
from luoshi.accounts.views import require
from luoshi.ledger import duties, fragments, importing, pagecache, progress, review_form, services, task_reads
from luoshi.ledger.export import ledger_workbook
from luoshi.ledger.models import (
    Change,
    City,
    Domain,
    ImportSession,
    Plan,
    ProgressReport,
    ReportAttachment,
    Role,
    Status,
    Task,
    TaskAssignment,
    TaskRole,
    Unit,
)
from luoshi.ledger.periods import offered, to_report
from luoshi.ledger.queries import Page, apply_filter, lead_units
from luoshi.ledger.target_text import by_source
from luoshi.ledger.units import pick_units
from luoshi.web import clock, storage
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id

PAGE_SIZE = 50
LEDGER_COUNT_CAP = 1000  # the ledger counts its matches up to here, then says 「超过」
DASHBOARD_CACHE_SECONDS = 5 * 60


def home(request):
    """Send each role to where its work is."""
    role = role_of(request.user)
    if role == "public":
        return redirect("ledger:public")
    if role == "reporter":
        # A reporter's day starts with what awaits the unit: reports due, returned, notices.
        return redirect("inbox:inbox")
    if role in ("member", "committee"):
        # Members and the committee's staff work on proposals, not on plans.
        return redirect("proposals:list")
    if can(request.user, "dashboard.view"):
        return redirect("ledger:dashboard")
    return redirect("ledger:plans")


def public(request):
    from luoshi.indicators.scorecards import published  # the public page shows both apps' records

    plans = Plan.objects.filter(published=True).select_related("city")
    return render(request, "ledger/public.html", {"plans": plans, "scorecards": published()})


@login_required
def plans(request):
    rows = plans_in_scope(request.user).select_related("city")
    return render(request, "ledger/plans.html", {"plans": rows})


def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan.objects.select_related("city"), pk=pk)
    require(request, "plan.view", plan)
    tasks = tasks_in_scope(request.user).filter(plan=plan).order_by("position")
    tasks = tasks.prefetch_related(Prefetch("assignments", TaskAssignment.objects.select_related("unit")))
    nodes = progress.tree(list(tasks))
    total = sum(n.total for n in nodes)
    done = sum(n.done for n in nodes)
    return render(
        request,
        "ledger/plan.html",
        {
            "plan": plan,
            "rows": list(progress.flat(nodes)),
            "total": total,
            "done": done,
            "percent": round(100 * done / total) if total else 0,
            "can_edit": can(request.user, "plan.edit", plan),
        },
    )


@require_POST
def plan_publish(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    require(request, "plan.edit", plan)
    published = request.POST.get("published") == "1"
    services.set_published(plan, request.user, published)
    audit.record("plan_publish" if published else "plan_unpublish", request, detail=f"plan {plan.pk} {plan.title}")
    return redirect("ledger:plan", pk=pk)


def _ledger_tasks(request, chased_only: bool = True):
    # The ledger page lists what is chased; background and safeguard rows are read on the plan
    # page. The export keeps them, so that it re-imports as the same plan tree.
    tasks = tasks_in_scope(request.user)
    return apply_filter(tasks.filter(role=TaskRole.TASK) if chased_only else tasks, request.GET)


OVERDUE = ' class="overdue"'


def _clip(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters with an ellipsis, as ``Truncator.chars`` (a lazy object, slow per cell)."""
    return text if len(text) <= n else text[: n - 1] + "…"


LEDGER_COLUMNS = ("id", "label", "title", "plan_id", "plan__title", "domain", "deadline", "status")


def _ledger_rows(rows: list[tuple], today, version: int) -> str:
    """The table body as one string, from plain rows (``LEDGER_COLUMNS``): model
    instances, template lookups and ``get_FOO_display`` (which re-hashes the translated choices
    on every call) cost more than the database does."""
    leads: dict[int, list[str]] = {}
    inherited = f' <span class="inherited">{escape(_("继承"))}</span>'
    found = lead_units([r.id for r in rows])
    names = fragments.names_by_id(version, {unit_id for _task, unit_id, _inherited in found})
    for task_id, unit_id, is_inherited in found:
        leads.setdefault(task_id, []).append(escape(names[unit_id]) + (inherited if is_inherited else ""))
    domains = {v: escape(label) for v, label in Domain.choices}
    statuses = {v: escape(label) for v, label in Status.choices}
    url = reverse("ledger:task", args=[0]).removesuffix("0/")
    plans = {title: escape(_clip(title, 24)) for title in {r.plan__title for r in rows}}
    out = []
    for pk, label, title, _plan, plan_title, domain, deadline, status in rows:
        overdue = OVERDUE if deadline is not None and deadline < today and status != Status.DONE else ""
        out.append(
            f"<tr><td>{escape(label)}</td>"
            f'<td><a href="{url}{pk}/">{escape(title)}</a></td>'
            f"<td>{plans[plan_title]}</td>"
            f"<td>{'、'.join(leads.get(pk, ()))}</td>"
            f"<td>{domains.get(domain, escape(domain))}</td>"
            f"<td{overdue}>{deadline.isoformat() if deadline else ''}</td>"
            f'<td class="status-{escape(status)}">{statuses.get(status, escape(status))}</td></tr>'
        )
    return mark_safe("\n".join(out))


@login_required
def ledger(request):
    require(request, "ledger.view")
    version = ledger_version()
    return pagecache.cached_page(request, "ledger", version, lambda: _ledger_page(request, version))


def _ledger_page(request, version: int):
    tasks, form = _ledger_tasks(request)
    rows = tasks.values_list(*LEDGER_COLUMNS, named=True)
    today = timezone.localdate()
    view = tuple(sorted((k, v) for k, v in form.cleaned_data.items() if k != "sort" and v))
    count_key = (request.user.pk, pagecache.scope_stamp(), version, today, view)
    page = Page(rows, request.GET.get("page"), PAGE_SIZE, LEDGER_COUNT_CAP, count_key)
    query = request.GET.copy()
    query.pop("page", None)
    data = form.cleaned_data
    fields = form.fields
    selects = [
        (
            "city",
            fields["city"].label,
            fragments.city_options(version, data.get("city")),
        ),
        # 500 units: built once per process and ledger version, not per page.
        ("unit", fields["unit"].label, fragments.unit_options(version, data.get("unit"))),
        ("domain", fields["domain"].label, fragments.options(Domain.choices, data.get("domain"))),
        ("status", fields["status"].label, fragments.options(Status.choices, data.get("status"))),
    ]
    sort = (
        "sort",
        fields["sort"].label,
        fragments.options(fields["sort"].choices, data.get("sort") or "position", blank=False),
    )
    return render(
        request,
        "ledger/ledger.html",
        {
            "page": page,
            "rows": _ledger_rows(page.object_list, today, version),
            "form": form,
            "selects": selects,
            "sort": sort,
            "query": query.urlencode(),
            "today": today,
        },
    )


@login_required
def ledger_export(request):
    require(request, "ledger.view")
    tasks, _form = _ledger_tasks(request, chased_only=False)
    tasks = list(
        tasks.select_related("plan").prefetch_related(
            Prefetch("assignments", TaskAssignment.objects.select_related("unit")), "targets", "reports"
        )[:20000]
    )
    data = ledger_workbook(tasks, _lights(tasks))
    audit.record("export", request, detail=f"ledger.xlsx ?{request.GET.urlencode()}"[:2000])
    return download(data, "台账.xlsx")


def _lights(tasks: list[Task]) -> dict:
    """Today's light of each leaf task among ``tasks``, by task id (supervision reads the ledger, so
    it is imported here)."""
    from luoshi.supervision_web.services import plan_lights, today

    plans = {t.plan_id: t.plan for t in tasks}
    return {r.task_id: r.light for plan in plans.values() for r in plan_lights(plan, today())}


def _task_context(request, task: Task, version: int | None = None, **extra) -> dict:
    user = request.user
    version = ledger_version() if version is None else version
    assignments = task_reads.assignments(task)
    period = to_report(task, clock.today()).period
    can_edit = can(user, "task.edit", task)
    show_people = can(user, "people.view", task)
    lead = [a for a in assignments if a.role == Role.LEAD]
    support = [a for a in assignments if a.role == Role.SUPPORT]
    # The form selects every unit the task answers through; inherited ones are named below it.
    lead_ids = {a.unit_id for a in lead}
    support_ids = {a.unit_id for a in support}
    units, lead_options, support_options = [], "", ""
    if can_edit:
        units = fragments.units_near(version, task.plan.city_id)
        known = {pk for pk, _name in units}
        named = {a.unit_id: a.unit.name for a in assignments if a.unit_id not in known}
        if named:  # a unit from elsewhere that the task already names stays selectable
            units = sorted([*units, *named.items()], key=lambda u: (u[1], u[0]))
        lead_options = fragments.near_options(version, task.plan.city_id, units, lead_ids)
        support_options = fragments.near_options(version, task.plan.city_id, units, support_ids)
    edit = {
        "title": task.title,
        "text": task.text,
        # The date field's value: ISO or empty (after a refused save, what was typed).
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "domain": task.domain,
        "role": task.role,
        "version": task.version,
    }
    edit = extra.pop("edit", edit)
    report_input = extra.get("report_input") or {}
    periods = offered(task.plan, clock.today())
    reports = task_reads.reports(task)
    targets = task_reads.targets(task)
    report_form = _report_form(request, task, targets, reports, periods, period, report_input)
    context = {
        "task": task,
        "ancestors": _ancestors(task),
        "lead": lead,
        "support": support,
        "lead_names": fragments.unit_names(lead),
        "support_names": fragments.unit_names(support),
        "targets": targets,
        "target_runs": by_source(targets),
        "reports_html": fragments.reports(
            request,
            reports,
            show_people=show_people,
            can_return=can_edit,
            flags=_quality_flags(task, targets, reports) if can_edit and reports else None,
        ),
        "contributions": task_reads.contributions(task),
        "timeline_html": fragments.timeline(task_reads.changes(task)) if show_people else "",
        "show_people": show_people,
        "can_edit": can_edit,
        "roles": TaskRole.choices,
        "can_report": can(user, "report.submit", task),
        "can_contribute": can(user, "report.contribute", task),
        "can_return": can_edit,
        "units": units,
        "lead_options": lead_options,
        "support_options": support_options,
        "period": period,
        "report_form": report_form,
        "period_options": fragments.options([(p, p) for p in periods], report_form["period"], blank=False),
        "contribute_period_options": mark_safe("".join(f"<option>{escape(p)}</option>" for p in periods)),
        "status_options": fragments.options(Status.choices, report_form["status"], blank=False),
        "domain_options": fragments.options(Domain.choices, edit.get("domain"), blank=False),
        "lead_ids": lead_ids,
        "support_ids": support_ids,
        "inherited_lead": [a.unit.name for a in lead if a.inherited],
        "inherited_support": [a.unit.name for a in support if a.inherited],
        "edit": edit,
    }
    context["indicator_panel"] = _indicator_panel(request, task, targets)
    context.update(extra)
    return context


def _indicator_panel(request, task: Task, targets: list) -> dict | None:
    """The indicators app's panel of the task's targets and the indicators measuring them."""
    from luoshi.indicators.task_panel import panel

    return panel(request, task, targets, clock.today())


def _report_form(
    request, task: Task, targets: list, reports: list, periods: list[str], due: str, typed
) -> dict:
    """What the report form starts from: what the reporter typed when a submission was refused;
    else, for a period already reported, its newest version (a returned report is corrected from
    it, figures and attachments included); else the task's current status, never a blank 未启动."""
    period = typed.get("period") or request.GET.get("period") or ""
    period = period if period in periods else due
    latest = next((r for r in reports if r.period == period), None)  # newest version first
    if typed:
        values = {t.pk: typed.get(f"target_{t.pk}", "") for t in targets}
        keep = {int(k) for k in typed.getlist("keep_attachment") if k.isdigit()}
        status, narrative = typed.get("status"), typed.get("narrative", "")
    elif latest is not None:
        shown = {v.target_id: v.value for v in latest.shown_values}
        values = {t.pk: _number(shown[t.pk]) if t.pk in shown else "" for t in targets}
        keep = {a.pk for a in latest.shown_attachments}
        status, narrative = latest.status, latest.narrative
    else:
        values, keep, status, narrative = {t.pk: "" for t in targets}, set(), task.status, ""
    returned = None
    if latest is not None:
        returned = next((c.reason for c in latest.shown_state_changes if c.state == "returned"), None)
    return {
        "period": period,
        "status": status,
        "narrative": narrative,
        "targets": [(t, values.get(t.pk, "")) for t in targets],
        "previous": latest,
        "returned": returned,
        "attachments": [(a, a.pk in keep) for a in (latest.shown_attachments if latest else ())],
    }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _ancestors(task: Task) -> list[Task]:
    out, node = [], task.parent
    while node is not None:
        out.append(node)
        node = node.parent
    return out[::-1]


def task_detail(request, pk: int):
    task = task_reads.task(pk)
    if task is None:
        raise Http404
    require(request, "task.view", task)
    version = ledger_version()
    return pagecache.cached_page(
        request,
        "task",
        version,
        lambda: render(request, "ledger/task.html", _task_context(request, task, version)),
    )


@require_POST
@login_required
def task_edit(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    require(request, "task.edit", task)
    post = request.POST
    changes = {
        # Not cut here: update_task refuses an over-long text with the limit, and the form keeps it.
        "title": post.get("title", "").strip(),
        "text": post.get("text", ""),
        "domain": post.get("domain", task.domain),
        # Only office staff reach this view (task.edit); a unit never changes what is chased.
        "role": post.get("role", task.role),
    }
    edit = {**changes, "deadline": post.get("deadline", ""), "version": post.get("version", "")}
    try:
        changes["deadline"] = dt.date.fromisoformat(post["deadline"]) if post.get("deadline") else None
        version = int(post.get("version", ""))
        lead_ids, support_ids = _unit_ids(post.getlist("lead")), _unit_ids(post.getlist("support"))
        # One transaction: a unit list that fails must not leave the title saved without it.
        with transaction.atomic():
            services.update_task(task, request.user, version, changes)
            if "lead" in post or "support" in post or "units_shown" in post:
                lead = _units_in_order(lead_ids)
                support = _units_in_order(support_ids)
                services.change_units(task, request.user, lead, support)
    except (ValueError, services.RuleError) as e:
        message = str(e) if isinstance(e, services.RuleError) else _("输入格式不正确")
        status = 409 if isinstance(e, services.StaleEdit) else 400
        # Re-show the form with what the user typed, so nothing is lost.
        task.refresh_from_db()
        return render(
            request,
            "ledger/task.html",
            _task_context(request, task, edit=edit, edit_error=message),
            status=status,
        )
    messages.success(request, _("已保存"))
    return redirect("ledger:task", pk=pk)


MAX_ID = 2**63 - 1


def _unit_ids(values) -> list[int]:
    """Unit ids as the form sent them; ValueError on anything that cannot be one."""
    ids = [int(v) for v in values if str(v).strip()]
    if any(not 0 < i <= MAX_ID for i in ids):
        raise ValueError("unit id out of range")
    return ids


def _units_in_order(ids: list[int]) -> list[Unit]:
    found = Unit.objects.in_bulk(ids)
    if len(found) != len(set(ids)):
        raise services.RuleError(_("所选单位不存在"))
    return [found[i] for i in dict.fromkeys(ids)]


@require_POST
@login_required
def report_submit(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    require(request, "report.submit", task)
    try:
        values = {}
        for target in task.targets.all():
            raw = request.POST.get(f"target_{target.pk}", "").strip()
            if raw:
                values[target.pk] = float(raw)
        report = services.submit_report(
            task,
            request.user,
            period=request.POST.get("period", ""),
            status=request.POST.get("status", ""),
            narrative=request.POST.get("narrative", ""),
            values=values,
            attachments=request.FILES.getlist("attachments"),
            keep_attachments=[int(k) for k in request.POST.getlist("keep_attachment") if k.isdigit()],
        )
    except (ValueError, services.RuleError, storage.StorageUnavailable) as e:
        message = (
            str(e)
            if isinstance(e, services.RuleError | importing.UploadRejected | storage.StorageUnavailable)
            else _("数值格式不正确")
        )
        # The form comes back filled in: a store that was down loses the reporter nothing typed.
        return render(
            request,
            "ledger/task.html",
            _task_context(request, task, report_error=message, report_input=request.POST),
            status=503 if isinstance(e, storage.StorageUnavailable) else 400,
        )
    audit.record("report_submit", request, detail=f"task {task.pk} report {report.pk} {report.period} v{report.version}")
    messages.success(request, _("进展已报送"))
    return redirect("ledger:task", pk=pk)


@require_POST
@login_required
def contribute(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    require(request, "report.contribute", task)
    try:
        services.add_contribution(
            task, request.user, period=request.POST.get("period", ""), text=request.POST.get("text", "")
        )
    except services.RuleError as e:
        return render(
            request, "ledger/task.html", _task_context(request, task, contribute_error=str(e)), status=400
        )
    messages.success(request, _("配合情况已提交"))
    return redirect("ledger:task", pk=pk)


@require_POST
@login_required
def report_return(request, pk: int):
    report = get_object_or_404(ProgressReport.objects.select_related("task__plan"), pk=pk)
    require(request, "report.return", report)
    try:
        services.return_report(report, request.user, request.POST.get("reason", ""))
    except services.RuleError as e:
        messages.error(request, str(e))
        return redirect("ledger:task", pk=report.task_id)
    messages.success(request, _("已退回"))
    return redirect("ledger:task", pk=report.task_id)


def attachment(request, pk: int):
    """Attachments are served only through this view, never straight from the file store
    (an unreachable store answers 503 through web.storage's middleware)."""
    a = get_object_or_404(ReportAttachment.objects.select_related("report__task__plan"), pk=pk)
    require(request, "people.view", a.report.task)
    try:
        handle = storage.open_for_download(a.file)
    except FileNotFoundError:
        raise Http404 from None
    audit.record("download", request, detail=f"attachment {a.pk} {a.name} (report {a.report_id})")
    return FileResponse(handle, as_attachment=True, filename=a.name, content_type=a.content_type)


@login_required
def mine(request):
    """A reporter's tasks: what its unit leads or supports, and whether this period is reported."""
    profile = getattr(request.user, "profile", None)
    unit = profile.unit if profile else None
    rows = duties.unit_rows(unit, clock.today())
    returned_count = sum(1 for r in rows if r["returned"])
    return render(request, "ledger/mine.html", {"unit": unit, "rows": rows, "returned_count": returned_count})


def ledger_version() -> int:
    """A stamp that changes whenever the ledger does: every service that changes data writes a
    history row (``history.record``), so the newest row's id is one cheap index lookup. Every page
    asks, so it is plain SQL rather than a query compiled each time."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {Change._meta.db_table}")
        return cursor.fetchone()[0] or 0


def dashboard_figures(user, today) -> dict:
    """The completion charts and the summary counts for ``user``'s scope (several full scans);
    background and safeguard rows are not counted."""
    tasks = tasks_in_scope(user).filter(role=TaskRole.TASK)
    summary = progress.leaves(tasks).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Status.DONE)),
        late=Count("id", filter=Q(status=Status.LATE)),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=Status.DONE)),
    )
    charts = {by: progress.completion(tasks, by) for by in ("plan", "domain", "city", "unit")}
    return {"charts": charts, "summary": summary}


def _cached_figures(user, today, version: int) -> tuple[dict, bool]:
    """``dashboard_figures`` from the cache, and whether they are current; while one request
    computes a new version, others asking at the same moment get the previous figures rather
    than all computing it at once."""
    latest = f"dashboard:{user.pk}:{pagecache.scope_stamp()}"
    key = f"{latest}:{version}:{today.isoformat()}"
    figures = cache.get(key)
    if figures is not None:
        return figures, True
    previous = cache.get(latest)
    if previous is not None and not cache.add(f"{key}:computing", 1, 60):
        return previous, False
    figures = dashboard_figures(user, today)
    cache.set_many({key: figures, latest: figures}, DASHBOARD_CACHE_SECONDS)
    return figures, True


@login_required
def dashboard(request):
    require(request, "dashboard.view")
    from luoshi.indicators import panel  # the dashboard shows the indicators app's panel

    version = ledger_version()
    # The page changes with the ledger and, through its indicators panel, with the figures.
    page_version = f"{version}.{panel.version()}"
    return pagecache.cached_page(
        request, "dashboard", page_version, lambda: _dashboard_page(request, version)
    )


def _dashboard_page(request, version: int):
    today = timezone.localdate()
    # The aggregates scan every task in scope: cached per user, keyed by the ledger's version
    # (so a report or an edit shows at once) and by the day (for the overdue count).
    figures, current = _cached_figures(request.user, today, version)
    if not current:
        request.page_uncacheable = True  # previous figures: shown once, never stored as this version's page
    recent = reports_in_scope(request.user).select_related("task", "unit").order_by("-submitted_at")[:10]
    from luoshi.indicators.panel import panel

    indicators = panel() if can(request.user, "indicator.view") else None
    return render(request, "ledger/dashboard.html", {**figures, "recent": recent, "indicators": indicators})


# -- import -----------------------------------------------------------------------------------


@login_required
def import_upload(request, pk: int | None = None):
    target = get_object_or_404(Plan, pk=pk) if pk else None
    require(request, "plan.import", target)
    error = None
    if request.method == "POST":
        try:
            session = importing.start_import(
                request.FILES.get("file"),
                request.user,
                target=target,
                request=request,
                progress_token=request.POST.get("progress_token"),
            )
        except importing.ImportFailed as e:
            error = str(e)
        else:
            return redirect("ledger:import_review", pk=session.pk)
    return render(
        request, "ledger/import_upload.html", {"target": target, "error": error}, status=400 if error else 200
    )


def _session_for(request, pk: int) -> ImportSession:
    session = get_object_or_404(ImportSession.objects.select_related("target"), pk=pk)
    require(request, "plan.import", session.target)
    if session.created_by_id != request.user.pk and role_of(request.user) != "admin":
        require(request, "audit.view")  # someone else's session: only an admin may look
    return session


@login_required
def import_review(request, pk: int):
    """The review: GET shows the preview; a POST shows it again with the reviewer's choices
    (应用到下级, or Enter in a field), commits (确认导入), abandons, or makes it a revision."""
    session = _session_for(request, pk)
    city, error = _chosen_city(request.POST) if request.method == "POST" else (None, None)
    city = city or importing.default_city(session)
    choices = review_form.parse(request.POST) if request.method == "POST" else None
    focus = None
    if request.method == "POST" and session.state == ImportSession.State.OPEN and not error:
        if "abandon" in request.POST:
            importing.abandon_import(session, request.user)
            messages.info(request, _("已放弃本次导入，台账未作任何修改"))
            return redirect("ledger:plans")
        if request.POST.get("as_revision", "").isdigit():
            target = get_object_or_404(Plan, pk=int(request.POST["as_revision"]))
            require(request, "plan.import", target)
            importing.make_revision(session, target)
            messages.info(request, _("已改为导入《%s》的修订版，请核对对比结果") % target.title)
            return redirect("ledger:import_review", pk=session.pk)
        if "apply_down" in request.POST:
            raw = request.POST["apply_down"]
            # A row number (0 is the first row), not an id.
            focus = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
            rows = importing.review(session, city).rows
            if focus is None or not review_form.apply_down(choices, rows, focus):
                error = _("该行没有下级")
        elif "refresh" not in request.POST:
            try:
                plan = importing.commit_import(
                    session,
                    request.user,
                    titles=choices.titles,
                    unit_map=choices.unit_map,
                    city=city,
                    plan_title=request.POST.get("plan_title") or None,
                    roles=choices.roles,
                    row_units=choices.units,
                    deadlines=choices.deadlines,
                    request=request,
                    progress_token=request.POST.get("progress_token"),
                )
            except (services.RuleError, importing.ImportFailed) as e:
                error = str(e)
            else:
                messages.success(request, _("已导入"))
                return redirect("ledger:plan", pk=plan.pk)
    result = importing.review(session, city)
    if choices is not None:
        review_form.show(result.rows, choices)
    return render(
        request,
        "ledger/import_review.html",
        {
            "session": session,
            "review": result,
            "cities": City.objects.all(),
            "city": city,
            "same_number": importing.plans_with_same_number(session),
            "rows_html": _review_rows(result.rows, revision=session.target_id is not None, focus=focus),
            "unknown_units": review_form.mapped_units(result.unknown_units, choices),
            "plan_title": request.POST.get("plan_title") if choices is not None else None,
            "error": error,
            "meta": session.data.get("meta", {}),
        },
        status=400 if error else 200,
    )


def _review_rows(rows: list[importing.Row], revision: bool, focus: int | None = None) -> str:
    """The review table's body, from a Jinja2 template: a thousand rows of selects through
    Django's template language took seconds."""
    context = {
        "rows": rows,
        "revision": revision,
        "focus": focus,  # the row whose 应用到下级 was pressed: its button takes the focus again
        "roles": [(v, str(label)) for v, label in TaskRole.choices],
        "changes": {"added": _("新增"), "changed": _("修改"), "restored": _("恢复"), "unchanged": _("未变")},
    }
    # Autoescaped by the Jinja2 backend; marked safe so the page's template does not escape it twice.
    return mark_safe(render_to_string("ledger/review_rows.html", context, using="jinja2"))


UNIT_QUERY_MAX = 50


@require_GET
@login_required
def import_units(request, pk: int):
    """Units for the review's pickers as JSON: ``?q=`` searches names and aliases, ``city=`` puts
    that city's units first (default: the plan's city). Only those who may review the import."""
    session = _session_for(request, pk)
    q = request.GET.get("q", "")
    if len(q) > UNIT_QUERY_MAX or any(ord(c) < 32 or c == "\x7f" for c in q):
        return JsonResponse({"error": _("查询词过长或含有控制字符")}, status=400)
    raw_city = request.GET.get("city", "")
    if raw_city:
        city_pk = parse_id(raw_city)
        city = City.objects.filter(pk=city_pk).first() if city_pk else None
        if city is None:
            return JsonResponse({"error": _("所选城市不存在")}, status=400)
    else:
        city = importing.default_city(session)
    return JsonResponse({"results": pick_units(q, city)})


def _chosen_city(post) -> tuple[City | None, str | None]:
    """The city picked on the review page (none when left blank), or why the choice is refused."""
    raw = post.get("city", "")
    if not raw:
        return None, None
    pk = parse_id(raw)
    city = City.objects.filter(pk=pk).first() if pk else None
    return (city, None) if city else (None, _("所选城市不存在"))


def _quality_flags(task: Task, targets: list, reports: list[ProgressReport]) -> dict:
    """Report quality flags for the office; supervision reads the ledger, so it is imported here."""
    from luoshi.supervision_web.report_flags import flags_by_report

    return flags_by_report(task, targets, reports)
