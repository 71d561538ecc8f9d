"""Writing indicators: the catalogue from its Excel template, and observations as vintages.

Both are all or nothing: a template with one bad row changes no indicator, and a batch of
observations with one bad figure records none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from luoshi.indicators.core import catalogue, tables
from luoshi.indicators.core.vintages import check_period
from luoshi.indicators.known_figures import known_grid
from luoshi.indicators.models import (
    DocumentRead,
    Entity,
    ImportBatch,
    IndexRun,
    Indicator,
    IndicatorChange,
    Observation,
    ProposedFigure,
)
from luoshi.supervision.periods import parse_period


class IndicatorError(ValueError):
    """A refusal, in words a user understands; nothing was changed."""


@dataclass(frozen=True, slots=True)
class CatalogueResult:
    created: int
    updated: int
    unchanged: int


def export_catalogue(indicators: Iterable[Indicator] | None = None) -> bytes:
    """The catalogue (or the given indicators) as the Excel template."""
    rows = Indicator.objects.order_by("area", "name") if indicators is None else indicators
    return catalogue.write_catalogue(i.spec() for i in rows)


def apply_catalogue(specs: list[catalogue.IndicatorSpec], by=None) -> CatalogueResult:
    """Add or update the indicators in ``specs`` (matched by name), recording each change with its
    old and new values; every spec is checked first, so a bad one changes nothing."""
    for spec in specs:
        problems = catalogue.check_spec(spec)
        if problems:
            raise IndicatorError(f"「{spec.name[:40]}」：" + "；".join(m for _, m in problems))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise IndicatorError("指标名称重复")
    created = updated = unchanged = 0
    now = timezone.now()
    with transaction.atomic():
        existing = {i.name: i for i in Indicator.objects.select_for_update().filter(name__in=names)}
        for spec in specs:
            values = spec.as_dict()
            row = existing.get(spec.name)
            if row is None:
                row = Indicator.objects.create(**values)
                IndicatorChange.objects.create(indicator=row, action="created", fields=values, by=by, at=now)
                created += 1
                continue
            moved = {f: [getattr(row, f), v] for f, v in values.items() if getattr(row, f) != v}
            if not moved:
                unchanged += 1
                continue
            for field, (_, new) in moved.items():
                setattr(row, field, new)
            row.save(update_fields=list(moved))
            IndicatorChange.objects.create(indicator=row, action="updated", fields=moved, by=by, at=now)
            updated += 1
    return CatalogueResult(created, updated, unchanged)


def import_catalogue(data: bytes, by=None) -> CatalogueResult:
    """Read an uploaded template and apply it; IndicatorError lists every problem (row and column)."""
    read = catalogue.read_catalogue(data)
    if read.errors:
        raise IndicatorError("；".join(str(e) for e in read.errors[:20]))
    return apply_catalogue(read.specs, by=by)


class Figure(NamedTuple):
    """One observation to record. A tuple: a table's commit makes 100,000 of them, and a frozen
    dataclass took a second of it."""

    indicator: Indicator
    entity: Entity
    period: str
    value: float
    source: str = ""
    note: str = ""


def check_figure(figure: Figure) -> str:
    """The figure's period in canonical form; IndicatorError when the figure cannot be recorded."""
    return _check_figures([figure])[0]


def _check_figures(figures: list[Figure]) -> list[str]:
    """check_figure of each figure, reading each period once per frequency: a table repeats the
    same few periods, and parsing one took a fifth of a 100,000-row commit."""
    codes: dict[tuple[str, str], str] = {}
    out = []
    for figure in figures:
        _check_value_and_level(figure)
        key = (figure.period, figure.indicator.frequency)
        code = codes.get(key)
        if code is None:
            try:
                code = codes[key] = check_period(*key).code
            except ValueError as exc:
                raise IndicatorError(f"「{figure.indicator.name}」：{exc}") from None
        out.append(code)
    return out


