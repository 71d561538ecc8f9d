"""Supervising stored proposals with the supervision app's machinery.

- reminders: `chasing.reminders` for every open proposal, addressed like a task's (the unit's
  reporters, the member's e-mail for the feedback) and sent through `supervision_web.reminders`,
  so each is claimed before it is sent and sent at most once across workers;
- lights: `chasing.as_light` (a reply overdue is red);
- 督办单: drafted by the core's rule for red proposals, numbered in their own yearly sequence
  (提案督办〔2024〕1号), written in the proposal's history and the audit log, rendered as the core's
  Word 督办单, and answered when the unit replies to the proposal.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import IntegrityError, transaction

from luoshi.accounts.rules import leaders_reading, proposals_in_scope
from luoshi.proposals import chasing, services
from luoshi.proposals import handling as h
from luoshi.proposals.models import AssignedUnit, Proposal, ProposalNotice
from luoshi.supervision import notices as core_notices
from luoshi.supervision.facts import NoticeFacts
from luoshi.supervision.lights import Light
from luoshi.supervision.notices import NoticeDraft
from luoshi.supervision.reminders import Backend
from luoshi.supervision_web import reminders as sw_reminders
from luoshi.supervision_web.models import ReminderLog

# States in which something is still owed by a unit (a reply) or by the member (the feedback).
OWING = ("assigned", "communicated", "adjusting", "rehandling")
CHASED = (*OWING, "replied")


class SuperviseError(ValueError):
    """A 督办 action that cannot be done, with a message for the page."""


def _rules_cache():
    cache: dict[int | None, h.Rules] = {}

    def rules(row: Proposal) -> h.Rules:
        if row.city_id not in cache:
            cache[row.city_id] = services.rules_for(row)
        return cache[row.city_id]

    return rules


def _unit_ids(row: Proposal) -> dict[str, str]:
    """Unit name → id for the proposal's current assignment."""
    if row.assignment_id is None:
        return {}
    return {
        name: str(pk)
        for pk, name in AssignedUnit.objects.filter(assignment_id=row.assignment_id).values_list(
            "unit_id", "unit__name"
        )
    }


def reminders_due(on: dt.date, rows=None) -> list[sw_reminders.Addressed]:
    """Every proposal reminder due on `on`, addressed to the units' reporters or the member."""
    rows = Proposal.objects.filter(state__in=CHASED) if rows is None else rows
    rules = _rules_cache()
    found: list[tuple[object, int | None, str]] = []
    for row in rows.select_related("member").order_by("id"):
        ids = _unit_ids(row)
        for r in chasing.reminders(services.facts(row), str(row.pk), on, rules(row), unit_ids=ids):
            if r.task_id.endswith("-member"):
                found.append((r, None, row.member.email if row.member_id else ""))
            else:
                found.append((r, int(ids[r.recipient]) if r.recipient in ids else None, ""))
    emails = sw_reminders._emails_by_unit({u for _r, u, _e in found if u is not None})
    return [
        sw_reminders.Addressed(r, email or emails.get(unit_id, "") or r.recipient, unit_id)
        for r, unit_id, email in found
    ]


def send_reminders(on: dt.date, backend: Backend) -> sw_reminders.Outcome:
    """Send every proposal reminder due on `on`, each at most once; failures wait for a retry."""
    outcome = sw_reminders.Outcome()
    items = reminders_due(on)
    keys = [i.key for i in items]
    sent = set(
        ReminderLog.objects.filter(key__in=keys, status=ReminderLog.Status.SENT).values_list("key", flat=True)
    )
    todo = [i for i in items if i.key not in sent]
    outcome.skipped += [i.key for i in items if i.key in sent]
    for item, result in zip(todo, sw_reminders.deliver_many(todo, backend), strict=True):
        getattr(outcome, result).append(item.key)
    return outcome


def lights(rows, on: dt.date) -> dict[str, Light]:
    """The core light of each proposal, by id."""
    rules = _rules_cache()
    return {str(r.pk): chasing.as_light(services.facts(r), str(r.pk), on, rules(r)) for r in rows}


def _open_notices(proposal_ids) -> list[NoticeFacts]:
    rows = ProposalNotice.objects.filter(proposal_id__in=proposal_ids, state__in=core_notices.OPEN_STATES)
    return [_facts_of(n) for n in rows]


