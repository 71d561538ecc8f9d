"""Outline: find the enumerators of a document and nest them as the document nests them.

A number is taken as an enumerator only when it stands where enumerators stand (a line
start, after a sentence, or anywhere for the unmistakable forms) *and* it is the number
the sequence expects next. That single rule tells ``2.深化…`` from ``3.8万`` and ``19号线``,
and lets a numeral lost in scraping (``、加强…`` after ``四、``) be restored.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from luoshi.textplan.numerals import int_to_cn, label_value
from luoshi.textplan.ruletables import load
from luoshi.textplan.strings import shared

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
    confirm: bool = False  # opens a sequence only when the next label of its family follows


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
    confirmed: bool | None = None  # the next line-start label of its family carries the next number
    needs_confirmation: bool = False


@dataclass(slots=True)
class Node:
    """An accepted enumerator and the text it governs."""

    cand: Candidate
    title: str = ""
    text_end: int = 0  # own text runs from cand.end to text_end (children excluded)
    region_end: int = 0  # the whole item, children included
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    item: object = None  # what the pipeline reads from this node, while it builds the plan

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
            bool(f.get("confirm")),
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


class _LineCursor:
    """Tells whether positions, asked in rising order, open their line (after bullets and spaces).

    It walks the text's line breaks once instead of holding a table of every line."""

    __slots__ = ("text", "line_start", "next_break")

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text = text
        self.line_start = text.rfind("\n", 0, pos) + 1
        self.next_break = text.find("\n", self.line_start)

    def at_line(self, pos: int) -> bool:
        text = self.text
        while 0 <= self.next_break < pos:
            self.line_start = self.next_break + 1
            self.next_break = text.find("\n", self.line_start)
        return _LINE_START.match(text, self.line_start).end() == pos


def _family_candidates(
    text: str, fam: Family, clause_before: frozenset[str], start: int = 0, flat: bool = False
) -> Iterator[Candidate]:
    """The labels of one family from ``start``. In a flat page (its line breaks lost) a label
    standing where its family's labels stand counts as opening a line."""
    cursor = _LineCursor(text, start)
    for m in fam.regex.finditer(text, start):
        s = m.start()
        prev = text[s - 1] if s else "\n"
        if prev.isascii() and prev.isalnum() or prev in "第.．":
            continue  # part of a longer number or word: S3, 2.5, 第一
        if prev in ":：" and s >= 2 and text[s - 2].isdigit():
            continue  # the minutes of a time or the second term of a ratio: 17:01, 1:1
        at_line = cursor.at_line(s)
        if fam.where == "any" or at_line:
            placed = True
        elif fam.where == "clause":
            # 一、 and （一） mid-line only after a full stop; 一是 may follow a comma;
            # a zero-led news head (01 02 03) may follow a space where lines were lost
            loose = fam.name in ("shi", "di", "keyword")
            # 通知如下: 一、… : a space between the stop and the label changes nothing
            sig = prev if prev not in " \t" else text[s - 3 : s].rstrip(" \t")[-1:]
            placed = (
                prev in clause_before
                or (sig != "" and sig in clause_before)
                or (loose and prev in "，,、 ")
                or (prev in " \t" and m.group(1)[0] == "0")
                # a page run into one line kept a space where each line break was
                or (flat and prev in " \t\u3000")
            )
        else:
            placed = flat and prev in clause_before  # 如下:1。 新改扩建… where the lines were lost
        if flat and not placed and fam.name == "news" and m.group(1)[0] == "0":
            placed = True  # 一起来看看吧~01加大教育惠民力度: zero-led heads run into the text
        at_line = at_line or (flat and placed)
        value = label_value(m.group(1), fam.numeral)
        if value is None or value == 0:
            continue
        next_line = False
        if fam.title_next_line:
            line_end = text.find("\n", m.end())
            next_line = _BLANK.fullmatch(text, m.end(), line_end if line_end >= 0 else len(text)) is not None
        yield Candidate(
            s,
            m.end(),
            fam.name,
            value,
            shared(m.group(0).strip()),
            fam.rank,
            next_line,
            placed=placed,
            at_line=at_line,
            needs_confirmation=fam.confirm,
        )


