"""Responsibilities: who leads and who co-operates, as the document states it.

Statements come in a few shapes — ``（牵头单位：X；配合单位：Y）``, ``（X牵头，Y配合）``,
``（X、Y负责）``, ``由X负责``, ``X会同Y负责`` — and their unit lists are written in
shorthand that is spelled out here: ``市发展改革局、经济和信息化局`` → ``市经济和信息化局``,
``大亚湾开发区、仲恺高新区管委会`` → ``大亚湾开发区管委会``.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from luoshi.textplan.ruletables import load
from luoshi.textplan.strings import shared

# a qualifier in brackets within a unit name that states no role: （含开发区）, （市林业局）
_QUAL = r"[（(](?![^（）()\n]*(?:牵头|负责|配合|责任|主办|协办))[^（）()\n]{1,60}[）)]"


@dataclass(slots=True)
class Statement:
    """One responsibility statement found in the text."""

    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)  # 负责 without a stated role
    deadline: str = ""
    target: str = ""
    milestones: dict[str, str] = field(default_factory=dict)
    rule: str = ""

    def units(self) -> bool:
        return bool(self.lead or self.support or self.responsible)


@dataclass(slots=True)
class _Rules:
    keyed: re.Pattern[str]
    key_role: dict[str, str]
    responsible_tail: re.Pattern[str]
    first_named: re.Pattern[str]
    drop_trailing: tuple[str, ...]
    role_word: re.Pattern[str]
    collective: re.Pattern[str]
    unit_suffixes: tuple[str, ...]
    level_prefixes: tuple[str, ...]
    not_level_starts: tuple[str, ...]
    place_marks: str
    place_mark_words: re.Pattern[str]
    provinces: tuple[str, ...]
    area_endings: tuple[str, ...]
    township_endings: tuple[str, ...]
    shared_suffixes: tuple[str, ...]
    you: re.Pattern[str]
    alias_to_canonical: dict[str, str]
    first_named_note: re.Pattern[str]
    value_notes: re.Pattern[str]
    each_leads: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    t = load("units")
    key_role: dict[str, str] = {}
    for role, words in t["role_keys"].items():
        for w in words:
            key_role[w] = role
    keys = sorted(key_role, key=len, reverse=True)
    alias: dict[str, str] = {}
    for canon, names in t["aliases"].items():
        alias[canon] = canon
        for n in names:
            alias[n] = canon
    lead_verbs = "|".join(sorted(t["lead_verbs_after_you"], key=len, reverse=True))
    return _Rules(
        keyed=re.compile("(" + "|".join(map(re.escape, keys)) + ")[ \t]*[：:]"),
        key_role=key_role,
        responsible_tail=re.compile(
            "(?:" + "|".join(map(re.escape, t["responsible_verbs"])) + ")[。.，,；;]*$"
        ),
        first_named=re.compile("[，,。；;]?(?:" + "|".join(t["first_named_leads"]) + ")[^。；;）)]*[。；;]?"),
        drop_trailing=tuple(sorted(t["drop_trailing"], key=len, reverse=True)),
        role_word=re.compile(t["role_words"]),
        collective=re.compile("|".join(t["collective"])),
        unit_suffixes=tuple(sorted(t["unit_suffixes"], key=len, reverse=True)),
        level_prefixes=tuple(t["level_prefixes"]),
        not_level_starts=tuple(t["not_level_starts"]),
        place_marks=t["place_marks"],
        place_mark_words=re.compile("|".join(t["place_mark_words"])),
        provinces=tuple(t["provinces"]),
        area_endings=tuple(sorted(t["area_endings"], key=len, reverse=True)),
        township_endings=tuple(t["township_endings"]),
        shared_suffixes=tuple(sorted(t["shared_suffixes"], key=len, reverse=True)),
        you=re.compile(
            r"由((?:[^，。；！？：:\n（）()]|" + _QUAL + r"){2,120}?)(" + lead_verbs + ")(?!人|同志)"
        ),
        alias_to_canonical=alias,
        # （除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）: the whole note goes with its declaration
        first_named_note=re.compile(
            r"[（(][^（）()\n]*?(?:" + "|".join(t["first_named_leads"]) + r")[^（）()\n]*[）)]"
        ),
        value_notes=re.compile(t["value_notes"]),
        each_leads=re.compile(t["each_leads"]),
    )


# brackets of any shape hold a statement: （…） 〔…〕 […] (下陆区: [牵头单位:区卫健局;责任单位:…])
_PAREN = re.compile(
    r"[（(〔\[［]((?:[^（）()〔〕\[\]［］\n]|[（(][^（）()\n]{0,60}[）)]){2,600})[）)〕\]］]"
)
# a statement the end of the text cut off: （牵头单位：市卫健委；责任单位：
_PAREN_CUT = re.compile(r"[（(〔\[［]((?:[^（）()〔〕\[\]［］\n]|[（(][^（）()\n]{0,60}[）)]){2,600})\s*\Z")
_CUE = re.compile(r"牵头|负责|配合|责任单位|主办|协办|会办|责任部门|协同")
# 牵头单位：X on a line of its own, with 配合单位：Y on the next (blank lines between allowed)
_KEY_WORDS = (
    r"(?:牵头责任单位|协同责任单位|配合责任单位|牵头单位|牵头部门|责任单位|责任部门|主办单位|配合单位|配合部门|"
    r"协办单位|会办单位|部门分工|完成时限|牵头负责领导|牵头[市区县]?领导|分管[省市区县]?领导|责任领导)"
)
# a label opening a line or following a sentence: 牵头单位：X (then 责任单位：Y, blank lines between)
_KEY_AT = re.compile(rf"(?:^|(?<=[。；;！？!?]))[ \t]*{_KEY_WORDS}[ \t]*[：:]", re.M)
_THEN_SUPPORT = re.compile(
    rf"[，,]((?:[^，,。；;\n（）()]|{_QUAL}){{2,80}}?)(?:等[^，。；]{{0,6}}?)?(?:配合|参与|协助|协办)"
)
_SUPPORT_INLINE = re.compile(r"(各[^，。；、\n]{1,8}?(?:部门|单位))(?:将|要|应|也要)?(?:积极)?(?:主动)?配合")
_HUITONG = re.compile(rf"会同((?:[^。；！？\n（）()]|{_QUAL}){{2,120}}?)负责")
_SUBJECT = re.compile(rf"(?:[^，,。；;！？：:\n（）()]|{_QUAL}){{2,40}}$")


def canonical_unit(name: str) -> str:
    """One spelling for one unit: 市发改局 → 市发展改革局 (level prefix kept)."""
    r = _rules()
    for p in ("", *r.level_prefixes):
        if name.startswith(p):
            rest = name[len(p) :]
            if rest in r.alias_to_canonical:
                return p + r.alias_to_canonical[rest]
    return name


def first_named_leads(text: str) -> int | None:
    """Position of the document's declaration that the first-named unit leads, if any."""
    m = _rules().first_named.search(text)
    return m.start() if m else None