def _check_value_and_level(figure: Figure) -> None:
    if (
        not isinstance(figure.value, int | float)
        or isinstance(figure.value, bool)
        or not math.isfinite(figure.value)
    ):
        raise IndicatorError(f"「{figure.indicator.name}」{figure.period}：数值无效")
    if figure.entity.kind != figure.indicator.level:
        raise IndicatorError(
            # The core's Chinese labels, like the rest of these messages, whatever the request's language.
            f"「{figure.indicator.name}」按{catalogue.LEVELS[figure.indicator.level]}统计，"
            f"「{figure.entity.name}」是{catalogue.LEVELS[figure.entity.kind]}"
        )


def record(
    figures: list[Figure], by=None, at: dt.datetime | None = None, batch: ImportBatch | None = None
) -> int:
    """Record ``figures`` as new vintages at ``at`` (now): a figure equal to the one currently known
    is skipped, so uploading the same table twice adds nothing. All are checked before any is
    written. Returns how many rows were written."""
    at = at or timezone.now()
    periods = _check_figures(figures)
    keys = [(f.indicator.pk, f.entity.pk, p) for f, p in zip(figures, periods, strict=True)]
    if len(set(keys)) != len(figures):
        raise IndicatorError("同一指标、对象、期别出现多次")
    with transaction.atomic():
        # Only the batch's periods: a month's table against ten years of figures would otherwise
        # read every figure of its indicators and entities (3,000,000 at the full scale).
        known = {
            (i, e, p): v
            for i, e, p, v in Observation.objects.as_known(at)
            .filter(
                indicator__in={k[0] for k in keys},
                entity__in={k[1] for k in keys},
                period__in={k[2] for k in keys},
            )
            .values_list("indicator_id", "entity_id", "period", "value")
        }
        stamp = connection.ops.adapt_datetimefield_value(at)
        by_id = by.pk if by is not None else None
        batch_id = batch.pk if batch is not None else None
        rows = [
            (*key, float(f.value), f.source[:200], f.note[:500], by_id, stamp, batch_id)
            for f, key in zip(figures, keys, strict=True)
            if known.get(key) != float(f.value)
        ]
        # In the vintage index's order: each of its pages is then written once, not once a figure.
        rows.sort(key=itemgetter(0, 1, 2))
        _insert(rows)
    return len(rows)


_COLUMNS = (
    "indicator_id",
    "entity_id",
    "period",
    "value",
    "source",
    "note",
    "recorded_by_id",
    "recorded_at",
    "batch_id",
)


