"""Bulletins from the database: the one function behind the web button, the command and the job.

1. read the period, refuse a malformed one, one not begun, or a plan without tasks; a period
   nobody reported is a bulletin too, naming the units that did not report;
2. map the plan's rows to facts (facts_from_db) under the plan's reporting calendar;
3. compute the figures (`luoshi.bulletins.figures.compute`) on the day the bulletin is made
   (today unless told), with the previous period's ranks: only what was due by that day is
   judged, as on the lights page;
4. render Word, PDF and Excel dated that day: the same data on the same day gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder

from luoshi.bulletins import docx_render, pdf_render, xlsx_render
from luoshi.bulletins.figures import KIND_LABELS, EmptyPeriod, compute
from luoshi.bulletins.figures import Bulletin as Figures
from luoshi.ledger.models import Plan
from luoshi.supervision.facts import ReportFacts
from luoshi.supervision.periods import MONTHS_IN, Period, parse_period, period_of
from luoshi.supervision.reporting_calendar import Cadence, add_working_days, due_date
from luoshi.supervision_web import facts_from_db, services
from luoshi.supervision_web.models import Bulletin
from luoshi.web import storage

FORMATS = ("docx", "pdf", "xlsx")
KIND_NAMES = {"month": "按月", "quarter": "按季度", "half-year": "按半年", "year": "按年"}


class BulletinError(ValueError):
    """A bulletin that cannot be produced, with a one-line reason in Chinese."""


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """ "docx,pdf" → ("docx", "pdf"); an unknown format is a BulletinError."""
    names = [f.strip().lower() for f in (text.split(",") if isinstance(text, str) else text) if f.strip()]
    bad = [f for f in names if f not in FORMATS]
    if bad or not names:
        raise BulletinError(f"格式“{','.join(bad) or text}”不正确：可选 {','.join(FORMATS)}")
    return tuple(dict.fromkeys(names))


def figures(plan: Plan, period: str, on: dt.date | None = None) -> Figures:
    """The plan's bulletin for `period` ("2024-03", "2024-Q1", "2024-H1", "2024") made on `on`
    (default today), or a BulletinError saying why not."""
    try:
        p = parse_period(period)
    except ValueError as e:
        raise BulletinError(str(e)) from None
    on = on or services.today()
    # Linked targets are measured by their indicators' figures as known on the bulletin's day: a
    # figure revised after it does not change a bulletin made then.
    facts = facts_from_db.load([plan], known_on=on)
    if not facts.tasks:
        raise BulletinError(f"方案《{plan.title}》没有任务，无法生成通报")
    cal = services.calendar_for(plan)
    if MONTHS_IN[p.kind] < MONTHS_IN[cal.kind]:
        raise BulletinError(
            f"本方案{KIND_NAMES[cal.kind]}报送，没有{KIND_LABELS[p.kind]}报送数据，"
            f"无法生成{p.label}通报：请按{KIND_LABELS[cal.kind]}或更长的期间生成"
        )
    reports = _as_period_kind(facts.reports, p.kind) if cal.kind != p.kind else facts.reports
    cadence = Cadence(p.kind, cal.day)
    previous = None
    q = p.previous()
    if q.start <= on and any(r.period == q.code for r in reports):
        # The ranks the previous period's bulletin gave, on the day it would have been made, with
        # the indicators' figures as known that day when some target is measured by one.
        day = min(on, _standard_day(cadence, q))
        earlier = facts
        if day != on and any(t.measured_by for task in facts.tasks for t in task.targets):
            earlier = facts_from_db.load([plan], known_on=day)
        previous = _compute(plan, earlier, reports, q, cadence, None, day)
    return _compute(plan, facts, reports, p, cadence, previous, on)


def _standard_day(cadence: Cadence, p: Period) -> dt.date:
    """The working day after the period's due date, when a bulletin of it is usually made."""
    return add_working_days(due_date(cadence, p).due, 1)[0]


