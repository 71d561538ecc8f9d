"""Supervision and bulletin pages: thin views that ask accounts.rules and call the services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import (
    can,
    leaders_reading,
    plans_in_scope,
    proposal_notices_in_scope,
    reads_as_copy,
    role_of,
)
from luoshi.accounts.views import require
from luoshi.bulletins import wording
from luoshi.ledger.models import Plan
from luoshi.supervision.lights import COLOURS, TIMELINESS, rules_table
from luoshi.supervision.notices import STATES, TRANSITIONS
from luoshi.supervision.periods import parse_period
from luoshi.supervision_web import bulletins, services
from luoshi.supervision_web.labels import RULE_NAMES
from luoshi.supervision_web.models import Bulletin, SupervisionNotice
from luoshi.web import storage
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id


def notices_in_scope(user) -> QuerySet[SupervisionNotice]:
    """The notices `user` may read: for a reporter those to its unit and those copied to it (抄送),
    its plans' for office and leaders (as ``can(user, "notice.view", notice)``)."""
    role = role_of(user)
    notices = SupervisionNotice.objects.select_related("plan", "task", "lead_unit__city")
    if role == "reporter":
        unit_id = user.profile.unit_id
        if unit_id is None:
            return notices.none()
        copied = SupervisionNotice.objects.copied_to(unit_id).values("pk")
        return notices.filter(Q(lead_unit_id=unit_id) | Q(pk__in=copied))
    if role in ("admin", "office", "leader"):
        return notices.filter(plan__in=plans_in_scope(user))
    return notices.none()


# The days ?on= may name: the periods' arithmetic needs a year before and after the day.
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _on(request) -> dt.date:
    """?on=YYYY-MM-DD to look at another day; today otherwise. A day no plan can be about is refused."""
    try:
        on = dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return services.today()
    if not EARLIEST_DAY <= on <= LATEST_DAY:
        raise BadRequest(
            _("日期超出范围（%(first)d—%(last)d年）") % {"first": EARLIEST_DAY.year, "last": LATEST_DAY.year}
        )
    return on


@login_required
def lights(request, pk: int):
    """Every task's light, standing and reason, and the rules that set them."""
    plan = get_object_or_404(Plan, pk=pk)
    require(request, "lights.view", plan)
    on = _on(request)
    rows = services.plan_lights(plan, on)
    counts = {c: sum(1 for r in rows if r.light.colour == c) for c in COLOURS}
    return render(
        request,
        "supervision_web/lights.html",
        {
            "plan": plan,
            "on": on,
            "rows": rows,
            "counts": counts,
            "colours": COLOURS,
            "timeliness": TIMELINESS,
            "rules": [{**r, "name": RULE_NAMES.get(r["rule"], r["rule"])} for r in rules_table()],
            "period": services.latest_period(plan, on),
            "can_issue": can(request.user, "notice.issue", plan),
            "can_bulletin": can(request.user, "bulletin.view", plan),
        },
    )


@login_required
def propose(request, pk: int):
    """Drafts from red lights (GET) and issuing the ticked ones (POST)."""
    plan = get_object_or_404(Plan, pk=pk)
    require(request, "notice.issue", plan)
    on = services.today()
    drafts = services.propose_notices(plan, on)
    if request.method == "POST":
        chosen = [int(x) for x in request.POST.getlist("task") if x.isdigit()]
        if not chosen:
            # Nothing is ticked in advance: a notice goes out only for a task the office chose.
            messages.error(request, _("未选择任务，没有下发督办单"))
            return redirect("supervision:propose", pk=plan.pk)
        try:
            issued = services.issue_notices(plan, chosen, request.user, on, drafts)
        except services.NoticeError as e:
            messages.error(request, str(e))
            return redirect("supervision:propose", pk=plan.pk)
        messages.success(
            request,
            ngettext("已下发督办单%(n)d份：%(numbers)s", "已下发督办单%(n)d份：%(numbers)s", len(issued))
            % {"n": len(issued), "numbers": "、".join(n.number for n in issued) or _("无")},
        )
        return redirect("supervision:notices")
    titles = dict(plan.tasks.filter(pk__in=[int(d.task_id) for d in drafts]).values_list("pk", "title"))
    rows = [(d, titles.get(int(d.task_id), "")) for d in drafts]
    return render(request, "supervision_web/propose.html", {"plan": plan, "rows": rows})