def _insert(rows: list[tuple]) -> None:
    """Insert observation rows with one prepared statement. Not bulk_create: building 100,000 model
    instances and their SQL took 14 s of a 100,000-row import; this takes about one. The rows are
    only ever inserted, so nothing of the model's save() is skipped."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: executemany sends one statement per row, 8 s for 100,000 on PostgreSQL.
            with cursor.cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def city_entity(city) -> Entity:
    """The entity of a ledger city, made on first use."""
    entity, _ = Entity.objects.get_or_create(kind="city", city=city, defaults={"name": city.name})
    return entity


# --- statistics tables: upload → review → commit ---------------------------------------------


def _catalogue_info() -> dict[str, tables.IndicatorInfo]:
    return {
        name: tables.IndicatorInfo(name, unit, frequency, level)
        for name, unit, frequency, level in Indicator.objects.values_list(
            "name", "unit", "frequency", "level"
        )
    }


def start_table_import(data: bytes, name: str, by=None, indicator: Indicator | None = None) -> ImportBatch:
    """Read an uploaded table and keep what it says for review: its figures, and every problem
    (row, column, reason) including figures for an entity of the wrong level. Nothing is recorded."""
    from luoshi.indicators.entities import sync_from_ledger

    sync_from_ledger(by=by)  # a city new to the ledger is matched from its first table
    entities = list(Entity.objects.filter(active=True))
    read = tables.read_table(
        data,
        _catalogue_info(),
        {e.name: e.alias_list() for e in entities},
        indicator=indicator.name if indicator else None,
        name=name,
    )
    kinds = {e.name: e.kind for e in entities}
    levels = dict(Indicator.objects.values_list("name", "level"))
    labels = catalogue.LEVELS
    for f in read.figures:
        if kinds[f.entity] != levels[f.indicator]:
            read.problem(
                f.row,
                f.column,
                f"{f.indicator}按{labels[levels[f.indicator]]}统计，「{f.entity}」是{labels[kinds[f.entity]]}",
            )
    chosen = indicator or (Indicator.objects.filter(name=read.indicator).first() if read.indicator else None)
    return ImportBatch.objects.create(
        name=name[:255],
        indicator=chosen,
        layout=read.layout,
        figures=list(tables.rows_of(read)),
        problems=[[p.row, p.column, p.message] for p in read.problems],
        blanks=read.blanks,
        uploaded_by=by,
    )


def problem_text(problem: list) -> str:
    """A stored problem as the review shows it: 第3行第B列：…"""
    return str(tables.Problem(*problem))


def commit_table_import(batch: ImportBatch, by=None, exclude: bool = False) -> ImportBatch:
    """Record a reviewed table, all or nothing. A table with problems is refused unless
    ``exclude``: then the figures at the cells with problems (and every copy of a duplicated
    figure) are left out and counted. Problems of the whole file cannot be excluded. A batch is
    committed once; a second commit, or a commit of a discarded batch, is refused."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportBatch.State.REVIEW:
            raise IndicatorError("该批次已导入或已放弃，不能再次导入")
        problems = batch.problems
        if any(p[0] == 0 for p in problems):
            raise IndicatorError("文件无法导入：" + "；".join(problem_text(p) for p in problems if p[0] == 0))
        if problems and not exclude:
            raise IndicatorError(f"还有{len(problems)}处问题，请修正文件后重新上传，或选择排除有问题的数据")
        bad_cells = {(p[0], p[1]) for p in problems}
        rows = batch.figures
        if exclude:
            counts: dict[tuple, int] = {}
            for r in rows:
                counts[(r[0], r[1], r[2])] = counts.get((r[0], r[1], r[2]), 0) + 1
            rows = [r for r in rows if (r[4], r[5]) not in bad_cells and counts[(r[0], r[1], r[2])] == 1]
        if not rows:
            raise IndicatorError("没有可导入的数值")
        indicators = {i.name: i for i in Indicator.objects.filter(name__in={r[0] for r in rows})}
        entities = {e.name: e for e in Entity.objects.filter(name__in={r[1] for r in rows})}
        if len(indicators) != len({r[0] for r in rows}) or len(entities) != len({r[1] for r in rows}):
            raise IndicatorError("上传后指标目录或统计对象已变化，请重新上传")
        source = f"导入：{batch.name}"[:200]
        figures = [
            Figure(
                indicators[r[0]],
                entities[r[1]],
                r[2],
                r[3],
                source=source,
                note=f"第{r[4]}行第{tables.column_letter(r[5])}列",
            )
            for r in rows
        ]
        written = record(figures, by=by, batch=batch)
        batch.state = ImportBatch.State.COMMITTED
        batch.committed_by = by
        batch.committed_at = timezone.now()
        batch.recorded = written
        batch.excluded = len(batch.figures) - len(rows)
        batch.save(update_fields=["state", "committed_by", "committed_at", "recorded", "excluded"])
    return batch


def discard_table_import(batch: ImportBatch, by=None) -> None:
    """Give up a batch under review; its read figures stay as the record of what was uploaded."""
    updated = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.REVIEW).update(
        state=ImportBatch.State.DISCARDED
    )
    if not updated:
        raise IndicatorError("该批次已导入或已放弃")


# --- one indicator's figures ------------------------------------------------------------------


def indicator_workbook(indicator: Indicator, on: dt.date | None) -> bytes:
    """The table behind the indicator's chart, as known at the end of ``on`` (today when None), as
    .xlsx titled with its unit and the day: the page's grid (``known_grid``), blank where no figure."""
    import io

    from openpyxl import Workbook

    from luoshi.workbook_cells import put, put_row

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    unit = f"（{indicator.unit}）" if indicator.unit else ""
    known = known_grid(indicator.pk, on)
    day = on or timezone.localdate()
    put(ws, 1, 1, f"{indicator.name}{unit}，截至{day.year}年{day.month}月{day.day}日掌握的数据")
    put_row(ws, 2, ["统计对象", *(parse_period(p).label for p in known.periods)])
    for i, (entity, values) in enumerate(zip(known.entities, known.values.tolist(), strict=True), 3):
        put_row(ws, i, [entity, *(None if math.isnan(v) else v for v in values)])
    ws.freeze_panes = "B3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the integration index ---------------------------------------------------------------------


