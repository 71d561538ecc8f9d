"""Comparing cities on one indicator: the figures as known on a day, read once, laid out as a
periods × entities array for the framework-free ``core.formulas.compare_matrix``, and shaped for
the page, its charts and the Excel workbook behind them."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from luoshi.indicators.core import formulas
from luoshi.indicators.known_figures import known_grid
from luoshi.indicators.models import Entity, Indicator
from luoshi.supervision.periods import parse_period
from luoshi.web.ids import parse_id

MAX_ENTITIES = 12  # more lines than this make an unreadable chart and a 12×12 matrix is the limit
MAX_RAW = 50  # ?entities= values read at all; beyond this the query is refused, not parsed


class ComparisonError(ValueError):
    """The chosen cities cannot be compared; the message says why, for the page."""


def choose(indicator: Indicator, raw: list[str]) -> list[Entity]:
    """The entities named by ``raw`` ids (in the order given, repeats dropped), checked: two to
    ``MAX_ENTITIES`` existing entities of the indicator's level."""
    if len(raw) > MAX_RAW:
        raise ComparisonError(_("所选对象过多，最多比较%(n)d个") % {"n": MAX_ENTITIES})
    ids: list[int] = []
    for value in raw:
        pk = parse_id(value)
        if pk is None:
            raise ComparisonError(_("所选对象无效"))
        if pk not in ids:
            ids.append(pk)
    if len(ids) < 2:
        raise ComparisonError(_("请至少选择两个对象进行比较"))
    if len(ids) > MAX_ENTITIES:
        raise ComparisonError(_("所选对象过多，最多比较%(n)d个") % {"n": MAX_ENTITIES})
    found = {e.pk: e for e in Entity.objects.filter(pk__in=ids, kind=indicator.level)}
    if len(found) < len(ids):
        raise ComparisonError(_("所选对象不存在，或不属于该指标的统计层级"))
    return [found[pk] for pk in ids]


@dataclass(slots=True)
class Comparison:
    """Levels, growth, gap and ratio by period, the co-movement of growth rates and σ-convergence
    of the chosen entities, as known on a day: arrays with a row per period of ``periods`` (in
    order) and a column per entity of ``names`` (in the order chosen)."""

    names: list[str]
    periods: list[str]
    levels: np.ndarray
    growth: np.ndarray
    gap: np.ndarray  # NaN where a period has fewer than two figures
    ratio: np.ndarray
    co_movement: np.ndarray  # names × names
    cv_periods: list[str]  # the periods with a coefficient of variation, and it
    cv: np.ndarray
    slope: float | None

    @property
    def any(self) -> bool:
        return bool((~np.isnan(self.levels)).any())

    def chart(self) -> dict:
        """The ECharts data: levels and growth, one line per entity; the CV over the periods."""

        def lines(table: np.ndarray) -> list[dict]:
            return [{"name": n, "data": [clean(v) for v in table[:, i]]} for i, n in enumerate(self.names)]

        return {
            "periods": labels(self.periods),
            "levels": lines(self.levels),
            "growth": lines(self.growth),
            "cv_periods": labels(self.cv_periods),
            "cv": [clean(v) for v in self.cv],
        }

    def verdict(self) -> str:
        """σ-convergence in a sentence: converging, diverging, unchanged, or too few periods."""
        slope = self.slope
        if slope is None:
            return _("可比较的期数不足两期，无法判断收敛或发散。")
        if abs(slope) < 1e-12:
            return _("变异系数没有变化：各对象之间的相对差距保持不变。")
        if slope < 0:
            return _("变异系数每期平均下降%(x)s：各对象之间的相对差距在缩小，呈σ收敛。") % {
                "x": number(-slope, 4)
            }
        return _("变异系数每期平均上升%(x)s：各对象之间的相对差距在扩大，呈发散。") % {"x": number(slope, 4)}


