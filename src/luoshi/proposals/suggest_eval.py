"""No Django. How well the unit suggestion does on real, published assignments.

The fixture (``tests/proposals/data/assignments.csv``, sources in ``SOURCES.md`` beside it) holds
proposals and suggestions of many cities with the unit that led each. Cities name their units
differently (银川市交通运输局, 赤水市交通局), so a row's answer is the unit's kind of department
(`suggest.kind_of`: 交通运输, 教育…), and the candidates are every kind the remit table knows; a
row led by a kind the table does not know (a 林业局, a 街道) counts as missed by every method.

Three protocols, each predicting held-back rows from the others only: leave-one-out over every
row; a fixed split that holds back every fifth row (20%); and "fresh", the rows collected after
the model, the remit table and the remit weight were settled (from ``FRESH_FROM`` on) predicted
from the rows before. The baseline is the kind of unit that led the most training rows (the
fixture has no categories, so "most often assigned in that category" is "most often assigned").

The remit weight is tuned by `tune_remit_weight`: leave-one-out over the training part only,
never over the rows it is then scored on.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from luoshi.proposals.suggest import Past, Suggester, _rules, document, kind_of, most_frequent, words


@dataclass(frozen=True, slots=True)
class Score:
    """Top-1 and top-3 accuracy of one method over ``n`` held-back rows."""

    name: str
    top1: float
    top3: float
    n: int

    def line(self) -> str:
        return f"{self.name:<34} top-1 {self.top1:6.1%}  top-3 {self.top3:6.1%}  (n={self.n})"


def load(path: Path) -> list[Past]:
    """The fixture's rows as past proposals whose unit is the lead unit's kind."""
    with path.open(encoding="utf-8", newline="") as f:
        return [Past(r["title"], kind_of(r["lead"]), r["number"]) for r in csv.DictReader(f)]


def kinds() -> list[str]:
    """Every kind of department in the remit table: the candidates."""
    return [e["key"] for e in _rules()["remits"]]


# The rows from this one on were collected after the model, the remit table and the remit weight
# were settled: no choice was made looking at them.
FRESH_FROM = 64

METHODS = {
    "similar + remit": {},
    "similar proposals only": {"remit_weight": 0.0},
    "remit only": {"k": 0},
}

# The remit weight before it was tuned, scored beside the tuned one.
FIRST_GUESS = 0.5

# The remit weights tried when tuning (0: similar proposals alone).
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)


def _folds(rows: Sequence[Past], protocol: str) -> list[tuple[list[Past], list[Past]]]:
    if protocol == "leave-one-out":
        return [([r for j, r in enumerate(rows) if j != i], [rows[i]]) for i in range(len(rows))]
    if protocol == "fresh":
        return [(list(rows[:FRESH_FROM]), list(rows[FRESH_FROM:]))]
    if protocol == "holdout":
        return [(training(rows), held_out(rows))]
    raise ValueError(f"unknown protocol {protocol!r}: leave-one-out, holdout or fresh")


def training(rows: Sequence[Past]) -> list[Past]:
    """The fixed 80% the holdout protocol learns from (every row but each fifth)."""
    return [r for i, r in enumerate(rows) if i % 5 != 4]


def held_out(rows: Sequence[Past]) -> list[Past]:
    """The fixed 20% the holdout protocol scores (each fifth row)."""
    return [r for i, r in enumerate(rows) if i % 5 == 4]


class _Segmented:
    """Each title segmented once: the folds refit on the same rows hundreds of times."""

    def __init__(self) -> None:
        self._words: dict[Past, list[str]] = {}

    def __call__(self, rows: Sequence[Past]) -> list[list[str]]:
        for r in rows:
            if r not in self._words:
                self._words[r] = words(document(r.title, r.text))
        return [self._words[r] for r in rows]


def evaluate(
    rows: Sequence[Past], protocol: str = "leave-one-out", methods: dict[str, dict] | None = None
) -> list[Score]:
    """Each method's and the baseline's accuracy under ``protocol`` (leave-one-out, holdout, fresh)."""
    methods = METHODS if methods is None else methods
    candidates = kinds()
    segmented = _Segmented()
    hits = {name: [0, 0] for name in [*methods, "baseline"]}
    n = 0
    for train, test in _folds(rows, protocol):
        seg = segmented(train)
        models = {name: Suggester(train, candidates, segmented=seg, **kw) for name, kw in methods.items()}
        base = most_frequent(train)
        for row in test:
            n += 1
            ranked = {name: [s.unit for s in m.suggest(row.title, row.text)] for name, m in models.items()}
            ranked["baseline"] = base
            for name, units in ranked.items():
                hits[name][0] += units[:1] == [row.unit]
                hits[name][1] += row.unit in units[:3]
    return [Score(name, h[0] / n, h[1] / n, n) for name, h in hits.items()] if n else []


def weight_curve(rows: Sequence[Past], weights: Sequence[float] = WEIGHTS) -> list[tuple[float, Score]]:
    """Leave-one-out accuracy over ``rows`` of the model with each remit weight (one fit per fold:
    the weight only changes how a fitted model scores)."""
    candidates = kinds()
    segmented = _Segmented()
    hits = {w: [0, 0] for w in weights}
    for train, test in _folds(rows, "leave-one-out"):
        model = Suggester(train, candidates, segmented=segmented(train))
        for w in weights:
            model.remit_weight = w
            units = [s.unit for s in model.suggest(test[0].title, test[0].text)]
            hits[w][0] += units[:1] == [test[0].unit]
            hits[w][1] += test[0].unit in units[:3]
    n = len(rows)
    return [(w, Score(f"remit weight {w:g}", h[0] / n, h[1] / n, n)) for w, h in hits.items()] if n else []


def tune_remit_weight(rows: Sequence[Past], weights: Sequence[float] = WEIGHTS) -> float:
    """The remit weight with the best leave-one-out accuracy over ``rows`` (top-1 and top-3
    averaged; on a tie the smaller weight). Pass the training part only."""
    curve = weight_curve(rows, weights)
    return max(curve, key=lambda ws: ((ws[1].top1 + ws[1].top3) / 2, -ws[0]))[0] if curve else 0.0


def tuned(
    rows: Sequence[Past], protocol: str, weights: Sequence[float] = WEIGHTS
) -> tuple[float, list[Score]]:
    """For the holdout and fresh protocols: the remit weight tuned on the training part alone, and
    every method's accuracy on the held-back part with it (the untuned first guess beside it)."""
    ((train, _),) = _folds(rows, protocol)
    w = tune_remit_weight(train, weights)
    methods = {
        f"similar + remit (w={FIRST_GUESS:g}, untuned)": {"remit_weight": FIRST_GUESS},
        f"similar + remit (w={w:g}, tuned)": {"remit_weight": w},
        "similar proposals only": {"remit_weight": 0.0},
        "remit only": {"k": 0},
    }
    return w, evaluate(rows, protocol, methods)
