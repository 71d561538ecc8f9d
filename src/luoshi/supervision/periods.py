"""Reporting periods ("2024-03" a month, "2024-Q1" a quarter) and Chinese date forms."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_QUARTER_NAMES = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    """A month (quarter None) or a quarter (month None) of a year."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @property
    def kind(self) -> str:
        """ "month" or "quarter"."""
        return "month" if self.month else "quarter"

    @property
    def first_month(self) -> int:
        """The first calendar month the period covers."""
        return self.month or (self.quarter - 1) * 3 + 1  # type: ignore[operator]

    @property
    def last_month(self) -> int:
        """The last calendar month the period covers."""
        return self.month or self.quarter * 3  # type: ignore[operator]

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
        """The period as written in data: 2024-03 or 2024-Q1."""
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """The period in Chinese: 2024年3月 or 2024年第一季度."""
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年第{_QUARTER_NAMES[self.quarter - 1]}季度"  # type: ignore[operator]

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative)."""
        if self.month:
            index = self.year * 12 + self.month - 1 + steps
            return Period(index // 12, month=index % 12 + 1)
        index = self.year * 4 + self.quarter - 1 + steps  # type: ignore[operator]
        return Period(index // 4, quarter=index % 4 + 1)

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


def parse_period(text: str | Period) -> Period:
    """Read "2024-03" or "2024-Q1"; anything else raises ValueError with a Chinese message."""
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
    raise ValueError(f"报送期间“{text}”格式不正确：月度写作“2024-03”，季度写作“2024-Q1”")


def period_of(day: date, kind: str) -> Period:
    """The month or quarter ("month" / "quarter") that contains `day`."""
    if kind == "month":
        return Period(day.year, month=day.month)
    if kind == "quarter":
        return Period(day.year, quarter=(day.month - 1) // 3 + 1)
    raise ValueError(f"报送周期“{kind}”不正确：应为 month 或 quarter")


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
