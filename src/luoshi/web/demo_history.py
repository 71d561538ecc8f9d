"""Six months of plausible history for a demo plan, so every page shows what an office's month looks like.

The example plans date from 2017–2023; left as they are, every deadline has passed and every task
is red. `build` works in this order, from one seeded random generator per plan (the same day gives
the same history):

1. move the plan into the present (`shift_to_present`): its year, title, document date and task
   deadlines by whole years to the current year, and its start back to the first history period;
2. give each leaf task a habit: steady (on time, on schedule), late (reports after the due date
   now and then), slow (behind schedule: yellow), lapsed (missed the last period due: red) or
   stalled (far behind: red when it has figures to compare);
3. for every period whose due date has passed (and, for the steady, the period being reported
   now), submit the lead unit's report on the day its habit says, with achieved values against
   the task's targets; a few reports are returned (退回) and corrected, one stays returned;
4. after each period's due date, issue 督办单 for a few red tasks and move the older ones on
   (签收, 回复, 办结);
5. make each past period's bulletin on the working day after its due date.

Nothing is dated after today: no report for a period that has not ended, no bulletin before its day.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from luoshi.ledger import services
from luoshi.ledger.models import (
    Change,
    Plan,
    ProgressReport,
    ReportStateChange,
    Status,
    Task,
    TaskAssignment,
)
from luoshi.ledger.periods import plan_start
from luoshi.supervision.facts import TaskFacts
from luoshi.supervision.lights import expected_progress
from luoshi.supervision.periods import Period, period_of
from luoshi.supervision.reporting_calendar import add_working_days, due_date
from luoshi.supervision_web import bulletins, facts_from_db
from luoshi.supervision_web import services as supervision
from luoshi.supervision_web.models import Bulletin, NoticeReply, NoticeTransition, SupervisionNotice

MONTHS = 6
# Habit → weight. Mostly steady, so the lights are mostly green with some yellow and red.
HABITS = {"steady": 58, "late": 14, "slow": 14, "lapsed": 7, "stalled": 7}
RETURN_SHARE = 0.03
EARLY_FINISH_SHARE = 0.12
NOTICES_PER_PERIOD = 2
# Word and Excel for every month; the PDF (a CJK font subset, a second or more each) for the latest only.
BULLETIN_FORMATS = ("docx", "xlsx")
LATEST_FORMATS = ("docx", "pdf", "xlsx")
NARRATIVES = {
    "steady": "{title}：本期按计划推进，已完成阶段性工作，下一步继续推进。",
    "late": "{title}：本期工作有序推进，因材料汇总延后报送。",
    "slow": "{title}：受前期手续影响进度有所滞后，已制定措施加快推进。",
    "lapsed": "{title}：本期按计划推进。",
    "stalled": "{title}：项目推进遇到困难，正在协调解决。",
}


@dataclass
class Summary:
    """What `build` made for one plan."""

    years_shifted: int = 0
    periods: list[str] = field(default_factory=list)
    reports: int = 0
    late: int = 0
    returned: int = 0
    notices: int = 0
    bulletins: int = 0


def build(plan: Plan, office, today: dt.date) -> Summary:
    """Shift `plan` to the present and give it six months of history up to `today` (see the module)."""
    rnd = random.Random(f"{plan.source_name or plan.title}:{today.isoformat()}")
    out = Summary()
    cadence = supervision.cadence_for(plan)
    periods = _history_periods(cadence, today)
    if not periods:
        return out
    out.periods = [p.code for p, _due in periods]
    with transaction.atomic():
        out.years_shifted = shift_to_present(plan, today, periods[0][0].start)
    facts = {t.id: t for t in facts_from_db.load([plan]).tasks}
    tasks = list(
        Task.objects.filter(pk__in=[int(i) for i in facts]).order_by("position").prefetch_related("targets")
    )
    leads = {
        a.task_id: a.unit
        for a in TaskAssignment.objects.filter(task__in=tasks, role="lead")
        .order_by("-position")
        .select_related("unit")
    }
    habits = {t.pk: rnd.choices(list(HABITS), weights=list(HABITS.values()))[0] for t in tasks}
    # A few steady tasks finish ahead of their deadline, in one of the history's periods.
    finish = {
        t.pk: rnd.randrange(len(periods))
        for t in tasks
        if habits[t.pk] == "steady" and rnd.random() < EARLY_FINISH_SHARE
    }
    done: set[int] = set()
    open_return = False
    for index, (p, due) in enumerate(periods):
        # The period being reported now (due after today): only some steady units have reported.
        pending = due > today
        with transaction.atomic():
            for task in tasks:
                unit = leads.get(task.pk)
                if unit is None or task.pk in done:
                    continue
                habit = habits[task.pk]
                day = _report_day(rnd, habit, p, due, today, last_due=_is_last_due(periods, index, today))
                if day is None:
                    continue
                status, values = _what(rnd, habit, task, facts[str(task.pk)], p, finish.get(task.pk) == index)
                report = _submit(task, unit, p, day, status, values, habit, rnd)
                out.reports += 1
                out.late += day > due
                if status == Status.DONE:
                    done.add(task.pk)
                # Returned the next day and corrected two days later: all of it before today.
                returnable = not pending and status != Status.DONE and day + dt.timedelta(days=3) < today
                if returnable and rnd.random() < RETURN_SHARE:
                    keep_open = not open_return and _is_last_due(periods, index, today)
                    out.returned += _return(report, office, day, rnd, correct=not keep_open)
                    open_return = open_return or keep_open
        if not pending:
            on = min(today, add_working_days(due, 1)[0])
            out.notices += _notices(plan, office, on, today, rnd)
            latest = _is_last_due(periods, index, today)
            out.bulletins += _bulletin(plan, p, office, on, LATEST_FORMATS if latest else BULLETIN_FORMATS)
    return out


def shift_to_present(plan: Plan, today: dt.date, history_start: dt.date) -> int:
    """Move the plan's year, title, date and deadlines by whole years to `today`'s year; begin it
    by `history_start` at the latest. Returns the years moved (0 when already current)."""
    old = plan.year or (plan.date.year if plan.date else today.year)
    years = today.year - old
    if years:
        plan.year = today.year
        plan.title = _shift_years(plan.title, years)
        if plan.date:
            plan.date = _add_years(plan.date, years)
        tasks = list(Task.objects.filter(plan=plan).exclude(deadline__isnull=True))
        for t in tasks:
            t.deadline = _add_years(t.deadline, years)
            t.deadline_text = _shift_years(t.deadline_text, years)
        Task.objects.bulk_update(tasks, ["deadline", "deadline_text"])
    if plan_start(plan) > history_start:
        plan.date = history_start
    plan.save(update_fields=["year", "title", "date"])
    return years


def _shift_years(text: str, years: int) -> str:
    """2023年 → 2026年 (and 2024年 → 2027年…) in a title or a deadline phrase."""
    return re.sub(r"(?<!\d)((?:19|20)\d\d)(?=年)", lambda m: str(int(m[1]) + years), text)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _history_periods(cadence, today: dt.date) -> list[tuple[Period, dt.date]]:
    """The plan's periods that have ended and reach into the last six months, oldest first, with
    their due dates (the newest may be due after today: the period being reported now)."""
    window = today.replace(day=1)
    for _ in range(MONTHS):
        window = (window - dt.timedelta(days=1)).replace(day=1)
    out = []
    p = period_of(today, cadence.kind).previous()
    while p.end >= window:
        out.append((p, due_date(cadence, p).due))
        p = p.previous()
    return out[::-1]


def _is_last_due(periods, index: int, today: dt.date) -> bool:
    """Whether periods[index] is the latest whose due date has passed."""
    due_passed = [i for i, (_p, due) in enumerate(periods) if due <= today]
    return bool(due_passed) and index == due_passed[-1]


def _report_day(
    rnd: random.Random, habit: str, p: Period, due: dt.date, today: dt.date, *, last_due: bool
) -> dt.date | None:
    """The day the unit reports on `p`, or None when it does not (lapsed, or not yet)."""
    first = p.end + dt.timedelta(days=1)
    window = max(0, (due - first).days)
    if habit == "lapsed" and (last_due or rnd.random() < 0.15):
        return None
    if habit == "late" and rnd.random() < 0.5 or habit == "stalled" and rnd.random() < 0.3:
        day = due + dt.timedelta(days=rnd.randint(1, 6))
    else:
        day = first + dt.timedelta(days=rnd.randint(max(0, window - 6), window))
    if day >= today:
        # The period being reported now: the steady have partly reported, the rest have time.
        if due > today and habit == "steady" and rnd.random() < 0.5 and first < today:
            return first + dt.timedelta(days=rnd.randint(0, (today - first).days - 1))
        return None
    return day


def _what(
    rnd: random.Random, habit: str, task: Task, facts: TaskFacts, p: Period, finishes: bool = False
) -> tuple[str, dict[int, float]]:
    """Status and achieved values of a report on `p`, following the task's habit."""
    expected = expected_progress(facts, p.end)
    if finishes or task.deadline and task.deadline <= p.end and habit in ("steady", "late"):
        fraction = 1.0
    elif expected is None:
        fraction = None
    else:
        pace = {"steady": (0.98, 1.12), "late": (0.95, 1.08), "slow": (0.72, 0.86), "stalled": (0.3, 0.5)}
        low, high = pace.get(habit, (0.95, 1.05))
        fraction = min(0.99, expected / 100.0 * rnd.uniform(low, high))
    if fraction == 1.0:
        status = Status.DONE
    elif habit in ("slow", "stalled") and (fraction is None or not _goals(task)):
        status = Status.LATE
    else:
        status = Status.IN_PROGRESS
    values = {}
    if fraction is not None:
        for target_id, goal, baseline in _goals(task):
            start = baseline or 0.0
            value = start + (goal - start) * fraction
            values[target_id] = round(value) if abs(goal) >= 20 else round(value, 1)
    return status, values