def clean(value) -> float | None:
    """A cell for JSON and Excel: NaN and infinities are no figure."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def number(value, digits: int = 2) -> str:
    """A figure as the page shows it: rounded to ``digits``, trailing zeros dropped; — for none."""
    value = clean(value)
    return "—" if value is None else _trimmed(f"{value:.{digits}f}")


def numbers(values, digits: int = 2) -> list[str]:
    """``number`` of each of ``values`` (a sequence of figures or None), written by one printf call:
    a page of two cities over 120 months has some 800 of them."""
    values = np.asarray(values, dtype=float).ravel()  # None is NaN
    finite = np.isfinite(values)
    texts = ["—"] * len(values)
    written = (f"%.{digits}f|" * int(finite.sum()) % tuple(values[finite].tolist())).split("|")[:-1]
    for i, text in zip(np.flatnonzero(finite).tolist(), written, strict=True):
        texts[i] = _trimmed(text)
    return texts


def _trimmed(text: str) -> str:
    """A rounded figure's text without trailing zeros, -0 as 0."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def labels(periods) -> list[str]:
    """Period codes as Chinese labels: 2024年3月, 2024年第一季度, 2024年."""
    return [_label(p) for p in periods]


@functools.lru_cache(maxsize=4096)
def _label(period: str) -> str:
    # A comparison labels its periods three times over, and most pages share them.
    return parse_period(period).label


def compare(indicator: Indicator, entities: list[Entity], on: dt.date | None = None) -> Comparison:
    """The comparison of ``entities`` on ``indicator`` with the figures as known at the end of
    ``on`` (now when None): one query for the figures."""
    known = known_grid(indicator.pk, on, entities)
    # C order, as the formulas were checked on: a sum over a transposed view may round otherwise.
    names, periods, levels = known.entities, known.periods, np.ascontiguousarray(known.values.T)
    m = formulas.compare_matrix(levels)
    # A period with one figure has no gap or ratio to speak of (the formulas would say 0 and 1).
    alone = (~np.isnan(levels)).sum(axis=1) < 2
    kept = ~np.isnan(m.cv)
    return Comparison(
        names=names,
        periods=periods,
        levels=levels,
        growth=m.growth,
        gap=np.where(alone, np.nan, m.gap),
        ratio=np.where(alone, np.nan, m.ratio),
        co_movement=m.co_movement,
        cv_periods=[p for p, k in zip(periods, kept, strict=True) if k],
        cv=m.cv[kept],
        slope=formulas.cv_slope(m.cv[kept]),
    )


def workbook(indicator: Indicator, comparison: Comparison, on: dt.date) -> bytes:
    """Every table behind the page's charts as .xlsx, one sheet each: levels, growth, gap and
    ratio, co-movement of growth rates, coefficient of variation with its slope."""
    from openpyxl import Workbook

    from luoshi.workbook_cells import put, put_row

    unit = f"（{indicator.unit}）" if indicator.unit else ""
    known = _("截至%(y)d年%(m)d月%(d)d日掌握的数据") % {"y": on.year, "m": on.month, "d": on.day}
    names = comparison.names
    wb = Workbook()
    sheets = [
        (_("水平"), f"{indicator.name}{unit}", comparison.levels, [_("期别"), *names]),
        (
            _("增速"),
            _("%(name)s 比上期增长（%%）") % {"name": indicator.name},
            comparison.growth,
            [_("期别"), *names],
        ),
        (
            _("差距与比值"),
            f"{indicator.name}{unit}",
            np.column_stack([comparison.gap, comparison.ratio]),
            [_("期别"), _("差距（最高−最低）"), _("比值（最高÷最低）")],
        ),
    ]
    period_labels = labels(comparison.periods)
    for i, (title, heading, table, header) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        put(ws, 1, 1, f"{heading}，{known}")
        put_row(ws, 2, header)
        for r, (label, row) in enumerate(zip(period_labels, table, strict=True), 3):
            put_row(ws, r, [label, *(clean(v) for v in row)])
        ws.freeze_panes = "B3"
    ws = wb.create_sheet(_("增速相关"))
    put(ws, 1, 1, _("各对象增速的相关系数，%(known)s") % {"known": known})
    put_row(ws, 2, ["", *names])
    for r, (name, row) in enumerate(zip(names, comparison.co_movement, strict=True), 3):
        put_row(ws, r, [name, *(clean(v) for v in row)])
    ws = wb.create_sheet(_("变异系数"))
    put(ws, 1, 1, _("各对象之间的变异系数（标准差÷平均数），%(known)s") % {"known": known})
    put_row(ws, 2, [_("期别"), _("变异系数")])
    for r, (label, value) in enumerate(zip(labels(comparison.cv_periods), comparison.cv, strict=True), 3):
        put_row(ws, r, [label, clean(value)])
    last = len(comparison.cv) + 4
    put_row(ws, last, [_("每期变化（最小二乘斜率）"), clean(comparison.slope)])
    put_row(ws, last + 1, [_("结论"), comparison.verdict()])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
