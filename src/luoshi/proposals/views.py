"""Proposal pages: the list with its deadline lights, one proposal with its history, and the steps.

Views stay thin: who may do what is `accounts.rules`, every step is `services` over the core, and a
refused step comes back as a message on the proposal's page with nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts import audit
from luoshi.accounts.rules import can, notices_of_proposal, proposals_in_scope, reads_as_copy, role_of
from luoshi.accounts.views import require
from luoshi.inbox.counts import stamp as inbox_stamp
from luoshi.ledger import pagecache
from luoshi.ledger.models import City, Unit
from luoshi.proposals import excel, feedback_link, list_units, listing, services, suggesting, supervising
from luoshi.proposals import handling as h
from luoshi.proposals.models import Communication, Kind, Proposal, Reply, State
from luoshi.proposals.services import HandlingError
from luoshi.web import clock
from luoshi.web.downloads import download
from luoshi.web.ids import parse_id


@login_required
def proposal_list(request):
    """Proposals the user may read, filtered by session, state, kind, unit, light or words."""
    require(request, "proposal.list")
    # Every proposal step writes a history row and every ledger change (a unit renamed) one of
    # its own: the newest ids of both, read once per request for the header, version the page.
    version = inbox_stamp(request)
    return pagecache.cached_page(request, "proposals", version, lambda: _list_page(request, version))


def _list_page(request, version: str):
    today = clock.today()
    f = listing.read_filters(request.GET)
    scope = proposals_in_scope(request.user)
    rows, warn_until = listing.filtered(scope, f, today)
    key = (request.user.pk, pagecache.scope_stamp(), version)
    count_key = ("proposals", *key, today, tuple(sorted(f.items())))
    page = listing.page(rows, request.GET.get("page"), count_key)
    unit_choices = []
    if role_of(request.user) in ("admin", "office", "committee", "leader"):
        unit_choices = listing.unit_choices(scope, key)
    query = request.GET.copy()
    query.pop("page", None)
    sessions = listing.session_choices(scope, key)
    return render(
        request,
        "proposals/list.html",
        {
            "page": page,
            # The stamp's first part is the newest ledger history id, the ledger's version.
            "rows": listing.rows_html(page.object_list, today, warn_until, int(version.split(".")[0])),
            "f": f,
            "session_options": listing.options(((s, s) for s in sessions), f["session"]),
            "state_options": listing.options(State.choices, f["state"]),
            "units": unit_choices,
            "unit_options": listing.options(unit_choices, f["unit"]),
            "query": query.urlencode(),
            "today": today,
            "can_register": can(request.user, "proposal.register"),
            "can_supervise": can(request.user, "proposal.supervise"),
            "can_stats": can(request.user, "proposal.stats"),
        },
    )


REGISTER_FIELDS = (
    "kind",
    "session",
    "number",
    "title",
    "proposer",
    "cosigners",
    "group",
    "category",
    "text",
    "leader",
)


def _members():
    """The accounts a proposal may be linked to: active members and deputies."""
    return get_user_model().objects.filter(is_active=True, profile__role="member").order_by("username")


@login_required
def register(request):
    """The committee registers (立案) one proposal; a refusal keeps what was typed and says why."""
    require(request, "proposal.register")
    values = {k: request.POST.get(k, "") for k in REGISTER_FIELDS}
    context = {
        "kinds": Kind.choices,
        "cities": City.objects.order_by("name"),
        "members": _members(),
        "v": values,
    }
    if request.method != "POST":
        return render(request, "proposals/register.html", context)
    post = request.POST
    try:
        submitted = _date(post.get("submitted", ""), clock.today()) if post.get("submitted") else None
        member = _members().filter(pk=parse_id(post.get("member")) or 0).first()
        if post.get("member") and member is None:
            raise HandlingError(_("所选委员账号不存在"))
        city = City.objects.filter(pk=parse_id(post.get("city")) or 0).first()
        p = services.register(
            request.user,
            on=clock.today(),
            city=city,
            member=member,
            request=request,
            kind=values["kind"],
            session=values["session"],
            number=values["number"],
            title=values["title"],
            proposer=values["proposer"],
            cosigners=[n for n in re.split(r"[、，,；;\s]+", values["cosigners"]) if n],
            group=values["group"],
            category=values["category"],
            text=values["text"],
            submitted=submitted,
            key=post.get("key") == "1",
            leader=values["leader"],
        )
    except HandlingError as e:
        context["error"] = str(e)
        return render(request, "proposals/register.html", context, status=400)
    messages.success(request, _("已登记"))
    return redirect("proposals:detail", pk=p.pk)


@login_required
@require_POST
def read_file(request):
    """Read one proposal from a .docx/.txt file into the registration form; nothing is registered yet."""
    require(request, "proposal.register")
    from luoshi.proposals import single

    context = {
        "kinds": Kind.choices,
        "cities": City.objects.order_by("name"),
        "members": _members(),
        "v": {k: request.POST.get(k, "")[:100] for k in ("kind", "session")},
    }
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise single.ProposalFileError(_("请选择提案文件（.docx 或 .txt）"))
        found = single.read(upload.read(single.MAX_BYTES + 1), upload.name)
    except single.ProposalFileError as e:
        context["error"] = _("无法读取提案文件：%(reason)s") % {"reason": e}
        return render(request, "proposals/register.html", context, status=400)
    context["v"].update(
        title=found.title,
        proposer=found.proposer,
        cosigners="、".join(found.cosigners),
        group=found.group,
        number=found.number,
        category=found.category,
        text=single.registration_text(found),
    )
    context["found"] = found
    return render(request, "proposals/register.html", context)


IMPORT_KEY = "proposal_import"


@login_required
def import_list(request):
    """Upload the committee's list; the review shows every row or every problem, nothing is registered yet."""
    require(request, "proposal.register")
    context = {"kinds": Kind.choices, "cities": City.objects.order_by("name")}
    if request.method != "POST":
        return render(request, "proposals/import.html", context)
    session = request.POST.get("session", "").strip()[:40]
    kind = request.POST.get("kind", "")
    city = City.objects.filter(pk=parse_id(request.POST.get("city")) or 0).first()
    upload = request.FILES.get("file")
    if not session:
        read = excel.ListRead(problems=[excel.Problem(0, "", _("请填写届次，如：十二届五次"))])
    elif upload is None:
        read = excel.ListRead(problems=[excel.Problem(0, "", _("请选择 Excel 文件"))])
    else:
        existing = tuple(Proposal.objects.filter(session=session, kind=kind).values_list("number", flat=True))
        data = upload.read(excel.MAX_BYTES + 1)
        read = excel.read_list(data, session=session, kind=kind, existing=existing)
    # The units the list names, found in the register; a name not found is a problem of the review.
    units = list_units.map_units(read, city)
    if read.ok:
        request.session[IMPORT_KEY] = {
            "rows": [
                {**r, "submitted": r["submitted"].isoformat() if r["submitted"] else None} for r in read.rows
            ],
            "units": [u.stored() for u in units],
            "city": city.pk if city else None,
            "session": session,
        }
    else:
        request.session.pop(IMPORT_KEY, None)
    context.update(
        read=read,
        reviewed=list(zip(read.rows, units, strict=True)) if read.ok else [],
        session=session,
        kind=kind,
        city=city,
    )
    return render(request, "proposals/import.html", context)