def find_statements(
    text: str, start: int = 0, end: int | None = None, stops: list[int] | None = None
) -> list[Statement]:
    """Every responsibility statement between ``start`` and ``end``, in text order.

    ``stops``: where items begin (sorted); a labelled value never runs into the next item."""
    end = len(text) if end is None else end
    known = stops or []

    def next_stop(pos: int) -> int | None:
        i = bisect_right(known, pos)
        return known[i] if i < len(known) else None

    return StatementStream(text, start, end, next_stop).take(None)


class StatementStream:
    """The statements of ``find_statements``, read a window at a time: ``take(upto)`` gives those
    that begin before ``upto`` and were not given before, in the order find_statements gives them.

    Each kind of statement is read by a pass over the text (brackets, labelled lines, handling
    sentences, 由X负责, X会同Y负责, 各部门配合), and a later pass skips what an earlier one took.
    Every pass reads only as far as a window or a later pass needs, so what is held is the
    statements of a window and the spans taken near it, not the document's.
    ``next_stop(pos)``: where the first item after ``pos`` begins (None when none does); asked in
    rising order, a little ahead of the window."""

    def __init__(self, text: str, start: int, end: int, next_stop: Callable[[int], int | None]) -> None:
        self.text, self.start, self.end = text, start, end
        self.next_stop = next_stop
        self.leads: set[str] = set()  # every unit named as lead by the statements read so far
        self.at_text_end = end == len(text) or _NOT_SPACE.search(text, end) is None
        cut = _PAREN_CUT.search(text, max(start, end - 700), end) if self.at_text_end else None
        self._seq = 0
        # a statement the end of the text cut off is read after the brackets before it
        self.paren = _Pass(self._paren_steps(cut), None if cut is None else cut.start())
        self.keyed = _Pass(self._keyed_steps())
        self.handling = _Pass(self._handling_steps())
        self.you = _Pass(self._you_steps())
        self.huitong = _Pass(self._huitong_steps())
        self.inline = _Pass(self._inline_steps())
        self._passes = (self.paren, self.keyed, self.handling, self.you, self.huitong, self.inline)

    def take(self, upto: int | None) -> list[Statement]:
        """The statements that begin before ``upto`` (None: all that are left), in text order."""
        limit = sys.maxsize if upto is None else upto
        for p in self._passes:
            p.advance(limit - 1)  # every statement of a pass begins at or after its step's position
        ready: list[tuple[int, int, int, Statement]] = []
        for p in self._passes:
            if p.found:
                ready += [f for f in p.found if f[0] < limit]
                p.found[:] = [f for f in p.found if f[0] >= limit]
        ready.sort(key=lambda f: f[:3])
        self._forget()
        return [f[3] for f in ready]

    def _forget(self) -> None:
        """Drop the spans no later check can fall in: each pass checks at or after its position."""
        floor = min((p.at for p in self._passes if not p.done), default=sys.maxsize)
        if not self.paren.done and self.paren.exhaust_from is not None:
            floor = min(floor, self.paren.exhaust_from)
        for p in self._passes:
            if len(p.spans) > 16:
                p.spans[:] = [sp for sp in p.spans if sp[1] > floor]

    def _emit(self, p: _Pass, index: int, st: Statement) -> None:
        self._seq += 1
        p.found.append((st.start, index, self._seq, st))
        self.leads.update(st.lead)

    def _taken(self, pos: int, passes: tuple[_Pass, ...]) -> bool:
        """Whether ``pos`` lies in a span that one of ``passes`` took (each read far enough first)."""
        for p in passes:
            p.advance(pos)
        return any(_inside(pos, p.spans) for p in passes)

    def _paren_steps(self, cut: re.Match[str] | None) -> Iterator[int]:
        text, me = self.text, self.paren
        for m in chain(_PAREN.finditer(text, self.start, self.end), [cut] if cut else []):
            content = m.group(1)
            if _CUE.search(content) and not _inside(m.start(), me.spans):
                st = parse_statement(content, cut_off=m is cut)
                if st.units() or st.deadline or st.milestones:
                    st.start, st.end = m.start(), m.end()
                    st.rule = "paren"
                    self._emit(me, 0, st)
                    me.spans.append((m.start(), m.end()))
            yield m.start()

    def _keyed_steps(self) -> Iterator[int]:
        """Runs of labelled values (牵头单位：X / 责任单位：Y). A value ends at its line's end, at
        the next label or where the next item begins; labels separated by blank space only
        belong to one run. Labels inside the brackets taken (（牵头单位：…）) are skipped one
        step at a time, and a run looks ahead no further than its line and the blank after it."""
        text, end, me = self.text, self.end, self.keyed
        keys = _Keys(self)
        while (pos := keys.next_start()) is not None:
            k = keys.peek(pos)
            if k is None:  # a label within brackets taken
                yield pos
                continue
            keys.pop()
            b_start = k.start()
            while True:
                # the value runs to its line's end, or to the next label when that comes first
                nl = text.find("\n", k.end(), end)
                v_end = nl if nl >= 0 else end
                nxt = keys.peek(v_end)
                if nxt is not None:
                    v_end = min(v_end, nxt.start())
                stop = self.next_stop(k.end())
                if stop is not None and stop < v_end:
                    v_end = stop
                # the next label carries the run on when only blank space lies before it
                gap = _NOT_SPACE.search(text, v_end, end)
                nxt = keys.peek(gap.start() if gap else end)
                if nxt is not None and not (stop is not None and stop <= nxt.start()):
                    k = keys.pop()
                    continue
                break
            block = text[b_start:v_end].strip()
            cut_off = (
                self.at_text_end and _NOT_SPACE.search(text, v_end, end) is None and not _ENDS_CLEANLY.search(block)
            )
            st = parse_statement(block, cut_off=cut_off)
            if st.units():
                st.start, st.end, st.rule = b_start, v_end, "keyed_line"
                self._emit(me, 1, st)
                me.spans.append((b_start, v_end))
            yield b_start

    def _handling_steps(self) -> Iterator[int]:
        """Sentences whose subject is a list of units that handled or lead the work (prose and
        reply letters). A statement begins at most _HANDLING_REACH characters before its trigger."""
        text, start, end = self.text, self.start, self.end
        seen: set[int] = set()
        for t in _HANDLING_TRIGGER.finditer(text, start, end):
            self._handling_one(t, seen)
            yield t.start() - _HANDLING_REACH
            if len(seen) > 64:  # a sentence begins after lo below, which only rises
                floor = t.start() - _HANDLING_REACH
                seen = {x for x in seen if x >= floor}

    def _handling_one(self, t: re.Match[str], seen: set[int]) -> None:
        text, start, end = self.text, self.start, self.end
        # the sentence the trigger stands in begins after the last stop within reach
        lo = max(start, t.start() - _HANDLING_REACH)
        s = lo
        for stop in _SENTENCE_END.finditer(text, lo, t.start()):
            s = stop.end()
        if s == lo and lo > start and not _SENTENCE_END.match(text, lo - 1):
            return  # no sentence start within reach: the subject would be too long
        s = _SENTENCE_START.match(text, s).end()
        if s in seen:
            return
        seen.add(s)
        m = _handling_at(text, s, t.start(), end)
        if m is None or self._taken(m.start(), (self.paren, self.keyed)):
            return
        lead = split_units(m.group("subject"))
        support: list[str] = []
        stop_at = m.end()
        if m.group("with"):
            w = _WITH_END.search(text, m.end(), min(end, m.end() + 120))
            stop_at = w.start() if w else m.end()
            support = split_units(text[m.end() : stop_at]) if w else []
            if not support or not all(_looks_like_unit(u) for u in support):
                # 会同有关部门狠抓…: the list ends with the last name that reads as a unit
                stop_at = _units_end(text, m.end(), min(end, m.end() + 60))
                support = split_units(text[m.end() : stop_at]) if stop_at else []
                if not support:
                    return
        st = Statement(m.start(), stop_at, lead=lead, support=support, rule="handling")
        self._emit(self.handling, 2, st)
        self.handling.spans.append((st.start, st.end))

    def _before_you(self, pos: int) -> bool:
        return self._taken(pos, (self.paren, self.keyed, self.handling))

    def _you_steps(self) -> Iterator[int]:
        text, r = self.text, _rules()
        for m in r.you.finditer(text, self.start, self.end):
            if not self._before_you(m.start()):
                units = split_units(m.group(1))
                if units and all(_looks_like_unit(u) for u in units):
                    st = Statement(m.start(), m.end(), lead=units, rule="you")
                    then = _THEN_SUPPORT.match(text, m.end()) if m.group(2) == "牵头" else None
                    if then:  # 由X牵头，Y配合
                        st.support = [u for u in split_units(then.group(1)) if _looks_like_unit(u)]
                        st.end = then.end()
                    self._emit(self.you, 3, st)
            yield m.start()

    def _huitong_steps(self) -> Iterator[int]:
        text, start = self.text, self.start
        for m in _HUITONG.finditer(text, start, self.end):
            # the subject, up to _SUBJECT_REACH characters before 会同, is where the statement begins
            subject = _SUBJECT.search(text, max(start, m.start() - _SUBJECT_REACH), m.start())
            if subject is not None and not self._before_you(m.start()):
                lead = split_units(subject.group(0))
                support = split_units(m.group(1))
                if lead and all(_looks_like_unit(u) for u in lead):
                    st = Statement(subject.start(), m.end(), lead=lead, support=support, rule="huitong")
                    self._emit(self.huitong, 4, st)
            yield m.start() - _SUBJECT_REACH

    def _inline_steps(self) -> Iterator[int]:
        r = _rules()
        for m in _SUPPORT_INLINE.finditer(self.text, self.start, self.end):
            if not self._before_you(m.start()) and not r.role_word.match(m.group(1)):
                self._emit(
                    self.inline, 5, Statement(m.start(), m.end(), support=[m.group(1)], rule="support_inline")
                )
            yield m.start()