@login_required
def notices(request):
    """The notices the user may read, newest first: the ledger's, then the proposals' (提案建议督办单)."""
    role = role_of(request.user)
    if role == "public":
        require(request, "notice.view", None)  # records the refusal and answers 403
    from luoshi.proposals import supervising  # the proposals app builds on this one

    show = request.GET.get("kind", "")
    rows = list(notices_in_scope(request.user)[:500]) if show != "proposal" else []
    proposal_rows = (
        supervising.with_actions(
            proposal_notices_in_scope(request.user).select_related("proposal", "unit", "escalated_to")[:500]
        )
        if show != "task"
        else []
    )
    # A unit reads the notices copied to it (抄送) beside its own: they are marked read-only, so it
    # does not take one for a notice it must sign and answer.
    for n in rows:
        n.copy = reads_as_copy(request.user, n.lead_unit_id)
    for n in proposal_rows:
        n.copy = reads_as_copy(request.user, n.unit_id)
    return render(
        request,
        "supervision_web/notices.html",
        {
            "notices": rows,
            "proposal_notices": proposal_rows,
            "show": show,
            "states": STATES,
            # Their scope is the one proposal.supervise allows an office or admin: every row it
            # lists, so the button is not asked row by row (the close view asks again).
            "can_close": role in ("admin", "office"),
        },
    )


def _notice(request, pk: int, action: str) -> SupervisionNotice:
    """The notice, or 404; PermissionDenied unless the user may do `action` on it."""
    notice = get_object_or_404(SupervisionNotice.objects.select_related("plan", "task", "lead_unit"), pk=pk)
    require(request, action, notice)
    return notice


@login_required
def notice_detail(request, pk: int):
    """A notice: what, why, when due, its history and replies, and the moves the user may make."""
    notice = _notice(request, pk, "notice.view")
    manage = can(request.user, "notice.manage", notice)
    reply = can(request.user, "notice.reply", notice)
    moves = sorted(TRANSITIONS[notice.state]) if manage else []
    if reply and not manage and notice.state == "issued":
        moves = ["received"]
    leaders = leaders_reading(notice.plan) if "escalated" in moves else []
    return render(
        request,
        "supervision_web/notice.html",
        {
            "notice": notice,
            # Read as a copy (抄送): the page says so, and offers neither signing nor replying.
            "copy": reads_as_copy(request.user, notice.lead_unit_id),
            "states": STATES,
            "moves": [(m, STATES[m]) for m in moves if m != "replied" or manage],
            "leaders": leaders,
            "can_reply": reply,
            "transitions": _with_state_names(notice.transitions.select_related("by")),
            "replies": notice.replies.select_related("by", "unit"),
        },
    )


def _with_state_names(transitions) -> list:
    """Transitions with ``from_name`` and ``to_name``, the states as the page says them."""
    out = list(transitions)
    for t in out:
        t.from_name = _(STATES.get(t.from_state, t.from_state)) if t.from_state else ""
        t.to_name = _(STATES.get(t.to_state, t.to_state))
    return out


@login_required
@require_POST
def notice_move(request, pk: int):
    """Move a notice: the office any allowed move; the lead unit may sign for it (已签收)."""
    to = request.POST.get("to", "")
    notice = _notice(request, pk, "notice.view")
    if not (
        can(request.user, "notice.manage", notice)
        or (to == "received" and can(request.user, "notice.reply", notice))
    ):
        require(request, "notice.manage", notice)
    leader = None
    if to == "escalated":
        # Only a leader who can read the plan; anything else (a stranger, "abc") is no leader at all.
        chosen = parse_id(request.POST.get("leader"))
        leader = leaders_reading(notice.plan).filter(pk=chosen).first() if chosen else None
    try:
        services.move_notice(
            notice, to, request.user, services.today(), leader=leader, note=request.POST.get("note", "")
        )
        if to == "closed":
            audit.record("notice_close", request, detail=f"notice {notice.pk} {notice.number}")
        messages.success(
            request,
            _("%(number)s已改为“%(state)s”") % {"number": notice.number, "state": _(STATES.get(to, to))},
        )
    except services.NoticeError as e:
        messages.error(request, str(e))
    return redirect("supervision:notice", pk=notice.pk)


