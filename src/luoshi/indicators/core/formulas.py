"""The arithmetic of indicators, with numpy and pandas: progress against a target, comparing
cities, σ-convergence and a composite integration index with its method in the open.

Every function takes plain frames and numbers and returns plain frames and numbers, so the same
code serves the pages, the stored index runs (which keep their inputs and can be recomputed) and
the benchmarks. Figures worked by hand are in tests/indicators/test_formulas.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

METHODS = ("minmax", "zscore")
WEIGHTINGS = ("given", "equal", "entropy")


def progress(latest: float, baseline: float, target: float) -> float | None:
    """Share of the way from baseline to target: (latest − baseline) / (target − baseline).
    Works for targets below the baseline (a lower-is-better indicator) too; None when the target
    equals the baseline, where no share can be said. Not clipped: 1.2 is 20% beyond the target."""
    if any(v is None or not math.isfinite(v) for v in (latest, baseline, target)) or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


@dataclass(frozen=True, slots=True)
class Compared:
    """Two or more cities' levels over time and how they relate: ``compare_matrix`` of a periods ×
    entities array of levels (NaN: no figure). A falling coefficient of variation is σ-convergence:
    cities growing alike."""

    growth: np.ndarray  # periods × entities, percent on the row above
    gap: np.ndarray  # per period: highest minus lowest
    ratio: np.ndarray  # per period: highest over lowest (NaN when the lowest is 0)
    co_movement: np.ndarray  # entities × entities: correlation of growth over the common periods
    cv: np.ndarray  # per period: population std over mean; NaN with fewer than two figures or mean 0


def compare_matrix(levels: np.ndarray) -> Compared:
    """The comparison's arithmetic on a plain array, as pandas' ``pct_change``, ``max``/``min``,
    pairwise-complete ``corr`` and ``std(ddof=0)`` define it: a page compares a few cities over
    a hundred periods, where a frame's fixed cost per operation outweighed the figures."""
    levels = np.asarray(levels, dtype=float)
    present = ~np.isnan(levels)
    counts = present.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.full(levels.shape, np.nan)
        growth[1:] = (levels[1:] / levels[:-1] - 1) * 100
        # fmax/fmin skip NaN and give NaN for a row without figures, without a warning.
        high = np.fmax.reduce(levels, axis=1) if levels.shape[1] else np.full(len(levels), np.nan)
        low = np.fmin.reduce(levels, axis=1) if levels.shape[1] else np.full(len(levels), np.nan)
        ratio = high / np.where(low == 0, np.nan, low)
        filled = np.where(present, levels, 0.0)
        mean = filled.sum(axis=1) / counts
        deviation = np.where(present, levels - mean[:, None], 0.0)
        std = np.sqrt((deviation * deviation).sum(axis=1) / counts)
        cv = np.where((counts >= 2) & (mean != 0), std / mean, np.nan)
    return Compared(growth, high - low, ratio, _pairwise_correlation(growth), cv)


def _pairwise_correlation(values: np.ndarray) -> np.ndarray:
    """Pearson correlation of each pair of columns over the rows where both are finite (pandas'
    ``corr``): NaN where fewer than two such rows or a column does not vary over them."""
    finite = np.isfinite(values)
    n = values.shape[1]
    out = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(i, n):
            both = finite[:, i] & finite[:, j]
            if both.sum() < 2:
                continue
            x, y = values[both, i], values[both, j]
            dx, dy = x - x.mean(), y - y.mean()
            divisor = math.sqrt(float(dx @ dx) * float(dy @ dy))
            if divisor:
                out[i, j] = out[j, i] = float(dx @ dy) / divisor
    return out


def cv_slope(cv: np.ndarray) -> float | None:
    """The least-squares slope of the coefficients of variation over the periods in order (the
    periods without one left out); None with fewer than two."""
    return float(np.polyfit(np.arange(len(cv)), cv, 1)[0]) if len(cv) >= 2 else None


# --- the composite index ----------------------------------------------------------------------