class _Keys:
    """The labels of labelled lines in text order, those within the brackets taken left out, each
    judged only when asked about: a run of labels looks no further ahead than it must."""

    __slots__ = ("stream", "raw", "head", "judged", "valid")

    def __init__(self, stream: StatementStream) -> None:
        self.stream = stream
        self.raw = _KEY_AT.finditer(stream.text, stream.start, stream.end)
        self.head: re.Match[str] | None = None  # the next label, judged or not
        self.judged = False
        self.valid = False

    def next_start(self) -> int | None:
        """Where the next label begins, taken by brackets or not; None after the last."""
        if self.head is None:
            self.head = next(self.raw, None)
            self.judged = False
        return None if self.head is None else self.head.start()

    def peek(self, bound: int) -> re.Match[str] | None:
        """The next label outside the brackets taken, if it begins at or before ``bound``."""
        while (pos := self.next_start()) is not None and pos <= bound:
            if not self.judged:
                self.judged = True
                self.valid = not self.stream._taken(pos, (self.stream.paren,))
            if self.valid:
                return self.head
            self.head = None
        return None

    def pop(self) -> re.Match[str]:
        """The label ``peek`` gave, taken."""
        head = self.head
        assert head is not None and self.judged and self.valid
        self.head = None
        return head


class _Pass:
    """One pass of a StatementStream: its steps (each yields the position before which none of
    its later statements begins), the statements found and not yet taken, the spans it took."""

    __slots__ = ("steps", "at", "done", "found", "spans", "exhaust_from")

    def __init__(self, steps: Iterator[int], exhaust_from: int | None = None) -> None:
        self.steps = steps
        self.at = -1
        self.done = False
        self.found: list[tuple[int, int, int, Statement]] = []
        self.spans: list[tuple[int, int]] = []
        # from here on, the pass is read to its end (the statement cut off by the text's end
        # is read last, though it begins before the brackets read just before it)
        self.exhaust_from = exhaust_from

    def advance(self, pos: int) -> None:
        """Read every step whose position is at or before ``pos``."""
        if self.exhaust_from is not None and pos >= self.exhaust_from:
            pos = sys.maxsize
        while not self.done and self.at <= pos:
            step = next(self.steps, None)
            if step is None:
                self.done = True
            else:
                self.at = step