def _goals(task: Task) -> list[tuple[int, float, float | None]]:
    """(target id, goal, baseline) of the task's quantified targets."""
    out = []
    for t in task.targets.all():
        goal = t.value if t.value is not None else (t.high if t.high is not None else t.low)
        if t.kind == "target" and t.superseded_at is None and goal:
            out.append((t.pk, float(goal), t.baseline))
    return out


@contextmanager
def _dated(at: dt.datetime) -> Iterator[None]:
    """Date the history rows written inside the block (task history, notice moves and replies) at
    `at`: the services stamp them with the clock, and the demo's past happened on other days."""
    tables = (Change, NoticeTransition, NoticeReply)
    before = [m.objects.aggregate(m=Max("pk"))["m"] or 0 for m in tables]
    yield
    for model, last in zip(tables, before, strict=True):
        model.objects.filter(pk__gt=last).update(at=at)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _submit(task, unit, p: Period, day: dt.date, status: str, values, habit: str, rnd) -> ProgressReport:
    at = _at(day, rnd.randint(9, 17), rnd.randint(0, 59))
    with _dated(at):
        return services.submit_report(
            task,
            None,
            period=p.code,
            status=status,
            narrative=NARRATIVES[habit].format(title=task.title[:60]),
            values=values,
            now=at,
            as_unit=unit,
        )


