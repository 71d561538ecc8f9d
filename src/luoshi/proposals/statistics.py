"""Handling statistics of proposals, without Django: by unit, by session and in total.

Definitions (each rate states its base, as the bulletins do):

- 交办件数: proposals with an assignment; a unit counts the proposals it leads (主办, or each unit
  of a 分办) in their current assignment.
- 办复率: proposals answered (已答复, 已反馈 or 重新办理 after a first reply) over 交办件数.
- 按时答复率: replies made by their deadline over all replies (every round).
- 满意率: proposals whose last rating of the result is 满意 or 基本满意 over the proposals rated.
- A/B/C类占比: the category of each proposal's latest reply (per unit) over the replies counted.
- 重新办理: proposals the member rated 不满意 and that went back for a second round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

ANSWERED = frozenset({"replied", "rated", "rehandling"})
SATISFIED = frozenset({"满意", "基本满意"})
CATEGORIES = ("A", "B", "C")


@dataclass(frozen=True)
class ReplyFact:
    """One reply: by which unit, its category, whether it was late, in which round."""

    unit: str
    category: str
    late: bool
    round: int = 1


@dataclass(frozen=True)
class ProposalFact:
    """What the statistics need of one proposal."""

    id: str
    session: str
    state: str
    round: int
    leads: tuple[str, ...]
    replies: tuple[ReplyFact, ...] = ()
    # (round, result) of every rating
    ratings: tuple[tuple[int, str], ...] = ()
    # the units that logged a contact with the member (办前, 办中 or 办后)
    communicated: tuple[str, ...] = ()


@dataclass
class Figures:
    """Counts of one group (a unit, a session, the whole); the rates derive from them."""

    name: str
    assigned: int = 0
    answered: int = 0
    replies: int = 0
    on_time: int = 0
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    rated: int = 0
    satisfied: int = 0
    rehandled: int = 0
    communicated: int = 0
    ids: list[str] = field(default_factory=list)

    @property
    def categorised(self) -> int:
        return sum(self.categories.values())

    @property
    def answer_rate(self) -> float | None:
        """办复率 in percent."""
        return rate(self.answered, self.assigned)

    @property
    def on_time_rate(self) -> float | None:
        """按时答复率 in percent."""
        return rate(self.on_time, self.replies)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 in percent."""
        return rate(self.satisfied, self.rated)

    def share(self, category: str) -> float | None:
        """A/B/C类占比 in percent."""
        return rate(self.categories[category], self.categorised)


@dataclass
class Statistics:
    """The whole, each session and each lead unit."""

    total: Figures
    by_session: list[Figures]
    by_unit: list[Figures]


def rate(part: int, whole: int) -> float | None:
    """part/whole in percent to one decimal, None without a base."""
    return round(part * 100 / whole, 1) if whole else None


def _add(f: Figures, p: ProposalFact, unit: str | None) -> None:
    """Count proposal `p` into `f`; `unit`: count only that unit's replies."""
    f.assigned += 1
    f.ids.append(p.id)
    # A unit counts its own contacts; the whole and a session any unit's.
    f.communicated += (unit in p.communicated) if unit is not None else bool(p.communicated)
    if p.state in ANSWERED:
        f.answered += 1
    replies = [r for r in p.replies if unit is None or r.unit == unit]
    f.replies += len(replies)
    f.on_time += sum(1 for r in replies if not r.late)
    latest: dict[str, ReplyFact] = {}
    for r in replies:
        latest[r.unit] = r  # replies come in order: a second round's reply replaces the first
    for r in latest.values():
        if r.category in f.categories:
            f.categories[r.category] += 1
    if p.ratings:
        f.rated += 1
        f.satisfied += max(p.ratings)[1] in SATISFIED
    if p.round > 1:
        f.rehandled += 1