_NOT_SPACE = re.compile(r"\S")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")
_ENDS_CLEANLY = re.compile(r"[。；;，,、）)〕]\s*$")
# what a list of units may carry after it that names no unit: 按职责分工负责, 负责, 牵头
_VALUE_TAIL = re.compile(r"(?:按职责分工负责|按职责负责|分别负责|共同负责|负责落实|牵头负责|负责|牵头|配合)$")


def parse_statement(content: str, cut_off: bool = False) -> Statement:
    """Read the units and roles of one statement's text (the part inside the brackets).

    ``cut_off``: the end of the text cut the statement, so its last unit name may be cut too.
    """
    r = _rules()
    st = Statement(0, 0)
    # （列第一位者为牵头单位，下同） closing a list leaves empty brackets behind
    declared = r.first_named.search(content) is not None
    content = r.first_named_note.sub("", content)
    content = _EMPTY_BRACKETS.sub("", r.first_named.sub("", content)).strip()
    keys = list(r.keyed.finditer(content))
    if keys:
        for i, k in enumerate(keys):
            raw = content[k.end() : keys[i + 1].start() if i + 1 < len(keys) else len(content)]
            # the value ends with its sentence: 责任单位：X按职责分工负责。具体任务均涉及…，下同。
            value = re.split(r"[。；;]", raw, maxsplit=1)[0].strip(" \t\n，,")
            value = r.value_notes.sub("", value)  # （责任单位：X，下同）: 下同 names no unit
            value = _own_cells(value)
            role = r.key_role[k.group(1)]
            if role == "responsible" and r.each_leads.search(value):
                role = "lead"  # 责任单位：X、Y分别牵头: each leads its part
            if role in ("lead", "responsible", "support"):
                units = split_units(_VALUE_TAIL.sub("", value))
                getattr(st, role).extend(units)
                # the end of the text may cut the last name: 市协 of 市协作办
                last = i == len(keys) - 1
                if (
                    cut_off
                    and last
                    and units
                    and not _ENDS_CLEANLY.search(raw)
                    and not _looks_like_unit(units[-1])
                ):
                    getattr(st, role).pop()
            elif role == "division":
                _read_roles(value, st)
            elif role == "deadline":
                st.deadline = value
            elif role == "target":
                st.target = value
            elif role == "person":
                continue  # 牵头负责领导：金力 names a leader, not a unit
            else:
                st.milestones[k.group(1).removeprefix("第")] = value
        _responsible_beside_lead(st)
        return st
    for part in re.split(r"[；;。]", content):
        part = part.strip(" ，,")
        if part:
            _read_roles(part, st)
    for lst in (st.lead, st.support, st.responsible):
        lst[:] = [u for u in lst if _looks_like_unit(u)]
    if declared and not st.units():
        # （市经信局、市科技局，排在首位的为牵头单位）: the list the declaration closes is the units'
        units = split_units(content)
        if units and all(_looks_like_unit(u) for u in units):
            st.responsible = units
    _responsible_beside_lead(st)
    return st


