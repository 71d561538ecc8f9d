"""Running the handling core on stored proposals.

Each step works the same way:

1. lock the proposal row and read it, with everything done about it, as a `handling.Proposal`;
2. run the core's step, which refuses (HandlingError, nothing written) or returns the proposal
   with new entries appended (and, for a confirmation or a decision, one entry completed);
3. write the new entries as rows, the new history events, and the proposal's mirrored state,
   all in one transaction, plus one audit-log line.

Units are named in the core and stored as `Unit` rows; a proposal never has two units of one name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from luoshi.accounts.audit import client_ip, record
from luoshi.accounts.models import AuditLog
from luoshi.accounts.rules import leaders_reading
from luoshi.ledger.models import Unit
from luoshi.proposals import handling as h
from luoshi.proposals.models import (
    AdjustRequest,
    AssignedUnit,
    Assignment,
    Communication,
    HandlingRules,
    Proposal,
    ProposalEvent,
    Rating,
    Reply,
    SupportOpinion,
)

HandlingError = h.HandlingError


def rules_for(proposal: Proposal) -> h.Rules:
    """The proposal's city's rules, else the default row's, else the usual deadlines."""
    rows = {
        r.city_id: r for r in HandlingRules.objects.filter(Q(city__isnull=True) | Q(city_id=proposal.city_id))
    }
    row = rows.get(proposal.city_id) or rows.get(None)
    return row.as_rules() if row else h.Rules()


def _name(user) -> str:
    return user.get_username() if user is not None else ""


def facts(p: Proposal) -> h.Proposal:
    """The stored proposal as the core's value."""
    assignments = []
    # Two queries whatever the assignments: their officers joined, their units with their names.
    units_of = Prefetch("units", AssignedUnit.objects.select_related("unit"))
    for a in p.assignments.select_related("by").prefetch_related(units_of).order_by("on", "id"):
        units = sorted(a.units.all(), key=lambda u: u.position)
        assignments.append(
            h.Assignment(
                a.mode,
                tuple(u.unit.name for u in units if u.role == AssignedUnit.Role.LEAD),
                tuple(u.unit.name for u in units if u.role == AssignedUnit.Role.SUPPORT),
                a.on,
                h.Deadlines(a.reply_due, a.support_due, a.pre_contact_due, a.adjust_until, a.holiday_data),
                _name(a.by),
            )
        )
    rel = ("unit", "by")
    return h.Proposal(
        number=p.number,
        session=p.session,
        kind=p.kind,
        title=p.title,
        proposer=p.proposer,
        cosigners=tuple(p.cosigner_list),
        group=p.group,
        text=p.text,
        category=p.category,
        submitted=p.submitted,
        key=p.key,
        leader=p.leader,
        state=p.state,
        rehandle_due=p.rehandle_due,
        assignments=tuple(assignments),
        communications=tuple(
            h.Communication(c.unit.name, c.stage, c.method, c.on, c.summary, _name(c.by), c.confirmed)
            for c in p.communications.select_related(*rel).order_by("id")
        ),
        opinions=tuple(
            h.SupportOpinion(o.unit.name, o.on, o.text, o.late, _name(o.by))
            for o in p.opinions.select_related(*rel).order_by("id")
        ),
        replies=tuple(
            h.Reply(
                r.unit.name,
                r.category,
                r.on,
                r.text,
                r.signer,
                r.contact,
                r.public,
                r.late,
                r.round,
                _name(r.by),
                r.doc_number,
            )
            for r in p.replies.select_related(*rel).order_by("id")
        ),
        ratings=tuple(
            h.Rating(r.attitude, r.result, r.on, r.comment, r.late, r.round, _name(r.by))
            for r in p.ratings.select_related("by").order_by("id")
        ),
        adjustments=tuple(
            h.AdjustRequest(
                r.unit.name, r.reason, r.on, _name(r.by), r.decision, r.decided, r.note, _name(r.decided_by)
            )
            for r in p.adjustments.select_related("unit", "by", "decided_by").order_by("id")
        ),
        history=tuple(
            h.Event(e.on, e.action, e.by_name, e.before, e.after, e.detail) for e in p.events.order_by("seq")
        ),
    )


