"""Outline: find the enumerators of a document and nest them as the document nests them.

A number is taken as an enumerator only when it stands where enumerators stand (a line
start, after a sentence, or anywhere for the unmistakable forms) *and* it is the number
the sequence expects next. That single rule tells ``2.深化…`` from ``3.8万`` and ``19号线``,
and lets a numeral lost in scraping (``、加强…`` after ``四、``) be restored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache

from luoshi.textplan.numerals import int_to_cn, label_value
from luoshi.textplan.ruletables import load

# a title ends at a full stop, or where a bracketed note with a colon begins (（牵头单位：…）)
_TITLE_END = re.compile(r"[。：:；;！!？?]|[（(](?=[^（）()\n]{0,12}[：:])")


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
    placed: bool = True  # stands where its family's labels stand (line start, after a sentence)
    at_line: bool = False


@dataclass(slots=True)
class Node:
    """An accepted enumerator and the text it governs."""

    cand: Candidate
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
    nodes: list[Node] = field(default_factory=list)  # every item in text order
    starts: list[int] = field(default_factory=list)  # where each of ``nodes`` starts

    def node_at(self, pos: int) -> Node | None:
        """The item whose own text holds ``pos`` (None before the first item or after the body)."""
        if pos < self.body_start or pos >= self.body_end or not self.nodes:
            return None
        i = bisect_right(self.starts, pos) - 1
        return self.nodes[i] if i >= 0 else None


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


def _candidates(text: str) -> list[Candidate]:
    fams, lost_re, lost_family, clause_before, _ = _families()
    starts_at_line: set[int] = {m.end() for m in _LINE_START.finditer(text)}
    out: list[Candidate] = []
    for fam in fams:
        for m in fam.regex.finditer(text):
            s = m.start()
            prev = text[s - 1] if s else "\n"
            if prev.isascii() and prev.isalnum() or prev in "第.．":
                continue  # part of a longer number or word: S3, 2.5, 第一
            at_line = s in starts_at_line
            if fam.where == "any" or at_line:
                placed = True
            elif fam.where == "clause":
                # 一、 and （一） mid-line only after a full stop; 一是 may follow a comma
                loose = fam.name in ("shi", "di", "keyword")
                placed = prev in clause_before or (loose and prev in "，,、 ")
            else:
                placed = False
            value = label_value(m.group(1), fam.numeral)
            if value is None or value == 0:
                continue
            line_end = text.find("\n", m.end())
            rest_of_line = text[m.end() : line_end if line_end >= 0 else len(text)]
            next_line = fam.title_next_line and not rest_of_line.strip()
            out.append(
                Candidate(
                    s,
                    m.end(),
                    fam.name,
                    value,
                    m.group(0).strip(),
                    fam.rank,
                    next_line,
                    placed=placed,
                    at_line=at_line,
                )
            )
    for m in lost_re.finditer(text):
        if m.start() in starts_at_line or text[m.start() - 1 : m.start()] == "。":
            out.append(Candidate(m.start(), m.end(), lost_family, 0, m.group(0), 1, inferred=True))
    out.sort(key=lambda c: (c.start, c.rank))
    return out


_EXCERPT_FAMILIES = frozenset({"cn_dun", "paren_cn"})
_LINE_START = re.compile(r"^[ \t•·\-*]*", re.M)


def _tail_markers(text: str, after: int) -> int:
    """Where trailing page furniture (上一篇, 扫一扫, 抄送…) begins after ``after``."""
    _, _, _, _, markers = _families()
    best = len(text)
    for mk in markers:
        line_only = mk.startswith("^")
        word = mk.lstrip("^")
        i = text.find(word, after)
        while 0 <= i < best:
            ls = text.rfind("\n", 0, i) + 1
            if not line_only or not text[ls:i].strip():
                best = ls if not text[ls:i].strip() else i
                break
            i = text.find(word, i + 1)
    return best


def build(text: str) -> Outline:
    """Accept the enumerators that fit the numbering sequence and nest them."""
    cands = _candidates(text)
    flat = _is_flat(text)
    parts = _part_starts(text)
    roots, accepted = _accept(cands, flat, len(text), parts)
    if not accepted:
        return Outline([], 0, len(text))
    body_end = _tail_markers(text, accepted[0].cand.end)
    if body_end < len(text):
        # page furniture after the body may carry numbers of its own (上一篇：2.…)
        roots, accepted = _accept([c for c in cands if c.start < body_end], flat, body_end, parts)
        if not accepted:
            return Outline([], 0, len(text))
    for i, n in enumerate(accepted):
        nxt = accepted[i + 1].cand.start if i + 1 < len(accepted) else body_end
        n.text_end = nxt
        n.title = _title(text, n.cand, nxt)
    _set_region_ends(roots, body_end)
    return Outline(roots, accepted[0].cand.start, body_end, accepted, [n.cand.start for n in accepted])


def _is_flat(text: str) -> bool:
    """A document whose line breaks were lost in scraping: one or a few very long lines."""
    lines = sum(1 for ln in text.split("\n") if ln.strip())
    return len(text) / max(lines, 1) > 600


# A notice ends with its issuer and date on lines of their own; what follows it (the plan or the
# table of tasks it sends out) is numbered from the top again.
_DATE_LINE = re.compile(
    r"^[ \t　]*(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})[ \t　]*年[ \t　]*[\d一二三四五六七八九十]{1,3}"
    r"[ \t　]*月[ \t　]*[\d一二三四五六七八九十]{1,3}[ \t　]*日[ \t　]*$",
    re.M,
)
_ARABIC_LINE_FAMILIES = frozenset({"num_dot", "num_dun"})


def _part_starts(text: str) -> list[int]:
    """Where a new part of the document (after a dated signature) begins."""
    return [m.end() for m in _DATE_LINE.finditer(text)]


def _opens_excerpt(c: Candidate, last_seen: dict[str, int], line_labels: set[tuple[str, int]]) -> bool:
    """The first 80. of a text that goes on 81. …, each heading a line: rows of a longer list."""
    return (
        c.at_line
        and c.family in _ARABIC_LINE_FAMILIES
        and c.family not in last_seen
        and (c.family, c.value + 1) in line_labels
    )


def _accept(
    cands: list[Candidate], flat: bool, limit: int, parts: list[int] = ()
) -> tuple[list[Node], list[Node]]:
    stack: list[Node] = []
    last_seen: dict[str, int] = {}  # last value per family, kept across sections
    roots: list[Node] = []
    accepted: list[Node] = []
    covered_until = -1
    line_labels = {(c.family, c.value) for c in cands if c.at_line}
    part = 0
    for c in cands:
        if c.start < covered_until or c.start >= limit:
            continue  # inside a label already taken (（一） contains 一)
        if part < len(parts) and c.start >= parts[part]:
            while part < len(parts) and c.start >= parts[part]:
                part += 1
            stack.clear()
            last_seen.clear()
        placed = _place(c, stack, last_seen, first=not accepted)
        if placed is None and _opens_excerpt(c, last_seen, line_labels):
            placed = (len(stack), False)
        if placed is None:
            continue
        depth, continues = placed
        if not c.placed and not _loosely_placed(c, continues, flat, accepted):
            continue
        if c.inferred:
            value = stack[depth].cand.value + 1
            c = replace(c, value=value, label=int_to_cn(value) + c.label)
        node = Node(c)
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
    return roots, accepted


def _loosely_placed(c: Candidate, continues: bool, flat: bool, accepted: list[Node]) -> bool:
    """In a flat document a label may follow a heading's last word with nothing between."""
    if not flat:
        return False
    if continues:
        return True
    # a new sequence opens right after its parent's heading
    return bool(accepted) and c.start - accepted[-1].cand.end <= 60