def _facts_of(n: ProposalNotice) -> NoticeFacts:
    return NoticeFacts(n.number, str(n.proposal_id), n.state, n.issued_on, n.reply_due, n.reason, n.rule)


@dataclass(frozen=True)
class Draft:
    """A drafted notice beside the proposal and the units it goes to (those whose reply is late)."""

    draft: NoticeDraft
    proposal: Proposal
    units: tuple[str, ...]


def propose(user, on: dt.date) -> list[Draft]:
    """Drafts for the red proposals in the user's scope that have no open 督办单."""
    # The mirrored reply deadline finds the candidates in one query; the core then judges each.
    rows = list(proposals_in_scope(user).filter(state__in=OWING, reply_due__lt=on).order_by("id"))
    lit = lights(rows, on)
    by_id = {str(r.pk): r for r in rows}
    out = []
    for d in chasing.drafts(lit, _open_notices(by_id), on):
        row = by_id[d.task_id]
        out.append(Draft(d, row, services.facts(row).awaiting_reply()))
    return out


def issue(user, proposal_ids: list[int], on: dt.date, request=None) -> list[ProposalNotice]:
    """Issue a 督办单 to each late unit of the chosen red proposals; proposals no longer red are skipped."""
    chosen = set(proposal_ids)
    out = []
    for d in propose(user, on):
        if d.proposal.pk not in chosen:
            continue
        assigned = AssignedUnit.objects.filter(assignment_id=d.proposal.assignment_id).select_related("unit")
        units = {a.unit.name: a.unit for a in assigned}
        out += [_issue_one(user, d, units[name], on, request) for name in d.units]
    return out


def _issue_one(user, d: Draft, unit, on: dt.date, request) -> ProposalNotice:
    """Number, store and record one notice; a number taken by a concurrent issue takes the next one."""
    for _attempt in range(20):
        year = f"〔{on.year}〕"
        existing = ProposalNotice.objects.filter(number__contains=year).values_list("number", flat=True)
        number = core_notices.next_number(on.year, existing, chasing.NOTICE_PREFIX)
        try:
            with transaction.atomic():
                notice = ProposalNotice.objects.create(
                    number=number,
                    proposal=d.proposal,
                    unit=unit,
                    reason=d.draft.reason,
                    rule=d.draft.rule,
                    issued_on=on,
                    reply_due=d.draft.reply_due,
                    created_by=user,
                )
                step = partial(h.supervise, number=number, unit=unit.name, reason=d.draft.reason, on=on)
                services.run(d.proposal, partial(step, by=services._name(user)), user, request=request)
                return notice
        except IntegrityError:
            continue
    raise SuperviseError("督办单编号冲突，请重试")


def answer(proposal: Proposal, unit_name: str, on: dt.date) -> int:
    """The unit's reply to the proposal answers its open notices (签收 and 回复, by the core's moves)."""
    n = 0
    rows = ProposalNotice.objects.filter(
        proposal=proposal, unit__name=unit_name, state__in=core_notices.OPEN_STATES - {"replied"}
    )
    for notice in rows:
        f = _facts_of(notice)
        if f.state == "issued":
            f = core_notices.transition(f, "received", on)
        f = core_notices.transition(f, "replied", on)
        n += ProposalNotice.objects.filter(pk=notice.pk, state=notice.state).update(
            state=f.state, replied_on=f.replied
        )
    return n


def close(user, notice: ProposalNotice, on: dt.date, request=None) -> ProposalNotice:
    """办结 a notice the unit answered: the core's move, one event in the proposal's history (which
    also renews every 待办 count) and the audit log; any other state is refused and writes nothing."""
    f = _facts_of(notice)
    try:
        f = core_notices.transition(f, "closed", on)
    except core_notices.InvalidTransition as e:
        raise SuperviseError(str(e)) from None
    if notice.state != "replied" and not (notice.state == "escalated" and notice.replied_on):
        # Proposal notices are answered by the unit's reply: only an answered one closes (an
        # escalated one too once the unit has answered it).
        raise SuperviseError(f"{notice.number}尚未回复，不能办结")
    with transaction.atomic():
        moved = ProposalNotice.objects.filter(pk=notice.pk, state=notice.state).update(state=f.state)
        if not moved:
            raise SuperviseError(f"{notice.number}已办结")
        step = partial(h.close_notice, number=notice.number, unit=notice.unit.name, on=on)
        services.run(notice.proposal, partial(step, by=services._name(user)), user, request=request)
    notice.state = f.state
    return notice


