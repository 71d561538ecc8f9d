"""The plan a document is read into: items in a tree, with owners, targets and dates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    """Half-open character range in the original (decoded) text of the document."""

    start: int
    end: int

    def to_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(slots=True)
class Target:
    """A quantity a plan commits to (``kind="target"``) or reports as done (``"actual"``)."""

    value: float | None
    unit: str
    kind: str = "target"
    low: float | None = None
    high: float | None = None
    comparator: str = ""  # ">=", ">", "<=", "<", "~" or "" for an exact figure
    metric: str = ""  # the phrase the number measures, e.g. 新增停车位
    text: str = ""  # the clause the target was read from
    span: Span | None = None
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"unit": self.unit, "kind": self.kind}
        if self.low is not None or self.high is not None:
            d["low"], d["high"] = _num(self.low), _num(self.high)
        else:
            d["value"] = _num(self.value)
        if self.comparator:
            d["comparator"] = self.comparator
        d["metric"] = self.metric
        d["text"] = self.text
        if self.span:
            d["span"] = self.span.to_list()
        return d


@dataclass(slots=True)
class Deadline:
    """When an item is due: a date (ISO) and the words that said so."""

    date: str
    text: str
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"date": self.date, "text": self.text}
        if self.span:
            d["span"] = self.span.to_list()
        return d


@dataclass(slots=True)
class Cadence:
    """A reporting rhythm such as 每月报送1次 or 每季度第1个月20日前."""

    period: str  # "week" | "month" | "quarter" | "half-year" | "year"
    times: int = 1
    month_of_period: int | None = None  # 1 = first month of the quarter
    day: int | None = None  # due by this day of the month
    text: str = ""
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"period": self.period, "times": self.times}
        if self.month_of_period is not None:
            d["month_of_period"] = self.month_of_period
        if self.day is not None:
            d["day"] = self.day
        d["text"] = self.text
        if self.span:
            d["span"] = self.span.to_list()
        return d


@dataclass(slots=True)
class Item:
    """One enumerated item of the plan and what the text says about it."""

    label: str  # the enumerator as written, e.g. （一）
    family: str  # the enumerator family, e.g. "paren_cn"
    title: str
    # the item's own text, children excluded; the engine stores a TextCut, read as the text when asked
    text: str = ""
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadline: Deadline | None = None
    milestones: dict[str, str] = field(default_factory=dict)  # 一季度 → what is due by then
    cadence: list[Cadence] = field(default_factory=list)
    canonical: dict[str, str] = field(default_factory=dict)  # unit as written → its one spelling
    span: Span | None = None
    confidence: float = 1.0
    children: list[Item] = field(default_factory=list)
    role: str = "task"  # "task" | "context" | "safeguard": see roles.py
    role_rule: str = ""  # the roles.json rule that decided, "inherited" or "owner"

    def walk(self):
        """Yield this item and every descendant, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()

    def to_dict(self, children: bool = True) -> dict[str, Any]:
        """The item as the plan JSON has it; ``children=False`` leaves its children's list empty
        (a writer that streams the tree fills it in one child at a time)."""
        d: dict[str, Any] = {
            "label": self.label,
            "title": self.title,
            "lead": list(self.lead),
            "support": list(self.support),
            "targets": [t.to_dict() for t in self.targets],
        }
        if self.deadline:
            d["deadline"] = self.deadline.to_dict()
        if self.milestones:
            d["milestones"] = dict(self.milestones)
        if self.cadence:
            d["cadence"] = [c.to_dict() for c in self.cadence]
        if self.canonical:
            d["canonical_units"] = dict(self.canonical)
        d["text"] = self.text
        if self.span:
            d["span"] = self.span.to_list()
        d["confidence"] = round(self.confidence, 3)
        d["role"] = self.role
        if self.role_rule:
            d["role_rule"] = self.role_rule
        d["children"] = [c.to_dict() for c in self.children] if children else []
        return d


class TextCut:
    """Where a piece of text lies in the document, read (and stripped) when asked: a plan of many
    items holds the one document text, not a copy of each item's text beside it."""

    __slots__ = ("doc", "bounds")

    def __init__(self, doc: str, start: int, end: int) -> None:
        self.doc = doc
        self.bounds = (start << 40) | end  # one int object, not two

    def read(self) -> str:
        b = self.bounds
        return self.doc[b >> 40 : b & _LOW_40].strip()


_LOW_40 = (1 << 40) - 1
_ITEM_TEXT = Item.text  # the slot itself, behind the property below


def _item_text(self: Item) -> str:
    v = _ITEM_TEXT.__get__(self, Item)
    return v.read() if type(v) is TextCut else v


# Item.text reads as a string whatever it holds; setting it stores what is given.
Item.text = property(_item_text, _ITEM_TEXT.__set__, doc="The item's own text, children excluded.")  # type: ignore[assignment,method-assign]


@dataclass(slots=True)
class Meta:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # YYYY-MM-DD

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "issuer": self.issuer, "doc_number": self.doc_number, "date": self.date}


@dataclass(slots=True)
class Plan:
    """A parsed document: metadata, the item tree and the text it came from."""

    meta: Meta
    items: list[Item]
    text: str  # the normalised text the items were read from
    source: str | None = None  # file name, when read from a file
    cadence: list[Cadence] = field(default_factory=list)  # the plan-wide reporting rhythm
    first_named_leads: bool = False  # the document declares 列第一位者为牵头单位

    def walk(self):
        for it in self.items:
            yield from it.walk()

    def to_dict(self, items: bool = True) -> dict[str, Any]:
        """The plan JSON; ``items=False`` leaves the item list empty, as ``Item.to_dict`` does."""
        return {
            "source": self.source,
            "meta": self.meta.to_dict(),
            "cadence": [c.to_dict() for c in self.cadence],
            "first_named_leads": self.first_named_leads,
            "items": [it.to_dict() for it in self.items] if items else [],
        }


@dataclass(slots=True)
class PlanStream:
    """A plan read one top-level item at a time: ``plan`` has the metadata, the plan-wide
    cadence and the text, and no items; ``roots`` makes each top-level item, its tree complete,
    as it is asked for, in order. Nothing of an item is kept once it is handed over, so a writer
    that writes each one and lets it go holds the largest part of the document, not all of it."""

    plan: Plan
    roots: Iterator[Item]


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x
