"""Deadlines, milestones and reporting cadences, read relative to the document's own year."""

from __future__ import annotations

import calendar
import heapq
import re
from collections.abc import Iterator
from functools import lru_cache

from luoshi.textplan.model import Cadence, Deadline, Span
from luoshi.textplan.numerals import cn_to_int
from luoshi.textplan.ruletables import load

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    t = load("deadlines")
    deadlines = [(r["name"], re.compile(r["pattern"])) for r in t["deadlines"]]
    cadences = [(r["name"], re.compile(r["pattern"])) for r in t["cadences"]]
    return deadlines, cadences


def _num(s: str | None) -> int | None:
    if not s:
        return None
    return int(s) if s.isdigit() else cn_to_int(s)


def _iso(y: int, m: int, d: int | None = None) -> str | None:
    if not (1 <= m <= 12) or y < 1900 or y > 2200:
        return None
    last = calendar.monthrange(y, m)[1]
    d = last if d is None else d
    if not 1 <= d <= last:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def find_all_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Every deadline phrase in ``text``, in text order, overlapping phrases resolved to the first rule."""
    return list(iter_deadlines(text, year))


def iter_deadlines(text: str, year: int | None) -> Iterator[Deadline]:
    """``find_all_deadlines`` one at a time, in text order, as the rules' matches are read: the
    rules are read side by side, each match taken in order of its start then of its rule."""
    streams = [_dated(order, name, pat, text, year) for order, (name, pat) in enumerate(_rules()[0])]
    last_end = -1
    for start, _order, d in heapq.merge(*streams, key=lambda f: (f[0], f[1])):
        if start >= last_end:
            last_end = d.span.end if d.span else start
            yield d


def _dated(
    order: int, name: str, pat: re.Pattern[str], text: str, year: int | None
) -> Iterator[tuple[int, int, Deadline]]:
    for m in pat.finditer(text):
        date = _resolve(name, m, year)
        if date:
            yield m.start(), order, Deadline(date, m.group(0), Span(m.start(), m.end()))


def find_deadline(text: str, year: int | None) -> Deadline | None:
    """The first deadline phrase in ``text`` (年底前, 6月底前, 2024年3月31日前, 第三季度…) as a date."""
    found = find_all_deadlines(text, year)
    return found[0] if found else None


def _resolve(name: str, m: re.Match[str], year: int | None) -> str | None:
    g = m.groupdict()
    y = _num(g.get("y")) or year
    if y is None:
        return None
    if name in ("ymd", "md"):
        return _iso(y, _num(g["m"]) or 0, _num(g["d"]))
    if name in ("ym", "m"):
        return _iso(y, _num(g["m"]) or 0)
    if name in ("year_end", "by_year", "this_year"):
        return _iso(y, 12, 31)
    if name in ("half", "y_half"):
        return _iso(y, 6, 30) if g["h"] == "上" else _iso(y, 12, 31)
    if name in ("quarter", "y_quarter"):
        q = _num(g["q"])
        if q in _QUARTER_END:
            mm, dd = _QUARTER_END[q]
            return _iso(y, mm, dd)
    return None


def find_cadences(text: str, offset: int = 0) -> list[Cadence]:
    """Reporting rhythms: 每月报送1次, 每季度第1个月20日前, 每月一监测、每季一通报."""
    out: list[Cadence] = []
    seen: set[int] = set()
    for _name, pat in _rules()[1]:
        for m in pat.finditer(text):
            if m.start() in seen:
                continue
            seen.add(m.start())
            g = m.groupdict()
            period = _period(g.get("p") or "")
            if not period:
                continue
            out.append(
                Cadence(
                    period=period,
                    times=_num(g.get("n")) or 1,
                    month_of_period=_num(g.get("mp")),
                    day=_num(g.get("d")),
                    text=m.group(0),
                    span=Span(offset + m.start(), offset + m.end()),
                )
            )
    out.sort(key=lambda c: c.span.start if c.span else 0)
    return out


def _period(p: str) -> str:
    return {
        "月": "month",
        "季": "quarter",
        "季度": "quarter",
        "半年": "half-year",
        "年": "year",
        "周": "week",
        "旬": "ten-days",
    }.get(p, "")