@login_required
@require_POST
def import_commit(request):
    """Register the reviewed list: all of it, or (on any refusal) none of it."""
    require(request, "proposal.register")
    pending = request.session.get(IMPORT_KEY)
    if not pending:
        messages.error(request, _("没有待确认的导入，请重新上传"))
        return redirect("proposals:import")
    rows = [
        {**r, "submitted": dt.date.fromisoformat(r["submitted"]) if r["submitted"] else None}
        for r in pending["rows"]
    ]
    city = City.objects.filter(pk=pending["city"]).first() if pending["city"] else None
    # A review stored before lists carried units has none to assign.
    assignments = pending.get("units") or [{"leads": [], "supports": [], "split": False}] * len(rows)
    try:
        done = services.register_and_assign(
            rows, assignments, request.user, on=clock.today(), city=city, request=request
        )
    except HandlingError as e:
        messages.error(request, _("导入未完成，没有登记任何提案：%s") % e)
        return redirect("proposals:import")
    request.session.pop(IMPORT_KEY, None)
    messages.success(request, _("已登记 %d 件") % len(done))
    return redirect(f"{reverse('proposals:list')}?{urlencode({'session': pending['session']})}")


def _proposal(request, pk: int, action: str) -> Proposal:
    """The proposal, or 404; PermissionDenied (recorded) unless the user may do `action` to it."""
    p = get_object_or_404(Proposal.objects.select_related("assignment", "city", "member"), pk=pk)
    require(request, action, p)
    return p