def leaders_for(notice: ProposalNotice):
    """The leaders a notice may be escalated to: those who read the proposal's city."""
    return leaders_reading(notice.proposal)


def default_leader(notice: ProposalNotice):
    """The proposal's 领衔督办 leader: its linked account, or else one of ``leaders_for`` that
    bears the leader's name; None when neither is among ``leaders_for``."""
    linked = notice.proposal.leader_account_id
    if linked is not None and leaders_for(notice).filter(pk=linked).exists():
        return notice.proposal.leader_account
    name = notice.proposal.leader.strip()
    if not name:
        return None
    for u in leaders_for(notice):
        if name in (u.get_username(), u.get_full_name().strip()):
            return u
    return None


def with_actions(notices) -> list[ProposalNotice]:
    """The notices, each with ``can_close``, the ``leaders`` it may be escalated to and the
    ``default_leader_id`` (the 领衔督办 leader), the leaders read once per city for a whole table."""
    rows = list(notices)
    by_city: dict[int | None, list] = {}
    for n in rows:
        n.can_close = n.state == "replied" or (n.state == "escalated" and n.replied_on is not None)
        n.leaders, n.default_leader_id = [], None
        if "escalated" not in core_notices.TRANSITIONS[n.state] or n.state == "escalated":
            continue
        city = n.proposal.city_id
        if city not in by_city:
            by_city[city] = list(leaders_reading(n.proposal))
        n.leaders = by_city[city]
        name = n.proposal.leader.strip()
        linked = n.proposal.leader_account_id
        n.default_leader_id = next((u.pk for u in n.leaders if u.pk == linked), None) or next(
            (u.pk for u in n.leaders if name and name in (u.get_username(), u.get_full_name().strip())), None
        )
    return rows


def escalate(user, notice: ProposalNotice, leader, on: dt.date, request=None) -> ProposalNotice:
    """提级督办: the core's move to a leader who reads the proposal's city, one event in the
    proposal's history and the audit log; a closed or already escalated notice, or anyone who is
    not such a leader, is refused and writes nothing."""
    if leader is None or not leaders_for(notice).filter(pk=leader.pk).exists():
        raise SuperviseError(f"{notice.number}提级督办需选择本市的督办领导")
    f = _facts_of(notice)
    try:
        f = core_notices.transition(f, "escalated", on, leader=leader.get_username())
    except core_notices.InvalidTransition as e:
        raise SuperviseError(str(e)) from None
    name = leader.get_full_name().strip() or leader.get_username()
    with transaction.atomic():
        moved = ProposalNotice.objects.filter(pk=notice.pk, state=notice.state).update(
            state=f.state, escalated_to=leader
        )
        if not moved:
            raise SuperviseError(f"{notice.number}已被他人处理，请刷新")
        step = partial(h.escalate_notice, number=notice.number, unit=notice.unit.name, leader=name, on=on)
        services.run(notice.proposal, partial(step, by=services._name(user)), user, request=request)
    notice.state, notice.escalated_to = f.state, leader
    return notice


def copied_to(notice: ProposalNotice) -> list[str]:
    """The names of the units ``notice`` names under 抄送, in their 会办 order: the units that
    read it as a copy (``ProposalNotice.objects.copies``, which ``accounts.rules`` asks too)."""
    return copied_to_each([notice]).get(notice.pk, [])


def copied_to_each(notices) -> dict[int, list[str]]:
    """``copied_to`` of several notices in one query: {notice id: unit names}."""
    rows = (
        ProposalNotice.objects.filter(pk__in=[n.pk for n in notices])
        .copies()
        .order_by("copy_position", "copy_unit_id")
        .values_list("pk", "copy_unit_name")
    )
    out: dict[int, list[str]] = {}
    for pk, name in rows:
        out.setdefault(pk, []).append(name)
    return out


def notice_docx(notice: ProposalNotice) -> bytes:
    """The notice as the core's Word 督办单 about the proposal, 抄送 its 会办 units (``copied_to``)."""
    p = services.facts(notice.proposal)
    task = chasing.notice_task(p, notice.unit.name, copied_to(notice))
    with tempfile.TemporaryDirectory() as tmp:
        path = core_notices.render_docx(_facts_of(notice), task, Path(tmp) / "notice.docx")
        return path.read_bytes()
