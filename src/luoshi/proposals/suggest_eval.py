"""No Django. How well the unit suggestion does on real, published assignments.

The fixture (``tests/proposals/data/assignments.csv``, sources in ``SOURCES.md`` beside it) holds
proposals and suggestions of many cities with the unit that led each. Cities name their units
differently (银川市交通运输局, 赤水市交通局), so a row's answer is the unit's kind of department
(`suggest.kind_of`: 交通运输, 教育…), and the candidates are every kind the remit table knows.

Three protocols, each predicting held-back rows from the others only: leave-one-out over every
row; a fixed split that holds back every fifth row (20%); and "fresh", the rows collected after
the model and the remit table were written (from ``FRESH_FROM`` on) predicted from the rows before.
The baseline is the kind of unit that led the most training rows (the fixture has no categories,
so "most often assigned in that category" is "most often assigned").
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from luoshi.proposals.suggest import Past, Suggester, _rules, kind_of, most_frequent


@dataclass(frozen=True, slots=True)
class Score:
    """Top-1 and top-3 accuracy of one method over ``n`` held-back rows."""

    name: str
    top1: float
    top3: float
    n: int

    def line(self) -> str:
        return f"{self.name:<22} top-1 {self.top1:6.1%}  top-3 {self.top3:6.1%}  (n={self.n})"


def load(path: Path) -> list[Past]:
    """The fixture's rows as past proposals whose unit is the lead unit's kind."""
    with path.open(encoding="utf-8", newline="") as f:
        return [Past(r["title"], kind_of(r["lead"]), r["number"]) for r in csv.DictReader(f)]


def kinds() -> list[str]:
    """Every kind of department in the remit table: the candidates."""
    return [e["key"] for e in _rules()["remits"]]


# The rows from this one on were collected after the model and the remit table were fixed.
FRESH_FROM = 57

METHODS = {
    "similar + remit": {},
    "similar proposals only": {"remit_weight": 0.0},
    "remit only": {"k": 0},
}


def _folds(rows: Sequence[Past], protocol: str) -> list[tuple[list[Past], list[Past]]]:
    if protocol == "leave-one-out":
        return [([r for j, r in enumerate(rows) if j != i], [rows[i]]) for i in range(len(rows))]
    if protocol == "fresh":
        return [(list(rows[:FRESH_FROM]), list(rows[FRESH_FROM:]))]
    held = [r for i, r in enumerate(rows) if i % 5 == 4]
    return [([r for i, r in enumerate(rows) if i % 5 != 4], held)]


def evaluate(
    rows: Sequence[Past], protocol: str = "leave-one-out", methods: dict[str, dict] | None = None
) -> list[Score]:
    """Each method's and the baseline's accuracy under ``protocol`` (leave-one-out, holdout, fresh)."""
    methods = METHODS if methods is None else methods
    candidates = kinds()
    hits = {name: [0, 0] for name in [*methods, "baseline"]}
    n = 0
    for train, test in _folds(rows, protocol):
        models = {name: Suggester(train, candidates, **kw) for name, kw in methods.items()}
        base = most_frequent(train)
        for row in test:
            n += 1
            ranked = {name: [s.unit for s in m.suggest(row.title, row.text)] for name, m in models.items()}
            ranked["baseline"] = base
            for name, units in ranked.items():
                hits[name][0] += units[:1] == [row.unit]
                hits[name][1] += row.unit in units[:3]
    return [Score(name, h[0] / n, h[1] / n, n) for name, h in hits.items()] if n else []
