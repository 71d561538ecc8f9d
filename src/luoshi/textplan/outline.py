"""Outline: find the enumerators of a document and nest them as the document nests them.

A number is taken as an enumerator only when it stands where enumerators stand (a line
start, after a sentence, or anywhere for the unmistakable forms) *and* it is the number
the sequence expects next. That single rule tells ``2.深化…`` from ``3.8万`` and ``19号线``,
and lets a numeral lost in scraping (``、加强…`` after ``四、``) be restored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from luoshi.textplan.numerals import int_to_cn, label_value
from luoshi.textplan.ruletables import load

_TITLE_END = re.compile(r"[。：:；;！!？?]")


@dataclass(slots=True)
class Family:
    name: str
    regex: re.Pattern[str]
    numeral: str
    where: str
    rank: int
    title_next_line: bool


@dataclass(slots=True)
class Candidate:
    start: int  # where the label starts
    end: int  # where the label ends
    family: str
    value: int
    label: str
    rank: int
    title_next_line: bool = False
    inferred: bool = False


@dataclass(slots=True)
class Node:
    """An accepted enumerator and the text it governs."""

    cand: Candidate
    depth: int
    title: str = ""
    text_end: int = 0  # own text runs from cand.end to text_end (children excluded)
    region_end: int = 0  # the whole item, children included
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None

    @property
    def label(self) -> str:
        return self.cand.label


@dataclass(slots=True)
class Outline:
    roots: list[Node]
    body_start: int
    body_end: int


@lru_cache(maxsize=1)
def _families() -> tuple[list[Family], re.Pattern[str], str, frozenset[str], tuple[str, ...]]:
    table = load("enumerators")
    fams = [
        Family(
            f["name"],
            re.compile(f["pattern"], re.M),
            f["numeral"],
            f["where"],
            f["rank"],
            f.get("title") == "next_line",
        )
        for f in table["families"]
    ]
    lost = table["lost_numeral"]
    return (
        fams,
        re.compile(lost["pattern"]),
        lost["family"],
        frozenset(table["clause_before"]),
        tuple(table["tail_markers"]),
    )


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _candidates(text: str) -> list[Candidate]:
    fams, lost_re, lost_family, clause_before, _ = _families()
    line_start = re.compile(r"^[ \t•·\-*]*", re.M)
    starts_at_line: set[int] = {m.end() for m in line_start.finditer(text)}
    out: list[Candidate] = []
    for fam in fams:
        for m in fam.regex.finditer(text):
            s = m.start()
            at_line = s in starts_at_line
            if fam.where == "line" and not at_line:
                continue
            if fam.where == "clause" and not at_line:
                prev = text[s - 1] if s else "\n"
                if prev not in clause_before and prev not in "，,、 ":
                    continue
                # 一、 and （一） mid-line only after a full stop; 一是 may follow a comma
                if fam.name in ("cn_dun", "paren_cn", "num_dun") and prev not in clause_before:
                    continue
            value = label_value(m.group(1), fam.numeral)
            if value is None or value == 0:
                continue
            out.append(
                Candidate(s, m.end(), fam.name, value, m.group(0).strip(), fam.rank, fam.title_next_line)
            )
    for m in lost_re.finditer(text):
        if m.start() in starts_at_line:
            out.append(Candidate(m.start(), m.end(), lost_family, 0, m.group(0), 1, inferred=True))
    out.sort(key=lambda c: (c.start, c.rank))
    return out


def _tail_start(text: str, after: int) -> int:
    """Where trailing page furniture (上一篇, 扫一扫, 抄送…) begins after the body."""
    _, _, _, _, markers = _families()
    best = len(text)
    for mk in markers:
        i = text.find(mk, after)
        if 0 <= i < best:
            best = i
    if best < len(text):
        best = text.rfind("\n", 0, best) + 1
    return best


def build(text: str) -> Outline:
    """Accept the enumerators that fit the numbering sequence and nest them."""
    cands = _candidates(text)
    stack: list[Node] = []
    last_seen: dict[str, int] = {}  # last value per family, kept across sections
    roots: list[Node] = []
    accepted: list[Node] = []
    covered_until = -1
    for c in cands:
        if c.start < covered_until:
            continue  # inside a label already taken (（一） contains 一)
        depth = _place(c, stack, last_seen)
        if depth is None:
            continue
        node = Node(c, depth)
        del stack[depth:]
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
        last_seen[c.family] = c.value
        accepted.append(node)
        covered_until = c.end

    if not accepted:
        return Outline([], 0, len(text))
    body_end = _tail_start(text, accepted[-1].cand.end)
    accepted = [n for n in accepted if n.cand.start < body_end]
    _prune(roots, body_end)
    for i, n in enumerate(accepted):
        nxt = accepted[i + 1].cand.start if i + 1 < len(accepted) else body_end
        n.text_end = nxt
        n.title = _title(text, n.cand, nxt)
    for n in accepted:
        n.region_end = _region_end(n, body_end)
    return Outline(roots, accepted[0].cand.start, body_end)


def _place(c: Candidate, stack: list[Node], last_seen: dict[str, int]) -> int | None:
    """The depth at which the candidate continues or opens a sequence, or None to reject it."""
    for depth in range(len(stack) - 1, -1, -1):
        top = stack[depth].cand
        if top.family == c.family:
            if c.inferred:
                c.value = top.value + 1
                c.label = int_to_cn(c.value) + c.label
                return depth
            return depth if c.value == top.value + 1 else None
    if c.inferred:
        return None
    # a new, deeper sequence starts at 1, or carries on a numbering that runs through
    # the whole document (1. … 26. across the 一、二、 sections)
    if c.value == 1 or (c.family in last_seen and c.value == last_seen[c.family] + 1 and stack):
        return len(stack)
    return None


def _prune(nodes: list[Node], body_end: int) -> None:
    nodes[:] = [n for n in nodes if n.cand.start < body_end]
    for n in nodes:
        _prune(n.children, body_end)


def _region_end(n: Node, body_end: int) -> int:
    """An item runs until the next item at its own depth or above."""
    cur: Node | None = n
    while cur is not None:
        siblings = cur.parent.children if cur.parent else None
        if siblings is not None:
            i = siblings.index(cur)
            if i + 1 < len(siblings):
                return siblings[i + 1].cand.start
        cur = cur.parent
    return body_end


def _title(text: str, c: Candidate, limit: int) -> str:
    start = c.end
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    end = min(line_end, limit)
    seg = text[start:end]
    if c.title_next_line or not seg.strip():
        # the label stands alone on its line: the title is the next non-empty line
        pos = line_end + 1
        while pos < min(limit, len(text)):
            nl = text.find("\n", pos)
            nl = len(text) if nl < 0 else nl
            line = text[pos : min(nl, limit)].strip()
            if line:
                seg = line
                break
            pos = nl + 1
    m = _TITLE_END.search(seg)
    if m:
        seg = seg[: m.start()]
    return seg.strip(" \t　")
