"""Plan targets and the indicators that measure them: 新增停车位6000个 is measured by 停车位数量,
跨市公交达到12条 by 跨市公交线路, 地区生产总值增长8% by 地区生产总值增速 (a percentage, so not by
地区生产总值 in 亿元).

``suggest`` ranks catalogue indicators for a target by the words of its metric and its text (the
name's character pairs found in them) among the indicators whose unit the target's converts to.
``target_progress`` is how far the latest figure has come from the baseline towards the goal.
No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.indicators.core import formulas
from luoshi.indicators.core.tables import IndicatorInfo, _scale, squeeze

SUGGEST_AT = 0.5  # the score from which an indicator is suggested
# Words of a target phrase that say how, when or how much, not what is measured.
_NOISE = re.compile(
    r"力争|确保|努力|全年|年内|今年|当年|到\d{4}年(底|末)?|\d{4}年(底|末)?|年底前|以上|以下|左右|不少于|不低于|"
    r"不超过|至少|累计|达到|达|增至|提高到|提升到|突破|超过|完成|实现|推进|实施|开展|组织|打造|推出|"
    r"新改扩建|新增|新建|新开通|开通|运营|打通|建成|建设|改造|提升|引进|引聚|安排|[0-9.]+[万亿千百]*[个条对家所名人项座处场次]?|[，,、。；;：:“”\"'（）()《》\s]"
)
# Spellings of the same thing, read as one.
_SYNONYMS = (("泊位", "车位"), ("城际公交", "跨市公交"), ("市际公交", "跨市公交"), ("跨城公交", "跨市公交"))


@dataclass(frozen=True, slots=True)
class Suggestion:
    indicator: str
    score: float
    factor: float  # multiply the indicator's figures by this to get the target's unit


def _words(text: str) -> str:
    text = squeeze(text)
    for a, b in _SYNONYMS:
        text = text.replace(a, b)
    return _NOISE.sub("", text)


_COUNTED = re.compile(r"(数量|总数|个数|数)$")  # 停车位数量 measures 停车位


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} - {""}


def _score(name: str, metric: str, text: str) -> float:
    """How well an indicator's name fits a target: the share of the name's character pairs found
    in the target's metric or text (a whole name inside counts fully), a little less when the
    metric says much more than the name (企业 for 国家级专精特新小巨人企业)."""
    want = _COUNTED.sub("", _words(name)) or _words(name)
    if not want:
        return 0.0
    best = 0.0
    for candidate in (_words(metric), _words(text)):
        if not candidate:
            continue
        have, need = _pairs(candidate), _pairs(want)
        recall = 1.0 if want in candidate else len(have & need) / len(need)
        precision = len(have & need) / len(have) if have else 0.0
        best = max(best, 0.8 * recall + 0.2 * precision)
    return best


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """What a figure in ``from_unit`` is multiplied by to be in ``to_unit``; None when they
    contradict (亿元 and 个). An empty unit fits any."""
    try:
        return _scale("", from_unit, to_unit)
    except ValueError:
        return None


def suggest(
    metric: str, unit: str, text: str, catalogue: dict[str, IndicatorInfo], limit: int = 3
) -> list[Suggestion]:
    """The indicators that most likely measure a target, best first (at most ``limit``), among
    those whose unit converts to the target's; none when nothing reaches SUGGEST_AT."""
    out = []
    for name, info in catalogue.items():
        factor = unit_factor(info.unit, unit)
        if factor is None:
            continue
        score = _score(name, metric or "", text or "")
        if squeeze(info.unit) == squeeze(unit) and unit:
            score += 0.02  # the same unit as written: a tie goes to it
        if score >= SUGGEST_AT:
            out.append(Suggestion(name, round(score, 4), factor))
    # On a tie the longer, more specific name.
    out.sort(key=lambda s: (-s.score, -len(s.indicator), s.indicator))
    return out[:limit]


@dataclass(frozen=True, slots=True)
class TargetProgress:
    latest: float
    baseline: float
    goal: float
    share: float | None  # (latest − baseline) / (goal − baseline); 1.0 is done, not clipped


def target_progress(latest: float, goal: float, baseline: float | None) -> TargetProgress:
    """Progress of a target of ``goal`` with the latest figure ``latest`` (both in the target's
    unit), from the target's baseline, else from zero — as the lights measure a reported value, so
    a figure reads the same whether a unit reported it or a statistics table brought it."""
    base = 0.0 if baseline is None else baseline
    return TargetProgress(latest, base, goal, formulas.progress(latest, base, goal))
