"""Achieved values in the units' reports feed the indicators their targets are linked to.

Each ``ReportValue`` of a linked target becomes one observation, once per indicator: source the
ledger (the task and the report's period and version), recorded by whoever submitted the report
at the moment they did. A corrected report is a new version with new values, so it adds a new
vintage; nothing is overwritten. The figure is of the reporting unit's city (a city indicator),
the metropolitan area (an area indicator) or the entity the link names, for the indicator's
period that holds the end of the report's period (a March report feeds 2024-03, 2024-Q1 or
2024), in the indicator's unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.indicators.core.targets import unit_factor
from luoshi.indicators.links import latest_links
from luoshi.indicators.models import Entity, Level, Observation
from luoshi.indicators.services import Figure, IndicatorError, check_figure
from luoshi.ledger.models import ProgressReport, ReportValue
from luoshi.supervision.periods import parse_period


@dataclass(slots=True)
class FeedResult:
    recorded: int = 0
    skipped: list[str] = field(default_factory=list)  # why a value was not recorded


def indicator_period(report_period: str, frequency: str) -> str:
    """The period of an indicator of ``frequency`` holding the end of a report's period."""
    end = parse_period(report_period).end
    if frequency == "month":
        return f"{end.year}-{end.month:02d}"
    if frequency == "quarter":
        return f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    return str(end.year)


def feed(values) -> FeedResult:
    """Record the observations ``values`` (a ReportValue queryset) imply and that are not recorded
    yet. Called inside the report's transaction, and when a target is linked (its values reported
    before then, each at its own report's time)."""
    from luoshi.indicators.entities import metropolitan_area

    result = FeedResult()
    # Most reports are on targets no indicator measures: one small query says so.
    links = latest_links(set(values.values_list("target_id", flat=True)))
    if not links:
        return result
    rows = list(
        values.filter(target_id__in=list(links))
        .select_related("report__task__plan", "report__unit", "report__submitted_by", "target")
        .order_by("report__submitted_at", "id")
    )
    done = set(
        Observation.objects.filter(report_value__in=rows).values_list("report_value_id", "indicator_id")
    )
    wanted = {rv.report.unit.city_id or rv.report.task.plan.city_id for rv in rows}
    cities = {e.city_id: e for e in Entity.objects.filter(kind=Level.CITY, active=True, city_id__in=wanted)}
    area = metropolitan_area() if any(link.indicator.level == Level.AREA for link in links.values()) else None
    for rv in rows:
        link = links[rv.target_id]
        indicator = link.indicator
        if (rv.pk, indicator.pk) in done:
            continue
        report: ProgressReport = rv.report
        entity = link.entity
        if entity is None:
            if indicator.level == Level.AREA:
                entity = area
            elif indicator.level == Level.CITY:
                city_id = report.unit.city_id or report.task.plan.city_id
                entity = cities.get(city_id)
        if entity is None:
            result.skipped.append(f"{report.period}：找不到「{indicator.name}」的统计对象")
            continue
        factor = unit_factor(rv.target.unit, indicator.unit)
        if factor is None:
            result.skipped.append(
                f"{report.period}：单位「{rv.target.unit}」与指标单位「{indicator.unit}」不符"
            )
            continue
        task = report.task
        try:
            period = indicator_period(report.period, indicator.frequency)
            figure = Figure(
                indicator,
                entity,
                period,
                rv.value * factor,
                source=f"台账：{task.label} {task.title}"[:200],
                note=f"{report.unit.name} {parse_period(report.period).label}报送 第{report.version}版"[:500],
            )
            period = check_figure(figure)
        except (IndicatorError, ValueError) as exc:
            result.skipped.append(f"{report.period}：{exc}")
            continue
        # Append-only rows written as they are: each report version is its own vintage.
        Observation.objects.create(
            indicator=indicator,
            entity=entity,
            period=period,
            value=figure.value,
            source=figure.source,
            note=figure.note,
            recorded_by=report.submitted_by,
            recorded_at=report.submitted_at,
            report_value=rv,
        )
        result.recorded += 1
    return result


def on_report(sender, report: ProgressReport, **_kwargs) -> None:
    """A report with values was submitted: feed its linked targets' indicators."""
    feed(ReportValue.objects.filter(report=report))


def feed_target(target) -> FeedResult:
    """Every value reported on ``target`` so far, for the indicator it is now linked to."""
    return feed(ReportValue.objects.filter(target=target))