# a run of spaces, then another field's label: 责任单位：市公安局 项目责任人：王伟标
_NEXT_FIELD = re.compile(r"[ \t\u3000]+[\u4e00-\u9fff]{2,10}[：:]")
_SPACES = re.compile(r"[ \t\u3000]+(?![（(])")


def _own_cells(value: str) -> str:
    """A labelled value on a line that holds other fields or table cells ends where they begin:
    the words after a run of spaces belong to it only while they are unit names (a row scraped
    from a table runs on into its other cells: 各区政府 鄞州 海曙、江东…)."""
    m = _NEXT_FIELD.search(value)
    if m:
        value = value[: m.start()]
    parts = _SPACES.split(value)
    kept = [parts[0]]
    for p in parts[1:]:
        units = split_units(p)
        if not units or not all(_looks_like_unit(u) for u in units):
            break
        kept.append(p)
    return "、".join(kept)


def _responsible_beside_lead(st: Statement) -> None:
    """责任单位 beside 牵头单位 names the units that carry the work with the lead: support."""
    if st.lead and st.responsible:
        st.support += [u for u in st.responsible if u not in st.lead and u not in st.support]
        st.responsible = []


_LEAD_TAIL = re.compile(r"(?:牵头负责|牵头落实|牵头)$")
_SUPPORT_TAIL = re.compile(
    r"(?:等[^，,]{0,8}?)?(?:按职责分工负责|按职责负责|配合落实|负责落实|共同推进|配合|参与|协助|协办|负责)$"
)


