"""The stages of the text engine, run in order: normalise → outline → responsibilities →
targets → deadlines → meta → roles.

After the text is normalised and the document-wide facts are read (the body's bounds, the
metadata, the reporting rhythms, the document's mood), the rest runs one top-level item at a
time: the outline's next part, the statements that begin in it, its targets and deadlines, then
roles. The statements and deadlines are read in windows that follow the parts, so a parse holds
the text and the part being made, not every item, node and statement of the document at once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from luoshi.textplan import Progress, deadlines, responsibility, roles, targets
from luoshi.textplan import meta as meta_stage
from luoshi.textplan.model import Cadence, Deadline, Item, Plan, PlanStream, Span, TextCut
from luoshi.textplan.normalize import Normalised, normalise_taking
from luoshi.textplan.outline import Node, sections


def _silent(stage: str, fraction: float) -> None:
    pass


def run(original: str, source: str | None = None, progress: Progress | None = None) -> Plan:
    """Parse decoded document text into a Plan.

    ``progress(stage, fraction)`` hears where the parse is: "normalize", "outline", "units",
    "targets" (also as the items reach each quarter of the body, the longest stage) and "done"
    with 1.0, the fraction of the whole parse rising each time. Eight calls at most, whatever the
    length.
    """
    return run_taking([original], source, progress)


def run_taking(holder: list[str], source: str | None = None, progress: Progress | None = None) -> Plan:
    """As ``run``, for a text handed over in a list that nothing else refers to (a file just read,
    whole or in pieces cut after newlines): once normalised, the original is freed and the parse
    holds one copy of the text."""
    stream = stream_taking(holder, source, progress)
    stream.plan.items = list(stream.roots)
    return stream.plan


def stream_taking(
    holder: list[str], source: str | None = None, progress: Progress | None = None
) -> PlanStream:
    """As ``run_taking``, the items made as they are asked for (see PlanStream): the text is read,
    normalised and its document-wide facts found before this returns; the progress of the items
    is heard as ``roots`` is read, "done" once it is read to its end."""
    progress = progress or _silent
    progress("normalize", 0.1)
    norm = normalise_taking(holder)
    text = norm.text
    progress("outline", 0.2)
    found = sections(text)
    meta = meta_stage.extract(text, found.body_start, found.has_items)
    year = meta_stage.reference_year(text, meta)
    convention = responsibility.first_named_leads(text)
    plan_cadence = deadlines.find_cadences(text)
    doc = _Document(
        text=text,
        norm=norm,
        year=year,
        convention=convention,
        body_start=found.body_start,
        body_end=found.body_end,
        mood=targets.document_mood(text, found.body_start, found.body_end, meta.title, meta.date),
        cadence=plan_cadence,
        cadence_starts=[c.span.start if c.span else 0 for c in plan_cadence],
    )
    for c in plan_cadence:
        if c.span:
            c.span = Span(norm.to_original(c.span.start), norm.to_original(c.span.end))
    plan = Plan(
        meta=meta,
        items=[],
        text=text,
        source=source,
        cadence=plan_cadence,
        first_named_leads=convention is not None,
    )
    return PlanStream(plan, _roots(doc, found.parts, progress))


@dataclass(slots=True)
class _Document:
    """What every part of a parse reads: the text and the facts found across the whole of it."""

    text: str
    norm: Normalised
    year: int | None
    convention: int | None  # where the document says its first-named unit leads
    body_start: int
    body_end: int
    mood: str  # the document's own mood (targets.document_mood)
    cadence: list[Cadence]  # the plan-wide rhythms, spans in the original text
    cadence_starts: list[int]  # where each begins in the normalised text
    every_lead: set[str] | None = field(default=None)  # units any statement names as lead, once needed


def _roots(doc: _Document, parts: Iterator[list[Node]], progress: Progress) -> Iterator[Item]:
    text, norm = doc.text, doc.norm
    ahead = _Ahead(parts, doc.body_end)
    statements = responsibility.StatementStream(text, doc.body_start, doc.body_end, ahead.next_stop)
    dated = _Dated(doc)
    progress("units", 0.4)
    progress("targets", 0.55)
    # Targets take the last ~45% of the time: report as the items pass each quarter of the body.
    span = doc.body_end - doc.body_start
    marks = deque((doc.body_start + span * q // 4, q) for q in (1, 2, 3))
    while (part := ahead.take()) is not None:
        root = part[0]
        ahead.forget_before(root.cand.start)
        item = _to_item(text, norm, root)
        _assign(doc, part, statements.take(root.region_end), statements)
        mood = targets.section_mood(text, root, doc.mood)
        for n in part:
            reached = 0
            while marks and marks[0][0] <= n.cand.start:
                reached = marks.popleft()[1]
            if reached:
                progress("targets", 0.55 + 0.1 * reached)
            _read_targets(doc, n, mood, dated)
        roles.assign([item])
        for n in part:  # a node and its parent refer to each other: unlinked, none waits for the collector
            n.parent = None
            n.children = []
            n.item = None
        del part, root
        yield item
        del item
    progress("done", 1.0)


def _to_item(text: str, norm: Normalised, n: Node) -> Item:
    c = n.cand
    it = Item(
        label=c.label,
        family=c.family,
        title=n.title,
        text=TextCut(text, c.end, n.text_end),  # type: ignore[arg-type]
        span=Span(norm.to_original(c.start), norm.to_original(n.region_end)),
        confidence=0.7 if c.inferred else 1.0,
        children=[_to_item(text, norm, k) for k in n.children],
    )
    n.item = it
    return it


def _read_targets(doc: _Document, n: Node, mood: str, dated: _Dated) -> None:
    """An item's targets, its deadline when no statement gave one, and its reporting rhythms."""
    it: Item = n.item  # type: ignore[assignment]
    norm = doc.norm
    for t in targets.find(doc.text, n.cand.end, n.text_end, mood, doc.year):
        if t.span:
            t.span = Span(norm.to_original(t.span.start), norm.to_original(t.span.end))
        it.targets.append(t)
    if it.deadline is None:
        it.deadline = dated.first_within(n.cand.end, n.text_end)
    starts = doc.cadence_starts
    lo, hi = bisect_left(starts, n.cand.end), bisect_left(starts, n.text_end)
    if lo < hi:  # most items have none: they keep the empty list they were made with
        it.cadence = doc.cadence[lo:hi]