def _unit_map(p: Proposal, extra: Iterable[Unit] = ()) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    known = Unit.objects.filter(proposal_assignments__assignment__proposal=p).distinct()
    for u in [*known, *extra]:
        if u.name in units and units[u.name].pk != u.pk:
            raise HandlingError(f"两个单位同名“{u.name}”，请先在组织机构中区分")
        units[u.name] = u
    return units


def _write(
    row: Proposal, before: h.Proposal, after: h.Proposal, user, units: dict[str, Unit], request=None
) -> None:
    """Store what the step added (and the entries it completed) and mirror the new state."""
    for a in after.assignments[len(before.assignments) :]:
        d = a.deadlines
        arow = Assignment.objects.create(
            proposal=row,
            mode=a.mode,
            on=a.on,
            reply_due=d.reply,
            support_due=d.support,
            pre_contact_due=d.pre_contact,
            adjust_until=d.adjust_until,
            holiday_data=d.holiday_data,
            by=user,
        )
        AssignedUnit.objects.bulk_create(
            [
                AssignedUnit(assignment=arow, unit=units[n], role="lead", position=i)
                for i, n in enumerate(a.leads)
            ]
            + [
                AssignedUnit(assignment=arow, unit=units[n], role="support", position=i)
                for i, n in enumerate(a.supports)
            ]
        )
        row.assignment = arow
    for c in after.communications[len(before.communications) :]:
        Communication.objects.create(
            proposal=row,
            unit=units[c.unit],
            stage=c.stage,
            method=c.method,
            on=c.on,
            summary=c.summary,
            by=user,
        )
    # The stored rows are read only when the step completed one (a confirmation).
    changed = any(
        a.confirmed != b.confirmed for b, a in zip(before.communications, after.communications, strict=False)
    )
    old = list(row.communications.order_by("id")) if changed else []
    for stored, b, a in zip(old, before.communications, after.communications, strict=False):
        if a.confirmed != b.confirmed:
            # Filled once: the core refuses a second confirmation.
            Communication.objects.filter(pk=stored.pk, confirmed__isnull=True).update(confirmed=a.confirmed)
    for o in after.opinions[len(before.opinions) :]:
        SupportOpinion.objects.create(
            proposal=row, unit=units[o.unit], on=o.on, text=o.text, late=o.late, by=user
        )
    for r in after.replies[len(before.replies) :]:
        Reply.objects.create(
            proposal=row,
            unit=units[r.unit],
            category=r.category,
            on=r.on,
            text=r.text,
            signer=r.signer,
            contact=r.contact,
            doc_number=r.doc_number,
            public=r.public,
            late=r.late,
            round=r.round,
            by=user,
        )
    for r in after.ratings[len(before.ratings) :]:
        Rating.objects.create(
            proposal=row,
            attitude=r.attitude,
            result=r.result,
            on=r.on,
            comment=r.comment,
            late=r.late,
            round=r.round,
            by=user,
        )
    for r in after.adjustments[len(before.adjustments) :]:
        AdjustRequest.objects.create(proposal=row, unit=units[r.unit], reason=r.reason, on=r.on, by=user)
    changed = any(
        a.decision != b.decision for b, a in zip(before.adjustments, after.adjustments, strict=False)
    )
    old = list(row.adjustments.order_by("id")) if changed else []
    for stored, b, a in zip(old, before.adjustments, after.adjustments, strict=False):
        if a.decision != b.decision:
            AdjustRequest.objects.filter(pk=stored.pk, decision="").update(
                decision=a.decision, decided=a.decided, note=a.note, decided_by=user
            )
    new_events = after.history[len(before.history) :]
    ProposalEvent.objects.bulk_create(
        [
            ProposalEvent(
                proposal=row,
                seq=len(before.history) + i + 1,
                on=e.on,
                action=e.action,
                by=user,
                by_name=_name(user),
                before=e.before,
                after=e.after,
                detail=e.detail,
            )
            for i, e in enumerate(new_events)
        ]
    )
    row.state = after.state
    row.round = after.round
    row.reply_due = after.reply_due()
    row.rehandle_due = after.rehandle_due
    row.save(update_fields=["state", "round", "reply_due", "rehandle_due", "assignment"])
    for e in new_events:
        line = f"{row.pk} {e.action} {e.before}→{e.after}"
        # Linking an account lets that account read the proposal: the line says which one.
        if e.action in ("member", "leader"):
            line = f"{line} {e.detail}"
        record("proposal", request, user=user, detail=line)