def _return(report: ProgressReport, office, day: dt.date, rnd: random.Random, *, correct: bool) -> int:
    """The office returns the report (dated the next day); unless the return is left open, the unit
    corrects it two days later."""
    at = _at(day + dt.timedelta(days=1))
    with _dated(at):
        change = services.return_report(
            report, office, "进展情况过于简略，请补充本期具体完成事项和量化数据。"
        )
    ReportStateChange.objects.filter(pk=change.pk).update(at=at)
    if correct:
        fixed = at + dt.timedelta(days=2)
        with _dated(fixed):
            services.submit_report(
                report.task,
                None,
                period=report.period,
                status=report.status,
                narrative=f"{report.narrative}（补充）本期完成方案编制、现场调度各1次，形成工作台账。",
                values={v.target_id: v.value for v in report.values.all()},
                now=fixed,
                as_unit=report.unit,
            )
    return 1


def _notices(plan: Plan, office, on: dt.date, today: dt.date, rnd: random.Random) -> int:
    """Issue notices for a few red tasks on `on`; move the ones issued earlier along."""
    for notice in SupervisionNotice.objects.filter(plan=plan).exclude(state="closed"):
        age = (on - notice.issued_on).days
        if notice.state == "issued" and age >= 3:
            day = notice.issued_on + dt.timedelta(days=1)
            with _dated(_at(day, 9)):
                supervision.move_notice(notice, "received", office, day)
        elif notice.state == "received" and age >= 20:
            day = min(on, notice.reply_due)
            with _dated(_at(day, 16)):
                supervision.reply(
                    notice, office, "已召开专题会议研究，明确责任人和时间节点，正加快推进。", day
                )
        elif notice.state == "replied" and age >= 40 and rnd.random() < 0.7:
            with _dated(_at(on, 11)):
                supervision.move_notice(notice, "closed", office, on)
    drafts = supervision.propose_notices(plan, on)
    chosen = [int(d.task_id) for d in drafts][:NOTICES_PER_PERIOD]
    if not chosen:
        return 0
    with _dated(_at(on, 10)):
        return len(supervision.issue_notices(plan, chosen, office, on, drafts))


def _bulletin(plan: Plan, p: Period, office, on: dt.date, formats: tuple[str, ...]) -> int:
    """The period's bulletin, made and dated on `on`."""
    try:
        row, _files = bulletins.produce(plan, p.code, formats, office, on)
    except bulletins.BulletinError:
        return 0
    Bulletin.objects.filter(pk=row.pk).update(
        created=timezone.make_aware(dt.datetime.combine(on, dt.time(15)))
    )
    return 1
