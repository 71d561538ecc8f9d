"""Periods of an indicator's frequency and the pandas "as known on" selection, without a database."""

from __future__ import annotations

import pandas as pd
import pytest

from luoshi.indicators.core.vintages import as_known, check_period


@pytest.mark.parametrize(
    "text, frequency, code",
    [
        ("2024-03", "month", "2024-03"),
        ("2024-Q1", "quarter", "2024-Q1"),
        ("2024-q1", "quarter", "2024-Q1"),
        (" 2024 ", "year", "2024"),
    ],
)
def test_periods_of_the_indicators_frequency_are_accepted(text, frequency, code):
    assert check_period(text, frequency).code == code


@pytest.mark.parametrize(
    "text, frequency, message",
    [
        ("2024-03", "year", "与指标频度不符"),
        ("2024", "month", "与指标频度不符"),
        ("2024-H1", "quarter", "与指标频度不符"),
        ("2024-13", "month", None),
        ("去年", "year", None),
    ],
)
def test_other_periods_are_refused(text, frequency, message):
    with pytest.raises(ValueError, match=message):
        check_period(text, frequency)


def frame():
    t = pd.Timestamp
    return pd.DataFrame(
        [
            # id, indicator, entity, period, value, recorded_at
            (1, "gdp", "成都", "2023", 100.0, t("2024-02-01")),
            (2, "gdp", "成都", "2023", 101.5, t("2024-06-01")),  # the revision
            (3, "gdp", "德阳", "2023", 30.0, t("2024-02-01")),
            (4, "gdp", "德阳", "2023", 31.0, t("2024-02-01")),  # same instant: the later id wins
            (5, "gdp", "眉山", "2023", 20.0, t("2024-07-01")),
        ],
        columns=["id", "indicator", "entity", "period", "value", "recorded_at"],
    )


def test_as_known_on_a_date_takes_the_vintage_known_then():
    known = as_known(frame(), pd.Timestamp("2024-03-01"))
    assert dict(zip(known["entity"], known["value"], strict=True)) == {"成都": 100.0, "德阳": 31.0}


def test_as_known_now_takes_the_latest_vintage():
    known = as_known(frame())
    assert dict(zip(known["entity"], known["value"], strict=True)) == {
        "成都": 101.5,
        "德阳": 31.0,
        "眉山": 20.0,
    }


def test_the_core_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, luoshi.indicators.core.catalogue, luoshi.indicators.core.vintages;"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
