"""Handling a proposal (提案) or suggestion (建议), from 交办 to the member's rating, without Django.

A proposal is a frozen value; every step is a function that checks the step is allowed and returns
the proposal with one more entry in its history, so nothing is ever overwritten: a re-assignment
appends an assignment, a second reply after 重新办理 appends a reply, and the history says who did
what, when, and from which state to which. The web app stores each new entry as a row.

States and the steps between them:

    registered 已立案 → assigned 已交办 → communicated 已沟通 → replied 已答复 → rated 已反馈
    assigned / communicated → adjusting 调整中 (a unit asks) → back where it was (granted or refused)
    replied → rehandling 重新办理 (the member rated the result 不满意) → replied → rated

Deadlines follow the organisation's `Rules`: the reply within 3 months of 交办, each 会办意见 to
the 主办 within 1 month, 办前沟通 within 15 working days, the member's feedback within 15 working
days of the reply, and 调整 asked within 5 working days of 交办. Month deadlines and working-day
deadlines both land on a working day of the holiday calendar the supervision core uses.

Every date that matters ("today", the day of a step) is passed in; nothing reads a clock.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from luoshi.supervision.reporting_calendar import add_working_days, next_working_day, working_day

KINDS = {"proposal": "提案", "suggestion": "建议"}
STATES = {
    "registered": "已立案",
    "assigned": "已交办",
    "adjusting": "调整中",
    "communicated": "已沟通",
    "replied": "已答复",
    "rehandling": "重新办理",
    "rated": "已反馈",
}
# 主办 + 会办: one unit replies, the others send it their opinions. 分办: each unit replies on its own.
STAGES = {"before": "办前", "during": "办中", "after": "办后"}
METHODS = ("面商", "电话", "座谈", "调研", "书面")
CATEGORIES = {
    "A": "所提问题已解决或基本解决",
    "B": "正在解决或已列入计划",
    "C": "因条件限制暂不能解决、留作参考",
}
OPINIONS = ("满意", "基本满意", "不满意")
DECISIONS = {"granted": "同意调整", "refused": "不同意调整"}
LIGHTS = {"green": "正常", "yellow": "临近", "red": "逾期"}

# The states in which the handling units are at work (a reply may be written in them).
HANDLING = frozenset({"assigned", "communicated", "rehandling"})

# 第0123号 / 0123号 / 125255: a 案号 keeps the leading zeros and wording it was written with; two
# spellings of the same number are the same proposal within a session.
_NUMBER_DIGITS = re.compile(r"^\s*第?\s*0*(\d+)\s*号?\s*$")
MAX_TITLE = 300
MAX_TEXT = 100_000


class HandlingError(ValueError):
    """A step that is not allowed, or bad input; the message says why in Chinese, naming the proposal."""


@dataclass(frozen=True)
class Rules:
    """One organisation's deadlines; the defaults are the usual ones of a city government."""

    reply_months: int = 3
    support_months: int = 1
    pre_contact_days: int = 15
    feedback_days: int = 15
    adjust_days: int = 5
    rehandle_months: int = 1
    # A reply deadline this many working days away or fewer lights yellow.
    warn_days: int = 10

    def __post_init__(self) -> None:
        for name in ("reply_months", "support_months", "rehandle_months"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 12:
                raise HandlingError(f"办理时限“{name}={value}”不正确：应为1到12个月")
        for name in ("pre_contact_days", "feedback_days", "adjust_days", "warn_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 0 <= value <= 120:
                raise HandlingError(f"办理时限“{name}={value}”不正确：应为0到120个工作日")


@dataclass(frozen=True)
class Deadlines:
    """The dates one assignment's units work to; `holiday_data` is False when a year's holidays are unknown."""

    reply: date
    support: date
    pre_contact: date
    adjust_until: date
    holiday_data: bool = True


@dataclass(frozen=True)
class Assignment:
    """A 交办: the unit(s) that reply, the 会办 units (主办会办 only), the day and its deadlines."""

    mode: str
    leads: tuple[str, ...]
    supports: tuple[str, ...]
    on: date
    deadlines: Deadlines
    by: str = ""


@dataclass(frozen=True)
class Communication:
    """One contact between a unit and the member: stage, method, what was said; the member may confirm it."""

    unit: str
    stage: str
    method: str
    on: date
    summary: str
    by: str = ""
    confirmed: date | None = None


@dataclass(frozen=True)
class SupportOpinion:
    """A 会办 unit's opinion sent to the 主办 unit."""

    unit: str
    on: date
    text: str
    late: bool = False
    by: str = ""


@dataclass(frozen=True)
class Reply:
    """A unit's 答复: category A/B/C, the text, who signed it, whom to contact, whether it is published."""

    unit: str
    category: str
    on: date
    text: str
    signer: str = ""
    contact: str = ""
    public: bool = False
    late: bool = False
    round: int = 1
    by: str = ""
    doc_number: str = ""  # the letter's 文号, e.g. 深发改函〔2024〕12号


@dataclass(frozen=True)
class Rating:
    """The member's rating of one round of replies; late ratings are kept and marked, never dropped."""

    attitude: str
    result: str
    on: date
    comment: str = ""
    late: bool = False
    round: int = 1
    by: str = ""


@dataclass(frozen=True)
class AdjustRequest:
    """A unit's request to be relieved of (or to change) its assignment, and the office's decision."""

    unit: str
    reason: str
    on: date
    by: str = ""
    decision: str = ""  # "", granted, refused
    decided: date | None = None
    note: str = ""
    decided_by: str = ""


@dataclass(frozen=True)
class Event:
    """One line of the history: every step appends one, and none is ever changed."""

    on: date
    action: str
    by: str
    before: str
    after: str
    detail: str = ""


@dataclass(frozen=True)
class Proposal:
    """A proposal or suggestion and everything done about it so far."""

    number: str
    session: str
    kind: str
    title: str
    proposer: str
    cosigners: tuple[str, ...] = ()
    group: str = ""  # 界别/党派, or 代表团 for a deputy
    text: str = ""
    category: str = ""
    submitted: date | None = None
    key: bool = False  # 重点提案
    leader: str = ""  # the leader who 领衔督办 a key proposal
    state: str = "registered"
    rehandle_due: date | None = None
    assignments: tuple[Assignment, ...] = ()
    communications: tuple[Communication, ...] = ()
    opinions: tuple[SupportOpinion, ...] = ()
    replies: tuple[Reply, ...] = ()
    ratings: tuple[Rating, ...] = ()
    adjustments: tuple[AdjustRequest, ...] = ()
    history: tuple[Event, ...] = field(default=())

    @property
    def label(self) -> str:
        """How messages name the proposal: 十二届五次第125255号提案."""
        return f"{self.session}第{number_digits(self.number) or self.number}号{KINDS.get(self.kind, '')}"

    @property
    def assignment(self) -> Assignment | None:
        """The assignment in force (the latest), or None before 交办."""
        return self.assignments[-1] if self.assignments else None

    @property
    def round(self) -> int:
        """1 for the first handling, 2 after 重新办理."""
        return 1 + sum(1 for e in self.history if e.action == "rehandle")

    def units(self) -> tuple[str, ...]:
        """Every unit of the current assignment, replying units first."""
        a = self.assignment
        return (a.leads + a.supports) if a else ()

    def replies_this_round(self) -> tuple[Reply, ...]:
        return tuple(r for r in self.replies if r.round == self.round)

    def awaiting_reply(self) -> tuple[str, ...]:
        """The replying units that have not replied in this round."""
        a = self.assignment
        if a is None:
            return ()
        done = {r.unit for r in self.replies_this_round()}
        return tuple(u for u in a.leads if u not in done)

    def reply_due(self) -> date | None:
        """When the reply (of this round) is due."""
        if self.rehandle_due is not None and self.round > 1:
            return self.rehandle_due
        a = self.assignment
        return a.deadlines.reply if a else None

    def open_adjustment(self, unit: str | None = None) -> AdjustRequest | None:
        for r in self.adjustments:
            if not r.decision and (unit is None or r.unit == unit):
                return r
        return None


def number_digits(number: str) -> str:
    """The digits of a 案号 without leading zeros ("第0123号" → "123"), or "" when it is not a number."""
    m = _NUMBER_DIGITS.match(number or "")
    return m[1] if m else ""


def same_number(a: str, b: str) -> bool:
    """Whether two 案号 as written name the same proposal (第0123号 and 123)."""
    da, db = number_digits(a), number_digits(b)
    return bool(da) and da == db if (da or db) else a.strip() == b.strip()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (03-31 + 3 months → 06-30)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def months_deadline(day: date, months: int) -> tuple[date, bool]:
    """`months` after `day`, moved to the next working day when it falls on a rest day."""
    return next_working_day(add_months(day, months))


def deadlines(on: date, rules: Rules) -> Deadlines:
    """The deadlines of an assignment made on `on`."""
    reply, k1 = months_deadline(on, rules.reply_months)
    support, k2 = months_deadline(on, rules.support_months)
    pre, k3 = add_working_days(on, rules.pre_contact_days)
    adjust, k4 = add_working_days(on, rules.adjust_days)
    return Deadlines(reply, support, pre, adjust, k1 and k2 and k3 and k4)


def _clean(text: str, what: str, limit: int, *, required: bool = True) -> str:
    """Text from a form or a spreadsheet, stripped; refused when empty (if required), too long or binary."""
    if not isinstance(text, str):
        raise HandlingError(f"{what}应为文字")
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise HandlingError(f"{what}不能为空")
    if len(text) > limit:
        raise HandlingError(f"{what}过长（{len(text)}字，最多{limit}字）")
    if any(ord(c) < 32 and c not in "\n\t" for c in text) or "\ufffd" in text:
        raise HandlingError(f"{what}含有无法识别的字符，请检查文件编码或重新输入")
    return text


def _units(names: Iterable[str], what: str) -> tuple[str, ...]:
    out: list[str] = []
    for n in names:
        n = _clean(n, what, 100)
        if n in out:
            raise HandlingError(f"{what}“{n}”重复")
        out.append(n)
    return tuple(out)


def _step(p: Proposal, on: date, action: str, by: str, after: str, detail: str = "", **changes) -> Proposal:
    """The proposal after one step, its history one event longer."""
    event = Event(on, action, by, p.state, after, detail)
    return replace(p, state=after, history=p.history + (event,), **changes)


def _require(p: Proposal, states: Iterable[str], doing: str) -> None:
    states = tuple(states)
    if p.state not in states:
        allowed = "、".join(STATES[s] for s in states)
        raise HandlingError(f"{p.label}当前为“{STATES[p.state]}”，不能{doing}（只有{allowed}时可以）")


def register(
    *,
    number: str,
    session: str,
    kind: str,
    title: str,
    proposer: str,
    on: date,
    by: str = "",
    cosigners: Iterable[str] = (),
    group: str = "",
    text: str = "",
    category: str = "",
    submitted: date | None = None,
    key: bool = False,
    leader: str = "",
    existing: Iterable[str] = (),
) -> Proposal:
    """A registered (立案) proposal; `existing` are the 案号 already in the session, a duplicate is refused."""
    if kind not in KINDS:
        raise HandlingError(f"类别“{kind}”不正确：应为提案或建议")
    number = _clean(number, "案号", 40)
    session = _clean(session, "届次", 40)
    for other in existing:
        if same_number(number, other):
            raise HandlingError(
                f"{session}已有第{number_digits(other) or other}号{KINDS[kind]}（案号“{other}”），不能重复登记"
            )
    if key and not leader.strip():
        raise HandlingError("重点提案需写明领衔督办的领导")
    p = Proposal(
        number=number,
        session=session,
        kind=kind,
        title=_clean(title, "案由（标题）", MAX_TITLE),
        proposer=_clean(proposer, "提案人", 100),
        cosigners=_units(cosigners, "联名人"),
        group=_clean(group, "界别（代表团）", 100, required=False),
        text=_clean(text, "正文", MAX_TEXT, required=False),
        category=_clean(category, "分类", 50, required=False),
        submitted=submitted,
        key=key,
        leader=_clean(leader, "督办领导", 50, required=False) if key else "",
    )
    event = Event(on, "register", by, "", "registered", p.title)
    return replace(p, history=(event,))


def link_member(p: Proposal, account: str, on: date, *, before: str = "", by: str = "") -> Proposal:
    """Record that the proposal is now followed from the member's account `account` ("" unlinks it)."""
    if account == before:
        raise HandlingError(f"{p.label}已关联该委员账号" if account else f"{p.label}未关联委员账号")
    detail = f"关联委员账号：{account}" if account else f"取消关联委员账号：{before}"
    return _step(p, on, "member", by, p.state, detail)


def link_leader(p: Proposal, account: str, on: date, *, before: str = "", by: str = "") -> Proposal:
    """Record that the 领衔督办 leader is now the account `account` ("" unlinks it); only a key
    proposal has one."""
    if not p.key:
        raise HandlingError(f"{p.label}不是重点提案，没有领衔督办领导")
    if account == before:
        raise HandlingError(f"{p.label}已关联该督办领导账号" if account else f"{p.label}未关联督办领导账号")
    detail = f"关联督办领导账号：{account}" if account else f"取消关联督办领导账号：{before}"
    return _step(p, on, "leader", by, p.state, detail)


def assign(
    p: Proposal,
    leads: Iterable[str],
    on: date,
    rules: Rules = Rules(),
    *,
    supports: Iterable[str] = (),
    split: bool = False,
    by: str = "",
) -> Proposal:
    """交办: one 主办 unit with any 会办 units, or (split) several units each replying on its own."""
    _require(p, ("registered",), "交办")
    return _assign(p, leads, supports, split, on, rules, by, "assign", "assigned")


def _assign(p, leads, supports, split, on, rules, by, action, after, detail="") -> Proposal:
    leads = _units(leads, "承办单位")
    supports = _units(supports, "会办单位")
    if not leads:
        raise HandlingError(f"{p.label}交办需指定主办单位")
    if split:
        if supports:
            raise HandlingError(f"{p.label}分办时各单位分别答复，不设会办单位")
    elif len(leads) > 1:
        raise HandlingError(f"{p.label}只能有一个主办单位；多个单位分别答复请选择分办")
    both = set(leads) & set(supports)
    if both:
        raise HandlingError(f"“{'、'.join(sorted(both))}”不能既是主办单位又是会办单位")
    mode = "split" if split else "lead"
    a = Assignment(mode, leads, supports, on, deadlines(on, rules), by)
    # The history names each unit's part: 「主办会办：甲」 read as if 甲 did both.
    text = f"{'分办' if split else '主办'}：{'、'.join(leads)}" + (f"；会办：{'、'.join(supports)}" if supports else "")
    return _step(
        p, on, action, by, after, (detail + "；" if detail else "") + text, assignments=p.assignments + (a,)
    )


def _own_unit(p: Proposal, unit: str, doing: str) -> None:
    if unit not in p.units():
        raise HandlingError(f"“{unit}”不是{p.label}的承办单位，不能{doing}")


def request_adjustment(p: Proposal, unit: str, reason: str, on: date, *, by: str = "") -> Proposal:
    """A unit asks for 调整 within the window after 交办; the office decides with `decide_adjustment`."""
    _require(p, ("assigned", "communicated"), "申请调整")
    _own_unit(p, unit, "申请调整")
    reason = _clean(reason, "调整理由", 2000)
    until = p.assignment.deadlines.adjust_until
    if on > until:
        raise HandlingError(
            f"{p.label}申请调整的期限已过（应在{until:%Y年%-m月%-d日}前提出），请与交办单位联系"
        )
    r = AdjustRequest(unit, reason, on, by)
    # The state to return to is kept in the event, so a decision restores it.
    return _step(
        p, on, "adjust_request", by, "adjusting", f"{unit}：{reason}", adjustments=p.adjustments + (r,)
    )


def decide_adjustment(
    p: Proposal,
    granted: bool,
    on: date,
    rules: Rules = Rules(),
    *,
    note: str = "",
    leads: Iterable[str] = (),
    supports: Iterable[str] = (),
    split: bool = False,
    by: str = "",
) -> Proposal:
    """The office grants (with the new units, re-assigned from `on`) or refuses (with a reason) the open request."""
    _require(p, ("adjusting",), "处理调整申请")
    req = p.open_adjustment()
    note = _clean(note, "处理意见", 2000, required=not granted)
    decided = replace(req, decision="granted" if granted else "refused", decided=on, note=note, decided_by=by)
    adjustments = tuple(decided if r is req else r for r in p.adjustments)
    back = next(e.before for e in reversed(p.history) if e.action == "adjust_request")
    detail = f"{DECISIONS[decided.decision]}（{req.unit}）" + (f"：{note}" if note else "")
    p = replace(p, adjustments=adjustments)
    if not granted:
        return _step(p, on, "adjust_refused", by, back, detail)
    return _assign(p, leads, supports, split, on, rules, by, "adjust_granted", "assigned", detail)


def log_communication(
    p: Proposal, unit: str, stage: str, method: str, on: date, summary: str, *, by: str = ""
) -> Proposal:
    """A contact with the member (办前/办中/办后); the first one before the reply marks it 已沟通."""
    if stage not in STAGES:
        raise HandlingError(f"沟通阶段“{stage}”不正确：应为办前、办中或办后")
    if method not in METHODS:
        raise HandlingError(f"沟通方式“{method}”不正确：应为{'、'.join(METHODS)}之一")
    if stage == "after":
        _require(p, ("replied", "rated", "rehandling"), "记录办后沟通")
    else:
        _require(p, ("assigned", "communicated", "rehandling"), "记录办前、办中沟通")
    _own_unit(p, unit, "记录沟通")
    c = Communication(unit, stage, method, on, _clean(summary, "沟通情况", 5000), by)
    after = "communicated" if p.state == "assigned" else p.state
    detail = f"{unit}{STAGES[stage]}沟通（{method}）"
    return _step(p, on, "communicate", by, after, detail, communications=p.communications + (c,))


def confirm_communication(p: Proposal, index: int, on: date, *, by: str = "") -> Proposal:
    """The member confirms that a logged contact took place as written."""
    if not 0 <= index < len(p.communications):
        raise HandlingError(f"{p.label}没有第{index + 1}条沟通记录")
    c = p.communications[index]
    if c.confirmed is not None:
        raise HandlingError(f"这条沟通记录已于{c.confirmed:%Y年%-m月%-d日}确认")
    comms = tuple(replace(c, confirmed=on) if i == index else x for i, x in enumerate(p.communications))
    detail = f"确认{c.unit}{STAGES[c.stage]}沟通（{c.on:%Y-%m-%d}）"
    return _step(p, on, "confirm", by, p.state, detail, communications=comms)


def submit_opinion(p: Proposal, unit: str, text: str, on: date, *, by: str = "") -> Proposal:
    """A 会办 unit sends its opinion to the 主办 unit; late ones are kept and marked."""
    _require(p, ("assigned", "communicated", "rehandling"), "提交会办意见")
    a = p.assignment
    if unit not in a.supports:
        raise HandlingError(f"“{unit}”不是{p.label}的会办单位，不能提交会办意见")
    if any(o.unit == unit and o.on >= a.on for o in p.opinions):
        raise HandlingError(f"“{unit}”已提交过会办意见")
    o = SupportOpinion(unit, on, _clean(text, "会办意见", 20_000), on > a.deadlines.support, by)
    return _step(p, on, "opinion", by, p.state, f"{unit}提交会办意见", opinions=p.opinions + (o,))


def reply_warnings(p: Proposal, unit: str, on: date) -> list[str]:
    """What to check before a reply goes out: missing 会办意见, no 办前沟通, the deadline passed."""
    a = p.assignment
    if a is None:
        return []
    out = []
    sent = {o.unit for o in p.opinions if o.on >= a.on}
    missing = [u for u in a.supports if u not in sent]
    if a.mode == "lead" and missing:
        out.append(f"尚未收到{'、'.join(missing)}的会办意见")
    if not any(c.unit == unit and c.stage == "before" for c in p.communications):
        out.append("尚未记录办前沟通")
    due = p.reply_due()
    if due is not None and on > due:
        out.append(f"已超过答复期限（{due:%Y年%-m月%-d日}）")
    return out


def reply(
    p: Proposal,
    unit: str,
    category: str,
    text: str,
    on: date,
    *,
    signer: str = "",
    contact: str = "",
    public: bool = False,
    doc_number: str = "",
    by: str = "",
) -> Proposal:
    """A replying unit's 答复 with its category; once every replying unit has answered, the proposal is 已答复."""
    _require(p, HANDLING, "答复")
    a = p.assignment
    if unit not in a.leads:
        raise HandlingError(f"“{unit}”不是{p.label}的主办（分办）单位，不能答复")
    if not category:
        raise HandlingError(f"{p.label}的答复需选择办理结果类别（A、B或C）")
    if category not in CATEGORIES:
        raise HandlingError(f"办理结果类别“{category}”不正确：应为A、B或C")
    if unit not in p.awaiting_reply():
        raise HandlingError(f"“{unit}”本轮已答复{p.label}")
    due = p.reply_due()
    r = Reply(
        unit,
        category,
        on,
        _clean(text, "答复正文", MAX_TEXT),
        _clean(signer, "签发人", 50, required=False),
        _clean(contact, "联系人", 100, required=False),
        public,
        on > due,
        p.round,
        by,
        _clean(doc_number, "文号", 60, required=False),
    )
    p = replace(p, replies=p.replies + (r,))
    after = "replied" if not p.awaiting_reply() else p.state
    return _step(p, on, "reply", by, after, f"{unit}答复（{category}类）" + ("，逾期" if r.late else ""))


def feedback_due(p: Proposal, rules: Rules = Rules()) -> date | None:
    """The last day for the member's rating: `feedback_days` working days after the round's last reply."""
    replies = p.replies_this_round()
    if p.state != "replied" or not replies:
        return None
    return add_working_days(max(r.on for r in replies), rules.feedback_days)[0]


def rate(
    p: Proposal,
    attitude: str,
    result: str,
    on: date,
    rules: Rules = Rules(),
    *,
    comment: str = "",
    by: str = "",
    max_rounds: int = 2,
) -> Proposal:
    """The member rates this round's replies; 不满意 with the result reopens the proposal for 重新办理 once."""
    if p.state in ("rated", "rehandling"):
        raise HandlingError(f"{p.label}本轮办理已评价，不能重复评价")
    _require(p, ("replied",), "评价")
    for what, value in (("办理态度", attitude), ("办理结果", result)):
        if value not in OPINIONS:
            raise HandlingError(f"{what}评价“{value}”不正确：应为满意、基本满意或不满意")
    due = feedback_due(p, rules)
    late = due is not None and on > due
    r = Rating(
        attitude,
        result,
        on,
        _clean(comment, "评价意见", 5000, required=not_satisfied(result)),
        late,
        p.round,
        by,
    )
    p = replace(p, ratings=p.ratings + (r,))
    detail = f"态度{attitude}，结果{result}" + ("（逾期反馈）" if late else "")
    if result == "不满意" and p.round < max_rounds:
        p = _step(p, on, "rate", by, "replied", detail)
        due_again = months_deadline(on, rules.rehandle_months)[0]
        return _step(
            p,
            on,
            "rehandle",
            by,
            "rehandling",
            f"重新办理，答复期限{due_again:%Y年%-m月%-d日}",
            rehandle_due=due_again,
        )
    return _step(p, on, "rate", by, "rated", detail)


def supervise(p: Proposal, number: str, unit: str, reason: str, on: date, *, by: str = "") -> Proposal:
    """A 督办单 went to `unit` about this proposal; the state stays, the history says who was chased and why."""
    if unit not in p.units():
        raise HandlingError(f"“{unit}”不是{p.label}的承办单位，不能对其督办")
    detail = f"下发督办单{number}（{unit}）：{_clean(reason, '督办原因', 2000)}"
    return _step(p, on, "supervise", by, p.state, detail)


def close_notice(p: Proposal, number: str, unit: str, on: date, *, by: str = "") -> Proposal:
    """The office closed (办结) a 督办单 the unit answered; the state stays, the history says so."""
    return _step(p, on, "supervise_close", by, p.state, f"督办单{number}（{unit}）已办结")


def escalate_notice(p: Proposal, number: str, unit: str, leader: str, on: date, *, by: str = "") -> Proposal:
    """The office escalated (提级督办) a 督办单 to a leader; the state stays, the history says so."""
    return _step(p, on, "supervise_escalate", by, p.state, f"督办单{number}（{unit}）提请{leader}督办")


def not_satisfied(result: str) -> bool:
    """不满意 needs a comment saying why, so the units know what to handle again."""
    return result == "不满意"


@dataclass(frozen=True)
class Overdue:
    """One thing late or near: what, whose, and by when."""

    what: str
    unit: str
    due: date
    late: bool


def pending(p: Proposal, on: date, rules: Rules = Rules()) -> list[Overdue]:
    """What is still owed on `on` and by when: replies, 会办意见, 办前沟通, the member's feedback."""
    a = p.assignment
    if a is None:
        return []
    out: list[Overdue] = []
    if p.state in HANDLING or p.state == "adjusting":
        due = p.reply_due()
        out += [Overdue("答复", u, due, on > due) for u in p.awaiting_reply()]
        if p.round == 1:
            sent = {o.unit for o in p.opinions if o.on >= a.on}
            out += [
                Overdue("会办意见", u, a.deadlines.support, on > a.deadlines.support)
                for u in a.supports
                if u not in sent
            ]
            talked = {c.unit for c in p.communications if c.stage == "before" and c.on >= a.on}
            pre = a.deadlines.pre_contact
            out += [Overdue("办前沟通", u, pre, on > pre) for u in a.leads if u not in talked]
    elif p.state == "replied":
        due = feedback_due(p, rules)
        if due is not None:
            out.append(Overdue("反馈", p.proposer, due, on > due))
    return out


def light(p: Proposal, on: date, rules: Rules = Rules()) -> tuple[str, str]:
    """(colour, reason): red when a reply is overdue, yellow when one is due within `warn_days` or
    anything else is late, green otherwise (and for proposals not yet assigned or done)."""
    owed = pending(p, on, rules)
    late_replies = [o for o in owed if o.what == "答复" and o.late]
    if late_replies:
        return (
            "red",
            f"答复逾期（期限{late_replies[0].due:%Y年%-m月%-d日}）：{'、'.join(o.unit for o in late_replies)}",
        )
    replies = [o for o in owed if o.what == "答复"]
    if replies:
        warn_from = _working_days_before(replies[0].due, rules.warn_days)
        if on >= warn_from:
            return "yellow", f"答复期限临近（{replies[0].due:%Y年%-m月%-d日}）"
    late = [o for o in owed if o.late]
    if late:
        return "yellow", "；".join(f"{o.unit}{o.what}逾期" for o in late)
    return "green", ""


def _working_days_before(day: date, n: int) -> date:
    """The date `n` working days before `day`."""
    while n > 0:
        day -= timedelta(days=1)
        n -= working_day(day)[0]
    return day