def _compute(plan, facts, reports, p: Period, cadence: Cadence, previous, on: dt.date) -> Figures:
    """compute() with the plan's title and issuer; an empty period becomes a BulletinError."""
    try:
        return compute(
            facts.tasks,
            reports,
            facts.notices,
            p,
            cadence=cadence,
            on=on,
            previous=previous,
            title=f"《{plan.title}》{p.label}推进情况通报",
            issuer=plan.issuer,
        )
    except EmptyPeriod as e:
        raise BulletinError(str(e)) from None


def _as_period_kind(reports: list[ReportFacts], kind: str) -> list[ReportFacts]:
    """Reports of shorter periods read as reports of ``kind``, for a bulletin longer than the
    plan's cadence (a quarterly bulletin of a monthly plan, a half-year one of a quarterly plan).

    Each report counts for the longer period it falls in; a later one outranks an earlier one (so
    the period's progress is its latest report's) and timeliness is judged on the first.
    Reports of longer periods than ``kind`` cannot be split, so a bulletin shorter than the
    cadence has nothing to read.
    """
    months = MONTHS_IN[kind]
    out = []
    for r in reports:
        p = r.period_value
        if MONTHS_IN[p.kind] > months:
            continue
        if p.kind == kind:
            out.append(r)
            continue
        longer = period_of(p.end, kind).code
        out.append(dataclasses.replace(r, period=longer, version=p.last_month * 1000 + r.version))
    return out


def render(fig: Figures, fmt: str) -> bytes:
    """The bulletin in one format as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bulletin.{fmt}"
        if fmt == "docx":
            docx_render.render(fig, path)
        elif fmt == "xlsx":
            xlsx_render.render(fig, path)
        elif fmt == "pdf":
            try:
                pdf_render.render(fig, path)
            except pdf_render.FontNotFound as e:
                raise BulletinError(str(e)) from None
        else:
            raise BulletinError(f"格式“{fmt}”不正确：可选 {','.join(FORMATS)}")
        return path.read_bytes()


def file_name(plan: Plan, fig: Figures, fmt: str) -> str:
    """通报 file name: plan id, period and format (ASCII, safe for every file system)."""
    return f"bulletin-{plan.pk}-{fig.period}.{fmt}"


def produce(
    plan: Plan, period: str, formats: Iterable[str] = FORMATS, user=None, on: dt.date | None = None
) -> tuple[Bulletin, dict[str, bytes]]:
    """Compute, render and store a bulletin; returns the row and the bytes of each format."""
    fig = figures(plan, period, on)
    files = {fmt: render(fig, fmt) for fmt in parse_formats(formats)}
    row = Bulletin(
        plan=plan,
        period=fig.period,
        on=fig.on,
        title=fig.title,
        figures=json.loads(json.dumps(dataclasses.asdict(fig), cls=DjangoJSONEncoder)),
        created_by=user,
    )
    try:
        for fmt, data in files.items():
            getattr(row, fmt).save(file_name(plan, fig, fmt), ContentFile(data), save=False)
        row.save()
    except BaseException as e:
        # No row without its files, and no files without their row (as far as the store lets us).
        storage.forget(getattr(row, fmt).name for fmt in files if getattr(row, fmt))
        if isinstance(e, storage.StorageUnavailable):
            raise BulletinError(str(e)) from e
        raise
    return row, files


def charts(fig: Figures) -> dict:
    """The data of the page's ECharts: standings, and on-schedule rates by domain, city and lead unit."""

    def groups(gs, limit=20):
        gs = list(gs)[:limit]
        return {
            "names": [g.name or "（未注明）" for g in gs],
            "rates": [g.on_schedule_rate for g in gs],
            "progress": [None if g.mean_progress is None else round(g.mean_progress, 1) for g in gs],
        }

    return {
        "standings": [{"name": s.standing, "value": s.count} for s in fig.standings],
        "domain": groups(fig.by_domain),
        "city": groups(fig.by_city),
        "unit": groups(fig.by_lead_unit),
    }