def _read_roles(part: str, st: Statement) -> None:
    """X牵头，Y配合 / X牵头，Y按职责分工负责 / X会同Y负责 / X、Y负责."""
    m = re.match(r"(.+?)会同(.+?)负责$", part)
    if m:
        st.lead += split_units(m.group(1))
        st.support += split_units(m.group(2))
        return
    clauses = [
        # X牵头，Y参与，各县、区人民政府负责落实: each clause ends with its units' role
        c.strip()
        for c in re.split(r"[，,](?=[^，,]*(?:牵头|配合|参与|协助|协办|负责|负责落实)(?:[，,]|$))", part)
        if c.strip()
    ]
    if any(_LEAD_TAIL.search(c) for c in clauses):
        for c in clauses:
            if _LEAD_TAIL.search(c):
                st.lead += split_units(_LEAD_TAIL.sub("", c))
            elif _SUPPORT_TAIL.search(c):
                st.support += split_units(_SUPPORT_TAIL.sub("", c))
        return
    r = _rules()
    if r.responsible_tail.search(part):
        st.responsible += split_units(r.responsible_tail.sub("", part))
        return
    # （国务院各部门分别负责，年内持续推进）: the clause that holds the verb names the units
    for c in re.split(r"[，,]", part):
        c = c.strip()
        if c and r.responsible_tail.search(c):
            st.responsible += split_units(r.responsible_tail.sub("", c))


def split_units(s: str) -> list[str]:
    """A written list of units into full unit names, shorthand spelled out."""
    r = _rules()
    s = s.strip(" ，,；;。:：")
    for verb in ("按职责分工", "分别", "共同", "具体"):
        if s.endswith(verb):
            s = s[: -len(verb)]
    protected: list[str] = []

    def protect(m: re.Match[str]) -> str:
        protected.append(m.group(0).strip())
        return f"\x00{len(protected) - 1}\x00"

    s = r.collective.sub(protect, s)
    # a qualifier in brackets is part of the name (高新区管委会（含开发区、保税区）, 各县（市、区）人民政府):
    # its 、 and 及 separate nothing
    s = _BRACKETED.sub(protect, s)
    # 商务部、财政部等和各有关省级人民政府: 等 closes the first list, 和 opens the next
    s = re.sub(r"等(?:有关部门|相关部门|部门|单位)?(?:和|及|以及|与)(?=各)", "、", s)
    # 环保厅和内蒙古电力监管办及相关盟市, 省财政厅和相关市州: 和 or 及 opens a collective of places
    s = _BEFORE_PLACES.sub("、", s)
    s = _join_words_between_units(s)
    units: list[str] = []
    for group in re.split(r"[，,；;]", s):
        pieces = [p.strip() for p in re.split(r"[、]|以及|及(?=[市省区县各])", group)]
        pieces = [_drop_trailing(p) for p in pieces if p.strip()]
        # a trailing qualifier is set aside while shorthand is spelled out, then put back
        tails = [_PROTECTED_TAIL.search(p) for p in pieces]
        bases = [p[: t.start()] if t else p for p, t in zip(pieces, tails, strict=True)]
        bases = [re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], b) for b in bases]
        written = list(bases)
        _share_suffixes(bases)
        for i in range(len(tails) - 2, -1, -1):
            # 济宁高新区、太白湖新区管委会（推进办公室）: a shared suffix brings its qualifier along
            if bases[i] != written[i] and tails[i] is None:
                tails[i] = tails[i + 1]
        _share_prefixes(bases)
        pieces = [
            b + (re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], t.group(0)) if t else "")
            for b, t in zip(bases, tails, strict=True)
        ]
        units += [p for p in pieces if p]
    out: list[str] = []
    for u in units:
        if u and u not in out:
            out.append(shared(u))
    return out