def run(
    proposal: Proposal,
    step: Callable[[h.Proposal], h.Proposal],
    user,
    *,
    units: Iterable[Unit] = (),
    request=None,
) -> Proposal:
    """Run one core step on the stored proposal and keep what it did; HandlingError leaves it untouched."""
    with transaction.atomic():
        row = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = facts(row)
        umap = _unit_map(row, units)
        after = step(before)
        _write(row, before, after, user, umap, request)
    return row


def register(
    user,
    *,
    on: date,
    city=None,
    member=None,
    request=None,
    **fields_,
) -> Proposal:
    """Register (立案) one proposal; a 案号 already used in the session (in any spelling) is refused."""
    session = str(fields_.get("session", "")).strip()
    kind = fields_.get("kind", "proposal")
    number = str(fields_.get("number", "")).strip()
    # Two spellings of one number share its key (第0123号 and 123 → "123"): the unique index answers.
    key = h.number_digits(number) or number
    existing = Proposal.objects.filter(session=session, kind=kind, number_key=key).values_list(
        "number", flat=True
    )
    p = h.register(on=on, by=_name(user), existing=list(existing), **fields_)
    try:
        with transaction.atomic():
            row = _row(p, city, member)
            row.save()
            e = p.history[0]
            ProposalEvent.objects.create(
                proposal=row,
                seq=1,
                on=e.on,
                action=e.action,
                by=user,
                by_name=_name(user),
                after=e.after,
                detail=e.detail,
            )
            record("proposal", request, user=user, detail=f"{row.pk} register")
    except IntegrityError as exc:
        # Two registrations of one number at the same moment: the unique constraint decides.
        raise HandlingError(f"{p.session}第{p.number}号{h.KINDS[p.kind]}已登记，不能重复登记") from exc
    return row


def link_member(proposal: Proposal, user, member, on: date, request=None) -> Proposal:
    """Link the proposal to a member's account (or unlink it with None); the change is in its history."""
    with transaction.atomic():
        row = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = facts(row)
        old = _name(row.member)
        after = h.link_member(before, _name(member), on, before=old, by=_name(user))
        row.member = member
        row.save(update_fields=["member"])
        _write(row, before, after, user, {}, request)
    return row


def leader_accounts(city):
    """The accounts that may be a proposal's 领衔督办 leader in ``city``: the active leaders who
    read it (those of the city and those of every city), as a notice on it may be escalated to."""
    return leaders_reading(Proposal(city=city))


def leader_account_named(name: str, city, accounts=None):
    """The leader account of ``city`` named ``name`` (its full name or user name), or None when
    none is, or when two are and the name cannot tell them apart; ``accounts``, when given, is
    ``leader_accounts(city)`` already read (an import reads it once)."""
    name = name.strip()
    if not name:
        return None
    found = [
        u
        for u in (leader_accounts(city) if accounts is None else accounts)
        if name in (u.get_full_name().strip(), u.get_username())
    ]
    return found[0] if len(found) == 1 else None


def link_leader(proposal: Proposal, user, leader, on: date, request=None) -> Proposal:
    """Link a key proposal's 领衔督办 leader to ``leader``'s account (None unlinks it); only a
    leader who reads the proposal's city may be linked (the core refuses a proposal that is not
    key); the change is in its history and the audit log, which names the account."""
    if leader is not None and not leader_accounts(proposal.city).filter(pk=leader.pk).exists():
        raise HandlingError("所选账号不是该市的领导，不能领衔督办")
    with transaction.atomic():
        row = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = facts(row)
        after = h.link_leader(before, _name(leader), on, before=_name(row.leader_account), by=_name(user))
        row.leader_account = leader
        row.save(update_fields=["leader_account"])
        _write(row, before, after, user, {}, request)
    return row