@login_required
@require_POST
def notice_reply(request, pk: int):
    """The lead unit's reply."""
    notice = _notice(request, pk, "notice.reply")
    try:
        services.reply(notice, request.user, request.POST.get("text", ""), services.today())
        messages.success(request, _("已回复"))
    except services.NoticeError as e:
        messages.error(request, str(e))
    return redirect("supervision:notice", pk=notice.pk)


@login_required
def notice_docx(request, pk: int):
    """The notice as a Word 督办单."""
    notice = _notice(request, pk, "notice.view")
    data = services.notice_docx(notice)
    audit.record("download", request, detail=f"notice {notice.pk} {notice.number}.docx")
    return download(data, f"notice-{notice.pk}.docx")


@login_required
def bulletin(request, pk: int):
    """A plan's bulletin for a period: figures and charts, and the produced files."""
    plan = get_object_or_404(Plan, pk=pk)
    require(request, "bulletin.view", plan)
    period = request.GET.get("period") or _default_period(plan)
    fig, error = None, ""
    try:
        fig = bulletins.figures(plan, period)
    except bulletins.BulletinError as e:
        error = str(e)
    produced = Bulletin.objects.filter(plan=plan, period=period)[:10] if not error else []
    return render(
        request,
        "supervision_web/bulletin.html",
        {
            "plan": plan,
            "period": period,
            "fig": fig,
            "error": error,
            "charts": _charts(fig) if fig else None,
            "bases": wording.bases(fig) if fig else [],
            "produced": produced,
            "formats": bulletins.FORMATS,
            "can_produce": can(request.user, "bulletin.produce", plan),
        },
        status=200 if fig else 422 if period else 200,
    )


def _charts(fig: bulletins.Figures) -> dict:
    """The charts' data with their titles and the standings in the page's language."""
    data = bulletins.charts(fig)
    for s in data["standings"]:
        s["name"] = _(s["name"])
    data["labels"] = {
        "standings": _("进度分类"),
        "rate": _("序时达标率"),
        "domain": _("分领域序时达标率"),
        "city": _("分城市序时达标率"),
        "unit": _("牵头单位序时达标率"),
    }
    return data


def _default_period(plan: Plan) -> str:
    """The last period due, the one the lights judge (its bulletin names who has not reported)."""
    return services.latest_period(plan, services.today()) or ""


@login_required
@require_POST
def bulletin_produce(request, pk: int):
    """Produce and store the bulletin's files (the same function as `luoshi bulletin`)."""
    plan = get_object_or_404(Plan, pk=pk)
    require(request, "bulletin.produce", plan)
    period = request.POST.get("period", "")
    try:
        bulletins.produce(plan, period, request.POST.getlist("format") or bulletins.FORMATS, request.user)
        messages.success(request, _("已生成%(period)s通报") % {"period": parse_period(period).label})
    except bulletins.BulletinError as e:
        messages.error(request, str(e))
    return redirect(f"{reverse('supervision:bulletin', args=[plan.pk])}?{urlencode({'period': period})}")


@login_required
def bulletin_file(request, pk: int, fmt: str):
    """Download one file of a produced bulletin."""
    row = get_object_or_404(Bulletin.objects.select_related("plan"), pk=pk)
    require(request, "bulletin.view", row.plan)
    if fmt not in bulletins.FORMATS or not getattr(row, fmt):
        raise Http404
    try:
        data = storage.read_bytes(getattr(row, fmt))  # an unreachable store: 503 (web.storage)
    except FileNotFoundError:
        raise Http404 from None
    audit.record("download", request, detail=f"bulletin {row.pk} plan {row.plan_id} {row.period}.{fmt}")
    return download(data, f"bulletin-{row.plan_id}-{row.period}.{fmt}")