# 及相关盟市, 和有关县区, 以及相关市州: the places concerned, a collective of their own
_PLACES_CONCERNED = r"(?:相关|有关)各?(?:[市州县区盟旗乡镇]|街道)+(?:人民)?(?:政府|党委)?"
_BEFORE_PLACES = re.compile(rf"(?:以及|和|及|与)(?={_PLACES_CONCERNED}(?:[、，,；;]|$))")
_PLACES_UNIT = re.compile(rf"{_PLACES_CONCERNED}$")

# a qualifier in brackets inside a unit list: （含开发区、保税区）, （市林业局）, （市、区）
_BRACKETED = re.compile(r"[ \t]*[（(][^（）()\n]{1,60}[）)]")
_PROTECTED_TAIL = re.compile(r"(?:\x00\d+\x00)+$")
_QUALIFIER_TAIL = re.compile(r"(?:[（(][^（）()\n]{1,60}[）)])+$")


def _join_words_between_units(s: str) -> str:
    """和 or 及 between two whole unit names joins two units (各区县市政府及开发区), while the
    和 inside 住房和城乡建设局 or 经济和信息化局 follows a word that ends no unit name."""
    r = _rules()
    out = []
    last = 0
    for m in re.finditer(r"[和及与]", s):
        left = re.split(r"[、，,；;]", s[last : m.start()])[-1]
        right = re.split(r"[、，,；;]", s[m.end() :])[0]
        if _whole_unit(left, r) and _whole_unit(right, r) and (len(right) >= 3 or right.startswith("各")):
            out.append(s[last : m.start()] + "、")
            last = m.end()
    out.append(s[last:])
    return "".join(out)


@lru_cache(maxsize=1)
def _whole_suffixes() -> tuple[str, ...]:
    return tuple(x for x in _rules().unit_suffixes if len(x) > 1 or x in "局委办厅部府区处")


def _whole_unit(name: str, r: _Rules) -> bool:
    return len(name) >= 2 and name.endswith(_whole_suffixes())


def _drop_trailing(p: str) -> str:
    r = _rules()
    p = re.sub(r"等[\d一二三四五六七八九十]+个(?:有关|相关)?(?:部门|单位)$", "", p.strip())  # …等18个部门
    for t in r.drop_trailing:
        if p.endswith(t) and len(p) > len(t):
            return p[: -len(t)]
    return p


def _share_suffixes(pieces: list[str]) -> None:
    """惠阳区、惠东县政府 → 惠阳区政府、惠东县政府."""
    r = _rules()
    for i in range(len(pieces) - 2, -1, -1):
        p = pieces[i]
        if p.endswith(r.shared_suffixes):
            continue
        if not p.endswith(r.area_endings):
            continue
        nxt = pieces[i + 1]
        for s in r.shared_suffixes:
            if nxt.endswith(s) and nxt[: -len(s)].endswith(r.area_endings):
                pieces[i] = p + s
                break


def _share_prefixes(pieces: list[str]) -> None:
    """市发展改革局、经济和信息化局 → 市发展改革局、市经济和信息化局."""
    r = _rules()
    prefix = ""
    for i, p in enumerate(pieces):
        own = _level_prefix(p)
        if own:
            prefix = own
            continue
        if p.startswith(("各", "相关", "有关")):
            prefix = ""  # 各区县市政府及开发区: what follows a collective shares its scope, not the prefix
            continue
        if not prefix or _has_place(p) or p.endswith(r.township_endings):
            continue  # 县住建局、凤城镇: a town names its own place
        if not p.endswith(r.unit_suffixes):
            continue
        add = prefix
        if prefix.endswith("委") and not p.endswith("部"):
            add = prefix[:-1]  # 市委组织部、财政局 → 市财政局
        pieces[i] = add + p


def _level_prefix(p: str) -> str:
    r = _rules()
    if p.startswith(r.not_level_starts):
        return ""
    for lp in r.level_prefixes:
        if p.startswith(lp) and len(p) > len(lp) + 1:
            return lp
    return ""