def _lost_candidates(text: str, lost_re: re.Pattern[str], family: str) -> Iterator[Candidate]:
    cursor = _LineCursor(text)
    for m in lost_re.finditer(text):
        if cursor.at_line(m.start()) or text[m.start() - 1 : m.start()] == "。":
            yield Candidate(m.start(), m.end(), family, 0, m.group(0), 1, inferred=True)


def _candidates(text: str, flat: bool = False) -> Iterator[Candidate]:
    """Every label the enumerator families find, in text order, produced as they are read."""
    fams, lost_re, lost_family, clause_before, _ = _families()
    streams = [_family_candidates(text, fam, clause_before, 0, flat) for fam in fams]
    streams.append(_lost_candidates(text, lost_re, lost_family))
    return heapq.merge(*streams, key=lambda c: (c.start, c.rank))


def _confirmer(text: str, flat: bool = False) -> Callable[[Candidate], bool]:
    """Whether a line-start label's family carries on from it at the next line-start label."""
    fams, _, _, clause_before, _ = _families()
    by_name = {f.name: f for f in fams}

    def confirmed(c: Candidate) -> bool:
        if c.confirmed is None:
            c.confirmed = False
            fam = by_name.get(c.family)
            if c.at_line and not c.inferred and fam is not None:
                for d in _family_candidates(text, fam, clause_before, c.end, flat):
                    if d.at_line:
                        c.confirmed = d.value == c.value + 1
                        break
        return c.confirmed

    return confirmed


def _child_opener(text: str, flat: bool = False) -> Callable[[Candidate], bool]:
    """Whether the next line-start label after a line-start label opens a deeper sequence at 1
    (二、重点抓好六方面工作 / (一)全力以赴…): the label heads a section of its own."""
    fams, _, _, clause_before, _ = _families()

    def opens(c: Candidate) -> bool:
        if not c.at_line or c.inferred:
            return False
        nxt: Candidate | None = None
        for fam in fams:
            for d in _family_candidates(text, fam, clause_before, c.end, flat):
                if d.at_line:
                    if nxt is None or d.start < nxt.start:
                        nxt = d
                    break
        return nxt is not None and nxt.family != c.family and nxt.value == 1

    return opens


_BLANK = re.compile(r"\s*")
_EXCERPT_FAMILIES = frozenset({"cn_dun", "paren_cn"})
_LINE_START = re.compile(r"^[ \t•·\-*]*", re.M)


@lru_cache(maxsize=1)
def _attachment_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = load("enumerators")["attachment_list"]
    return re.compile(table["head"], re.M), re.compile(table["item"])


def _attachment_spans(text: str) -> list[tuple[int, int]]:
    """Where a notice lists its attachments (附件：1.…方案 2.…表): numbers that are no items."""
    head_re, item_re = _attachment_res()
    spans = []
    for h in head_re.finditer(text):
        pos, expect, end = h.end(), 1, -1
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1  # a name may open the next line, blank lines between
            m = item_re.match(text, pos)
            if m is None or int(m.group(1)) != expect:
                break
            end, expect, pos = m.end(), expect + 1, m.end()
        if end > 0:
            spans.append((h.start(), end))
    return spans


_TOC_ENTRY_TAIL = re.compile(r"[\s.．…·\-—_]*\d*\s*$")


def _toc_key(line: str) -> str:
    return re.sub(r"\s+", "", _TOC_ENTRY_TAIL.sub("", line))


def _contents_spans(text: str) -> list[tuple[int, int]]:
    """Where a table of contents lists the heads the body numbers again (目 录 / 第一章 总 则 …)."""
    table = load("enumerators")["contents"]
    spans = []
    for h in re.finditer(table["head"], text, re.M):
        pos = h.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        first = _toc_key(text[pos:line_end])
        if not first:
            continue
        limit = min(len(text), line_end + table["reach"])
        at = line_end + 1
        while at < limit:
            nl = text.find("\n", at)
            nl = len(text) if nl < 0 else nl
            if _toc_key(text[at:nl]) == first:
                spans.append((h.start(), at))
                break
            at = nl + 1
    return spans