@dataclass(slots=True)
class IndexResult:
    """A computed index: the score and rank of each entity, sub-indices by area, the weights
    used, and notes on what was adjusted (weights normalised, missing inputs)."""

    scores: pd.Series  # entity → index, 0–100 for min–max
    ranks: pd.Series  # entity → 1 = best
    sub_indices: pd.DataFrame  # entity × area
    weights: pd.Series  # indicator → weight used (sums to 1)
    normalised: pd.DataFrame  # entity × indicator, after normalisation and direction
    notes: list[str] = field(default_factory=list)


def normalise(matrix: pd.DataFrame, directions: dict[str, str], method: str = "minmax") -> pd.DataFrame:
    """Each indicator (column) made comparable across entities (rows), higher always better:
    min–max to 0–100, or z-scores. An indicator whose values are all equal scores 100 (min–max)
    or 0 (z-score) for every entity: it does not separate them."""
    if method not in METHODS:
        raise ValueError(f"未知标准化方法「{method}」")
    signs = pd.Series({c: -1.0 if directions.get(c) == "down" else 1.0 for c in matrix.columns})
    if method == "minmax":
        lo, hi = matrix.min(), matrix.max()
        span = (hi - lo).replace(0, np.nan)
        up = (matrix - lo) / span
        keep = (signs > 0).astype(float)  # 1 for higher-is-better columns, 0 to turn a column around
        scaled = (up * keep + (1 - up) * (1 - keep)) * 100
        return scaled.fillna(
            pd.DataFrame(100.0, index=matrix.index, columns=matrix.columns).where(matrix.notna())
        )
    std = matrix.std(ddof=0).replace(0, np.nan)
    z = (matrix - matrix.mean()) / std * signs
    return z.fillna(pd.DataFrame(0.0, index=matrix.index, columns=matrix.columns).where(matrix.notna()))


def entropy_weights(matrix: pd.DataFrame, directions: dict[str, str]) -> pd.Series:
    """The entropy method: indicators that separate the entities more get more weight.
    p = x / Σx on min–max scores (shifted so none is zero), e = −Σ p ln p / ln n, w ∝ 1 − e."""
    scores = normalise(matrix, directions, "minmax") / 100 + 1e-9
    n = len(scores)
    if n < 2:
        return pd.Series(1 / len(matrix.columns), index=matrix.columns)
    p = scores / scores.sum()
    e = -(p * np.log(p)).sum() / math.log(n)
    d = (1 - e).clip(lower=0)
    if d.sum() == 0:
        return pd.Series(1 / len(d), index=d.index)
    return d / d.sum()


def _weights(matrix, directions, weighting, given, notes) -> pd.Series:
    columns = list(matrix.columns)
    if weighting == "equal" or (weighting == "given" and not given):
        return pd.Series(1 / len(columns), index=columns)
    if weighting == "entropy":
        return entropy_weights(matrix, directions)
    if weighting != "given":
        raise ValueError(f"未知赋权方法「{weighting}」")
    w = pd.Series({c: float(given.get(c, 0.0)) for c in columns})
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("权重不能为负数或非数值")
    total = w.sum()
    if total <= 0:
        raise ValueError("权重之和必须大于0")
    if abs(total - 1) > 1e-9:
        notes.append(f"权重之和为{total:g}，已按比例归一")
    return w / total


