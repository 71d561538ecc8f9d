"""The demo tells the truth: plans moved to the present with six months of history, most lights
green, some yellow and red, reports only for periods that have ended, a bulletin per month."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from luoshi.ledger.models import Change, Plan, ProgressReport, ReportStateChange, Task
from luoshi.supervision.periods import parse_period
from luoshi.supervision_web import services
from luoshi.supervision_web.models import Bulletin, NoticeTransition, SupervisionNotice
from luoshi.web import clock, demo, demo_history

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def huizhou(tmp_path, monkeypatch) -> Plan:
    """The demo built on 5 December 2026 from the Huizhou plan (2017, 56 tasks)."""
    noon = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(12)))
    monkeypatch.setattr(clock, "now", lambda: noon)
    monkeypatch.setattr(demo_history, "LATEST_FORMATS", ("docx", "xlsx"))
    shutil.copy(EXAMPLES / "huizhou-2017-haimian.txt", tmp_path)
    assert demo.seed(tmp_path) == 1
    return Plan.objects.get()


def _the_plan_is_moved_to_the_current_year(huizhou):
    assert huizhou.year == 2026 and "2017" not in huizhou.title
    deadlines = [d for d in Task.objects.filter(plan=huizhou).values_list("deadline", flat=True) if d]
    assert deadlines and min(deadlines).year >= 2026
    # It began before the history does, so every history period is owed.
    assert huizhou.date <= dt.date(2026, 6, 1)


def _most_lights_are_green_and_some_are_yellow_and_red(huizhou):
    colours = Counter(row.light.colour for row in services.plan_lights(huizhou, TODAY))
    total = sum(colours.values())
    # The plan's two 基本情况 sections are background, not tasks: they are not lit.
    assert total > 30
    assert colours["green"] / total >= 0.55
    assert colours["yellow"] >= 2 and colours["red"] >= 2
    assert colours["red"] / total <= 0.25


def _reports_are_for_ended_periods_only_and_none_is_dated_after_today(huizhou):
    reports = ProgressReport.objects.filter(task__plan=huizhou)
    periods = set(reports.values_list("period", flat=True))
    assert periods == {f"2026-{m:02d}" for m in range(6, 12)}  # June to November, not December
    assert all(parse_period(p).end < TODAY for p in periods)
    latest = max(reports.values_list("submitted_at", flat=True))
    assert timezone.localdate(latest) < TODAY
    # The task history and the notices' moves are dated when they happened, not when the demo was built.
    changes = Change.objects.filter(plan=huizhou, object_type="report").values_list("at", flat=True)
    assert changes and timezone.localdate(max(changes)) < TODAY
    assert len({timezone.localdate(at) for at in changes}) > 20
    moves = NoticeTransition.objects.filter(notice__plan=huizhou).values_list("at", flat=True)
    assert moves and timezone.localdate(max(moves)) <= TODAY
    # Some units report after the due date; November (due 10 December) is only partly in.
    by_period = Counter(reports.filter(version=1).values_list("period", flat=True))
    assert 0 < by_period["2026-11"] < by_period["2026-10"]


def _some_reports_were_returned_and_corrected(huizhou):
    returned = ReportStateChange.objects.filter(report__task__plan=huizhou, state="returned")
    assert returned.exists()
    assert all(timezone.localdate(r.at) < TODAY for r in returned)
    assert ProgressReport.objects.filter(task__plan=huizhou, version=2).exists()


def _each_past_month_has_its_bulletin_dated_after_its_due_date(huizhou):
    rows = Bulletin.objects.filter(plan=huizhou).order_by("period")
    assert [b.period for b in rows] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    for b in rows:
        assert b.docx and b.xlsx and b.on > parse_period(b.period).end and b.on <= TODAY
        assert b.figures["total_tasks"] > 30  # background sections are not counted


def _notices_are_in_several_states(huizhou):
    states = Counter(SupervisionNotice.objects.filter(plan=huizhou).values_list("state", flat=True))
    assert sum(states.values()) >= 4 and len(states) >= 2
    assert all(n.issued_on <= TODAY for n in SupervisionNotice.objects.filter(plan=huizhou))


def test_the_demo_tells_the_truth(huizhou):
    """One build (about ten seconds), every claim checked on it."""
    _the_plan_is_moved_to_the_current_year(huizhou)
    _most_lights_are_green_and_some_are_yellow_and_red(huizhou)
    _reports_are_for_ended_periods_only_and_none_is_dated_after_today(huizhou)
    _some_reports_were_returned_and_corrected(huizhou)
    _each_past_month_has_its_bulletin_dated_after_its_due_date(huizhou)
    _notices_are_in_several_states(huizhou)


@pytest.mark.parametrize(
    ("kind", "today", "periods"),
    [
        ("month", dt.date(2026, 12, 5), ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]),
        ("month", dt.date(2027, 1, 15), ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]),
        ("quarter", dt.date(2026, 12, 5), ["2026-Q2", "2026-Q3"]),
    ],
)
def test_the_history_covers_the_periods_ended_in_the_last_six_months(kind, today, periods):
    from luoshi.supervision.reporting_calendar import Cadence

    got = demo_history._history_periods(Cadence(kind, 10), today)
    assert [p.code for p, _due in got] == periods
    assert all(p.end < today for p, _due in got)


@pytest.mark.parametrize(
    ("text", "years", "shifted"),
    [
        ("2017年底前", 9, "2026年底前"),
        ("2023年推进都市圈一体化建设工作要点", 3, "2026年推进都市圈一体化建设工作要点"),
        ("19号线2025年", 1, "19号线2026年"),
        ("第3批", 5, "第3批"),
    ],
)
def test_years_in_titles_and_deadlines_move_with_the_plan(text, years, shifted):
    assert demo_history._shift_years(text, years) == shifted
