"""Figures proposed from documents: the achieved quantities (``actual``) the text engine finds in a
scorecard or a news article — 都市圈日开行动车达107.5对, 完成投资约1088亿元 — turned back into
observations for staff to accept, correct or reject.

Each proposal keeps the sentence it came from and the span of the figure in the document, the
indicator it most likely measures (by the metric's words and a unit compatible with the
catalogue's, or none), and the city, pair or area the sentence names (else the one chosen for the
whole document). Nothing here is recorded: staff decide on every proposal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from luoshi.indicators.core.tables import IndicatorInfo, Names, _scale, squeeze

SENTENCE_END = re.compile(r"[。；！？!?;\n]")
MATCH_AT = 0.5  # metric/name similarity from which an indicator is suggested
MAX_TEXT = 2_000_000  # characters; a longer document is not a scorecard


@dataclass(frozen=True, slots=True)
class Proposal:
    """A figure a document reports as achieved, with where it was said and what it may measure."""

    quoted: str  # the figure as written: 107.5对, 3.8万余人次
    metric: str  # the words the figure measures, as the engine read them
    value: float  # in the document's own unit (the engine's base unit: 元, 人次…)
    unit: str
    sentence: str
    start: int  # span of the figure in the document's text
    end: int
    indicator: str | None  # suggested catalogue indicator
    entity: str | None  # the city, pair or area the sentence names
    converted: float | None  # value in the suggested indicator's unit


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``start``–``end`` (between 。；！？ or line ends)."""
    begin = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    after = SENTENCE_END.search(text, end)
    stop = after.end() if after else len(text)
    return " ".join(text[begin:stop].split())[:500]


def in_unit(value: float, factor: float) -> float:
    """``value`` × ``factor`` to 12 significant digits: 3.8万 is 3.8 万人次, not 3.8000000000000003."""
    return float(f"{value * factor:.12g}")


def _similarity(metric: str, name: str) -> float:
    a, b = squeeze(metric), squeeze(name)
    if not a or not b:
        return 0.0
    if b in a:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def suggest_indicator(
    metric: str, sentence: str, unit: str, catalogue: dict[str, IndicatorInfo]
) -> tuple[str | None, float | None]:
    """The catalogue indicator a figure most likely measures and the factor to its unit: the best
    name similarity with the metric (or the name said in the sentence) among indicators whose unit
    the figure's converts to; None when none reaches MATCH_AT."""
    best, best_score, factor = None, 0.0, None
    for name, info in catalogue.items():
        try:
            scale = _scale("", unit, info.unit)
        except ValueError:
            continue  # 倍 for an indicator in 对, 元 for one in 个
        score = max(_similarity(metric, name), 0.9 if squeeze(name) in squeeze(sentence) else 0.0)
        score += len(name) / 1e4  # on a tie the longer, more specific name: 都市圈日开行动车 over 日开行动车
        if score > best_score:
            best, best_score, factor = name, score, scale
    return (best, factor) if best_score >= MATCH_AT else (None, None)


def propose(
    text: str,
    catalogue: dict[str, IndicatorInfo],
    entities: dict[str, Iterable[str]],
    default_entity: str | None = None,
) -> list[Proposal]:
    """Every achieved quantity the text engine finds in ``text``, as a proposal. ValueError (in
    Chinese) for a text that is empty or too long."""
    from luoshi.textplan import parse_text

    if not text or not text.strip():
        raise ValueError("文档没有文字")
    if len(text) > MAX_TEXT:
        raise ValueError(f"文档过长（超过{MAX_TEXT}字）")
    plan = parse_text(text)
    places = Names(entities)
    names = sorted(
        {n for canonical, others in entities.items() for n in (canonical, *others)}, key=len, reverse=True
    )
    out: list[Proposal] = []
    seen: set[tuple[int, int]] = set()
    for item in plan.walk():
        for target in item.targets:
            if target.kind != "actual" or target.value is None or target.span is None:
                continue
            start, end = target.span.start, target.span.end
            if (start, end) in seen:
                continue
            seen.add((start, end))
            sentence = sentence_at(text, start, end)
            indicator, factor = suggest_indicator(target.metric, sentence, target.unit, catalogue)
            said = next((places.find(n) for n in names if n and n in sentence), None)
            out.append(
                Proposal(
                    quoted=text[start:end],
                    metric=target.metric[:200],
                    value=float(target.value),
                    unit=target.unit,
                    sentence=sentence,
                    start=start,
                    end=end,
                    indicator=indicator,
                    entity=said or default_entity,
                    converted=None if factor is None else in_unit(float(target.value), factor),
                )
            )
    return sorted(out, key=lambda p: p.start)