def _outside(cands: Iterable[Candidate], spans: list[tuple[int, int]]) -> Iterator[Candidate]:
    """The candidates that stand in none of ``spans`` (sorted, apart)."""
    i = 0
    for c in cands:
        while i < len(spans) and spans[i][1] <= c.start:
            i += 1
        if i < len(spans) and spans[i][0] <= c.start:
            continue
        yield c


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
    found = sections(text)
    roots: list[Node] = []
    nodes: list[Node] = []
    for part in found.parts:
        roots.append(part[0])
        nodes += part
    if not nodes:
        return Outline([], 0, len(text))
    return Outline(roots, found.body_start, found.body_end, nodes, [n.cand.start for n in nodes])


@dataclass(slots=True)
class Sections:
    """The outline one top-level item at a time: each of ``parts`` is a top-level item and its
    descendants in text order, titles and ends set, made as the labels are read. A part is
    complete once the next top-level item is accepted, so only the part being read is held, not
    the document's outline. Without items the body is the whole text and there are no parts."""

    body_start: int
    body_end: int
    has_items: bool
    parts: Iterator[list[Node]]


def sections(text: str) -> Sections:
    """The outline of ``text``, read as its parts are asked for (see Sections)."""
    flat = is_flat(text)
    breaks = sorted(m.start() for pattern in (_DOC_BREAK, _TABLE_HEAD) for m in pattern.finditer(text))
    confirmed = _confirmer(text, flat)
    opens = _child_opener(text, flat)
    attachments = sorted(_attachment_spans(text) + _contents_spans(text))
    # the body ends where page furniture begins after the first item (上一篇：2.… has numbers
    # of its own): find the first item, then read the labels once, up to that end
    first = next(
        _accepting(_outside(_candidates(text, flat), attachments), flat, len(text), breaks, confirmed, opens),
        None,
    )
    if first is None:
        return Sections(0, len(text), False, iter(()))
    body_end = _tail_markers(text, first.cand.end)
    accepted = _accepting(
        _outside(_candidates(text, flat), attachments), flat, body_end, breaks, confirmed, opens
    )
    return Sections(first.cand.start, body_end, True, _parts(text, accepted, body_end))


def _parts(text: str, accepted: Iterator[Node], body_end: int) -> Iterator[list[Node]]:
    part: list[Node] = []
    for node in accepted:
        if part:  # the item before ends where this one begins
            _close(text, part[-1], node.cand.start)
            if node.parent is None:
                _set_region_ends(part[:1], node.cand.start)
                yield part
                part = []
        part.append(node)
    if part:
        _close(text, part[-1], body_end)
        _set_region_ends(part[:1], body_end)
        yield part


def _close(text: str, node: Node, nxt: int) -> None:
    node.text_end = nxt
    node.title = _title(text, node.cand, nxt)


def is_flat(text: str) -> bool:
    """A document whose line breaks were lost in scraping: one or a few very long lines,
    or one line that holds nearly all of the text (a title above a page run together)."""
    lines = longest = pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if end > pos and _NOT_SPACE.search(text, pos, end):
            lines += 1
            longest = max(longest, end - pos)
        pos = end + 1
    return n / max(lines, 1) > 600 or (longest >= 400 and longest >= 0.75 * n)


_NOT_SPACE = re.compile(r"\S")
# A date alone on its line ends a notice; the plan it sends may number again from 一、
_DOC_BREAK = re.compile(
    r"^[ \t]*(?:(?:19|20)\d\d年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九○]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)[ \t]*$",
    re.M,
)
# A task table's header alone on its line (序号 重点任务 牵头单位 …) opens the list it heads: its
# rows number from the top, whatever numbered points stand before it
_TABLE_HEAD = re.compile(r"^[ \t]*序号(?:[ \t]+[^\s\d][^\s]{0,15}){2,12}[ \t]*$", re.M)
# 一是…二是… and 第一，第二， live inside their paragraph: a label opening a new line is not theirs
_INLINE_FAMILIES = frozenset({"shi", "di"})
_ARABIC_LINE_FAMILIES = frozenset({"num_dot", "num_dun"})
_RESTARTING_FAMILIES = frozenset({"decimal", "decimal3"})
_TOP_FAMILIES = frozenset({"cn_dun"})


