"""Reporting periods as written in data, and Chinese date forms.

"2024-03" a month, "2024-Q1" a quarter, "2024-H1" a half year, "2024" a whole year: the cadences
plans name (每月 / 每季度 / 每半年 / 每年报送).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_YEAR = re.compile(r"\d{4}")
_QUARTER_NAMES = "一二三四"
KINDS = ("month", "quarter", "half-year", "year")
MONTHS_IN = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}  # months in one period of a kind


@dataclass(frozen=True, order=True)
class Period:
    """A month, a quarter or a half of a year (the one of ``month``, ``quarter``, ``half`` that is
    set), or the whole year when none is."""

    year: int
    month: int | None = None
    quarter: int | None = None
    half: int | None = None

    @property
    def kind(self) -> str:
        """ "month", "quarter", "half-year" or "year"."""
        if self.month:
            return "month"
        if self.quarter:
            return "quarter"
        return "half-year" if self.half else "year"

    @property
    def index(self) -> int:
        """The period's place in its year, from 1."""
        return self.month or self.quarter or self.half or 1

    @property
    def first_month(self) -> int:
        """The first calendar month the period covers."""
        return (self.index - 1) * MONTHS_IN[self.kind] + 1

    @property
    def last_month(self) -> int:
        """The last calendar month the period covers."""
        return self.index * MONTHS_IN[self.kind]

    # Cached: parse_period hands out shared instances, and lights ask every report for its end.
    @cached_property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self.first_month, 1)

    @cached_property
    def end(self) -> date:
        """Last day of the period."""
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def code(self) -> str:
        """The period as written in data: 2024-03, 2024-Q1, 2024-H1 or 2024."""
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def label(self) -> str:
        """The period in Chinese: 2024年3月, 2024年第一季度, 2024年上半年 or 2024年."""
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}年第{_QUARTER_NAMES[self.quarter - 1]}季度"
        if self.half:
            return f"{self.year}年{'上' if self.half == 1 else '下'}半年"
        return f"{self.year}年"

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative)."""
        per_year = 12 // MONTHS_IN[self.kind]
        at = self.year * per_year + self.index - 1 + steps
        return _make(self.kind, at // per_year, at % per_year + 1)

    def previous(self) -> Period:
        """The period just before this one."""
        return self.shifted(-1)

    def next(self) -> Period:
        """The period just after this one."""
        return self.shifted(1)

    def contains(self, day: date) -> bool:
        """Whether `day` falls inside the period."""
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def _make(kind: str, year: int, index: int) -> Period:
    if kind == "month":
        return Period(year, month=index)
    if kind == "quarter":
        return Period(year, quarter=index)
    return Period(year, half=index) if kind == "half-year" else Period(year)


def parse_period(text: str | Period) -> Period:
    """Read "2024-03", "2024-Q1", "2024-H1" or "2024"; anything else raises ValueError in Chinese."""
    if isinstance(text, Period):
        return text
    return _parse(str(text))


@lru_cache(maxsize=4096)  # the same few codes are read for every report of a large plan
def _parse(text: str) -> Period:
    """parse_period for strings, cached."""
    raw = str(text).strip().upper()
    if m := _MONTH.fullmatch(raw):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return Period(year, month=month)
    elif m := _QUARTER.fullmatch(raw):
        return Period(int(m[1]), quarter=int(m[2]))
    elif m := _HALF.fullmatch(raw):
        return Period(int(m[1]), half=int(m[2]))
    elif _YEAR.fullmatch(raw):
        return Period(int(raw))
    raise ValueError(
        f"报送期间“{text}”格式不正确：月度写作“2024-03”，季度写作“2024-Q1”，半年写作“2024-H1”，年度写作“2024”"
    )


def period_of(day: date, kind: str) -> Period:
    """The period of ``kind`` (one of KINDS) that contains `day`."""
    if kind not in MONTHS_IN:
        raise ValueError(f"报送周期“{kind}”不正确：应为 month、quarter、half-year 或 year")
    return _make(kind, day.year, (day.month - 1) // MONTHS_IN[kind] + 1)


def periods_between(first: str | Period, last: str | Period) -> list[Period]:
    """Every period from `first` to `last` inclusive (both of one kind)."""
    a, b = parse_period(first), parse_period(last)
    if a.kind != b.kind:
        raise ValueError(f"起止期间“{a}”与“{b}”不是同一种周期")
    out = []
    while a <= b:
        out.append(a)
        a = a.next()
    return out


def chinese_date(day: date) -> str:
    """A date as Chinese offices write it: 2024年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"
