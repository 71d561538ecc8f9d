"""The integration index (同城化指数) as the pages show it: the staff's form read and checked, a stored
run laid out as tables (index and sub-indices by entity, weights, sensitivity), its method in words,
and its workbook. Reading the form refuses anything it cannot use before anything is stored."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.indicators.core.formulas import METHODS
from luoshi.indicators.core.vintages import check_period
from luoshi.indicators.models import Entity, IndexRun, Indicator
from luoshi.indicators.services import IndicatorError
from luoshi.web.ids import parse_id

WEIGHTINGS = ("equal", "entropy", "given")
MAX_WEIGHT = 1_000_000  # a weight above this is a typing slip, not a share
MAX_CHOSEN = 200  # indicators or entities read from one form
NAME_MAX = 200


@dataclass(slots=True)
class IndexRequest:
    """What the compute form asks for, checked: the indicators, entities, period and method."""

    name: str
    indicators: list[Indicator]
    entities: list[Entity]
    period: str
    method: str
    weighting: str
    weights: dict[int, float] = field(default_factory=dict)
    on: dt.datetime | None = None


def indicator_choices():
    """The indicators staff may put in an index, in catalogue order."""
    return Indicator.objects.order_by("area", "name")


def entity_choices():
    """The active entities an index may compare, by kind and name."""
    return Entity.objects.filter(active=True).order_by("kind", "name")


def _chosen(raw_ids: list[str], rows, what: str) -> list:
    """The rows the form's ids name, in the form's order; IndicatorError for any id not offered."""
    if len(raw_ids) > MAX_CHOSEN:
        raise IndicatorError(_("所选%(what)s过多") % {"what": what})
    ids = []
    for raw in raw_ids:
        pk = parse_id(raw)
        if pk is None:
            raise IndicatorError(_("所选%(what)s无效") % {"what": what})
        if pk not in ids:
            ids.append(pk)
    by_id = {r.pk: r for r in rows.filter(pk__in=ids)}
    if len(by_id) != len(ids):
        raise IndicatorError(_("所选%(what)s不存在或已停用") % {"what": what})
    return [by_id[pk] for pk in ids]


def _weight(raw: str, indicator: Indicator) -> float:
    """One weight as typed: a finite number from 0 to MAX_WEIGHT, or IndicatorError naming it."""
    text = raw.strip().replace("，", ".").replace("％", "%")[:40]
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise IndicatorError(
            _("指标「%(name)s」的权重「%(raw)s」不是数字") % {"name": indicator.name, "raw": raw[:20]}
        ) from None
    if percent:
        value /= 100
    if not math.isfinite(value) or value < 0:
        raise IndicatorError(_("指标「%(name)s」的权重不能为负数或非数值") % {"name": indicator.name})
    if value > MAX_WEIGHT:
        raise IndicatorError(_("指标「%(name)s」的权重过大") % {"name": indicator.name})
    return value


def read_form(post) -> IndexRequest:
    """The compute form as an IndexRequest; IndicatorError (in Chinese, naming the field) for the
    first thing that cannot be used."""
    name = post.get("name", "")[: NAME_MAX + 1].strip() or _("同城化指数")
    if len(name) > NAME_MAX:
        raise IndicatorError(_("名称过长"))
    indicators = _chosen(post.getlist("indicator"), Indicator.objects.all(), _("指标"))
    if not indicators:
        raise IndicatorError(_("请至少选择一个指标"))
    entities = _chosen(post.getlist("entity"), entity_choices(), _("统计对象"))
    if len(entities) < 2:
        raise IndicatorError(_("请至少选择两个统计对象"))
    period_text = post.get("period", "")[:20].strip()
    if not period_text:
        raise IndicatorError(_("请填写期别"))
    period = None
    for indicator in indicators:
        try:
            period = check_period(period_text, indicator.frequency).code
        except ValueError as exc:
            raise IndicatorError(f"{indicator.name}：{exc}") from None
    method = post.get("method", "minmax")
    if method not in METHODS:
        raise IndicatorError(_("请选择标准化方法"))
    weighting = post.get("weighting", "equal")
    if weighting not in WEIGHTINGS:
        raise IndicatorError(_("请选择赋权方法"))
    weights: dict[int, float] = {}
    if weighting == "given":
        for indicator in indicators:
            raw = post.get(f"weight-{indicator.pk}", "")
            if not raw.strip():
                raise IndicatorError(_("请填写指标「%(name)s」的权重") % {"name": indicator.name})
            weights[indicator.pk] = _weight(raw, indicator)
        if sum(weights.values()) <= 0:
            raise IndicatorError(_("权重之和必须大于0"))
    on = None
    on_text = post.get("on", "")[:20].strip()
    if on_text:
        try:
            day = dt.date.fromisoformat(on_text)
        except ValueError:
            raise IndicatorError(_("数据截至日期格式应为 YYYY-MM-DD")) from None
        if day > timezone.localdate():
            raise IndicatorError(_("数据截至日期不能晚于今天"))
        # The figures as known by the end of that day, as the indicator pages read them.
        on = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    return IndexRequest(name, indicators, entities, period, method, weighting, weights, on)


# --- a stored run laid out ---------------------------------------------------------------------

METHOD_NAMES = {
    "minmax": gettext_lazy("极差标准化（min–max）"),
    "zscore": gettext_lazy("Z 分数标准化（z-score）"),
}
WEIGHTING_NAMES = {
    "equal": gettext_lazy("等权"),
    "entropy": gettext_lazy("熵权法"),
    "given": gettext_lazy("人工设定权重"),
}
DIRECTION_NAMES = {"up": gettext_lazy("正向（越高越好）"), "down": gettext_lazy("逆向（越低越好）")}


@dataclass(slots=True)
class RunTables:
    """A run's figures as rows: per entity its index, rank and sub-indices; per indicator its
    weight as given and as used; the sensitivity rows; the method in words."""

    areas: list[str]
    entities: list[tuple[str, float | None, int | None, list[float | None]]]
    weights: list[tuple[str, str, str, float | None, float | None]]
    sensitivity: list[tuple[str, str, float, int, str]]  # …, the entities whose rank changes
    method: list[str]
    notes: list[str]
    chart: dict


def method_words(run: IndexRun) -> list[str]:
    """The run's method as sentences: normalisation, weighting, missing inputs, the formula."""
    lines = []
    if run.method == "zscore":
        lines.append(
            _(
                "标准化：Z 分数法，每个指标 z = (x − 均值) / 标准差（各统计对象之间计算）；"
                "逆向指标取相反数，使数值越大越好。"
            )
        )
    else:
        lines.append(
            _(
                "标准化：极差法，每个指标 s = (x − 最小值) / (最大值 − 最小值) × 100；"
                "逆向指标取 s = (最大值 − x) / (最大值 − 最小值) × 100；各对象相同时均记100。"
            )
        )
    if run.weighting == "entropy":
        lines.append(
            _(
                "权重：熵权法，p = s / Σs，e = −Σ p·ln p / ln n，权重与 1 − e 成正比；"
                "区分度越大的指标权重越高。"
            )
        )
    elif run.weighting == "given":
        lines.append(_("权重：由工作人员设定；权重之和不为1时按比例归一。"))
    else:
        lines.append(_("权重：等权，每个指标权重为 1 / 指标数。"))
    lines.append(_("指数 = Σ 权重 × 标准化值；分项指数按指标所属领域分别计算，权重在领域内归一。"))
    lines.append(_("某对象缺少某项指标时，按其余指标计算，其余指标的权重按比例放大至和为1。"))
    lines.append(
        _(
            "敏感性：每个权重分别上调、下调20%（其余权重按比例调整使和为1），列出指数的最大变化、排名变化的对象数和这些对象（原排名→新排名）。"
        )
    )
    return lines