class _Ahead:
    """The outline's parts, read ahead of the one being made as far as the statements ask: a
    labelled value (牵头单位：X) ends where the next item begins, which may lie in a later part."""

    __slots__ = ("parts", "body_end", "queue", "starts", "edge", "done")

    def __init__(self, parts: Iterator[list[Node]], body_end: int) -> None:
        self.parts = parts
        self.body_end = body_end
        self.queue: deque[list[Node]] = deque()
        self.starts: list[int] = []  # where the items read so far begin, from the part being made
        self.edge: int | None = None  # where the part after those read begins (None: none)
        self.done = False

    def _read(self) -> bool:
        part = None if self.done else next(self.parts, None)
        if part is None:
            self.done = True
            self.edge = None
            return False
        self.queue.append(part)
        self.starts += [n.cand.start for n in part]
        # the next part's first item begins where this part ends; the last part ends the body
        self.edge = part[0].region_end
        if self.edge >= self.body_end:
            self.done = True
            self.edge = None
        return True

    def take(self) -> list[Node] | None:
        """The next part, or None after the last."""
        if not self.queue and not self._read():
            return None
        return self.queue.popleft()

    def forget_before(self, pos: int) -> None:
        """Starts before ``pos`` are asked about no more: the statements read beyond it."""
        del self.starts[: bisect_left(self.starts, pos)]

    def next_stop(self, pos: int) -> int | None:
        """Where the first item after ``pos`` begins; None when none does."""
        while not self.done and (self.edge is None or pos >= self.edge):
            self._read()
        i = bisect_right(self.starts, pos)
        if i < len(self.starts):
            return self.starts[i]
        return self.edge


class _Dated:
    """The document's deadline phrases, read in text order as the items ask for them."""

    __slots__ = ("found", "norm", "head", "head_start")

    def __init__(self, doc: _Document) -> None:
        self.found = deadlines.iter_deadlines(doc.text, doc.year)
        self.norm = doc.norm
        self.head: Deadline | None = None
        self.head_start = -1  # where the head begins in the normalised text
        self._next()

    def _next(self) -> None:
        d = next(self.found, None)
        if d is not None and d.span:
            self.head_start = d.span.start
            d.span = Span(self.norm.to_original(d.span.start), self.norm.to_original(d.span.end))
        elif d is not None:
            self.head_start = 0
        self.head = d

    def first_within(self, lo: int, hi: int) -> Deadline | None:
        """The first deadline beginning in ``[lo, hi)``; asked with ``lo`` rising."""
        while self.head is not None and self.head_start < lo:
            self._next()
        return self.head if self.head is not None and self.head_start < hi else None