def compute_index(
    name: str,
    indicators: list[Indicator],
    entities: list[Entity],
    period: str,
    on: dt.datetime | None = None,
    method: str = "minmax",
    weighting: str = "equal",
    weights: dict[int, float] | None = None,
    by=None,
) -> IndexRun:
    """Compute and store an index of ``entities`` over ``indicators`` for ``period``, on the
    figures as known at ``on`` (now). Refusals (no figures, a bad method or weight) are
    IndicatorError; adjustments (weights normalised, missing inputs) are in the run's notes."""
    if not indicators or len(entities) < 2:
        raise IndicatorError("至少需要一个指标和两个统计对象")
    on = on or timezone.now()
    rows = list(
        Observation.objects.as_known(on)
        .filter(indicator__in=indicators, entity__in=entities, period=period)
        .values_list("pk", "indicator_id", "entity__name", "value")
    )
    if not rows:
        raise IndicatorError(f"{period}没有所选指标的数据")
    described = [[i.pk, i.name, i.direction, i.area] for i in indicators]
    result = _index_from(described, [e.name for e in entities], rows, method, weighting, weights or {})
    return IndexRun.objects.create(
        name=name[:200],
        period=period,
        known_on=on,
        method=method,
        weighting=weighting,
        weights={str(k): v for k, v in (weights or {}).items()},
        inputs=[list(r) for r in rows],
        indicators=described,
        results=result,
        created_by=by,
    )


def _index_from(described, entity_names, rows, method, weighting, weights) -> dict:
    """The index as stored: computed from the inputs alone, so a stored run recomputes the same."""
    import pandas as pd

    from luoshi.indicators.core import formulas

    names = {i[0]: i[1] for i in described}
    frame = pd.DataFrame(rows, columns=["id", "indicator", "entity", "value"])
    frame["indicator"] = frame["indicator"].map(names)
    matrix = frame.pivot_table(index="entity", columns="indicator", values="value", aggfunc="last")
    matrix = matrix.reindex(index=entity_names, columns=[i[1] for i in described])
    directions = {i[1]: i[2] for i in described}
    areas = {i[1]: i[3] for i in described}
    given = {names[int(k)]: v for k, v in weights.items() if int(k) in names}
    try:
        r = formulas.composite_index(matrix, directions, areas, weighting, given, method)
        table = formulas.sensitivity(matrix, directions, r, method)
    except ValueError as exc:
        raise IndicatorError(str(exc)) from None

    def clean(series) -> dict:
        return {str(k): (None if pd.isna(v) else round(float(v), 6)) for k, v in series.items()}

    return {
        "scores": clean(r.scores),
        "ranks": {str(k): (None if pd.isna(v) else int(v)) for k, v in r.ranks.items()},
        "sub_indices": {area: clean(r.sub_indices[area]) for area in r.sub_indices.columns},
        "weights": clean(r.weights),
        "notes": r.notes,
        "sensitivity": [
            {**row, "max_index_change": round(float(row["max_index_change"]), 6)}
            for row in table.to_dict("records")
        ],
    }


def reproduce(run: IndexRun) -> dict:
    """Recompute a stored run from the observations it names (read again from the database, not
    from the copy it keeps), so a reader can check that the published figure follows from the
    data as it was known then. Equal to ``run.results`` when nothing was tampered with."""
    ids = [r[0] for r in run.inputs]
    # The entity as named when the run was made: a later rename or merge does not change the past.
    named = {r[0]: r[2] for r in run.inputs}
    rows = [
        (pk, indicator, named[pk], value)
        for pk, indicator, value in Observation.objects.filter(pk__in=ids)
        .values_list("pk", "indicator_id", "value")
        .order_by("pk")
    ]
    if len(rows) != len(ids):
        raise IndicatorError("部分输入数据已不存在，无法复算")
    entity_names = list(dict.fromkeys(run.results["scores"]))
    return _index_from(run.indicators, entity_names, rows, run.method, run.weighting, run.weights)


