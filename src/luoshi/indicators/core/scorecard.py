"""The scorecard (成绩单) of an area or a city for a period, in the shape of the published ones
(成德眉资「七个关键词」): a keyword per area of work, a headline under it, a paragraph of achieved
figures, each with its change on the year and share of target, and the table behind them.

Framework-free: ``build`` takes the catalogue and the figures as plain values and returns a
``Scorecard``; ``blocks`` turns it into the headings, paragraphs and tables the bulletin renderers
write as Word and PDF. The wording (title, introduction, keyword, headline and paragraph of each
area) is generated once and then belongs to staff, who may rewrite it before publishing; the
figures always come from the data.

Which figure of a period: the scorecard of 2024 shows, for a monthly indicator, its latest month
in 2024 that has a figure (2024-11 when December is not in yet), and compares it with the same
month a year earlier; a yearly indicator is shown only on a yearly scorecard (a year figure is
not a figure of one of its quarters).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from luoshi.bulletins.wording import Block, Heading, Para, Table
from luoshi.supervision.periods import (
    MONTHS_IN,
    Period,
    chinese_date,
    parse_period,
    period_of,
    periods_between,
)

FREQUENCY_KINDS = {"month": "month", "quarter": "quarter", "year": "year"}
MAX_TEXT = 2000  # characters of one paragraph of wording staff may write
MAX_SHORT = 200  # characters of a title, keyword or headline
TABLE_HEADER = ("指标", "期别", "数值", "上年同期", "同比", "目标", "完成目标")
TABLE_WIDTHS = (30, 14, 14, 14, 14, 14, 12)
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """What the scorecard needs of a catalogue indicator."""

    id: int
    name: str
    unit: str
    direction: str  # up / down
    area: str
    frequency: str  # month / quarter / year


@dataclass(frozen=True, slots=True)
class Line:
    """One indicator's figure on the scorecard, with the figure a year earlier and the target."""

    indicator_id: int
    name: str
    unit: str
    direction: str
    period: str  # the period the figure is of (2024-11 on the 2024 scorecard)
    value: float
    observation_id: int | None = None
    previous: float | None = None  # the same period a year earlier
    target: float | None = None

    @property
    def change(self) -> float | None:
        """Change on the year in the indicator's unit."""
        return None if self.previous is None else self.value - self.previous

    @property
    def growth(self) -> float | None:
        """Change on the year in percent of the earlier figure; None when there is none or it is 0."""
        if self.previous is None or self.previous == 0:
            return None
        return (self.value - self.previous) / abs(self.previous) * 100

    @property
    def share(self) -> float | None:
        """Share of the target in percent: value/target, or target/value for an indicator where
        lower is better (PM2.5 at 38 against a target of 35 is 92%); None without a target."""
        if self.target is None or self.target == 0:
            return None
        if self.direction == "down":
            return None if self.value <= 0 else self.target / self.value * 100
        return self.value / self.target * 100


@dataclass(slots=True)
class Section:
    """One keyword: an area of work, its headline and paragraph (staff's words) and its figures."""

    area: str
    keyword: str
    headline: str
    text: str
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Scorecard:
    """A scorecard for ``entity`` and ``period``, dated ``on``."""

    title: str
    issuer: str
    entity: str
    period: str
    on: date
    intro: str
    sections: list[Section] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label

    def lines(self) -> Iterable[Line]:
        for s in self.sections:
            yield from s.lines

    def to_json(self) -> dict:
        """Plain values (the date as ISO text) for a JSON field; ``from_json`` reads them back."""
        out = asdict(self)
        out["on"] = self.on.isoformat()
        return out

    @classmethod
    def from_json(cls, data: Mapping) -> Scorecard:
        sections = [
            Section(
                area=s["area"],
                keyword=s["keyword"],
                headline=s["headline"],
                text=s["text"],
                lines=[Line(**line) for line in s["lines"]],
            )
            for s in data["sections"]
        ]
        return cls(
            title=data["title"],
            issuer=data["issuer"],
            entity=data["entity"],
            period=data["period"],
            on=date.fromisoformat(data["on"]),
            intro=data["intro"],
            sections=sections,
        )


# --- which periods --------------------------------------------------------------------------