def _place(
    c: Candidate, stack: list[Node], last_seen: dict[str, int], first: bool = False
) -> tuple[int, bool] | None:
    """Where the candidate continues or opens a sequence — (depth, continues) — or None to reject it."""
    for depth in range(len(stack) - 1, -1, -1):
        top = stack[depth].cand
        if top.family == c.family:
            if c.inferred or c.value == top.value + 1:
                return depth, True
            return None
    if c.inferred:
        return None
    # a new, deeper sequence starts at 1, or carries on a numbering that runs through
    # the whole document (1. … 26. across the 一、二、 sections)
    if c.value == 1:
        return len(stack), False
    # an excerpt may begin at 三、: a top-level label heading a line opens the outline
    if first and c.at_line and c.family in _EXCERPT_FAMILIES:
        return 0, False
    if stack and c.family in last_seen and c.value == last_seen[c.family] + 1:
        return len(stack), True
    return None


def _set_region_ends(roots: list[Node], body_end: int) -> None:
    """An item runs until the next item at its own depth or above."""
    todo: list[tuple[list[Node], int]] = [(roots, body_end)]
    while todo:
        siblings, end = todo.pop()
        for i, n in enumerate(siblings):
            n.region_end = siblings[i + 1].cand.start if i + 1 < len(siblings) else end
            if n.children:
                todo.append((n.children, n.region_end))


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