def moved_words(row: dict) -> str:
    """The entities a sensitivity row moves, as 「德阳市 1→2、成都市 2→1」; 「—」 when none moves, and
    「（未记录）」 for a run stored before the names were kept (its count is still shown)."""
    if "moved" not in row:
        return _("（未记录）") if row.get("rank_changes") else "—"
    return "、".join(f"{name} {before}→{after}" for name, before, after in row["moved"]) or "—"


def run_tables(run: IndexRun) -> RunTables:
    """The stored run's results as the page and the workbook show them (the stored figures, not
    recomputed)."""
    results = run.results
    areas = list(results.get("sub_indices", {}))
    entities = []
    for entity, score in results["scores"].items():
        rank = results["ranks"].get(entity)
        entities.append((entity, score, rank, [results["sub_indices"][a].get(entity) for a in areas]))
    # Ranked first, then those without a score, each group in the run's order.
    entities.sort(key=lambda r: (r[2] is None, r[2] or 0))
    used = results.get("weights", {})
    weights = []
    for pk, name, direction, area in run.indicators:
        given = run.weights.get(str(pk))
        weights.append((name, area, str(DIRECTION_NAMES.get(direction, direction)), given, used.get(name)))
    sensitivity = [
        (r["indicator"], r["change"], r["max_index_change"], r["rank_changes"], moved_words(r))
        for r in results.get("sensitivity", [])
    ]
    chart = {
        "entities": [e[0] for e in entities if e[1] is not None],
        "scores": [e[1] for e in entities if e[1] is not None],
        "areas": areas,
        "sub": [[e[3][i] for e in entities if e[1] is not None] for i in range(len(areas))],
    }
    return RunTables(
        areas, entities, weights, sensitivity, method_words(run), results.get("notes", []), chart
    )