def _accepting(
    cands: Iterable[Candidate],
    flat: bool,
    limit: int,
    breaks: list[int],
    confirmed: Callable[[Candidate], bool],
    opens: Callable[[Candidate], bool] = lambda c: False,
) -> Iterator[Node]:
    """The accepted items in text order, each linked to its parent as it is accepted."""
    stack: list[Node] = []
    last_seen: dict[str, int] = {}  # last value per family, kept across sections
    last: Node | None = None  # the item accepted last
    covered_until = -1
    for c in cands:
        if c.start >= limit:
            break
        if c.start < covered_until:
            continue  # inside a label already taken (（一） contains 一)
        view = len(stack)
        if c.at_line:
            while (
                view
                and stack[view - 1].cand.family in _INLINE_FAMILIES
                and stack[view - 1].cand.family != c.family
            ):
                view -= 1
        restart = last is not None and _break_between(breaks, last.cand.start, c.start)
        placed = _place(
            c, stack[:view], last_seen, confirmed, first=last is None, restart=restart, opens=opens
        )
        if placed is None:
            continue
        depth, continues = placed
        if not c.placed and not _loosely_placed(c, continues, flat, last):
            continue
        if c.inferred:
            value = stack[depth].cand.value + 1
            c = replace(c, value=value, label=int_to_cn(value) + c.label)
        node = Node(c)
        del stack[depth:]
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        stack.append(node)
        last_seen[c.family] = c.value
        covered_until = c.end
        last = node
        yield node


def _loosely_placed(c: Candidate, continues: bool, flat: bool, last: Node | None) -> bool:
    """In a flat document a label may follow a heading's last word with nothing between."""
    if not flat:
        return False
    if continues:
        return True
    # a new sequence opens right after its parent's heading
    return last is not None and c.start - last.cand.end <= 60


def _break_between(breaks: list[int], lo: int, hi: int) -> bool:
    i = bisect_right(breaks, lo)
    return i < len(breaks) and breaks[i] < hi


def _place(
    c: Candidate,
    stack: list[Node],
    last_seen: dict[str, int],
    confirmed: Callable[[Candidate], bool],
    first: bool = False,
    restart: bool = False,
    opens: Callable[[Candidate], bool] = lambda c: False,
) -> tuple[int, bool] | None:
    """Where the candidate continues or opens a sequence — (depth, continues) — or None to reject it."""
    # what a notice sends (its plan, its table of tasks) numbers again from the top after the
    # notice's date line, in whatever form it numbers
    if restart and c.value == 1 and c.at_line and not c.inferred:
        return 0, False
    for depth in range(len(stack) - 1, -1, -1):
        top = stack[depth].cand
        if top.family == c.family:
            if c.inferred or c.value == top.value + 1:
                return depth, True
            if c.value == 1 and c.family in _RESTARTING_FAMILIES and confirmed(c):
                return depth, False  # 2.1 after 1.2: a decimal outline numbers again under each major
            # a number lost in scraping or skipped by the drafter (3. then 5.), when the
            # next line-start label carries on from this one
            if top.value + 1 < c.value <= top.value + 3 and confirmed(c):
                return depth, True
            return None
    if c.inferred:
        return None
    if c.needs_confirmation and not confirmed(c):
        return None
    # a new, deeper sequence starts at 1, or carries on a numbering that runs through
    # the whole document (1. … 26. across the 一、二、 sections)
    if c.value == 1:
        return len(stack), False
    # an excerpt may begin at 三、 or at 204.: a label heading a line opens the outline
    # when it is a top-level form, or when the next line-start label carries on from it
    if first and c.at_line and (c.family in _EXCERPT_FAMILIES or confirmed(c)):
        return 0, False
    if stack and c.family in last_seen and c.value == last_seen[c.family] + 1:
        return len(stack), True
    # an excerpt that opens at 三、 after a lead with items of its own (一是…二是…, 1.) or after the
    # tail of the section before (（三）…): the outline's top form, new to the text, heads a line
    # and the next line-start label carries on from it or opens its first sub-item
    if c.at_line and c.family in _TOP_FAMILIES and c.family not in last_seen and (confirmed(c) or opens(c)):
        return 0, False
    # rows excerpted from a longer list (10. … 14. of a table) open under their heading when the
    # family is new and the next line-start label carries on from this one
    if (
        stack
        and c.at_line
        and c.family in _ARABIC_LINE_FAMILIES
        and c.family not in last_seen
        and confirmed(c)
    ):
        return len(stack), False
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