def periods_within(period: Period, frequency: str) -> list[Period]:
    """The periods of an indicator of ``frequency`` that lie within ``period``, latest first;
    none when the indicator's periods are longer (a yearly indicator on a quarterly scorecard)."""
    kind = FREQUENCY_KINDS.get(frequency)
    if kind is None or MONTHS_IN[kind] > MONTHS_IN[period.kind]:
        return []
    if kind == period.kind:
        return [period]
    first = _period_at(period.year, period.first_month, kind)
    last = _period_at(period.year, period.last_month, kind)
    return list(reversed(periods_between(first, last)))


def _period_at(year: int, month: int, kind: str) -> Period:
    return period_of(date(year, month, 1), kind)


def year_before(period: str) -> str:
    """The same period a year earlier: 2024-03 → 2023-03, 2024-Q1 → 2023-Q1, 2024 → 2023."""
    return parse_period(period).shifted(-_per_year(parse_period(period).kind)).code


def _per_year(kind: str) -> int:
    return 12 // MONTHS_IN[kind]


# --- building -------------------------------------------------------------------------------


def build(
    title: str,
    entity: str,
    period: str,
    on: date,
    indicators: Iterable[IndicatorRow],
    figures: Mapping[tuple[int, str], tuple[float, int | None]],
    targets: Mapping[int, float] | None = None,
    issuer: str = "",
    areas: Iterable[str] | None = None,
) -> Scorecard:
    """The scorecard of ``entity`` for ``period`` from ``figures`` ((indicator id, period code) →
    (value, observation id)), with the wording generated. Areas come in the order of ``areas``
    (others after them, by name); within an area, indicators in the catalogue's order. An
    indicator with no figure in the period is left out; an area with no figure too.
    ValueError (in Chinese) for a malformed period."""
    p = parse_period(period)
    targets = targets or {}
    by_area: dict[str, list[Line]] = {}
    for ind in indicators:
        for candidate in periods_within(p, ind.frequency):
            found = figures.get((ind.id, candidate.code))
            if found is None:
                continue
            before = figures.get((ind.id, year_before(candidate.code)))
            by_area.setdefault(ind.area, []).append(
                Line(
                    indicator_id=ind.id,
                    name=ind.name,
                    unit=ind.unit,
                    direction=ind.direction,
                    period=candidate.code,
                    value=found[0],
                    observation_id=found[1],
                    previous=None if before is None else before[0],
                    target=targets.get(ind.id),
                )
            )
            break
    order = list(dict.fromkeys(areas or ()))
    order += sorted(a for a in by_area if a not in order)
    sections = [
        Section(
            area=a,
            keyword=a,
            headline=default_headline(by_area[a]),
            text=default_text(by_area[a], p.code),
            lines=by_area[a],
        )
        for a in order
        if a in by_area
    ]
    return Scorecard(
        title=title,
        issuer=issuer,
        entity=entity,
        period=p.code,
        on=on,
        intro=default_intro(entity, p, len(sections)),
        sections=sections,
    )


def reword(section: Section, lines: list[Line], period: str) -> Section:
    """``section`` with new ``lines``: the headline and paragraph follow the figures while they
    are still the generated ones, and stay as staff wrote them once changed."""
    headline, text = section.headline, section.text
    if section.lines and headline == default_headline(section.lines):
        headline = default_headline(lines)
    if section.lines and text == default_text(section.lines, period):
        text = default_text(lines, period)
    return Section(section.area, section.keyword, headline, text, lines)


def refresh(old: Scorecard, new: Scorecard) -> Scorecard:
    """``new`` figures with ``old`` wording: each area keeps the keyword, headline and paragraph
    staff wrote (generated ones are generated again), each indicator its target; the title and
    introduction stay. New areas get the generated wording."""
    kept = {s.area: s for s in old.sections}
    targets = {line.indicator_id: line.target for line in old.lines() if line.target is not None}
    sections = []
    for s in new.sections:
        lines = [replace(line, target=targets.get(line.indicator_id, line.target)) for line in s.lines]
        was = kept.get(s.area)
        if was is None:
            sections.append(reword(s, lines, new.period))
        else:
            sections.append(reword(was, lines, new.period))
    return replace(new, title=old.title, intro=old.intro, issuer=old.issuer, sections=sections)


# --- wording --------------------------------------------------------------------------------