def _assign(
    doc: _Document,
    part: list[Node],
    statements: list[responsibility.Statement],
    stream: responsibility.StatementStream,
) -> None:
    """Give each responsibility statement that begins in ``part`` to the item it governs."""
    convention = doc.convention
    starts = [n.cand.start for n in part]
    # sentences saying who handled an item count only where no bracket or label does
    statements.sort(key=lambda st: st.rule == "handling")
    stated: set[int] = set()  # items with a statement in their own text
    named_lead: set[int] = set()  # items whose statements name a lead as such (牵头单位, X牵头)
    # 责任单位 read as leads until a named lead says otherwise
    responsible: dict[int, tuple[Item, list[str]]] = {}
    for st in statements:
        node = part[bisect_right(starts, st.start) - 1]
        if st.rule == "handling" and id(node) in stated:
            continue  # only the first sentence saying who handled an item assigns it
        # a sentence of the item's own prose (由各乡镇负责指派专人…) speaks of that item only
        if st.rule not in _PROSE_RULES and _governs_parent(node, stated):
            node = node.parent  # type: ignore[assignment]
        stated.add(id(node))
        it: Item = node.item  # type: ignore[assignment]
        lead, support = list(st.lead), list(st.support)
        if lead:
            named_lead.add(id(node))
        if st.responsible:
            if convention is not None and st.end > convention:
                lead.append(st.responsible[0])
                support += st.responsible[1:]
            else:
                lead += st.responsible
                responsible.setdefault(id(node), (it, []))[1].extend(st.responsible)
        for u in lead:
            if u not in it.lead:
                it.lead.append(u)
        for u in support:
            if u not in it.support and u not in it.lead:
                it.support.append(u)
        if st.deadline and it.deadline is None:
            d = deadlines.find_deadline(st.deadline, doc.year)
            it.deadline = d or Deadline(date="", text=st.deadline)
        it.milestones.update(st.milestones)
    # 牵头单位 on one line and 责任单位 on another: the responsible units support the named lead,
    # unless some statement of the document names them as leads
    for key, (it, units) in responsible.items():
        if key in named_lead:
            moved = [u for u in units if u in it.lead and not _named_lead(doc, stream, u)]
            it.lead = [u for u in it.lead if u not in moved]
            it.support += [u for u in moved if u not in it.support]
    for n in part:
        it = n.item  # type: ignore[assignment]
        for u in (*it.lead, *it.support):
            c = responsibility.canonical_unit(u)
            if c != u:
                it.canonical[u] = c


def _named_lead(doc: _Document, stream: responsibility.StatementStream, unit: str) -> bool:
    """Whether any statement of the document names ``unit`` as a lead. The statements read so far
    mostly answer; else the document's statements are read once more, to its end, for their leads."""
    if unit in stream.leads:
        return True
    if doc.every_lead is None:
        doc.every_lead = _every_lead(doc.text, doc.body_start, doc.body_end)
    return unit in doc.every_lead


def _every_lead(text: str, body_start: int, body_end: int) -> set[str]:
    """The units every statement of the body names as leads, read part by part as a parse does."""
    ahead = _Ahead(sections(text).parts, body_end)
    stream = responsibility.StatementStream(text, body_start, body_end, ahead.next_stop)
    while (part := ahead.take()) is not None:
        ahead.forget_before(part[0].cand.start)
        stream.take(part[0].region_end)
    return stream.leads


_PROSE_RULES = frozenset({"you", "huitong", "handling"})


def _governs_parent(node: Node, stated: set[int]) -> bool:
    """A statement after the last of several sub-items, none of which has one of its own,
    governs the item that contains them (一是…二是…三是… then （牵头单位：…）)."""
    parent = node.parent
    if parent is None or node.children or id(node) in stated or id(parent) in stated:
        return False
    siblings = parent.children
    if siblings[-1] is not node or len(siblings) < 2:
        return False
    return not any(id(s) in stated for s in siblings)
