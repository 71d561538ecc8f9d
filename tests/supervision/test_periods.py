"""Periods as written in data and as shown in Chinese."""

from __future__ import annotations

import pytest

from luoshi.supervision.periods import parse_period, periods_between

# code ⇥ Chinese label ⇥ first day ⇥ last day ⇥ previous
PERIODS = """
2024-03	2024年3月	2024-03-01	2024-03-31	2024-02
2024-01	2024年1月	2024-01-01	2024-01-31	2023-12
2024-Q1	2024年第一季度	2024-01-01	2024-03-31	2023-Q4
2024-Q4	2024年第四季度	2024-10-01	2024-12-31	2024-Q3
2024-02	2024年2月	2024-02-01	2024-02-29	2024-01
2024-H1	2024年上半年	2024-01-01	2024-06-30	2023-H2
2024-H2	2024年下半年	2024-07-01	2024-12-31	2024-H1
2024	2024年	2024-01-01	2024-12-31	2023
"""


@pytest.mark.parametrize(
    ("code", "label", "first", "last", "previous"),
    [line.split("\t") for line in PERIODS.strip().splitlines()],
)
def test_periods_read_and_show(code: str, label: str, first: str, last: str, previous: str) -> None:
    p = parse_period(code)
    assert (p.code, p.label, p.start.isoformat(), p.end.isoformat()) == (code, label, first, last)
    assert p.previous().code == previous
    assert p.previous().next() == p


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-Q5", "2024年3月", "2024-3", "", "Q1-2024", "2024-00", "2024-H3", "24", "2024-H"]
)
def test_malformed_periods_raise_a_chinese_message(text: str) -> None:
    with pytest.raises(ValueError, match="格式不正确"):
        parse_period(text)


def test_lower_case_quarter_is_read() -> None:
    assert parse_period("2024-q2").label == "2024年第二季度"


def test_a_range_crosses_the_year() -> None:
    assert [p.code for p in periods_between("2024-11", "2025-02")] == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]


@pytest.mark.parametrize(
    ("day", "kind", "code"),
    [
        ("2024-06-30", "half-year", "2024-H1"),
        ("2024-07-01", "half-year", "2024-H2"),
        ("2024-12-31", "year", "2024"),
        ("2024-05-15", "quarter", "2024-Q2"),
        ("2024-05-15", "month", "2024-05"),
    ],
)
def test_the_period_a_day_falls_in(day: str, kind: str, code: str) -> None:
    from datetime import date

    from luoshi.supervision.periods import period_of

    assert period_of(date.fromisoformat(day), kind).code == code


def test_half_years_and_years_range_over_years() -> None:
    assert [p.code for p in periods_between("2023-H2", "2025-H1")] == ["2023-H2", "2024-H1", "2024-H2", "2025-H1"]
    assert [p.code for p in periods_between("2023", "2025")] == ["2023", "2024", "2025"]