def matches(run: IndexRun, recomputed: dict) -> bool:
    """Whether a recomputation gives the stored run's figures exactly. A run stored before the
    sensitivity rows named the entities that move is compared on what it stored."""
    stored = run.results.get("sensitivity", [])
    if stored and "moved" not in stored[0]:
        rows = [{k: v for k, v in r.items() if k != "moved"} for r in recomputed.get("sensitivity", [])]
        recomputed = {**recomputed, "sensitivity": rows}
    return recomputed == run.results


def run_workbook(run: IndexRun) -> bytes:
    """The run's tables as an Excel workbook: index, weights, sensitivity, inputs and method."""
    from openpyxl import Workbook

    from luoshi.workbook_cells import put_row

    t = run_tables(run)
    wb = Workbook()
    ws = wb.active
    ws.title = _("指数")
    put_row(ws, 1, [f"{run.name} {run.period}"])
    put_row(ws, 2, [_("统计对象"), _("指数"), _("排名"), *t.areas])
    for i, (entity, score, rank, subs) in enumerate(t.entities, 3):
        put_row(ws, i, [entity, score, rank, *subs])
    ws.freeze_panes = "B3"
    ws = wb.create_sheet(_("权重"))
    put_row(ws, 1, [_("指标"), _("领域"), _("方向"), _("设定权重"), _("实际权重")])
    for i, row in enumerate(t.weights, 2):
        put_row(ws, i, list(row))
    ws = wb.create_sheet(_("敏感性"))
    put_row(ws, 1, [_("指标"), _("权重变动"), _("指数最大变化"), _("排名变化的对象数"), _("排名变化的对象")])
    for i, row in enumerate(t.sensitivity, 2):
        put_row(ws, i, list(row))
    ws = wb.create_sheet(_("输入数据"))
    put_row(ws, 1, [_("数据编号"), _("指标"), _("统计对象"), _("数值")])
    names = {i[0]: i[1] for i in run.indicators}
    for i, (pk, indicator, entity, value) in enumerate(run.inputs, 2):
        put_row(ws, i, [pk, names.get(indicator, indicator), entity, value])
    ws = wb.create_sheet(_("方法说明"))
    lines = [
        _("标准化方法：%(m)s") % {"m": str(METHOD_NAMES.get(run.method, run.method))},
        _("赋权方法：%(w)s") % {"w": str(WEIGHTING_NAMES.get(run.weighting, run.weighting))},
        _("数据截至：%(on)s") % {"on": timezone.localtime(run.known_on).strftime("%Y-%m-%d %H:%M")},
        *t.method,
        *t.notes,
    ]
    for i, line in enumerate(lines, 1):
        put_row(ws, i, [line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