def number(value: float) -> str:
    """107.5, 1088, 0.35: at most two decimals, no trailing zeros."""
    if not math.isfinite(value):
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount(value: float | None, unit: str) -> str:
    """A figure with its unit: 107.5对, 1088亿元; — for none."""
    return "—" if value is None else f"{number(value)}{unit}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{number(round(value, 1))}%"


def change_phrase(line: Line) -> str:
    """比上年同期增长12.5% / 下降7.9% / 持平; for an indicator in % the change in 百分点."""
    if line.previous is None:
        return ""
    change = line.change or 0.0
    if abs(change) < 1e-9:
        return "与上年同期持平"
    if line.unit == "%":
        word = "提高" if change > 0 else "下降"
        return f"比上年同期{word}{number(abs(change))}个百分点"
    growth = line.growth
    if growth is None:
        return f"比上年同期{'增加' if change > 0 else '减少'}{amount(abs(change), line.unit)}"
    return f"比上年同期{'增长' if growth > 0 else '下降'}{percent(abs(growth))}"


def change_cell(line: Line) -> str:
    """The 同比 column: +12.5%, −7.9%, +1.2个百分点, or —."""
    if line.previous is None:
        return "—"
    if line.unit == "%":
        return f"{line.change:+.1f}个百分点".replace(".0个", "个")
    growth = line.growth
    return "—" if growth is None else f"{growth:+.1f}%"


def share_phrase(line: Line) -> str:
    share = line.share
    return "" if share is None else f"完成目标的{percent(share)}"


def line_sentence(line: Line, scorecard_period: str | None = None) -> str:
    """都市圈日开行动车107.5对（2024年11月），比上年同期增长12.5%，完成目标的95%."""
    when = "" if line.period == scorecard_period else f"（{parse_period(line.period).label}）"
    parts = [f"{line.name}{amount(line.value, line.unit)}{when}", change_phrase(line), share_phrase(line)]
    return "，".join(p for p in parts if p)


def default_headline(lines: list[Line]) -> str:
    """The first figure of the area, as the articles put it: 都市圈日开行动车107.5对."""
    first = lines[0]
    return f"{first.name}{amount(first.value, first.unit)}"[:MAX_SHORT]


def default_text(lines: list[Line], period: str | None = None) -> str:
    """The area's figures in one paragraph, each with its change and share of target."""
    return ("；".join(line_sentence(line, period) for line in lines) + "。")[:MAX_TEXT]


def default_intro(entity: str, p: Period, sections: int) -> str:
    if not sections:
        return f"{entity}{p.label}尚无已掌握的指标数据。"
    return f"{p.label}，{entity}同城化发展取得新进展。现从{_count(sections)}个方面晒出成绩单。"


def _count(n: int) -> str:
    if n == 2:
        return "两"  # 两个方面, not 二个
    return _NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


def issuing_line(s: Scorecard) -> str:
    return f"{s.issuer}　{chinese_date(s.on)}" if s.issuer else chinese_date(s.on)


def table_row(line: Line) -> tuple[str, ...]:
    return (
        line.name,
        parse_period(line.period).label,
        amount(line.value, line.unit),
        amount(line.previous, line.unit),
        change_cell(line),
        amount(line.target, line.unit),
        percent(line.share),
    )


def blocks(s: Scorecard) -> list[Block]:
    """The scorecard body for the renderers: the introduction, then per area 关键词N and its
    keyword, the headline, the paragraph and the table of its figures, and how figures are read."""
    out: list[Block] = [Para(s.intro)] if s.intro else []
    for i, section in enumerate(s.sections, 1):
        out.append(Heading(f"关键词{i}　{section.keyword}"))
        if section.headline:
            out.append(Heading(section.headline, level=2))
        if section.text:
            out.append(Para(section.text))
        out.append(Table(TABLE_HEADER, tuple(table_row(line) for line in section.lines), TABLE_WIDTHS))
    out.append(Heading("口径说明"))
    out.append(Para(BASIS))
    return out


BASIS = (
    "各指标取本期内最近一期已掌握的数据，同比为与上年同期数据相比的增减幅度（以%为单位的指标为增减的百分点）；"
    "完成目标为实际值占目标值的比例，越低越好的指标为目标值占实际值的比例。"
)
