"""API endpoints for proposals: list and filter, one proposal, the handling steps and 督办.

The same rules as the pages (`accounts.rules`): the list is the user's scope, every step asks
`can`, and every step runs through `proposals.services` over the handling core, so a refusal
(HTTP 400 with the core's message) writes nothing and a success is in the proposal's history.
A 督办单 is closed or escalated through `proposals.supervising`, as the 督办 pages do it.
"""

# No `from __future__ import annotations`: ninja reads the parameter annotations at import time.
import datetime as dt
from typing import Literal

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from luoshi.accounts import audit
from luoshi.accounts.rules import can, notices_of_proposal, proposals_in_scope
from luoshi.api.ledger import Pages
from luoshi.ledger.models import Unit
from luoshi.proposals import handling as h
from luoshi.proposals import services, suggesting, supervising
from luoshi.proposals.listing import filtered
from luoshi.proposals.models import AssignedUnit, Proposal, ProposalNotice
from luoshi.web import clock
from luoshi.web.ids import MAX_ID

router = Router(tags=["proposals"])


class _Fields(Schema):
    id: int
    kind: str
    number: str
    session: str
    title: str
    proposer: str
    group: str
    category: str
    key: bool
    state: str
    round: int
    reply_due: dt.date | None
    leads: list[str]
    supports: list[str]


class ProposalOut(_Fields):
    @staticmethod
    def resolve_leads(obj: Proposal) -> list[str]:
        units = obj.assignment.units.all() if obj.assignment_id else []
        return [u.unit.name for u in units if u.role == "lead"]

    @staticmethod
    def resolve_supports(obj: Proposal) -> list[str]:
        units = obj.assignment.units.all() if obj.assignment_id else []
        return [u.unit.name for u in units if u.role == "support"]


class EventOut(Schema):
    on: dt.date
    action: str
    by: str
    before: str
    after: str
    detail: str


class ProposalDetailOut(_Fields):
    # 领衔督办: the leader as written, and the leader's account linked to it (id and user name).
    leader: str
    leader_account_id: int | None
    leader_account: str | None
    cosigners: list[str]
    text: str
    light: str
    light_reason: str
    history: list[EventOut]


class SimilarOut(Schema):
    """The closest past proposal the unit led."""

    proposal_id: int | None
    number: str
    title: str


class SuggestedUnitOut(Schema):
    id: int
    name: str
    score: float
    reasons: list[str]
    similar: SimilarOut | None
    remit_words: list[str]
    led: int


class SuggestionOut(Schema):
    units: list[SuggestedUnitOut]


class NoticeOut(Schema):
    """A 督办单 on the proposal, as its page lists it."""

    id: int
    number: str
    unit_id: int
    unit: str
    reason: str
    issued_on: dt.date
    reply_due: dt.date
    state: str
    replied_on: dt.date | None
    escalated_to: str | None
    copied_to: list[str]

    @staticmethod
    def resolve_unit(obj: ProposalNotice) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_copied_to(obj: ProposalNotice) -> list[str]:
        """The units named under 抄送, as the Word file prints them (read with the list, or now)."""
        copied = getattr(obj, "copied", None)
        return supervising.copied_to(obj) if copied is None else copied

    @staticmethod
    def resolve_escalated_to(obj: ProposalNotice) -> str | None:
        return obj.escalated_to.get_username() if obj.escalated_to_id else None


class EscalateIn(Schema):
    """The leader (a user id) a 督办单 is escalated to: one who reads the proposal's city."""

    leader: int = Field(..., ge=1, le=MAX_ID)


class LeaderIn(Schema):
    """The 领衔督办 leader's account (a user id, as 提级督办 names one): an active leader who
    reads the proposal's city, or null to unlink it. Strict, so ``true`` or ``"5"`` is no id."""

    leader: int | None = Field(..., ge=1, le=MAX_ID, strict=True)


class ProposalFilter(Schema):
    session: str | None = Field(None, max_length=40)
    state: str | None = Field(None, max_length=12)
    kind: str | None = Field(None, max_length=10)
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    light: Literal["red", "yellow"] | None = None
    q: str | None = Field(None, max_length=100)


class AssignIn(Schema):
    leads: list[int] = Field(..., min_length=1, max_length=20)
    supports: list[int] = Field([], max_length=20)
    split: bool = False


class CommunicationIn(Schema):
    stage: str = Field(..., max_length=8)
    method: str = Field(..., max_length=8)
    summary: str = Field(..., max_length=20000)


class ReplyIn(Schema):
    category: str = Field(..., max_length=1)
    text: str = Field(..., max_length=h.MAX_TEXT)
    signer: str = Field("", max_length=50)
    contact: str = Field("", max_length=100)
    doc_number: str = Field("", max_length=60)
    public: bool = False


class RatingIn(Schema):
    attitude: str = Field(..., max_length=8)
    result: str = Field(..., max_length=8)
    comment: str = Field("", max_length=5000)