def composite_index(
    matrix: pd.DataFrame,
    directions: dict[str, str],
    areas: dict[str, str] | None = None,
    weighting: str = "equal",
    weights: dict[str, float] | None = None,
    method: str = "minmax",
) -> IndexResult:
    """The integration index of the entities (rows of ``matrix``) over the indicators (columns).

    1. Each indicator is normalised (``normalise``), higher better.
    2. Weights: equal, given by staff (normalised when they do not sum to one, and said so), or
       entropy weights.
    3. An entity missing an indicator is scored on the others, their weights scaled up to sum to
       one for it; each such case is noted.
    4. The index is the weighted sum; sub-indices the same within each area.
    """
    notes: list[str] = []
    matrix = matrix.astype(float)
    empty = [c for c in matrix.columns if matrix[c].isna().all()]
    if empty:
        notes.append(f"以下指标没有任何数据，未参与计算：{'、'.join(map(str, empty))}")
        matrix = matrix.drop(columns=empty)
    if matrix.empty or not len(matrix.columns):
        raise ValueError("没有可计算的指标数据")
    w = _weights(matrix, directions, weighting, weights or {}, notes)
    norm = normalise(matrix, directions, method)
    for entity, row in matrix.iterrows():
        missing = [c for c in matrix.columns if pd.isna(row[c])]
        if missing:
            notes.append(f"{entity}缺少{'、'.join(map(str, missing))}，按其余指标的权重重新归一计算")

    def weighted(columns: list[str]) -> pd.Series:
        sub_w = w[columns]
        present = norm[columns].notna()
        mass = present.mul(sub_w, axis=1).sum(axis=1)
        total = norm[columns].mul(sub_w, axis=1).sum(axis=1, min_count=1)
        return total / mass.replace(0, np.nan)

    scores = weighted(list(matrix.columns))
    area_of = areas or {}
    groups: dict[str, list[str]] = {}
    for c in matrix.columns:
        groups.setdefault(area_of.get(c, "其他"), []).append(c)
    sub = pd.DataFrame({a: weighted(cols) for a, cols in sorted(groups.items())})
    ranks = scores.rank(ascending=False, method="min").astype("Int64")
    return IndexResult(scores, ranks, sub, w, norm, notes)


def sensitivity(
    matrix: pd.DataFrame,
    directions: dict[str, str],
    result: IndexResult,
    method: str = "minmax",
    step: float = 0.2,
) -> pd.DataFrame:
    """How the index moves when each weight moves by ±``step`` (the others rescaled so the weights
    still sum to one): per indicator and direction, the largest change of any entity's index, how
    many entities change rank and which (``moved``: [entity, rank before, rank after], by rank
    before, then as the matrix orders them).

    All moves at once, without recomputing the index 2 × n times: an entity's index is
    A / B with A = Σ wᵢ·xᵢ and B = Σ wᵢ over the indicators it has (rescaling all weights cancels),
    so moving weight j by a factor (1 + s) gives (A + s·wⱼ·xⱼ) / (B + s·wⱼ·[xⱼ present])."""
    norm = result.normalised[result.weights.index]
    w = result.weights.to_numpy()
    x = norm.to_numpy()
    present = ~np.isnan(x)
    x0 = np.where(present, x, 0.0)
    a = x0 @ w  # entity
    b = present.astype(float) @ w
    base = result.scores.to_numpy(dtype=float)
    base_ranks = result.ranks.to_numpy(dtype=float)
    rows = []
    for sign in (+1, -1):
        s = sign * step
        with np.errstate(invalid="ignore", divide="ignore"):
            moved = (a[:, None] + s * x0 * w) / (b[:, None] + s * present * w)  # entity × indicator
        moved = np.where((b[:, None] + s * present * w) > 0, moved, np.nan)
        ranks = pd.DataFrame(moved).rank(ascending=False, method="min").to_numpy()
        change = np.nanmax(np.abs(moved - base[:, None]), axis=0, initial=0.0)
        flipped = (ranks != base_ranks[:, None]) & ~(np.isnan(ranks) & np.isnan(base_ranks[:, None]))
        flips = flipped.sum(axis=0)
        for j, indicator in enumerate(result.weights.index):
            # An entity with no index (every input missing) has no rank before or after: never moved.
            moved_rows = sorted(
                (
                    (int(base_ranks[e]), e, [str(norm.index[e]), int(base_ranks[e]), int(ranks[e, j])])
                    for e in np.flatnonzero(flipped[:, j])
                ),
            )
            rows.append(
                {
                    "indicator": indicator,
                    "change": f"{'+' if sign > 0 else '−'}{step:.0%}",
                    "max_index_change": float(change[j]),
                    "rank_changes": int(flips[j]),
                    "moved": [m for _rank, _e, m in moved_rows],
                }
            )
    order = {name: i for i, name in enumerate(result.weights.index)}
    rows.sort(key=lambda r: (order[r["indicator"]], r["change"] != f"+{step:.0%}"))
    return pd.DataFrame(rows)
