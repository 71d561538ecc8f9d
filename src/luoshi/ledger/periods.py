"""Reporting periods as the ledger stores them: 2024-03 for monthly plans, 2024-Q1 quarterly,
2024-H1 half-yearly, 2024 yearly. The arithmetic is the supervision core's (``supervision.periods``)."""

from __future__ import annotations

import datetime as dt

from luoshi.supervision import periods as core


def period_of(day: dt.date, cadence: str) -> str:
    """The period ``day`` falls in for a plan reporting at ``cadence`` (monthly when unknown)."""
    return core.period_of(day, cadence if cadence in core.KINDS else "month").code


def is_period(text: str) -> bool:
    """True for a period written exactly as stored (the core also reads "2024-q1" and spaces)."""
    try:
        return core.parse_period(text or "").code == text
    except ValueError:
        return False


def recent_periods(day: dt.date, cadence: str, count: int = 6) -> list[str]:
    """The current period and the ones before it, newest first (for the report form's choices)."""
    p = core.parse_period(period_of(day, cadence))
    out = []
    for _ in range(count):
        out.append(p.code)
        p = p.previous()
    return out