def _marked_copies(user, notices: list) -> list:
    """The notices, each with ``copy`` true where a unit reads it as 抄送 (addressed to another unit):
    the page marks those read-only, so the unit does not take them for notices it must answer."""
    for n in notices:
        n.copy = reads_as_copy(user, n.unit_id)
    return notices


def _own_unit(request) -> Unit | None:
    profile = getattr(request.user, "profile", None)
    return profile.unit if profile else None


@login_required
def proposal_detail(request, pk: int):
    """One proposal: what it asks, who handles it by when, what is owed, and everything done so far."""
    return _detail_page(request, _proposal(request, pk, "proposal.view"))


def _detail_page(request, p: Proposal, kept: dict | None = None, status: int = 200):
    """The proposal's page; ``kept`` holds a refused form's fields by the form's name, shown in it again."""
    today = clock.today()
    rules = services.rules_for(p)
    f = services.facts(p)
    colour, reason = h.light(f, today, rules)
    unit = _own_unit(request)
    may = {
        a: can(request.user, f"proposal.{a}", p)
        for a in ("assign", "adjust", "communicate", "opinion", "reply", "confirm", "rate", "supervise")
    }
    assign_units = _assignable(p).select_related("city").order_by("name") if may["assign"] else []
    open_adjustment = p.adjustments.filter(decision="").select_related("unit").first()
    # The suggestion is for the office that is about to 交办 (or re-assign after 调整), as the form.
    shows_assign = may["assign"] and (p.state == "registered" or open_adjustment is not None)
    events = list(p.events.select_related("by"))
    for e in events:
        e.before_name = _(h.STATES.get(e.before, e.before)) if e.before else ""
        e.after_name = _(h.STATES.get(e.after, e.after))
    return render(
        request,
        "proposals/detail.html",
        {
            "p": p,
            "f": f,
            "light": colour,
            "light_label": _(h.LIGHTS[colour]),
            "light_reason": reason,
            "pending": h.pending(f, today, rules),
            "assignments": p.assignments.prefetch_related("units__unit"),
            "communications": p.communications.select_related("unit", "by"),
            "opinions": p.opinions.select_related("unit", "by"),
            "replies": p.replies.select_related("unit", "by"),
            "ratings": p.ratings.all(),
            "adjustments": p.adjustments.select_related("unit", "by", "decided_by"),
            "notices": _marked_copies(
                request.user,
                supervising.with_actions(
                    notices_of_proposal(request.user, p).select_related("unit", "proposal", "escalated_to")
                ),
            ),
            "plan_progress": _plan_progress(request, p),
            "events": events,
            "may": may,
            "unit": unit,
            "warnings": h.reply_warnings(f, unit.name, today) if may["reply"] and unit else [],
            "assign_units": assign_units,
            "suggestions": suggesting.for_proposal(p, assign_units) if shows_assign else [],
            "open_adjustment": open_adjustment,
            "stages": h.STAGES,
            "methods": h.METHODS,
            "categories": h.CATEGORIES,
            "opinions_choices": h.OPINIONS,
            "feedback_due": h.feedback_due(f, rules),
            "members": _members() if can(request.user, "proposal.register") else [],
            "leaders": list(services.leader_accounts(p.city))
            if p.key and can(request.user, "proposal.link_leader", p)
            else [],
            "kept": kept or {},
            "kept_assign": _kept_assign((kept or {}).get("assign")),
        },
        status=status,
    )


