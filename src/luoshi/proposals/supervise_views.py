"""督办 pages for proposals: drafts from red lights, issuing the ticked ones, the Word 督办单."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import notices_of_proposal, proposals_in_scope
from luoshi.accounts.views import require
from luoshi.proposals import supervising
from luoshi.proposals.models import Proposal, ProposalNotice
from luoshi.supervision.notices import STATES
from luoshi.web import clock
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id


@login_required
def supervise(request):
    """Drafts for proposals whose reply is overdue (GET), and issuing the ticked ones (POST)."""
    require(request, "proposal.supervise")
    on = clock.today()
    if request.method == "POST":
        chosen = [
            int(x) for x in request.POST.getlist("proposal") if x.isascii() and x.isdigit() and len(x) < 12
        ]
        if not chosen:
            # Nothing is ticked in advance: a notice goes out only for a proposal the office chose.
            messages.error(request, _("未选择提案，没有下发督办单"))
            return redirect("proposals:supervise")
        try:
            issued = supervising.issue(request.user, chosen, on, request=request)
        except supervising.SuperviseError as e:
            messages.error(request, str(e))
            return redirect("proposals:supervise")
        messages.success(
            request,
            ngettext("已下发督办单%(n)d份：%(numbers)s", "已下发督办单%(n)d份：%(numbers)s", len(issued))
            % {"n": len(issued), "numbers": "、".join(n.number for n in issued) or _("无")},
        )
        return redirect("proposals:supervise")
    # The page's scope is proposal.supervise's (an office its cities', admins all): every row may
    # be closed or escalated by whoever sees the table (the action views ask again).
    notices = supervising.with_actions(
        ProposalNotice.objects.filter(proposal__in=proposals_in_scope(request.user)).select_related(
            "proposal", "unit", "escalated_to"
        )[:200]
    )
    return render(
        request,
        "proposals/supervise.html",
        {
            "drafts": supervising.propose(request.user, on),
            "notices": notices,
            "states": STATES,
            "on": on,
        },
    )


@login_required
def notice_docx(request, pk: int, nid: int):
    """A proposal's 督办单 as Word, for whoever may read it on the proposal's page."""
    p = get_object_or_404(Proposal, pk=pk)
    require(request, "proposal.view", p)
    notice = get_object_or_404(
        notices_of_proposal(request.user, p).select_related("unit", "proposal"), pk=nid
    )
    data = supervising.notice_docx(notice)
    audit.record("download", request, detail=f"proposal {p.pk} notice {notice.pk}.docx")
    return download(data, f"notice-{p.pk}-{notice.pk}.docx")


@login_required
@require_POST
def notice_close(request, pk: int, nid: int):
    """办结 a replied 督办单: the office of the proposal's city and admins (``proposal.supervise``)."""
    p = get_object_or_404(Proposal, pk=pk)
    require(request, "proposal.supervise", p)
    notice = get_object_or_404(ProposalNotice.objects.select_related("unit", "proposal"), pk=nid, proposal=p)
    try:
        supervising.close(request.user, notice, clock.today(), request=request)
        audit.record("notice_close", request, detail=f"proposal {p.pk} notice {notice.pk} {notice.number}")
        messages.success(request, _("%(number)s已办结") % {"number": notice.number})
    except supervising.SuperviseError as e:
        messages.error(request, str(e))
    return _back(request, p)


@login_required
@require_POST
def notice_escalate(request, pk: int, nid: int):
    """提级督办 a notice to a leader of the proposal's city (the office of that city and admins)."""
    p = get_object_or_404(Proposal, pk=pk)
    require(request, "proposal.supervise", p)
    notice = get_object_or_404(ProposalNotice.objects.select_related("unit", "proposal"), pk=nid, proposal=p)
    # Only a leader who reads the city; anything else ("abc", a stranger's id) is no leader at all.
    chosen = parse_id(request.POST.get("leader"))
    leader = supervising.leaders_for(notice).filter(pk=chosen).first() if chosen else None
    try:
        supervising.escalate(request.user, notice, leader, clock.today(), request=request)
        audit.record(
            "notice_escalate",
            request,
            detail=f"proposal {p.pk} notice {notice.pk} {notice.number} → {leader}",
        )
        messages.success(request, _("%(number)s已提级督办") % {"number": notice.number})
    except supervising.SuperviseError as e:
        messages.error(request, str(e))
    return _back(request, p)


def _back(request, p: Proposal):
    """Back to the page the button was on (notices, 督办 or the proposal), never off the site."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("proposals:detail", pk=p.pk)