def compute(proposals: Iterable[ProposalFact], name: str = "合计") -> Statistics:
    """Figures of the assigned proposals in total, by session and by lead unit (each sorted by name)."""
    total = Figures(name)
    sessions: dict[str, Figures] = {}
    units: dict[str, Figures] = defaultdict(lambda: Figures(""))
    for p in proposals:
        if not p.leads:
            continue  # not yet assigned: nothing to count
        _add(total, p, None)
        _add(sessions.setdefault(p.session, Figures(p.session)), p, None)
        for unit in p.leads:
            f = units[unit]
            f.name = unit
            _add(f, p, unit)
    return Statistics(
        total,
        sorted(sessions.values(), key=lambda f: f.name),
        sorted(units.values(), key=lambda f: (-f.assigned, f.name)),
    )


HEADER = (
    "名称",
    "交办件数",
    "已办复",
    "办复率",
    "答复件次",
    "按时答复",
    "按时答复率",
    "A类",
    "B类",
    "C类",
    "A类占比",
    "B类占比",
    "C类占比",
    "已评价",
    "满意及基本满意",
    "满意率",
    "重新办理",
)
RATE_COLUMNS = frozenset({3, 6, 10, 11, 12, 15})
# The columns a bulletin page has room for (the counts behind the rates stay in the Excel figures).
BRIEF_COLUMNS = (0, 1, 3, 6, 10, 11, 12, 15, 16)


# The board: how far the assigned proposals have come, 交办 → 已沟通 → 已答复 → 已反馈 → 满意.
BOARD_HEADER = ("名称", "交办", "已沟通", "已答复", "已反馈", "满意及基本满意")
BOARD_NOTE = (
    "办理进度：交办＝已交办件数；已沟通＝有沟通记录（办前、办中或办后）的件数，分单位按该单位的记录；"
    "已答复＝办复件数；已反馈＝委员已评价件数；满意及基本满意＝最后一次评价办理结果为满意或基本满意的件数。"
)


def board_row(f: Figures) -> tuple:
    """One row of the board: the counts at each step."""
    return (f.name, f.assigned, f.communicated, f.answered, f.rated, f.satisfied)


def row(f: Figures) -> tuple:
    """One table row: counts as ints, rates as percent floats (None without a base)."""
    c = f.categories
    return (
        f.name,
        f.assigned,
        f.answered,
        f.answer_rate,
        f.replies,
        f.on_time,
        f.on_time_rate,
        c["A"],
        c["B"],
        c["C"],
        f.share("A"),
        f.share("B"),
        f.share("C"),
        f.rated,
        f.satisfied,
        f.satisfaction_rate,
        f.rehandled,
    )


def shown(value) -> str:
    """A cell as text: a rate as 66.7%, a missing rate as —."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}%"
    return str(value)


def summary(s: Statistics, label: str) -> str:
    """The bulletin's opening paragraph, each rate with its base."""
    t = s.total
    if not t.assigned:
        return f"{label}暂无交办的提案建议。"
    c = t.categories
    parts = [
        f"{label}共交办{t.assigned}件，已办复{t.answered}件，办复率{shown(t.answer_rate)}",
        f"答复{t.replies}件次，按时答复{t.on_time}件次，按时答复率{shown(t.on_time_rate)}",
        f"答复中A类{c['A']}件、B类{c['B']}件、C类{c['C']}件",
        f"委员已评价{t.rated}件，满意及基本满意{t.satisfied}件，满意率{shown(t.satisfaction_rate)}",
        f"重新办理{t.rehandled}件",
    ]
    return "；".join(parts) + "。"


DEFINITIONS = (
    "交办件数：已交办的提案建议；分单位按现行交办的主办单位（分办的每个单位）统计。",
    "办复率：已答复（含已反馈、重新办理）件数÷交办件数。",
    "按时答复率：在答复期限内作出的答复件次÷全部答复件次（含重新办理的答复）。",
    "A/B/C类占比：各单位最近一次答复的类别÷分类答复数。",
    "满意率：最近一次评价中办理结果为满意或基本满意的件数÷已评价件数。",
    "重新办理：委员评价不满意后重新办理的件数。",
)
