"""The periods the ledger stores and offers on the report form."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.periods import is_period, period_of, recent_periods


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2024-03", True),
        ("2024-Q1", True),
        ("2024-H2", True),
        ("2024", True),
        ("2024-q1", False),
        (" 2024-03", False),
        ("2024-00", False),
        ("2024-H3", False),
        ("", False),
        ("2024年3月", False),
    ],
)
def test_only_periods_written_as_stored_are_accepted(text, stored):
    assert is_period(text) is stored


@pytest.mark.parametrize(
    ("cadence", "offered"),
    [
        ("month", ["2024-05", "2024-04", "2024-03"]),
        ("quarter", ["2024-Q2", "2024-Q1", "2023-Q4"]),
        ("half-year", ["2024-H1", "2023-H2", "2023-H1"]),
        ("year", ["2024", "2023", "2022"]),
    ],
)
def test_the_report_form_offers_the_current_period_and_the_ones_before(cadence, offered):
    day = dt.date(2024, 5, 15)
    assert recent_periods(day, cadence, 3) == offered
    assert period_of(day, cadence) == offered[0]
