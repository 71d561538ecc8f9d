"""The stages of the text engine, run in order: normalise → outline → responsibilities →
targets → deadlines → meta → roles."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from luoshi.textplan import Progress, deadlines, responsibility, roles, targets
from luoshi.textplan import meta as meta_stage
from luoshi.textplan.model import Deadline, Item, Plan, Span, TextCut
from luoshi.textplan.normalize import normalise_taking
from luoshi.textplan.outline import Node, Outline, build


def _silent(stage: str, fraction: float) -> None:
    pass


def run(original: str, source: str | None = None, progress: Progress | None = None) -> Plan:
    """Parse decoded document text into a Plan.

    ``progress(stage, fraction)`` hears where the parse is: "normalize", "outline", "units",
    "targets" (also at each quarter of the items, the longest stage) and "done" with 1.0, the
    fraction of the whole parse rising each time. Eight calls at most, whatever the length.
    """
    return run_taking([original], source, progress)


def run_taking(holder: list[str], source: str | None = None, progress: Progress | None = None) -> Plan:
    """As ``run``, for a text handed over in a one-item list that nothing else refers to (a file
    just read): once normalised, the original is freed and the parse holds one copy of the text."""
    progress = progress or _silent
    progress("normalize", 0.1)
    norm = normalise_taking(holder)
    text = norm.text
    progress("outline", 0.2)
    outline = build(text)
    meta = meta_stage.extract(text, outline.body_start, bool(outline.nodes))
    year = meta_stage.reference_year(text, meta)

    def to_item(n: Node) -> Item:
        c = n.cand
        it = Item(
            label=c.label,
            family=c.family,
            title=n.title,
            text=TextCut(text, c.end, n.text_end),  # type: ignore[arg-type]
            span=Span(norm.to_original(c.start), norm.to_original(n.region_end)),
            confidence=0.7 if c.inferred else 1.0,
            children=[to_item(k) for k in n.children],
        )
        n.item = it
        return it

    roots = [to_item(n) for n in outline.roots]
    progress("units", 0.4)
    convention = responsibility.first_named_leads(text)
    _assign(text, outline, convention, year)
    progress("targets", 0.55)
    moods = targets.section_moods(text, outline, meta.title, year, meta.date)
    all_deadlines = deadlines.find_all_deadlines(text, year)
    dl_starts = [d.span.start if d.span else 0 for d in all_deadlines]
    plan_cadence = deadlines.find_cadences(text)
    cad_starts = [c.span.start if c.span else 0 for c in plan_cadence]
    for found in (*all_deadlines, *plan_cadence):
        if found.span:
            found.span = Span(norm.to_original(found.span.start), norm.to_original(found.span.end))
    # Targets take the last ~45% of the time: report each quarter of the items, not each item.
    quarters = {len(outline.nodes) * q // 4: q for q in (1, 2, 3)}
    for i, n in enumerate(_letting_go(outline)):
        if i in quarters:
            progress("targets", 0.55 + 0.1 * quarters[i])
        it = n.item
        for t in targets.find(text, n.cand.end, n.text_end, moods[i], year):
            if t.span:
                t.span = Span(norm.to_original(t.span.start), norm.to_original(t.span.end))
            it.targets.append(t)
        if it.deadline is None:
            it.deadline = _first_within(all_deadlines, dl_starts, n.cand.end, n.text_end)
        own = [c for c, at in zip(plan_cadence, cad_starts, strict=True) if n.cand.end <= at < n.text_end]
        if own:  # most items have none: they keep the empty list they were made with
            it.cadence = own
    roles.assign(roots)
    progress("done", 1.0)
    return Plan(
        meta=meta,
        items=roots,
        text=text,
        source=source,
        cadence=plan_cadence,
        first_named_leads=convention is not None,
    )


def _letting_go(outline: Outline) -> Iterator[Node]:
    """The outline's nodes in text order, each let go once the next is asked for: the targets read
    last pile up as the nodes they were read from are freed, and none waits for the garbage
    collector (a node and its parent refer to each other)."""
    nodes = outline.nodes
    outline.roots, outline.starts = [], []
    for i, n in enumerate(nodes):
        nodes[i] = None  # type: ignore[call-overload]
        n.parent = None
        n.children.clear()  # its children come later in ``nodes``, which holds them until then
        yield n
    nodes.clear()


def _first_within(found: list[Deadline], starts: list[int], lo: int, hi: int) -> Deadline | None:
    i = bisect_left(starts, lo)
    return found[i] if i < len(found) and starts[i] < hi else None


def _assign(text: str, outline: Outline, convention: int | None, year: int | None) -> None:
    """Give each responsibility statement to the item it governs."""
    statements = responsibility.find_statements(text, outline.body_start, outline.body_end, outline.starts)
    # sentences saying who handled an item count only where no bracket or label does
    statements.sort(key=lambda st: st.rule == "handling")
    stated: set[int] = set()  # items with a statement in their own text
    named_lead: set[int] = set()  # items whose statements name a lead as such (牵头单位, X牵头)
    # 责任单位 read as leads until a named lead says otherwise
    responsible: dict[int, tuple[Item, list[str]]] = {}
    for st in statements:
        node = outline.node_at(st.start)
        if node is None:
            continue
        if st.rule == "handling" and id(node) in stated:
            continue  # only the first sentence saying who handled an item assigns it
        if _governs_parent(node, stated):
            node = node.parent
        stated.add(id(node))
        it = node.item
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
            d = deadlines.find_deadline(st.deadline, year)
            it.deadline = d or Deadline(date="", text=st.deadline)
        it.milestones.update(st.milestones)
    # 牵头单位 on one line and 责任单位 on another: the responsible units support the named lead
    for key, (it, units) in responsible.items():
        if key in named_lead:
            moved = [u for u in units if u in it.lead and u not in _named_leads(statements, it)]
            it.lead = [u for u in it.lead if u not in moved]
            it.support += [u for u in moved if u not in it.support]
    for n in outline.nodes:
        it = n.item
        for u in (*it.lead, *it.support):
            c = responsibility.canonical_unit(u)
            if c != u:
                it.canonical[u] = c


def _named_leads(statements: list[responsibility.Statement], it: Item) -> set[str]:
    return {u for st in statements for u in st.lead if u in it.lead}


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
