"""How a target and a reported figure read on the pages and in the exports: 组织至少1次, 新增停车位≥6000个.

The text engine keeps a target's comparator apart from its metric (the words before the number),
and the metric often says the comparator already (至少, 不少于, 超过, 约): then the symbol is left
out, so a target never reads 「至少 >=1次」. Figures are written as a plan writes them (12, not 12.0;
12亿 for 1,200,000,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from luoshi.textplan.export import format_number

SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约"}
# Words that end a metric and already say how the figure compares.
COMPARATOR_WORDS = (
    "至少",
    "不少于",
    "不低于",
    "不小于",
    "超过",
    "多于",
    "高于",
    "大于",
    "逾",
    "不超过",
    "不高于",
    "不大于",
    "至多",
    "最多",
    "低于",
    "少于",
    "小于",
    "不足",
    "约",
    "近",
    "接近",
    "大约",
)
T = TypeVar("T")


def figure_text(value: float | None, unit: str = "") -> str:
    """A figure with its unit: 12条, 3.8万人次, 12亿元; an empty string without a figure."""
    return "" if value is None else format_number(value) + unit


def target_text(
    metric: str,
    comparator: str,
    value: float | None,
    unit: str,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """One target as a sentence would say it: 各单位组织至少1次, 新增停车位≥6000个, 完成投资约12亿元."""
    metric = metric.strip()
    said = metric.endswith(COMPARATOR_WORDS)
    if low is not None and high is not None:
        amount = f"{format_number(low)}—{format_number(high)}{unit}"
    elif low is not None or high is not None:
        bound, symbol = (low, ">=") if low is not None else (high, "<=")
        amount = ("" if said else SYMBOLS[symbol]) + figure_text(bound, unit)
    elif value is None:
        return f"{metric}{unit}".strip()
    else:
        amount = ("" if said else SYMBOLS.get(comparator, "")) + figure_text(value, unit)
    # Two figures side by side would read as one number (…第3批 5个): keep them apart.
    gap = " " if metric[-1:].isdigit() and amount[:1].isdigit() else ""
    return f"{metric}{gap}{amount}"


def by_source(targets: Sequence[T]) -> list[tuple[list[T], str]]:
    """Targets in runs that share the clause they were read from, each run with that clause:
    five figures of one sentence are listed together and the sentence is shown once."""
    runs: list[tuple[list[T], str]] = []
    for t in targets:
        source = getattr(t, "text", "") or ""
        if runs and runs[-1][1] == source:
            runs[-1][0].append(t)
        else:
            runs.append(([t], source))
    return runs