def _proposal(request, pk: int, action: str) -> Proposal:
    p = get_object_or_404(Proposal.objects.select_related("assignment", "leader_account"), pk=pk)
    if not can(request.auth, action, p):
        audit.record("permission_denied", request, user=request.auth, detail=f"api {action} {p.pk}")
        raise HttpError(403, "permission denied")
    return p


def _unit(request) -> Unit:
    profile = getattr(request.auth, "profile", None)
    if profile is None or profile.unit is None:
        raise HttpError(403, "permission denied")
    return profile.unit


def _step(request, p: Proposal, run) -> dict:
    """Run a step; the core's refusal is a 400 with its message, and nothing is written."""
    try:
        run()
    except services.HandlingError as e:
        raise HttpError(400, str(e)) from None
    return _detail(Proposal.objects.select_related("assignment", "leader_account").get(pk=p.pk))


def _detail(p: Proposal) -> dict:
    f = services.facts(p)
    colour, reason = h.light(f, clock.today(), services.rules_for(p))
    a = f.assignment
    account = p.leader_account
    return {
        **{k: getattr(p, k) for k in ("id", "kind", "number", "session", "title", "proposer", "group")},
        **{k: getattr(p, k) for k in ("category", "key", "state", "round", "reply_due", "text", "leader")},
        "leader_account_id": p.leader_account_id,
        "leader_account": account.get_username() if account is not None else None,
        "cosigners": p.cosigner_list,
        "leads": list(a.leads) if a else [],
        "supports": list(a.supports) if a else [],
        "light": colour,
        "light_reason": reason,
        "history": [
            {
                "on": e.on,
                "action": e.action,
                "by": e.by,
                "before": e.before,
                "after": e.after,
                "detail": e.detail,
            }
            for e in f.history
        ],
    }


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pages)
def list_proposals(request, filters: Query[ProposalFilter]):
    f = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    audit.record("api_read", request, user=request.auth, detail=f"proposals {f}"[:2000])
    rows, _warn = filtered(proposals_in_scope(request.auth), f, clock.today())
    units = Prefetch(
        "assignment__units", AssignedUnit.objects.select_related("unit").order_by("role", "position")
    )
    return (
        rows.select_related("assignment")
        .prefetch_related(units)
        .defer("text")
        .order_by("session", "number_key", "id")
    )


@router.get("/proposals/{proposal_id}", response=ProposalDetailOut)
def get_proposal(request, proposal_id: int):
    return _detail(_proposal(request, proposal_id, "proposal.view"))


@router.get("/proposals/{proposal_id}/notices", response=list[NoticeOut])
def list_notices(request, proposal_id: int):
    """The proposal's 督办单 the user may read (``rules.notices_of_proposal``, as its page shows
    them), newest first; a reader of the proposal who reads none of them gets an empty list."""
    p = _proposal(request, proposal_id, "proposal.view")
    audit.record("api_read", request, user=request.auth, detail=f"proposal {p.pk} notices")
    rows = notices_of_proposal(request.auth, p).select_related("unit", "escalated_to")
    # A proposal gets at most one open notice per unit at a time: the list stays short.
    notices = list(rows.order_by("-issued_on", "-id")[:500])
    copied = supervising.copied_to_each(notices)
    for n in notices:
        n.copied = copied.get(n.pk, [])
    return notices


def _assignable(p: Proposal):
    """The units a proposal may go to: those of its city and those without one (any, without a city)."""
    return Unit.objects.filter(Q(city=p.city) | Q(city__isnull=True)) if p.city_id else Unit.objects.all()


@router.get("/proposals/{proposal_id}/suggestion", response=SuggestionOut)
def suggestion(request, proposal_id: int):
    """The three most likely 主办 units with their reasons, for whoever may 交办 the proposal."""
    p = _proposal(request, proposal_id, "proposal.assign")
    audit.record("api_read", request, user=request.auth, detail=f"proposal {p.pk} suggestion")
    units = _assignable(p).order_by("name")
    return {
        "units": [
            {
                "id": unit.pk,
                "name": unit.name,
                "score": round(s.score, 4),
                "reasons": s.reasons,
                "similar": (
                    {"proposal_id": s.similar.key, "number": s.similar.number, "title": s.similar.title}
                    if s.similar is not None
                    else None
                ),
                "remit_words": list(s.remit_words),
                "led": s.led,
            }
            for unit, s in suggesting.for_proposal(p, units)
        ]
    }


@router.post("/proposals/{proposal_id}/assign", response=ProposalDetailOut)
def assign(request, proposal_id: int, body: AssignIn):
    """交办 to unit ids (one lead, or several with split) and 会办 units, of the proposal's city."""
    p = _proposal(request, proposal_id, "proposal.assign")
    allowed = _assignable(p)
    wanted = [*body.leads, *body.supports]
    found = {u.pk: u for u in allowed.filter(pk__in=wanted)}
    if len(found) != len(set(wanted)):
        raise HttpError(400, "所选单位不存在或不在本市范围内")
    leads = [found[i] for i in dict.fromkeys(body.leads)]
    supports = [found[i] for i in dict.fromkeys(body.supports)]
    return _step(
        request,
        p,
        lambda: services.assign(p, request.auth, clock.today(), leads, supports, body.split, request=request),
    )


