"""The periods the ledger stores and offers on the report form."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.periods import is_period, offered

pytestmark = pytest.mark.django_db


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
    ("cadence", "periods"),
    [
        ("month", ["2024-04", "2024-03", "2024-02"]),
        ("quarter", ["2024-Q1", "2023-Q4", "2023-Q3"]),
        ("half-year", ["2023-H2", "2023-H1", "2022-H2"]),
        ("year", ["2023", "2022", "2021"]),
    ],
)
def test_the_report_form_offers_the_period_being_reported_and_the_ones_before(world, cadence, periods):
    # On 15 May the current month, quarter, half year and year have not ended: none is offered.
    plan = world.plan_a
    plan.cadence = cadence
    assert offered(plan, dt.date(2024, 5, 15), 3) == periods


def test_the_offices_reporting_calendar_decides_the_cadence(world):
    from luoshi.supervision_web.models import ReportingCalendar

    ReportingCalendar.objects.create(plan=world.plan_a, kind="quarter", day=20)
    plan = type(world.plan_a).objects.get(pk=world.plan_a.pk)
    assert offered(plan, dt.date(2024, 5, 15), 2) == ["2024-Q1", "2023-Q4"]
