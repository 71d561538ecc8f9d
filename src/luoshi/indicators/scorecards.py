"""Scorecards (成绩单) from the database: draft one from the observations, let staff rewrite its
wording, refresh its figures, publish it with its Word and PDF.

1. ``draft`` reads the figures of an entity for a period as known now (and a year earlier for the
   change on the year), builds the scorecard with generated wording and keeps it as a draft;
2. ``edit`` changes the wording (title, introduction, each area's keyword, headline and paragraph)
   and the targets; every change is a ``ScorecardChange`` row with the old and new text;
3. ``refresh`` takes the figures again as known now, keeping the wording and the targets;
4. ``publish`` dates it, writes Word and PDF through the bulletin renderers and freezes it.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from luoshi.bulletins import docx_render, pdf_render
from luoshi.indicators.core import scorecard as core
from luoshi.indicators.models import Entity, Indicator, Observation, Scorecard, ScorecardChange
from luoshi.indicators.services import IndicatorError
from luoshi.supervision.periods import parse_period
from luoshi.textplan.controls import strip_controls
from luoshi.web import clock, storage

FORMATS = ("docx", "pdf")


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except ValueError as exc:
        raise IndicatorError(str(exc)) from None


def _codes(period: str) -> set[str]:
    """Every period code a scorecard of ``period`` may read: the months, quarters and the year
    within it, and the same a year earlier."""
    p = parse_period(period)
    codes = set()
    for freq in core.FREQUENCY_KINDS:
        for q in core.periods_within(p, freq):
            codes.update((q.code, core.year_before(q.code)))
    return codes


def figures_for(
    entity: Entity, period: str, on: dt.datetime
) -> tuple[list[core.IndicatorRow], dict[tuple[int, str], tuple[float, int]]]:
    """The catalogue and the figures of ``entity`` a scorecard of ``period`` reads, as known at
    ``on``: two queries, whatever the number of indicators."""
    rows = (
        Observation.objects.as_known(on)
        .filter(entity=entity, period__in=_codes(period))
        .values_list("indicator_id", "period", "value", "pk")
    )
    figures = {(i, p): (v, pk) for i, p, v, pk in rows}
    ids = {k[0] for k in figures}
    indicators = [
        core.IndicatorRow(*r)
        for r in Indicator.objects.filter(pk__in=ids).values_list(
            "pk", "name", "unit", "direction", "area", "frequency"
        )
    ]
    return indicators, figures


def linked_targets(
    entity: Entity, indicator_ids, on: dt.date | dt.datetime | None = None
) -> dict[int, float]:
    """The goals of the plan targets linked to these indicators for ``entity`` by the links in
    force at ``on`` (None: now), in each indicator's unit: a scorecard's targets until staff set
    others. Where several targets measure one indicator, the one linked last. A card of a past
    moment reads the links of that moment, as it reads the figures known then."""
    from luoshi.indicators import links
    from luoshi.indicators.core.targets import unit_factor
    from luoshi.indicators.entities import metropolitan_area
    from luoshi.indicators.models import Level, TargetLink
    from luoshi.ledger.models import TaskTarget

    ids = set(indicator_ids)
    linked = TargetLink.objects.filter(indicator_id__in=ids).values_list("target_id", flat=True)
    in_force = links.latest_links(set(linked), on)
    if not in_force:
        return {}
    current = {t.pk: t for t in TaskTarget.objects.filter(pk__in=in_force)}
    cities = links._task_cities({t.task_id for t in current.values()})
    city_entities = {
        e.city_id: e for e in Entity.objects.filter(kind=Level.CITY, city_id__in=set(cities.values()))
    }
    area = metropolitan_area()
    out: dict[int, float] = {}
    for link in sorted(in_force.values(), key=lambda k: (k.at, k.pk)):
        target = current.get(link.target_id)
        if target is None or link.indicator_id not in ids:
            continue  # superseded by a re-import, or measuring another indicator now
        measures = links.entity_for(link, city_entities, area, cities.get(target.task_id))
        goal = links.goal_of(target)
        factor = unit_factor(target.unit, link.indicator.unit)
        if measures is not None and measures.pk == entity.pk and goal is not None and factor is not None:
            out[link.indicator_id] = float(f"{goal * factor:.12g}")
    return out


def _card(entity, period, title, on, issuer, areas, targets) -> core.Scorecard:
    indicators, figures = figures_for(entity, period, on)
    if targets is None:
        targets = linked_targets(entity, [i.id for i in indicators], on)
    return core.build(
        title,
        entity.name,
        period,
        timezone.localdate(on),
        indicators,
        figures,
        targets=targets,
        issuer=issuer,
        areas=areas,
    )


def draft(
    entity: Entity,
    period: str,
    title: str = "",
    by=None,
    issuer: str = "",
    areas: Iterable[str] | None = None,
    targets: Mapping[int, float] | None = None,
    on: dt.datetime | None = None,
) -> Scorecard:
    """A draft scorecard of ``entity`` for ``period`` on the figures as known at ``on`` (now),
    with ``targets`` (indicator id → goal; by default those of the plan targets linked to them).
    IndicatorError for a malformed period, a title too long, or no figure at all."""
    period = _period(period)
    label = parse_period(period).label
    title = strip_controls(title).strip() or f"{entity.name}{label}同城化发展成绩单"
    if len(title) > core.MAX_SHORT:
        raise IndicatorError(f"标题过长（不超过{core.MAX_SHORT}字）")
    on = on or clock.now()
    card = _card(entity, period, title, on, strip_controls(issuer)[: core.MAX_SHORT], areas, targets)
    if not card.sections:
        raise IndicatorError(f"{entity.name}{label}尚无指标数据，无法生成成绩单")
    with transaction.atomic():
        row = Scorecard.objects.create(
            title=title, entity=entity, period=period, known_on=on, content=card.to_json(), created_by=by
        )
        ScorecardChange.objects.create(scorecard=row, action="created", by=by, at=on)
    return row


def _locked(row: Scorecard) -> Scorecard:
    row = Scorecard.objects.select_for_update().select_related("entity").get(pk=row.pk)
    if row.state != Scorecard.State.DRAFT:
        raise IndicatorError("成绩单已发布，不能再修改")
    return row


def _text(value: str, limit: int, what: str, required: bool = False) -> str:
    # Form text may carry controls Word cannot hold and \r\n from browsers.
    text = strip_controls(str(value)).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise IndicatorError(f"{what}过长（不超过{limit}字）")
    if required and not text:
        raise IndicatorError(f"{what}不能为空")
    return text


def _target(raw: str, name: str) -> float | None:
    raw = str(raw).strip().replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise IndicatorError(f"「{name}」的目标值“{raw[:20]}”不是数字") from None
    if not math.isfinite(value) or abs(value) > 1e15:
        raise IndicatorError(f"「{name}」的目标值无效")
    return value


def edit(row: Scorecard, data: Mapping[str, str], by=None) -> int:
    """Change the wording and targets from form fields: ``title``, ``intro``, ``keyword-N``,
    ``headline-N``, ``text-N`` (N the area's place from 0) and ``target-ID`` (ID the indicator's);
    fields absent are left as they are. All checked before any is changed; the changes are kept
    with their old and new values. Returns how many fields changed."""
    with transaction.atomic():
        row = _locked(row)
        card = row.card()
        moved: dict[str, list] = {}

        def put(key: str, old, new) -> None:
            if new != old:
                moved[key] = [old, new]

        if "title" in data:
            new = _text(data["title"], core.MAX_SHORT, "标题", required=True)
            put("title", card.title, new)
            card.title = new
        if "intro" in data:
            new = _text(data["intro"], core.MAX_TEXT, "导语")
            put("intro", card.intro, new)
            card.intro = new
        for i, s in enumerate(card.sections):
            generated = core.Section(s.area, s.keyword, s.headline, s.text, s.lines)
            for field, limit, what in (
                ("keyword", core.MAX_SHORT, "关键词"),
                ("headline", core.MAX_SHORT, "标题语"),
                ("text", core.MAX_TEXT, "正文"),
            ):
                key = f"{field}-{i}"
                if key in data:
                    new = _text(data[key], limit, f"「{s.area}」的{what}", required=field == "keyword")
                    put(f"{s.area}.{field}", getattr(s, field), new)
                    setattr(s, field, new)
            lines = []
            for line in s.lines:
                key = f"target-{line.indicator_id}"
                if key in data:
                    new = _target(data[key], line.name)
                    put(f"{line.name}.target", line.target, new)
                    line = replace(line, target=new)
                lines.append(line)
            # Wording still as generated follows the new targets; wording staff wrote stays.
            unchanged = s.headline == generated.headline, s.text == generated.text
            follows = core.reword(generated, lines, card.period)
            s.lines = lines
            if unchanged[0]:
                s.headline = follows.headline
            if unchanged[1]:
                s.text = follows.text
        if not moved:
            return 0
        row.title = card.title
        row.content = card.to_json()
        row.save(update_fields=["title", "content"])
        ScorecardChange.objects.create(scorecard=row, action="edited", fields=moved, by=by)
    return len(moved)


def refresh(row: Scorecard, by=None, on: dt.datetime | None = None) -> Scorecard:
    """Take the figures again as known at ``on`` (now), keeping staff's wording and targets."""
    on = on or clock.now()
    with transaction.atomic():
        row = _locked(row)
        old = row.card()
        new = _card(row.entity, row.period, old.title, on, old.issuer, [s.area for s in old.sections], None)
        card = core.refresh(old, new)
        before = {(line.indicator_id, line.period): line.value for line in old.lines()}
        after = {(line.indicator_id, line.period): line.value for line in card.lines()}
        row.content = card.to_json()
        row.known_on = on
        row.save(update_fields=["content", "known_on"])
        changed = {f"{k[0]}/{k[1]}": [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        ScorecardChange.objects.create(scorecard=row, action="refreshed", fields=changed, by=by, at=on)
    return row


def render(card: core.Scorecard, fmt: str) -> bytes:
    """The scorecard as Word or PDF bytes, laid out like the bulletins."""
    if fmt not in FORMATS:
        raise IndicatorError(f"格式“{fmt}”不正确：可选 {','.join(FORMATS)}")
    body = core.blocks(card)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"scorecard.{fmt}"
        if fmt == "docx":
            docx_render.render_blocks(card.title, core.issuing_line(card), body, card.on, path)
        else:
            try:
                pdf_render.render_blocks(card.title, core.issuing_line(card), body, card.on, path)
            except pdf_render.FontNotFound as exc:
                raise IndicatorError(str(exc)) from None
        return path.read_bytes()


def file_name(row: Scorecard, fmt: str) -> str:
    """ASCII, safe for every file system: scorecard-7-2024.docx."""
    return f"scorecard-{row.pk}-{row.period}.{fmt}"


def publish(row: Scorecard, by=None, on: dt.date | None = None) -> Scorecard:
    """Date the scorecard ``on`` (today), store its Word and PDF and freeze it; once only."""
    with transaction.atomic():
        row = _locked(row)
        card = row.card()
        card.on = on or timezone.localdate()
        files = {fmt: render(card, fmt) for fmt in FORMATS}
        row.content = card.to_json()
        row.state = Scorecard.State.PUBLISHED
        row.published_by = by
        row.published_at = timezone.now()
        try:
            for fmt, data in files.items():
                getattr(row, fmt).save(file_name(row, fmt), ContentFile(data), save=False)
        except storage.StorageUnavailable as exc:
            # Still a draft: the transaction is rolled back and the files already written deleted.
            storage.forget(getattr(row, fmt).name for fmt in files if getattr(row, fmt))
            raise IndicatorError(str(exc)) from None
        row.save()
        ScorecardChange.objects.create(scorecard=row, action="published", by=by, at=row.published_at)
    return row


def published() -> list[Scorecard]:
    """The published scorecards, latest first, for the public site."""
    return list(
        Scorecard.objects.filter(state=Scorecard.State.PUBLISHED)
        .select_related("entity")
        .defer("content")
        .order_by("-published_at", "-id")
    )