def _row(p: h.Proposal, city, member=None, accounts=None) -> Proposal:
    """The unsaved row of a proposal the core registered."""
    return Proposal(
        kind=p.kind,
        number=p.number,
        number_key=h.number_digits(p.number) or p.number,
        session=p.session,
        title=p.title,
        proposer=p.proposer,
        cosigners="\n".join(p.cosigners),
        group=p.group,
        text=p.text,
        category=p.category,
        submitted=p.submitted,
        key=p.key,
        leader=p.leader,
        # A key proposal's leader named as an account of the city is linked to it.
        leader_account=leader_account_named(p.leader, city, accounts) if p.key else None,
        city=city,
        member=member,
    )


def register_all(rows: list[dict], user, *, on: date, city=None, request=None) -> list[Proposal]:
    """Register every row of a reviewed list, or none.

    1. every row through the core's registration, the checks one registration makes;
    2. one query for the numbers already used in the list's sessions: any one refuses the list;
    3. the proposals, their first history rows and their audit rows written in bulk in one
       transaction; the unique index still decides a registration made in between.
    """
    made = [h.register(on=on, by=_name(user), **row) for row in rows]
    keys = {(p.session, p.kind, h.number_digits(p.number) or p.number) for p in made}
    if len(keys) < len(made):
        raise HandlingError("表中有重复的案号")
    taken = Proposal.objects.filter(
        session__in={k[0] for k in keys}, number_key__in={k[2] for k in keys}
    ).values_list("session", "kind", "number_key", "number")
    for session, kind, key, number in taken:
        if (session, kind, key) in keys:
            raise HandlingError(f"{session}已有第{key}号{h.KINDS[kind]}（案号“{number}”），不能重复登记")
    try:
        with transaction.atomic():
            leaders = list(leader_accounts(city)) if any(p.key and p.leader for p in made) else []
            out = Proposal.objects.bulk_create(
                [_row(p, city, accounts=leaders) for p in made],
                batch_size=500,
            )
            name = _name(user)
            ProposalEvent.objects.bulk_create(
                [
                    ProposalEvent(
                        proposal=row,
                        seq=1,
                        on=on,
                        action="register",
                        by=user,
                        by_name=name,
                        after="registered",
                        detail=row.title,
                    )
                    for row in out
                ],
                batch_size=1000,
            )
            # Append-only like every audit row; written in bulk because a list runs to thousands.
            ip = client_ip(request)
            AuditLog.objects.bulk_create(
                [
                    AuditLog(event="proposal", user=user, username=name, ip=ip, detail=f"{row.pk} register")
                    for row in out
                ],
                batch_size=1000,
            )
    except IntegrityError as exc:
        raise HandlingError("其间已有相同案号登记，本次未登记任何提案") from exc
    return out


def register_and_assign(
    rows: list[dict], assignments: list[dict], user, *, on: date, city=None, request=None
) -> list[Proposal]:
    """Register a reviewed list and make the 交办 it names, all of it or none of it.

    ``assignments`` stands beside ``rows``: each {"leads": [unit ids], "supports": [unit ids],
    "split": bool}, no leads for a row the list does not assign. Each 交办 is ``assign``'s, so its
    deadlines, history and audit line are those of an assignment made on the proposal's page; a
    unit gone since the review (merged, removed) or any refused 交办 leaves nothing registered.
    """
    ids = {i for a in assignments for i in (*a["leads"], *a["supports"])}
    units = Unit.objects.in_bulk(ids)
    with transaction.atomic():
        made = register_all(rows, user, on=on, city=city, request=request)
        for row, a in zip(made, assignments, strict=True):
            if not a["leads"]:
                continue
            if any(i not in units for i in (*a["leads"], *a["supports"])):
                raise HandlingError(f"{row}的承办单位已被合并或删除，请重新上传核对")
            leads = [units[i] for i in a["leads"]]
            supports = [units[i] for i in a["supports"]]
            assign(row, user, on, leads, supports, split=a["split"], request=request)
    return made