@router.post("/proposals/{proposal_id}/communications", response=ProposalDetailOut)
def log_communication(request, proposal_id: int, body: CommunicationIn):
    """A contact with the member, logged by one of the proposal's units today."""
    p = _proposal(request, proposal_id, "proposal.communicate")
    unit = _unit(request)
    return _step(
        request,
        p,
        lambda: services.log_communication(
            p, request.auth, unit, body.stage, body.method, clock.today(), body.summary, request=request
        ),
    )


@router.post("/proposals/{proposal_id}/replies", response=ProposalDetailOut)
def reply(request, proposal_id: int, body: ReplyIn):
    """The 主办 (or a 分办) unit's reply with its category A/B/C."""
    p = _proposal(request, proposal_id, "proposal.reply")
    unit = _unit(request)
    return _step(
        request,
        p,
        lambda: services.reply(
            p,
            request.auth,
            unit,
            body.category,
            body.text,
            clock.today(),
            signer=body.signer,
            contact=body.contact,
            doc_number=body.doc_number,
            public=body.public,
            request=request,
        ),
    )


@router.post("/proposals/{proposal_id}/rating", response=ProposalDetailOut)
def rate(request, proposal_id: int, body: RatingIn):
    """The member's rating of the handling (办理态度, 办理结果: 满意/基本满意/不满意)."""
    p = _proposal(request, proposal_id, "proposal.rate")
    return _step(
        request,
        p,
        lambda: services.rate(
            p, request.auth, body.attitude, body.result, clock.today(), body.comment, request=request
        ),
    )


@router.post("/proposals/{proposal_id}/leader", response=ProposalDetailOut)
def link_leader(request, proposal_id: int, body: LeaderIn):
    """Link a key proposal's 领衔督办 leader to a leader's account of its city (null unlinks it),
    as its page does: the committee, the office of its city and admins (``proposal.link_leader``).
    A proposal that is not key, an id that is no active leader reading its city, or the account
    already linked is a 400 and nothing is written."""
    p = _proposal(request, proposal_id, "proposal.link_leader")
    # Looked up among the city's leaders only: any other id (a stranger, an office, another
    # city's leader, an inactive one) is refused, never taken for null.
    account = None if body.leader is None else services.leader_accounts(p.city).filter(pk=body.leader).first()

    def run():
        if body.leader is not None and account is None:
            raise services.HandlingError("所选账号不是该市的领导")
        services.link_leader(p, request.auth, account, clock.today(), request=request)

    return _step(request, p, run)


def _notice(request, proposal_id: int, notice_id: int) -> tuple[Proposal, ProposalNotice]:
    """The proposal, if the user may 督办 it, and one of its notices (another proposal's is a 404)."""
    p = _proposal(request, proposal_id, "proposal.supervise")
    notice = get_object_or_404(
        notices_of_proposal(request.auth, p).select_related("unit", "proposal", "escalated_to"), pk=notice_id
    )
    return p, notice


@router.post("/proposals/{proposal_id}/notices/{notice_id}/close", response=NoticeOut)
def close_notice(request, proposal_id: int, notice_id: int):
    """办结 a 督办单 its unit has answered, as the 督办 page does: the office of the proposal's city
    and admins; a notice not yet answered or already closed is a 400 and nothing is written."""
    p, notice = _notice(request, proposal_id, notice_id)
    try:
        supervising.close(request.auth, notice, clock.today(), request=request)
    except supervising.SuperviseError as e:
        raise HttpError(400, str(e)) from None
    audit.record(
        "notice_close",
        request,
        user=request.auth,
        detail=f"api proposal {p.pk} notice {notice.pk} {notice.number}",
    )
    return notice


@router.post("/proposals/{proposal_id}/notices/{notice_id}/escalate", response=NoticeOut)
def escalate_notice(request, proposal_id: int, notice_id: int, body: EscalateIn):
    """提级督办 a 督办单 to a leader who reads the proposal's city, as the 督办 page does: the office
    of that city and admins; anyone else as the leader, or a closed or already escalated notice,
    is a 400 and nothing is written."""
    p, notice = _notice(request, proposal_id, notice_id)
    # Only a leader of the city; any other id (a stranger, an office, another city's leader) is none.
    leader = supervising.leaders_for(notice).filter(pk=body.leader).first()
    try:
        supervising.escalate(request.auth, notice, leader, clock.today(), request=request)
    except supervising.SuperviseError as e:
        raise HttpError(400, str(e)) from None
    audit.record(
        "notice_escalate",
        request,
        user=request.auth,
        detail=f"api proposal {p.pk} notice {notice.pk} {notice.number} → {leader}",
    )
    return notice
