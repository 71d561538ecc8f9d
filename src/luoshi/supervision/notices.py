"""Supervision notices (督办单): numbering, states, proposals from red lights, and the Word form.

States and the moves allowed between them:

    issued 已下发 → received 已签收 → replied 已回复 → closed 已办结
    issued / received / replied → escalated 提级督办 (to a leader) → replied / closed

A move not in `TRANSITIONS` raises `InvalidTransition`, naming the notice and both states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

from docx import Document

from luoshi.supervision import docx_style as ds
from luoshi.supervision.facts import NoticeFacts, TaskFacts, id_key
from luoshi.supervision.lights import Light
from luoshi.supervision.periods import chinese_date
from luoshi.supervision.reporting_calendar import add_working_days

STATES = {
    "issued": "已下发",
    "received": "已签收",
    "replied": "已回复",
    "closed": "已办结",
    "escalated": "提级督办",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    "issued": frozenset({"received", "escalated"}),
    "received": frozenset({"replied", "escalated"}),
    "replied": frozenset({"closed", "escalated"}),
    "escalated": frozenset({"replied", "closed"}),
    "closed": frozenset(),
}
OPEN_STATES = frozenset(STATES) - {"closed"}
REPLY_WORKING_DAYS = 5

# 督办〔2024〕12号; offices also type [2024] or （2024） when the hexagonal brackets are not at hand.
_NUMBER = re.compile(r"(?P<prefix>.+?)[〔\[［（(](?P<year>\d{4})[〕\]］）)](?P<seq>\d+)号")


class InvalidTransition(ValueError):
    """A notice was asked to move to a state it cannot reach from where it is."""


@dataclass(frozen=True)
class NoticeDraft:
    """A notice proposed from a red light, for staff to confirm before it is numbered and issued."""

    task_id: str
    reason: str
    rule: str
    reply_due: date
    holiday_data: bool = True


def format_number(year: int, seq: int, prefix: str = "督办") -> str:
    """督办〔2024〕12号."""
    return f"{prefix}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int] | None:
    """(prefix, year, sequence) of a notice number, or None when it is not one."""
    m = _NUMBER.fullmatch(text.strip())
    return (m["prefix"], int(m["year"]), int(m["seq"])) if m else None


def next_number(year: int, existing: Iterable[str], prefix: str = "督办") -> str:
    """The next number in `year`'s sequence, after the highest existing one (sequences restart each year)."""
    used = [p[2] for p in map(parse_number, existing) if p and p[0] == prefix and p[1] == year]
    return format_number(year, max(used, default=0) + 1, prefix)


def transition(notice: NoticeFacts, to: str, on: date, *, leader: str = "") -> NoticeFacts:
    """The notice moved to state `to` on `on`; raises InvalidTransition for a move not allowed."""
    if to not in STATES:
        raise InvalidTransition(f"督办单状态“{to}”不存在：应为{'、'.join(STATES)}之一")
    if to not in TRANSITIONS[notice.state]:
        allowed = "、".join(STATES[s] for s in sorted(TRANSITIONS[notice.state])) or "无（已办结）"
        raise InvalidTransition(
            f"{notice.number}当前为“{STATES[notice.state]}”，不能改为“{STATES[to]}”；可改为：{allowed}"
        )
    if to == "escalated" and not leader:
        raise InvalidTransition(f"{notice.number}提级督办需写明督办领导")
    changes: dict[str, object] = {"state": to}
    if to == "replied":
        changes["replied"] = on
    elif to == "closed":
        changes["closed"] = on
    elif to == "escalated":
        changes["escalated_to"] = leader
    return replace(notice, **changes)


def propose(
    lights: Mapping[str, Light],
    notices: Iterable[NoticeFacts],
    on: date,
    reply_days: int = REPLY_WORKING_DAYS,
) -> list[NoticeDraft]:
    """One draft per red task that has no open notice, replies due `reply_days` working days on."""
    open_tasks = {n.task_id for n in notices if n.state in OPEN_STATES}
    due, known = add_working_days(on, reply_days)
    return [
        NoticeDraft(task_id, light.reason, light.rule, due, known)
        for task_id, light in sorted(lights.items(), key=lambda kv: id_key(kv[0]))
        if light.colour == "red" and task_id not in open_tasks
    ]


def issue(
    drafts: Iterable[NoticeDraft], existing_numbers: Iterable[str], on: date, prefix: str = "督办"
) -> list[NoticeFacts]:
    """Number the confirmed drafts in order and issue them on `on`."""
    numbers = list(existing_numbers)
    out = []
    for d in drafts:
        number = next_number(on.year, numbers, prefix)
        numbers.append(number)
        out.append(NoticeFacts(number, d.task_id, "issued", on, d.reply_due, d.reason, d.rule))
    return out


def render_docx(notice: NoticeFacts, task: TaskFacts, path: str | Path, issuer: str = "督查室") -> Path:
    """The notice as a Word 督办单: title, number, 主送, the task, the reason, the reply deadline, 抄送."""
    doc = Document()
    ds.page_setup(doc)
    ds.title(doc, "督 办 单")
    ds.paragraph(doc, notice.number, align="center", indent=False)
    ds.paragraph(doc, "", indent=False)
    ds.paragraph(doc, f"主送：{task.lead_unit}", indent=False)
    ds.paragraph(doc, f"根据《{task.plan_title}》工作安排，现就你单位牵头的以下任务进行督办。")
    ds.heading(doc, "一、督办事项")
    ds.paragraph(doc, f"{task.label_path} {task.title}".strip())
    if task.deadline:
        ds.paragraph(doc, f"完成期限：{chinese_date(task.deadline)}")
    ds.heading(doc, "二、督办原因")
    ds.paragraph(
        doc, f"{notice.reason}。" if notice.reason and notice.reason[-1] not in "。；" else notice.reason
    )
    ds.heading(doc, "三、办理要求")
    ds.paragraph(
        doc,
        f"请于{chinese_date(notice.reply_due)}前将办理情况及下一步措施书面回复{issuer}；"
        "确有困难的，请说明原因并提出解决办法。",
    )
    ds.paragraph(doc, "", indent=False)
    ds.paragraph(doc, issuer, align="right", indent=False)
    ds.paragraph(doc, chinese_date(notice.issued), align="right", indent=False)
    if task.support_units:
        ds.paragraph(doc, "", indent=False)
        ds.paragraph(doc, f"抄送：{'、'.join(task.support_units)}", size=ds.SI_HAO, indent=False)
    ds.page_number_footer(doc)
    return ds.save(doc, path, datetime.combine(notice.issued, time()))