# --- figures proposed from documents ------------------------------------------------------------


def propose_from_document(
    text: str, name: str, period: str, entity: Entity | None = None, by=None
) -> DocumentRead:
    """Read a document's achieved figures into proposals (nothing recorded). The period is the one
    the document reports on; it is checked against each indicator when a figure is accepted."""
    from luoshi.indicators.core import proposals
    from luoshi.supervision.periods import parse_period

    try:
        period = parse_period(period).code
    except ValueError as exc:
        raise IndicatorError(str(exc)) from None
    from luoshi.indicators.entities import sync_from_ledger

    sync_from_ledger(by=by)
    entities = list(Entity.objects.filter(active=True))
    try:
        found = proposals.propose(
            text,
            _catalogue_info(),
            {e.name: e.alias_list() for e in entities},
            entity.name if entity else None,
        )
    except ValueError as exc:
        raise IndicatorError(str(exc)) from None
    by_name = {e.name: e for e in entities}
    indicators = {i.name: i for i in Indicator.objects.all()}
    with transaction.atomic():
        doc = DocumentRead.objects.create(
            name=name[:255], text=text, period=period, entity=entity, uploaded_by=by
        )
        ProposedFigure.objects.bulk_create(
            ProposedFigure(
                document=doc,
                quoted=p.quoted[:100],
                metric=p.metric,
                value=p.value,
                unit=p.unit[:20],
                sentence=p.sentence,
                start=p.start,
                end=p.end,
                indicator=indicators.get(p.indicator) if p.indicator else None,
                entity=by_name.get(p.entity) if p.entity else None,
                converted=p.converted,
            )
            for p in found
        )
    return doc


def decide(
    figure: ProposedFigure,
    action: str,
    by=None,
    indicator: Indicator | None = None,
    entity: Entity | None = None,
    period: str | None = None,
    value: float | None = None,
    reason: str = "",
) -> ProposedFigure:
    """Accept (record the figure as suggested), correct (record it with the indicator, entity,
    period or value staff set) or reject a proposed figure; once only. The recorded observation
    cites the document and the sentence."""
    if action not in ("accept", "correct", "reject"):
        raise IndicatorError("未知操作")
    with transaction.atomic():
        figure = ProposedFigure.objects.select_for_update().select_related("document").get(pk=figure.pk)
        if figure.state != ProposedFigure.State.PROPOSED:
            raise IndicatorError("该数值已处理")
        now = timezone.now()
        if action == "reject":
            figure.state = ProposedFigure.State.REJECTED
        else:
            if action == "accept":
                indicator, entity, period, value = (
                    figure.indicator,
                    figure.entity,
                    figure.document.period,
                    figure.converted,
                )
            else:
                indicator = indicator or figure.indicator
                entity = entity or figure.entity
                period = period or figure.document.period
                value = figure.converted if value is None else value
            if indicator is None or entity is None or value is None:
                raise IndicatorError("请选择指标和统计对象并填写数值后再采纳")
            doc = figure.document
            record(
                [
                    Figure(
                        indicator,
                        entity,
                        period,
                        value,
                        source=f"文档：{doc.name}"[:200],
                        note=figure.sentence,
                    )
                ],
                by=by,
                at=now,
            )
            figure.observation = (
                Observation.objects.as_known(now)
                .filter(
                    indicator=indicator,
                    entity=entity,
                    period=check_figure(Figure(indicator, entity, period, value)),
                )
                .first()
            )
            figure.state = (
                ProposedFigure.State.ACCEPTED if action == "accept" else ProposedFigure.State.CORRECTED
            )
            figure.indicator, figure.entity = indicator, entity
        figure.decided_by, figure.decided_at, figure.reason = by, now, reason[:500]
        figure.save()
    return figure