def _kept_assign(sent) -> dict:
    """The 交办 form as it was sent and refused (units ticked, mode, decision, note), or its defaults."""
    if sent is None:
        return {"leads": set(), "supports": set(), "mode": "lead", "decision": "granted", "note": ""}
    return {
        "leads": {parse_id(v) for v in sent.getlist("leads")} - {None},
        "supports": {parse_id(v) for v in sent.getlist("supports")} - {None},
        "mode": "split" if sent.get("mode") == "split" else "lead",
        "decision": "refused" if sent.get("decision") == "refused" else "granted",
        "note": sent.get("note", ""),
    }


def _plan_progress(request, p: Proposal) -> list[tuple[str, int]] | None:
    """The handling plan's chased tasks counted by status, for readers of the plan."""
    if p.plan_id is None or not can(request.user, "plan.view", p.plan):
        return None
    from django.db.models import Count

    from luoshi.ledger.models import Status, Task

    counts = dict(
        Task.objects.chased().filter(plan=p.plan).values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in Status.choices] if counts else []


def _units_from(request, name: str, allowed) -> list[Unit]:
    """The units chosen in a form field, each one of `allowed`; anything else is refused."""
    ids = [parse_id(v) for v in request.POST.getlist(name)]
    if any(i is None for i in ids):
        raise HandlingError(_("所选单位不正确"))
    found = {u.pk: u for u in allowed.filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise HandlingError(_("所选单位不存在或不在本市范围内"))
    return [found[i] for i in dict.fromkeys(ids)]


def _assignable(p: Proposal):
    return Unit.objects.filter(Q(city=p.city) | Q(city__isnull=True)) if p.city_id else Unit.objects.all()


def _done(request, p: Proposal, step, ok: str, form: str = ""):
    """Run a step; its refusal becomes the page's error message, and the page shows ``form`` again
    with what was typed in it (a reply drafted at length is not lost to a missing category)."""
    try:
        step()
        messages.success(request, ok)
    except HandlingError as e:
        messages.error(request, str(e))
        if form:
            return _detail_page(request, p, {form: request.POST}, status=400)
    return redirect("proposals:detail", pk=p.pk)


@login_required
@require_POST
def assign(request, pk: int):
    """交办, or the office's decision on a 调整 request (granted with the new units, or refused)."""
    p = _proposal(request, pk, "proposal.assign")
    decision = request.POST.get("decision", "")
    split = request.POST.get("mode") == "split"

    def step():
        if decision == "refused":
            services.decide_adjustment(
                p, request.user, False, clock.today(), note=request.POST.get("note", ""), request=request
            )
            return
        leads = _units_from(request, "leads", _assignable(p))
        supports = _units_from(request, "supports", _assignable(p))
        if decision == "granted":
            services.decide_adjustment(
                p,
                request.user,
                True,
                clock.today(),
                note=request.POST.get("note", ""),
                leads=leads,
                supports=supports,
                split=split,
                request=request,
            )
        else:
            services.assign(p, request.user, clock.today(), leads, supports, split, request=request)

    return _done(request, p, step, _("已交办") if not decision else _("已处理调整申请"), form="assign")


@login_required
@require_POST
def member(request, pk: int):
    """The committee links the proposal to the member's account, so the member follows and rates it."""
    p = get_object_or_404(Proposal, pk=pk)
    require(request, "proposal.register")
    require(request, "proposal.view", p)
    raw = request.POST.get("member", "")
    account = _members().filter(pk=parse_id(raw) or 0).first()

    def step():
        if raw and account is None:
            raise HandlingError(_("所选委员账号不存在"))
        services.link_member(p, request.user, account, clock.today(), request=request)

    return _done(request, p, step, _("已更新委员账号"))


@login_required
@require_POST
def leader(request, pk: int):
    """Link a key proposal's 领衔督办 leader to a leader's account of its city (or unlink it)."""
    p = _proposal(request, pk, "proposal.link_leader")
    raw = request.POST.get("leader", "")
    account = services.leader_accounts(p.city).filter(pk=parse_id(raw) or 0).first()

    def step():
        # A proposal that is not key is refused by the core, whoever calls it.
        if raw and account is None:
            raise HandlingError(_("所选账号不是该市的领导"))
        services.link_leader(p, request.user, account, clock.today(), request=request)

    return _done(request, p, step, _("已更新督办领导账号"))


@login_required
@require_POST
def adjust(request, pk: int):
    """A handling unit asks for 调整."""
    p = _proposal(request, pk, "proposal.adjust")
    unit = _own_unit(request)
    return _done(
        request,
        p,
        lambda: services.request_adjustment(
            p, request.user, unit, request.POST.get("reason", ""), clock.today(), request=request
        ),
        _("已提交调整申请"),
        form="adjust",
    )


def _date(raw: str, today: dt.date) -> dt.date:
    """A date typed in a form: not in the future, not before 2000."""
    try:
        day = dt.date.fromisoformat((raw or "").strip()) if raw else today
    except ValueError:
        raise HandlingError(_("日期格式不正确，应为 2024-04-10")) from None
    if not dt.date(2000, 1, 1) <= day <= today:
        raise HandlingError(_("日期不能晚于今天"))
    return day


@login_required
@require_POST
def communicate(request, pk: int):
    """A handling unit logs a contact with the member."""
    p = _proposal(request, pk, "proposal.communicate")
    unit = _own_unit(request)
    post = request.POST
    return _done(
        request,
        p,
        lambda: services.log_communication(
            p,
            request.user,
            unit,
            post.get("stage", ""),
            post.get("method", ""),
            _date(post.get("on", ""), clock.today()),
            post.get("summary", ""),
            request=request,
        ),
        _("已记录沟通情况"),
        form="communicate",
    )


@login_required
@require_POST
def confirm(request, pk: int, cid: int):
    """The member confirms a contact."""
    p = _proposal(request, pk, "proposal.confirm")
    c = get_object_or_404(Communication, pk=cid, proposal=p)
    return _done(
        request,
        p,
        lambda: services.confirm_communication(p, request.user, c, clock.today(), request=request),
        _("已确认"),
    )


@login_required
@require_POST
def opinion(request, pk: int):
    """A 会办 unit sends its opinion to the 主办 unit."""
    p = _proposal(request, pk, "proposal.opinion")
    unit = _own_unit(request)
    return _done(
        request,
        p,
        lambda: services.submit_opinion(
            p, request.user, unit, request.POST.get("text", ""), clock.today(), request=request
        ),
        _("已提交会办意见"),
        form="opinion",
    )


@login_required
@require_POST
def reply(request, pk: int):
    """The 主办 (or a 分办) unit's reply with its category."""
    p = _proposal(request, pk, "proposal.reply")
    unit = _own_unit(request)
    post = request.POST
    return _done(
        request,
        p,
        lambda: services.reply(
            p,
            request.user,
            unit,
            post.get("category", ""),
            post.get("text", ""),
            clock.today(),
            signer=post.get("signer", ""),
            contact=post.get("contact", ""),
            doc_number=post.get("doc_number", ""),
            public=post.get("public") == "1",
            request=request,
        ),
        _("已答复"),
        form="reply",
    )


@login_required
def letter(request, pk: int, rid: int):
    """A reply as its Word letter (答复函), for anyone who may read the proposal; the member's
    feedback link is printed on it only for the unit that sends it and for the member."""
    p = _proposal(request, pk, "proposal.view")
    r = get_object_or_404(Reply.objects.select_related("proposal"), pk=rid, proposal=p)
    link = ""
    if feedback_link.may_hold(request.user, p, r):
        link = request.build_absolute_uri(
            reverse("proposals:feedback", args=[feedback_link.token(p.pk, r.round)])
        )
    data = services.letter_docx(r, link)
    audit.record("download", request, detail=f"proposal {p.pk} reply {r.pk}.docx")
    return download(data, f"reply-{p.pk}-{r.pk}.docx")


@login_required
@require_POST
def rate(request, pk: int):
    """The member rates the handling."""
    p = _proposal(request, pk, "proposal.rate")
    post = request.POST
    return _done(
        request,
        p,
        lambda: services.rate(
            p,
            request.user,
            post.get("attitude", ""),
            post.get("result", ""),
            clock.today(),
            post.get("comment", ""),
            request=request,
        ),
        _("已提交评价"),
        form="rate",
    )
