"""Reporting periods: 2024-03 for monthly plans, 2024-Q1 quarterly, 2024-H1 half-yearly, 2024 yearly."""

from __future__ import annotations

import datetime as dt
import re

PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$")


def period_of(day: dt.date, cadence: str) -> str:
    """The period ``day`` falls in for a plan reporting at ``cadence``."""
    if cadence == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cadence == "half-year":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if cadence == "year":
        return str(day.year)
    return f"{day.year}-{day.month:02d}"


def is_period(text: str) -> bool:
    """True for a well-formed period string."""
    return bool(PERIOD.match(text or ""))


def recent_periods(day: dt.date, cadence: str, count: int = 6) -> list[str]:
    """The current period and the ones before it, newest first (for the report form's choices)."""
    out: list[str] = []
    y, m = day.year, day.month
    while len(out) < count:
        p = period_of(dt.date(y, m, 1), cadence)
        if p not in out:
            out.append(p)
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out
