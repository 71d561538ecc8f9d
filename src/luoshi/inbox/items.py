"""What awaits one signed-in user's action (待办), gathered from the ledger, the notices and the
proposals in a fixed number of queries.

Each source is a plain function of the user (and the day) that returns ``Item`` rows; a user sees
only what their role may act on, read through the same scopes as the pages (``accounts.rules``):

| role     | items                                                                               |
|----------|-------------------------------------------------------------------------------------|
| reporter | its unit's reports due this period and returned ones (lead tasks), 配合情况 due   |
|          | this period (support tasks), 督办单 to reply (the ledger's and the proposals'),   |
|          | proposals to reply (主办) and 会办意见 to give (会办)                                 |
| office   | replied 督办单 to close (its plans'; its cities' proposals'), proposals to 交办 and |
|          | 调整 requests to decide (its cities)                                                 |
| admin    | as an office, everywhere                                                            |
| leader   | 督办单 escalated to them (the ledger's and the proposals')                          |
| member   | communications to confirm, replies to rate (its own proposals)                     |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.rules import proposal_notices_in_scope, proposals_in_scope, role_of
from luoshi.ledger import duties
from luoshi.ledger.models import Role

# Sections in the order the page shows them: what is late or sent back first.
SECTIONS: dict[str, object] = {
    "returned": _("被退回的报送"),
    "report_due": _("本期待报送"),
    "contribution_due": _("本期待填报的配合情况"),
    "notice_reply": _("待回复的督办单"),
    "proposal_reply": _("待答复的提案建议"),
    "proposal_opinion": _("待提交的会办意见"),
    "notice_close": _("已回复待办结的督办单"),
    "proposal_assign": _("待交办的提案建议"),
    "adjust_decide": _("待处理的调整申请"),
    "notice_escalated": _("提请关注的督办单"),
    "confirm": _("待确认的沟通记录"),
    "rate": _("待评价的答复"),
}
HANDLING = ("assigned", "communicated", "rehandling")
NOTICE_TO_REPLY = ("issued", "received", "escalated")


@dataclass(frozen=True)
class Item:
    """One thing to do: what (``kind``, a key of SECTIONS), about what, where, by when."""

    kind: str
    title: str
    url: str
    due: dt.date | None = None
    late: bool = False
    detail: str = ""
    where: str = ""  # the plan or the session it belongs to


def _unit_id(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.unit_id if profile else None


def reports(unit_id: int, today: dt.date) -> list[Item]:
    """The unit's lead tasks still to report for their period and its reports sent back; the tasks
    it supports without its 配合情况 for the period the lead reports."""
    from luoshi.ledger.models import SupportContribution

    task_url = reverse("ledger:task", args=[0]).removesuffix("0/")
    returned_text, period_text = gettext("%(period)s期报送被退回：%(reason)s"), gettext("报送期%(period)s")
    rows = duties.unit_rows(unit_id, today)
    support = [r for r in rows if r["role"] == Role.SUPPORT]
    contributed = set(
        SupportContribution.objects.filter(
            unit_id=unit_id,
            task_id__in=[r["task"].pk for r in support],
            period__in={r["period"] for r in support},
        ).values_list("task_id", "period")
    )
    out = []
    for r in rows:
        t = r["task"]
        title = f"{t.label} {t.title}".strip()
        if r["role"] == Role.SUPPORT:
            if (t.pk, r["period"]) not in contributed:
                out.append(
                    Item(
                        "contribution_due",
                        title,
                        f"{task_url}{t.pk}/#contribute-form",
                        due=r["due"],
                        late=r["due"] < today,
                        detail=period_text % {"period": r["period"]},
                        where=t.plan.short_title,
                    )
                )
        elif r["returned"]:
            out.append(
                Item(
                    "returned",
                    title,
                    f"{task_url}{t.pk}/?period={r['period']}#report-form",
                    detail=returned_text % {"period": r["period"], "reason": r["returned"]},
                    where=t.plan.short_title,
                )
            )
        elif r["report"] is None:
            out.append(
                Item(
                    "report_due",
                    title,
                    f"{task_url}{t.pk}/#report-form",
                    due=r["due"],
                    late=r["late"],
                    detail=period_text % {"period": r["period"]},
                    where=t.plan.short_title,
                )
            )
    return out


def notices_to_reply(unit_id: int, today: dt.date) -> list[Item]:
    """督办单 issued to the unit as lead and not yet answered (the states ``notice.reply`` allows);
    those copied to it (抄送) are read on the notices page, never answered."""
    from luoshi.supervision_web.models import SupervisionNotice

    rows = (
        SupervisionNotice.objects.filter(lead_unit_id=unit_id, state__in=NOTICE_TO_REPLY)
        .select_related("task")
        .order_by("reply_due", "id")
    )
    return [
        Item(
            "notice_reply",
            f"{n.number} {n.task.title}",
            reverse("supervision:notice", args=[n.pk]),
            due=n.reply_due,
            late=n.reply_due < today,
            detail=n.reason,
        )
        for n in rows
    ]


def proposal_notices_to_reply(user, today: dt.date) -> list[Item]:
    """提案督办单 to the user's unit not yet answered; the unit answers by replying to the proposal.
    Those it reads as a copy (抄送, its 会办) are not its to answer and are not listed."""
    rows = (
        proposal_notices_in_scope(user)
        .filter(unit_id=_unit_id(user), state__in=NOTICE_TO_REPLY)
        .select_related("proposal")
        .order_by("reply_due", "id")
    )
    return [
        Item(
            "notice_reply",
            f"{n.number} {n.proposal.title}",
            reverse("proposals:detail", args=[n.proposal_id]) + "#reply-form",
            due=n.reply_due,
            late=n.reply_due < today,
            detail=n.reason,
            where=str(n.proposal),
        )
        for n in rows
    ]


def proposals_of_unit(unit_id: int, today: dt.date) -> list[Item]:
    """Proposals the unit is assigned now: as 主办 without its reply this round, as 会办 without
    its opinion on the first round (what ``proposal.reply`` and ``proposal.opinion`` would take)."""
    from luoshi.proposals.models import AssignedUnit, Reply, SupportOpinion

    current = AssignedUnit.objects.filter(
        unit_id=unit_id,
        assignment_id=F("assignment__proposal__assignment_id"),
        assignment__proposal__state__in=HANDLING,
    ).select_related("assignment__proposal")
    replied = Reply.objects.filter(
        proposal_id=OuterRef("assignment__proposal_id"),
        unit_id=unit_id,
        round=OuterRef("assignment__proposal__round"),
    )
    opined = SupportOpinion.objects.filter(
        proposal_id=OuterRef("assignment__proposal_id"), unit_id=unit_id, on__gte=OuterRef("assignment__on")
    )
    rows = current.annotate(replied=Exists(replied), opined=Exists(opined)).order_by(
        "assignment__proposal__reply_due", "assignment__proposal_id"
    )
    out = []
    for a in rows:
        p = a.assignment.proposal
        url = reverse("proposals:detail", args=[p.pk])
        if a.role == AssignedUnit.Role.LEAD and not a.replied:
            due = p.rehandle_due if p.state == "rehandling" and p.rehandle_due else p.reply_due
            late = due is not None and due < today
            out.append(Item("proposal_reply", p.title, url, due, late, str(p), p.session))
        elif a.role == AssignedUnit.Role.SUPPORT and p.round == 1 and not a.opined:
            due = a.assignment.support_due
            out.append(Item("proposal_opinion", p.title, url, due, due < today, str(p), p.session))
    return out


def office_items(user, today: dt.date, admin: bool) -> list[Item]:
    """For an office (or an admin): replied notices of its plans to close, proposals of its cities
    to 交办, and 调整 requests waiting for a decision."""
    from luoshi.proposals.models import AdjustRequest
    from luoshi.supervision_web.models import SupervisionNotice

    notices = SupervisionNotice.objects.filter(state="replied")
    if not admin:
        notices = notices.filter(plan__offices=user)
    out = [
        Item(
            "notice_close",
            f"{n.number} {n.task.title}",
            reverse("supervision:notice", args=[n.pk]),
            detail=n.lead_unit.name,
        )
        for n in notices.select_related("task", "lead_unit").order_by("replied_on", "id")
    ]
    scope = proposals_in_scope(user)
    answered = (
        proposal_notices_in_scope(user, scope).filter(state="replied").select_related("proposal", "unit")
    )
    for n in answered.order_by("replied_on", "id"):
        out.append(
            Item(
                "notice_close",
                f"{n.number} {n.proposal.title}",
                reverse("proposals:detail", args=[n.proposal_id]) + "#notices",
                detail=n.unit.name,
                where=str(n.proposal),
            )
        )
    for p in scope.filter(state="registered").order_by("submitted", "id"):
        out.append(
            Item(
                "proposal_assign",
                p.title,
                reverse("proposals:detail", args=[p.pk]),
                detail=str(p),
                where=p.session,
            )
        )
    requests = AdjustRequest.objects.filter(decision="", proposal__in=scope, proposal__state="adjusting")
    for r in requests.select_related("proposal", "unit").order_by("on", "id"):
        out.append(
            Item(
                "adjust_decide",
                r.proposal.title,
                reverse("proposals:detail", args=[r.proposal_id]),
                detail=f"{r.unit.name}：{r.reason}",
                where=str(r.proposal),
            )
        )
    return out


def leader_items(user) -> list[Item]:
    """督办单 escalated to this leader and not yet closed: the ledger's, then the proposals' (those
    of proposals the leader still reads)."""
    from luoshi.supervision_web.models import SupervisionNotice

    rows = SupervisionNotice.objects.filter(state="escalated", escalated_to=user).select_related(
        "task", "lead_unit"
    )
    out = [
        Item(
            "notice_escalated",
            f"{n.number} {n.task.title}",
            reverse("supervision:notice", args=[n.pk]),
            due=n.reply_due,
            detail=n.lead_unit.name,
        )
        for n in rows.order_by("reply_due", "id")
    ]
    escalated = proposal_notices_in_scope(user).filter(state="escalated", escalated_to=user)
    for n in escalated.select_related("proposal", "unit").order_by("reply_due", "id"):
        out.append(
            Item(
                "notice_escalated",
                f"{n.number} {n.proposal.title}",
                reverse("proposals:detail", args=[n.proposal_id]) + "#notices",
                due=n.reply_due,
                detail=n.unit.name,
                where=str(n.proposal),
            )
        )
    return out


def member_items(user) -> list[Item]:
    """The member's own proposals: communications to confirm, replies to rate."""
    from luoshi.proposals.models import Communication, Proposal

    out = []
    talks = Communication.objects.filter(proposal__member=user, confirmed__isnull=True).select_related(
        "proposal", "unit"
    )
    for c in talks.order_by("on", "id"):
        out.append(
            Item(
                "confirm",
                c.proposal.title,
                reverse("proposals:detail", args=[c.proposal_id]),
                detail=f"{c.unit.name} {c.get_stage_display()}：{c.summary[:80]}",
                where=str(c.proposal),
            )
        )
    for p in Proposal.objects.filter(member=user, state="replied").order_by("id"):
        out.append(Item("rate", p.title, reverse("proposals:detail", args=[p.pk]), where=str(p)))
    return out