def _has_place(p: str) -> bool:
    """A name that carries its own place (惠阳区政府, 环大亚湾新区管委会) takes no prefix."""
    r = _rules()
    if p.startswith(r.provinces):
        return True  # 内蒙古电力监管办, 广东海事局: a province's name is its place
    head = r.place_mark_words.sub("", p[:-1])  # 市场监管局 and 城市管理局 name no place
    return any(ch in head for ch in r.place_marks)


def _looks_like_unit(u: str) -> bool:
    r = _rules()
    if not u or len(_QUALIFIER_TAIL.sub("", u)) > 40 or len(u) > 100 or len(u) < 2:
        return False
    if len(u) <= 3 and u.startswith(_PRONOUN_UNITS):
        return False  # 我局, 本委, 贵厅: the writer or the addressee, not a named unit
    if re.search(r"[。；;：:！？\d]", u):
        return False
    if r.role_word.match(u):
        return False  # 各牵头单位要会同责任单位: whoever holds the role, not a named unit
    base = _QUALIFIER_TAIL.sub("", u)  # 高新区管委会（含开发区） is a 管委会
    return base.endswith(r.unit_suffixes) or u.startswith("各") or bool(_PLACES_UNIT.fullmatch(base))


# A sentence that says who handled or leads the work: 发展改革委会同水利部研究提出了办理意见,
# 扶贫办已会同交通部等部门赴…调查, 市商务局正在牵头组织编制…, 发展改革委研究提出了办理意见.
_HANDLING = re.compile(
    r"(?P<subject>[\u4e00-\u9fff、]{2,40}?)(?:已经|已|也|还将|将会|将|正在|正|拟)?"
    r"(?:(?P<with>会同)|(?=研究提出了?(?:办理|答复)意见)|(?:牵头)(?=组织|编制|制定|起草|开展|推进|研究|实施))"
)
_WITH_END = re.compile(
    r"研究|提出|共同|进行|赴|对|就|联合|组织|开展|制定|起草|编制|修订|做好|推进|负责|落实|实施|组成|"
    # adverbs that open the predicate: X将会同有关部门加快推进 / 积极争取 / 进一步完善
    r"加快|加强|积极|认真|抓紧|尽快|继续|进一步|全力|持续|[，,。；;：:\n（）()]"
)
_SENTENCE_START = re.compile(r"[ \t]*")
_PRONOUN_UNITS = ("我", "本", "该", "你", "贵", "其")


_HANDLING_TRIGGER = re.compile(r"会同|研究提出|牵头(?=组织|编制|制定|起草|开展|推进|研究|实施)")
_SENTENCE_END = re.compile(r"[。；;！？!?：:\n]")
_HANDLING_REACH = 50  # how far before its trigger a handling sentence may begin
_SUBJECT_REACH = 40  # how far before 会同 its subject may begin


def _handling_at(text: str, s: int, trigger: int, end: int) -> re.Match[str] | None:
    """The handling statement of the sentence from ``s``, whose subject names units; or, after a
    comma, of its last clause (下一步，市商务局将会同市财政局…: 下一步 is no unit)."""
    for start in (s, _last_comma(text, s, trigger)):
        if start is None:
            continue
        m = _HANDLING.match(text, _SENTENCE_START.match(text, start).end(), end)
        if m is None:
            continue
        lead = split_units(m.group("subject"))
        if lead and all(_looks_like_unit(u) for u in lead):
            return m
    return None


def _units_end(text: str, start: int, limit: int) -> int | None:
    """The end of the longest run of unit names from ``start`` (市财政局、有关部门), if any."""
    stop = _SENTENCE_END.search(text, start, limit)
    hi = stop.start() if stop else limit
    for k in range(hi, start + 1, -1):
        units = split_units(text[start:k])
        if (
            units
            and all(_looks_like_unit(u) for u in units)
            and not text[start:k].endswith(("、", "和", "及"))
        ):
            return k
    return None


def _last_comma(text: str, s: int, trigger: int) -> int | None:
    """After a short adverbial opening the sentence (下一步，同时，目前，): not after a clause of its
    own (根据办理工作计划，X会同…组成调研组 says how the work was studied, not who handles it)."""
    i = max(text.rfind("，", s, trigger), text.rfind(",", s, trigger))
    return i + 1 if 0 <= i - s <= _ADVERBIAL_CHARS else None


_ADVERBIAL_CHARS = 4


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)
