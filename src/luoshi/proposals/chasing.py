"""Proposal deadlines in the supervision core's terms: reminders, lights and 督办 drafts, without Django.

A proposal owes things by dates (`handling.pending`): the reply, each 会办意见, the 办前沟通 and the
member's feedback. Each becomes the core's `Reminder` on the same before / due / after windows as a
task's report (`supervision.reminders.kind_on`), so one claim-before-send machinery sends both; and
its light becomes the core's `Light`, so `supervision.notices.propose` drafts a 督办单 for every
red one (a reply overdue) exactly as it does for a red task.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from luoshi.proposals import handling as h
from luoshi.supervision.facts import NoticeFacts, TaskFacts
from luoshi.supervision.lights import Light
from luoshi.supervision.notices import NoticeDraft, propose
from luoshi.supervision.periods import chinese_date
from luoshi.supervision.reminders import Reminder, kind_on

# What is owed, as a short code for the reminder key (keys stay ASCII and short).
CODES = {"答复": "reply", "会办意见": "opinion", "办前沟通": "contact", "反馈": "feedback"}
# The rule named on a light and on the 督办单 drafted from it.
RULE_REPLY_OVERDUE = "proposal_reply_overdue"
RULE_REPLY_SOON = "proposal_reply_soon"
RULE_OTHER_LATE = "proposal_other_late"
NOTICE_PREFIX = "提案督办"
DEFAULT_RULES = h.Rules()


def reminder_id(proposal_id: str, what: str, who: str) -> str:
    """The reminder's subject id: proposal, what is owed, by whom (a unit id, or "member").

    Never all digits, so the reminder log never takes it for a ledger task's id.
    """
    return f"proposal{proposal_id}-{CODES[what]}-{who}"


def reminders(
    p: h.Proposal,
    proposal_id: str,
    on: date,
    rules: h.Rules = DEFAULT_RULES,
    *,
    unit_ids: Mapping[str, str] | None = None,
    days_before: int = 3,
    days_after: int = 3,
) -> list[Reminder]:
    """The reminders due on `on` for everything the proposal still owes.

    The period of each is its deadline (YYYYMMDD): a new deadline after 调整 or 重新办理 is chased
    afresh, while the same deadline is never reminded twice with the same kind.
    """
    unit_ids = unit_ids or {}
    out = []
    for owed in h.pending(p, on, rules):
        kind = kind_on(owed.due, on, days_before, days_after)
        if kind is None:
            continue
        who = "member" if owed.what == "反馈" else unit_ids.get(owed.unit, owed.unit)
        subject, body = message(p, owed, on, kind)
        out.append(
            Reminder(
                reminder_id(proposal_id, owed.what, who),
                f"{owed.due:%Y%m%d}",
                kind,
                owed.unit,
                subject,
                body,
                owed.due,
            )
        )
    return out


def message(p: h.Proposal, owed: h.Overdue, on: date, kind: str) -> tuple[str, str]:
    """Subject and body of one reminder, in Chinese."""
    what = f"{p.label}“{p.title}”的{owed.what}"
    if kind == "before":
        subject = f"【提醒】请于{chinese_date(owed.due)}前完成{what}"
    elif kind == "due":
        subject = f"【提醒】今天（{chinese_date(owed.due)}）是{what}期限"
    else:
        subject = f"【催办】{what}已逾期{(on - owed.due).days}天"
    if owed.what == "反馈":
        body = f"{owed.unit}：\n您的{p.label}已答复，请于{chinese_date(owed.due)}前登录系统对办理态度和办理结果作出评价。"
    else:
        body = f"{owed.unit}：\n{what}应于{chinese_date(owed.due)}前完成，目前尚未收到。请及时登录系统办理。"
    return subject, body


def as_light(p: h.Proposal, proposal_id: str, on: date, rules: h.Rules = DEFAULT_RULES) -> Light:
    """The proposal's light as the core's `Light`: red when a reply is overdue."""
    colour, reason = h.light(p, on, rules)
    if colour == "red":
        rule = RULE_REPLY_OVERDUE
    elif colour == "yellow":
        rule = RULE_REPLY_SOON if reason.startswith("答复期限临近") else RULE_OTHER_LATE
    else:
        rule = ""
    return Light(proposal_id, colour, rule, reason, "", None, None, "", "", None, ())


def drafts(lights: Mapping[str, Light], notices: Iterable[NoticeFacts], on: date) -> list[NoticeDraft]:
    """督办单 drafts for the red proposals without an open notice (the core's own rule)."""
    return propose(lights, notices, on)


def notice_task(p: h.Proposal, unit: str, supports: Iterable[str] = ()) -> TaskFacts:
    """The proposal as the 督办单's subject: its 案号 and 案由, the unit chased, the reply deadline."""
    return TaskFacts(
        id="",
        label_path=f"{p.session}第{p.number}号{h.KINDS.get(p.kind, '提案')}",
        title=p.title,
        plan_title=f"{p.session}会议{h.KINDS.get(p.kind, '提案')}办理工作",
        domain=p.category,
        city="",
        lead_unit=unit,
        support_units=tuple(supports),
        deadline=p.reply_due(),
    )