def for_user(user, today: dt.date) -> dict[str, list[Item]]:
    """Every item awaiting ``user``, by section (only non-empty sections, in SECTIONS' order)."""
    role = role_of(user)
    items: list[Item] = []
    if role == "reporter":
        unit_id = _unit_id(user)
        if unit_id is not None:
            items = (
                reports(unit_id, today)
                + notices_to_reply(unit_id, today)
                + proposal_notices_to_reply(user, today)
                + proposals_of_unit(unit_id, today)
            )
    elif role in ("office", "admin"):
        items = office_items(user, today, admin=role == "admin")
    elif role == "leader":
        items = leader_items(user)
    elif role == "member":
        items = member_items(user)
    sections: dict[str, list[Item]] = {}
    for kind in SECTIONS:
        rows = [i for i in items if i.kind == kind]
        if rows:
            # Late first, then by due date; undated ones keep their source order at the end.
            rows.sort(key=lambda i: (not i.late, i.due is None, i.due or dt.date.max))
            sections[kind] = rows
    return sections


def count(sections: dict[str, list[Item]]) -> dict[str, int]:
    """The counts the header shows: all items, and those late."""
    rows = [i for items in sections.values() for i in items]
    return {"total": len(rows), "late": sum(1 for i in rows if i.late)}