def assign(
    proposal: Proposal,
    user,
    on: date,
    leads: list[Unit],
    supports: list[Unit] = (),
    split=False,
    request=None,
):
    """交办 to `leads` (one, or several when split) and `supports` (会办)."""
    rules = rules_for(proposal)
    return run(
        proposal,
        lambda p: h.assign(
            p,
            [u.name for u in leads],
            on,
            rules,
            supports=[u.name for u in supports],
            split=split,
            by=_name(user),
        ),
        user,
        units=[*leads, *supports],
        request=request,
    )


def request_adjustment(proposal: Proposal, user, unit: Unit, reason: str, on: date, request=None):
    return run(
        proposal,
        lambda p: h.request_adjustment(p, unit.name, reason, on, by=_name(user)),
        user,
        request=request,
    )


def decide_adjustment(
    proposal: Proposal,
    user,
    granted: bool,
    on: date,
    *,
    note: str = "",
    leads: list[Unit] = (),
    supports: list[Unit] = (),
    split: bool = False,
    request=None,
):
    rules = rules_for(proposal)
    return run(
        proposal,
        lambda p: h.decide_adjustment(
            p,
            granted,
            on,
            rules,
            note=note,
            leads=[u.name for u in leads],
            supports=[u.name for u in supports],
            split=split,
            by=_name(user),
        ),
        user,
        units=[*leads, *supports],
        request=request,
    )


def log_communication(
    proposal, user, unit: Unit, stage: str, method: str, on: date, summary: str, request=None
):
    return run(
        proposal,
        lambda p: h.log_communication(p, unit.name, stage, method, on, summary, by=_name(user)),
        user,
        request=request,
    )


def confirm_communication(proposal, user, communication: Communication, on: date, request=None):
    ids = list(proposal.communications.order_by("id").values_list("id", flat=True))
    if communication.pk not in ids:
        raise HandlingError("这条沟通记录不属于该提案")
    index = ids.index(communication.pk)
    return run(
        proposal, lambda p: h.confirm_communication(p, index, on, by=_name(user)), user, request=request
    )


def submit_opinion(proposal, user, unit: Unit, text: str, on: date, request=None):
    return run(
        proposal, lambda p: h.submit_opinion(p, unit.name, text, on, by=_name(user)), user, request=request
    )


def reply(proposal, user, unit: Unit, category: str, text: str, on: date, request=None, **kw):
    """The unit's reply; it also answers the 督办单 the unit had about the proposal."""
    # Imported here: supervising builds on this module.
    from luoshi.proposals import supervising

    with transaction.atomic():
        row = run(
            proposal,
            lambda p: h.reply(p, unit.name, category, text, on, by=_name(user), **kw),
            user,
            request=request,
        )
        supervising.answer(row, unit.name, on)
    return row


COMMITTEES = {"proposal": "市政协提案委员会", "suggestion": "市人大常委会代表工作委员会"}


def letter_docx(reply_row: Reply, feedback_url: str = "") -> bytes:
    """The reply letter (答复函) as Word; 抄送 the committee and the 会办 units; ``feedback_url``
    is printed on it for the member's rating."""
    from luoshi.proposals import letter

    p = reply_row.proposal
    f = facts(p)
    index = list(p.replies.order_by("id").values_list("id", flat=True)).index(reply_row.pk)
    supports = f.assignment.supports if f.assignment else ()
    return letter.render(
        f, f.replies[index], copy_to=[COMMITTEES.get(p.kind, ""), *supports], feedback_url=feedback_url
    )


def rate(proposal, user, attitude: str, result: str, on: date, comment: str = "", request=None):
    """The member's rating (``user`` None: through the letter's feedback link)."""
    rules = rules_for(proposal)
    return run(
        proposal,
        lambda p: h.rate(p, attitude, result, on, rules, comment=comment, by=_name(user)),
        user,
        request=request,
    )
