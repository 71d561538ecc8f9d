"""The formulas against figures worked by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from luoshi.indicators.core.formulas import (
    compare_matrix,
    composite_index,
    cv_slope,
    entropy_weights,
    normalise,
    progress,
    sensitivity,
)

# Three cities, x higher-is-better, y lower-is-better.
MATRIX = pd.DataFrame({"x": [10.0, 20.0, 30.0], "y": [5.0, 1.0, 3.0]}, index=["A", "B", "C"])
DIRECTIONS = {"x": "up", "y": "down"}


@pytest.mark.parametrize(
    "latest, baseline, target, share",
    [
        (150, 100, 200, 0.5),  # half way
        (40, 50, 30, 0.5),  # lower is better: 50 → 30, now 40
        (220, 100, 200, 1.2),  # beyond the target, not clipped
        (90, 100, 200, -0.1),  # went backwards
        (100, 100, 100, None),  # target equals baseline
        (float("nan"), 100, 200, None),
    ],
)
def test_progress_against_target(latest, baseline, target, share):
    assert progress(latest, baseline, target) == (None if share is None else pytest.approx(share))


def test_min_max_turns_lower_is_better_around():
    # x: (10−10)/20=0, (20−10)/20=50%, 100%. y: up = (y−1)/4 = 1, 0, 0.5; lower is better: 0, 100, 50.
    norm = normalise(MATRIX, DIRECTIONS, "minmax")
    assert norm["x"].tolist() == [0, 50, 100]
    assert norm["y"].tolist() == [0, 100, 50]


def test_z_scores_use_the_population_deviation():
    # x: mean 20, σ = √(200/3) = 8.165; A = −10/8.165 = −1.2247.
    z = normalise(MATRIX, DIRECTIONS, "zscore")
    assert z.loc["A", "x"] == pytest.approx(-1.224745, abs=1e-6)
    assert z.loc["B", "x"] == 0
    # y: mean 3, σ = √(8/3) = 1.633; A = (5−3)/1.633 = 1.2247, negated for lower-is-better.
    assert z.loc["A", "y"] == pytest.approx(-1.224745, abs=1e-6)


def test_an_indicator_that_does_not_separate_scores_everyone_alike():
    same = pd.DataFrame({"x": [5.0, 5.0]}, index=["A", "B"])
    assert normalise(same, {}, "minmax")["x"].tolist() == [100, 100]
    assert normalise(same, {}, "zscore")["x"].tolist() == [0, 0]


def test_equal_weights():
    # A: (0+0)/2 = 0; B: (50+100)/2 = 75; C: (100+50)/2 = 75. B and C share rank 1.
    r = composite_index(MATRIX, DIRECTIONS)
    assert r.scores.tolist() == [0, 75, 75]
    assert r.ranks.tolist() == [3, 1, 1]
    assert r.notes == []


def test_given_weights_that_do_not_sum_to_one_are_normalised_and_said_so():
    # 3:1 → 0.75, 0.25. B: 0.75·50 + 0.25·100 = 62.5; C: 0.75·100 + 0.25·50 = 87.5.
    r = composite_index(MATRIX, DIRECTIONS, weighting="given", weights={"x": 3, "y": 1})
    assert r.scores.tolist() == [0, 62.5, 87.5]
    assert r.weights.to_dict() == {"x": 0.75, "y": 0.25}
    assert r.notes == ["权重之和为4，已按比例归一"]


def test_a_missing_input_is_scored_on_the_others_and_said_so():
    # y over A, C only: A 0, C 100. B has x only: 50. C: (100+100)/2.
    m = MATRIX.copy()
    m.loc["B", "y"] = float("nan")
    r = composite_index(m, DIRECTIONS)
    assert r.scores.tolist() == [0, 50, 100]
    assert r.notes == ["B缺少y，按其余指标的权重重新归一计算"]


def test_sub_indices_by_area():
    r = composite_index(MATRIX, DIRECTIONS, areas={"x": "产业", "y": "生态"})
    assert r.sub_indices["产业"].tolist() == [0, 50, 100]
    assert r.sub_indices["生态"].tolist() == [0, 100, 50]


@pytest.mark.parametrize("weights", [{"x": -1, "y": 2}, {"x": 0, "y": 0}, {"x": float("nan"), "y": 1}])
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        composite_index(MATRIX, DIRECTIONS, weighting="given", weights=weights)


def test_entropy_weights_favour_the_indicator_that_separates_entities():
    m = pd.DataFrame({"x": [1.0, 2.0, 100.0], "flat": [5.0, 5.0, 5.0]}, index=["A", "B", "C"])
    w = entropy_weights(m, {})
    assert w.sum() == pytest.approx(1)
    assert w["x"] > 0.99


def test_sensitivity_moves_each_weight_both_ways():
    r = composite_index(MATRIX, DIRECTIONS)
    table = sensitivity(MATRIX, DIRECTIONS, r)
    assert table[["indicator", "change"]].values.tolist() == [
        ["x", "+20%"],
        ["x", "−20%"],
        ["y", "+20%"],
        ["y", "−20%"],
    ]
    # x +20%: weights 0.6/0.4 (1.2/2.2 = 0.5455, 0.4545): B = 0.5455·50 + 0.4545·100 = 72.73, C = 77.27.
    row = table.iloc[0]
    assert row.max_index_change == pytest.approx(2.2727, abs=1e-4)
    assert row.rank_changes == 1  # B leaves the shared first place
    assert row.moved == [["B", 1, 2]]
    assert all(len(r.moved) == r.rank_changes for r in table.itertuples())


def test_sigma_convergence():
    # A: 10, 12, 14; B: 20, 18, 16 in 2020–2022.
    # CVs: 5/15 = 0.3333, 3/15 = 0.2, 1/15 = 0.0667; least-squares slope −0.1333.
    m = compare_matrix(np.array([[10.0, 20.0], [12.0, 18.0], [14.0, 16.0]]))
    assert m.cv.round(4).tolist() == [0.3333, 0.2, 0.0667]
    assert cv_slope(m.cv) == pytest.approx(-2 / 15)
    assert cv_slope(m.cv) < 0  # converging


def test_convergence_needs_two_periods():
    assert cv_slope(compare_matrix(np.array([[1.0, 2.0]])).cv) is None


def test_comparing_two_cities():
    # A: 100, 110, 121; B: 50, 60, 66 in 2020–2022.
    m = compare_matrix(np.array([[100.0, 50.0], [110.0, 60.0], [121.0, 66.0]]))
    assert m.growth[1].round(2).tolist() == [10.0, 20.0]
    assert [m.gap[2], m.ratio[2]] == [55, pytest.approx(121 / 66)]
    # growth: A 10%, 10%; B 20%, 10% → A constant, correlation undefined (NaN).
    assert math.isnan(m.co_movement[0, 1])


def test_the_fast_sensitivity_equals_recomputing_the_index_for_each_move():
    import numpy as np

    rng = np.random.default_rng(3)
    m = pd.DataFrame(rng.uniform(1, 100, (8, 5)), index=list("ABCDEFGH"), columns=list("vwxyz"))
    m.iloc[2, 1] = np.nan
    directions = {"w": "down"}
    r = composite_index(m, directions, weighting="given", weights={"v": 1, "w": 2, "x": 3, "y": 1, "z": 1})
    table = sensitivity(m, directions, r)
    for _, row in table.iterrows():
        w = r.weights.copy()
        w[row.indicator] *= 1.2 if row.change == "+20%" else 0.8
        moved = composite_index(m, directions, weighting="given", weights=(w / w.sum()).to_dict())
        assert row.max_index_change == pytest.approx(float((moved.scores - r.scores).abs().max()))
        assert row.rank_changes == int((moved.ranks != r.ranks).sum())
        differ = moved.ranks != r.ranks
        expected = sorted(
            ([e, int(r.ranks[e]), int(moved.ranks[e])] for e in r.ranks.index[differ]),
            key=lambda m: (m[1], list(r.ranks.index).index(m[0])),
        )
        assert row.moved == expected


def _levels(seed: int, periods: int, entities: int) -> np.ndarray:
    """Levels with the gaps and corners real tables have: missing figures, zeros, a flat city,
    a city with no figure at all and a period with one figure."""
    rng = np.random.default_rng(seed)
    levels = rng.uniform(-50, 5000, (periods, entities)).round(2)
    levels[rng.random(levels.shape) < 0.2] = np.nan
    levels[rng.random(levels.shape) < 0.05] = 0.0
    if entities > 2:
        levels[:, 1] = 42.0
        levels[:, 2] = np.nan
    if periods > 3:
        levels[3, :] = np.nan
        levels[3, 0] = 7.0
    return levels


@pytest.mark.parametrize(
    "seed, periods, entities",
    [(1, 120, 2), (2, 120, 12), (3, 5, 3), (4, 40, 7), (5, 1, 4), (6, 0, 3), (7, 3, 1)],
)
def test_the_array_comparison_is_what_pandas_computes(seed, periods, entities):
    levels = _levels(seed, periods, entities)
    frame = pd.DataFrame(levels)
    m = compare_matrix(levels)
    growth = frame.pct_change(fill_method=None) * 100
    np.testing.assert_allclose(m.growth, growth.to_numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(m.gap, (frame.max(axis=1) - frame.min(axis=1)).to_numpy(), equal_nan=True)
    ratio = frame.max(axis=1) / frame.min(axis=1).replace(0, np.nan)
    np.testing.assert_allclose(m.ratio, ratio.to_numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(m.co_movement, growth.corr().to_numpy(), rtol=1e-9, atol=1e-12, equal_nan=True)
    mean = frame.mean(axis=1)
    cv = (frame.std(axis=1, ddof=0) / mean.where(mean != 0)).where(frame.count(axis=1) >= 2)
    np.testing.assert_allclose(m.cv, cv.to_numpy(), rtol=1e-12, equal_nan=True)


def test_a_flat_city_has_no_correlation_and_a_lone_pair_of_periods_has_one():
    levels = np.array([[1.0, 5.0, 10.0], [2.0, 5.0, 30.0], [3.0, 5.0, np.nan]])
    m = compare_matrix(levels)
    # Growth: first city 100%, 50%; flat 0%, 0%; third 200% once. Only the first varies over two periods.
    assert m.co_movement[0, 0] == 1.0
    assert math.isnan(m.co_movement[0, 1]) and math.isnan(m.co_movement[1, 1])
    assert math.isnan(m.co_movement[0, 2]) and math.isnan(m.co_movement[2, 2])
    # Period 2: 2, 5 and 30 → mean 12.33, population variance (106.78 + 53.78 + 312.11) / 3 = 157.56,
    # std 12.55; CV 1.0177.
    assert round(m.cv[1], 4) == 1.0177
