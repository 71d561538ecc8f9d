"""Report quality flags reach the office beside each report; nothing is rejected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.ledger.models import ProgressReport
from luoshi.supervision_web.report_flags import flags_by_report
from tests.supervision_web.conftest import report, task

pytestmark = pytest.mark.django_db


def codes(flags) -> list[str]:
    return sorted(f.code for f in flags)


def test_a_narrative_copied_from_last_month_is_flagged(world) -> None:
    t = task(world.plan_a, "（一）")
    feb = report(t, "2024-02", "推进中", dt.date(2024, 3, 5), achieved=2)
    mar = ProgressReport.objects.create(
        task=t,
        unit=feb.unit,
        period="2024-03",
        status="推进中",
        narrative=feb.narrative,  # word for word what February said
        submitted_at=timezone.make_aware(dt.datetime(2024, 4, 8, 9)),
    )
    flags = flags_by_report(t)
    assert codes(flags[mar.pk]) == ["narrative.copied"]
    assert feb.pk not in flags


def test_done_with_achieved_values_short_of_the_target_is_flagged(world) -> None:
    t = task(world.plan_a, "（一）")
    claim = report(t, "2024-03", "已完成", dt.date(2024, 4, 8), achieved=5)
    assert "completed.short" in codes(flags_by_report(t)[claim.pk])


def test_an_honest_report_draws_no_flag(world) -> None:
    t = task(world.plan_a, "（一）")
    report(t, "2024-02", "推进中", dt.date(2024, 3, 5), achieved=2)
    report(t, "2024-03", "推进中", dt.date(2024, 4, 8), achieved=5)
    assert flags_by_report(t) == {}


def test_the_office_sees_the_flag_beside_the_report_and_the_reporter_does_not(world, login) -> None:
    t = task(world.plan_a, "（一）")
    report(t, "2024-03", "已完成", dt.date(2024, 4, 8), achieved=5)
    office_page = login(world.office_a).get(reverse("ledger:task", args=[t.pk])).content.decode()
    assert 'data-flag="completed.short"' in office_page
    reporter_page = login(world.reporter_a).get(reverse("ledger:task", args=[t.pk])).content.decode()
    assert "data-flag=" not in reporter_page
