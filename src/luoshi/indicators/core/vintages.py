"""Observations as vintages: a revised figure is a new row, never an overwrite, and any table can
be shown as it was known on a date.

The database answers the same question for pages (``ObservationQuerySet.as_known``); this pandas
version serves the formulas and the benchmarks, which work on frames of many observations.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from luoshi.supervision.periods import Period, parse_period

KEY = ["indicator", "entity", "period"]
# The frequencies an indicator may have and the period kinds they accept.
PERIOD_KINDS = {"month": "month", "quarter": "quarter", "year": "year"}


def check_period(text: str, frequency: str) -> Period:
    """The period ``text`` (2024-03, 2024-Q1, 2024) of an indicator measured at ``frequency``, its
    ``code`` the form stored; ValueError in Chinese when it is not a period or not one of that frequency."""
    period = parse_period(text)  # 2024-q1 and " 2024 " read as 2024-Q1 and 2024
    wanted = PERIOD_KINDS.get(frequency)
    if wanted is None:
        raise ValueError(f"未知频度「{frequency}」")
    if period.kind != wanted:
        names = {"month": "月度（如 2024-03）", "quarter": "季度（如 2024-Q1）", "year": "年度（如 2024）"}
        raise ValueError(f"期别「{period.code}」与指标频度不符，应为{names[wanted]}")
    return period


def as_known(frame: pd.DataFrame, on: dt.datetime | pd.Timestamp | None = None) -> pd.DataFrame:
    """The latest vintage of each (indicator, entity, period) recorded at or before ``on`` (all
    vintages when None). ``frame`` has columns indicator, entity, period, value, recorded_at and
    optionally id, which breaks ties between rows recorded at the same instant (the later id wins).
    """
    rows = frame
    if on is not None:
        rows = rows[rows["recorded_at"] <= pd.Timestamp(on)]
    order = ["recorded_at", "id"] if "id" in rows.columns else ["recorded_at"]
    rows = rows.sort_values(order, kind="stable")
    return rows.drop_duplicates(KEY, keep="last").sort_values(KEY).reset_index(drop=True)
