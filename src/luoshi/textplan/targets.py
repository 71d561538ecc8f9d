"""Targets: the quantities a plan commits to or reports as achieved.

A number counts when a measure word follows it (5家, 2—3次, 15.7万亩, 42.7%), it is not part
of a name, date or ordinal (19号线, “3+4”, 第三批, 2024年), and its sentence is not a
benefit rule or a condition (可申请最高不超过15万元, …达到25%…的，). Whether it is promised
or achieved is read from cue words in its sentence, then from the section it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from luoshi.textplan.model import Span, Target
from luoshi.textplan.numerals import cn_to_int
from luoshi.textplan.outline import Node, Outline
from luoshi.textplan.ruletables import load
from luoshi.textplan.strings import shared

_CN = "零〇一二两三四五六七八九十百千"
_SENT_END = re.compile(r"[。；;！!？?\n]")
_CLAUSE_END = "，,。；;！!？?\n、："


@dataclass(slots=True)
class _Rules:
    quantity: re.Pattern[str]
    units: dict[str, bool]  # unit → is a time unit
    multipliers: dict[str, int]
    before: list[tuple[str, str]]  # comparator words, longest first
    after: list[tuple[str, str]]
    names: re.Pattern[str]
    set_phrases: re.Pattern[str]
    forecast: re.Pattern[str]
    forecast_ends: re.Pattern[str]
    target: re.Pattern[str]
    actual: re.Pattern[str]
    target_strong: re.Pattern[str]
    target_timeframe: re.Pattern[str]
    actual_strong: re.Pattern[str]
    section_actual: re.Pattern[str]
    section_target: re.Pattern[str]
    doc_actual: re.Pattern[str]
    doc_target: re.Pattern[str]
    benefit: re.Pattern[str]
    descriptive: re.Pattern[str]
    descriptive_after: tuple[str, ...]
    descriptive_tail: re.Pattern[str]
    bare_myriad: re.Pattern[str]
    bare_count: re.Pattern[str]
    reply_letter: re.Pattern[str]
    baseline_after: re.Pattern[str]
    scope_before_figure: re.Pattern[str]
    scope_before_respective: re.Pattern[str]
    rate_base_after: re.Pattern[str]
    tally_opener: re.Pattern[str]
    stock_before: re.Pattern[str]
    attribute_after: re.Pattern[str]
    forecast_marks: re.Pattern[str]
    not_a_date_after: tuple[str, ...]
    reach_circle: re.Pattern[str]
    index_before: re.Pattern[str]
    size_band_after: re.Pattern[str]
    bare_index: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    m, c = load("measures"), load("cues")
    units = {u: False for u in m["units"]} | {u: True for u in m["time_units"]}
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    circle = m["reach_circle"]
    units[circle["unit"]] = False  # matched only before a circle's name, never as a bare duration
    mult_alt = "|".join(sorted(m["multipliers"], key=len, reverse=True))
    num = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
    quantity = re.compile(
        # 7.5%—8%: a share range writes its sign on both ends
        rf"(?P<n1>{num})(?:(?:[%‰](?=\s*(?:—|－|-|–|~|～)\s*{num}[%‰]))?\s*(?:—|－|-|–|~|～|至|到)\s*(?P<n2>{num}))?"
        rf"(?P<mult>{mult_alt})?(?P<approx>余|多)?(?P<mult2>{mult_alt})?\s?(?P<unit>{unit_alt})"
    )
    return _Rules(
        quantity=quantity,
        units=units,
        multipliers=m["multipliers"],
        before=sorted(m["before_comparators"].items(), key=lambda kv: -len(kv[0])),
        after=sorted(m["after_comparators"].items(), key=lambda kv: -len(kv[0])),
        # the lookahead lets the engine skip, in one step, positions no name pattern can start at
        names=re.compile(
            "(?=[“‘《〈A-Za-z0-9第一二三四五六七八九十〔\\[［【(（])(?:" + "|".join(c["name_patterns"]) + ")"
        ),
        set_phrases=_set_phrases(c["set_phrases"], list(c["set_phrase_patterns"].values())),
        forecast=re.compile(_alt(c["forecast"])),
        forecast_ends=re.compile(_alt(c["forecast_ends"])),
        target=re.compile(_alt(c["target"])),
        actual=re.compile(_alt(c["actual"])),
        target_strong=re.compile(_alt(c["target_strong"])),
        target_timeframe=re.compile(_alt(c["target_timeframe"])),
        actual_strong=re.compile(_alt(c["actual_strong"])),
        section_actual=re.compile(_alt(c["section_actual"])),
        section_target=re.compile(_alt(c["section_target"])),
        doc_actual=re.compile(_alt(c["doc_actual"])),
        doc_target=re.compile(_alt(c["doc_target"])),
        benefit=re.compile(_alt(c["benefit"])),
        descriptive=re.compile(_alt(c["descriptive"])),
        descriptive_after=tuple(c["descriptive_after"]),
        descriptive_tail=re.compile(c["descriptive_tail"]),
        # 万名以上: the myriad stands alone as the number
        bare_myriad=re.compile(rf"(?<![\d{_CN}])(?P<n1>万)(?P<unit>名|人|家|个|户|人次)(?=以上|余|多)"),
        # 体检人数达1000万以上, 参保人数24万以上: a count of people or things with no measure word
        bare_count=re.compile(r"(?P<n1>\d+(?:\.\d+)?)(?P<mult>万|亿)(?P<unit>)(?=以上|左右)"),
        reply_letter=re.compile(_alt(c["reply_letter"])),
        baseline_after=re.compile(c["baseline_after"]),
        scope_before_figure=re.compile(c["scope_before_figure"]),
        scope_before_respective=re.compile(c["scope_before_respective"]),
        rate_base_after=re.compile(c["rate_base_after"]),
        tally_opener=re.compile(c["tally_opener"]),
        stock_before=re.compile(c["stock_before"]),
        attribute_after=re.compile(c["attribute_after"]),
        forecast_marks=re.compile(c["forecast_marks"]),
        not_a_date_after=tuple(c["not_a_date_after"]),
        reach_circle=re.compile(
            rf"(?<![\d{_CN}])(?P<n1>\d+|[{_CN}]+)(?P<unit>{re.escape(circle['unit'])})(?={circle['after']})"
        ),
        index_before=re.compile(c["index_before"]),
        size_band_after=re.compile(c["size_band_after"]),
        # 指数达85, 涨幅控制在103.5以内: a figure with no measure word, read only after an index's verb
        bare_index=re.compile(r"(?<![\d.])(?P<n1>\d+(?:\.\d+)?)(?P<unit>)" + c["index_after"]),
    )


def _set_phrases(literals: list[str], patterns: list[str]) -> re.Pattern[str]:
    """One pattern for the set phrases; the lookahead on their first characters lets the engine
    skip, in one step, every position where none of them can start."""
    first = {w[0] for w in literals} | {p[0] for p in patterns}
    if any(not ch.isalpha() for ch in first):
        raise ValueError("a set phrase pattern must start with a plain character")
    alts = [re.escape(w) for w in sorted(literals, key=len, reverse=True)] + patterns
    return re.compile("(?=[" + "".join(sorted(first)) + "])(?:" + "|".join(alts) + ")")


def section_moods(
    text: str, outline: Outline, title: str | None, year: int | None = None, date: str | None = None
) -> list[str]:
    """For each of ``outline.nodes`` in turn, whether its top-level section reports results
    ("actual") or sets work ("target").

    A section's heading decides (基本情况 / 重点任务); else a clear majority of tense cues in
    its text; else the document's own mood: a reply to a proposal ("reply", whose figures
    count only with a strong cue), else from its title and the lead before the first item
    (交卷, 过去一年), a title naming only years before the date it was published, or its cues overall.
    """
    doc = document_mood(text, outline.body_start, outline.body_end, title, date)
    moods: list[str] = []
    mood = doc
    for n in outline.nodes:  # in text order: each root, then everything under it
        if n.parent is None:
            mood = section_mood(text, n, doc)
        moods.append(mood)
    return moods


def document_mood(
    text: str, body_start: int, body_end: int, title: str | None, date: str | None = None
) -> str:
    """The document's own mood, which a section takes when neither its heading nor its cues
    decide: "reply", "actual" or "target" (see ``section_moods``)."""
    r = _rules()
    head = text[max(0, body_start - 3000) : body_start]
    if r.reply_letter.search(title or "") or r.reply_letter.search(head):
        return "reply"
    # a title that names a plan (…分解落实《政府工作报告》的通知) outweighs its head's goal list
    # (…全面完成省下达节能减排任务)
    plan_title = r.doc_target.search(title or "") is not None
    if _reports(r, title or "") or (not plan_title and _reports(r, head)) or _looks_back(title, date):
        return "actual"
    return _mood(r, title or "", text, body_start, body_end, "target")


def section_mood(text: str, root: Node, doc: str) -> str:
    """The mood of a top-level item and everything under it, in a document of mood ``doc``."""
    return doc if doc == "reply" else _mood(_rules(), root.title, text, root.cand.end, root.region_end, doc)


def _reports(r: _Rules, s: str) -> bool:
    """Whether ``s`` says the work is done: a report's word (全面完成, 成绩单) that no commitment
    governs (为确保全年各项目标任务全面完成 is what a plan promises)."""
    for m in r.doc_actual.finditer(s):
        clause = re.split(r"[，,。；;：:\n]", s[max(0, m.start() - 20) : m.start()])[-1]
        if not r.target_strong.search(clause):
            return True
    return False


def _looks_back(title: str | None, date: str | None) -> bool:
    """2023年民生实事项目，交卷! published in January 2024 reports on the year it names."""
    if not title or not date:
        return False
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", title)]
    return bool(years) and max(years) < int(date[:4])


def _mood(r: _Rules, heading: str, text: str, start: int, end: int, default: str) -> str:
    """The mood of a heading over ``text[start:end]`` (counted in place, not copied)."""
    if re.search(r"\d", re.sub(r"(?:19|20)\d\d年", "", heading)):
        heading = (
            ""  # 新增7069张床位，为计划的101% is an item's content, not a section's name (a year may be)
        )
    if r.section_actual.search(heading) or r.doc_actual.search(heading):
        return "actual"
    if r.section_target.search(heading) or r.doc_target.search(heading):
        return "target"
    a = sum(1 for _ in r.actual.finditer(text, start, end))
    t = sum(1 for _ in r.target.finditer(text, start, end))
    if a >= 2 and a > 2 * t:
        return "actual"
    if t >= 2 and t > 2 * a:
        return "target"
    return default


def mask_names(text: str) -> str:
    """The text with names, titles, dates, ordinals and set phrases (二次供水, 一次办好) blanked
    out, positions unchanged."""
    r = _rules()
    return r.set_phrases.sub(_blank, r.names.sub(_blank, text))


def _blank(m: re.Match[str]) -> str:
    return "＃" * len(m.group(0))


_BRACKETED_RANGE = re.compile(r"[(（](\d+(?:\.\d+)?\s*[—－\-–~～]\s*\d+(?:\.\d+)?)[)）](?=[%‰])")


def find(text: str, start: int, end: int, mood: str, year: int | None) -> list[Target]:
    """The targets in ``text[start:end]``, an item's own text (names masked item by item, so
    that no masked copy of the whole document is held)."""
    r = _rules()
    seg = text[start:end]
    # 年均增长(3—8)%: a range in brackets before its sign reads as the range (same length)
    masked = _BRACKETED_RANGE.sub(r" \1 ", mask_names(seg))
    out: list[Target] = []
    matches = [
        *r.quantity.finditer(masked),
        *r.bare_myriad.finditer(masked),
        *r.reach_circle.finditer(masked),
        *r.bare_count.finditer(masked),
        *(m for m in r.bare_index.finditer(masked) if r.index_before.search(masked, max(0, m.start() - 12), m.start())),
    ]
    restated_until = _restated_until(r, masked) if mood == "actual" else 0
    for m in sorted(matches, key=lambda m: m.start()):
        t = _read(m, masked, seg, "target" if m.start() < restated_until else mood, year)
        if t is None:
            continue
        if _in_headline(seg, m.start()):
            continue
        t.span = Span(start + m.start(), start + m.end())
        out.append(t)
    return out


def _restated_until(r: _Rules, masked: str) -> int:
    """Where the report begins in an item that first restates its promise (…项目10个。上半年，
    引进…107个), when a figure precedes it; else 0."""
    m = r.tally_opener.search(masked, 1)
    if m is None:
        return 0
    # the promise is a sentence of its own: 城镇新增就业1000万人以上。这项工作由…负责，去年…
    end = max(masked.rfind(ch, 0, m.start() + 1) for ch in "。；;")
    return end if end > 0 and re.search(r"\d", masked[:end]) else 0


def _read(m: re.Match[str], masked: str, seg: str, mood: str, year: int | None) -> Target | None:
    r = _rules()
    s, e = m.start(), m.end()
    g = m.groupdict()
    n1, n2 = g["n1"], g.get("n2")
    unit = shared(m.group("unit"))
    if unit == "岁" and not _LIFE_SPAN.search(masked, max(0, s - 8), s):
        return None  # 60岁以上老年人: an age says who qualifies; only a life expectancy is a measure
    # a number glued to the previous digits or letters is part of something else
    if s and (
        masked[s - 1].isdigit()
        or masked[s - 1] in ".．"
        or masked[s - 1].isascii()
        and masked[s - 1].isalpha()
    ):
        return None
    if not n1[0].isdigit():
        if s and masked[s - 1] in _CN + "万亿":
            return None
        if not n2 and not _plausible_cn(n1, unit, masked, s):
            return None
    v1 = _value(n1)
    if v1 is None:
        return None
    v2 = _value(n2) if n2 else None
    mult = 1
    for key in ("mult", "mult2"):
        if g.get(key):
            mult *= r.multipliers[g[key]]
    sent_start = _last(masked, _SENT_END, s) + 1
    sent_end_m = _SENT_END.search(masked, e)
    sent_end = sent_end_m.start() if sent_end_m else len(masked)
    sentence = masked[sent_start:sent_end]
    if _forecast(r, masked, s) or _marked_forecast(r, masked, e, sent_start):
        return None  # 预计全年完成投资50亿元: an estimate, neither promised nor achieved
    before = masked[max(sent_start, s - 12) : s]
    # 30人（含）以下的企业: the bracket says whether the bound counts and stands between the
    # figure and its comparator
    after = _INCLUSIVE.sub("", masked[e : e + 9], count=1)[:4]
    if before.endswith(("每", "由", "从", "第", "前", "后")):
        return None
    if (
        after.startswith(("的", "以上的", "以下的", "左右的", "年", "月", "日", "号", "级"))
        and unit not in ("%", "‰")
        and not after.startswith(r.not_a_date_after)  # 新建3家日间照料中心
    ):
        return None
    if unit not in _NOT_A_SIZE and r.attribute_after.match(masked, e):
        return None  # 投资10亿元以上项目10个: the amount sizes the projects counted after it
    if unit not in _NOT_A_SIZE and r.size_band_after.match(masked, e):
        return None  # 存栏10—50只养殖户: the band says which farms, not how many head are raised
    comma_clause = masked[_comma_clause_start(masked, s) : s]
    # 安排1000亿元专项奖补资金: a fund named for what it pays for is no rule for who receives what
    benefit = r.benefit.search(_FUND_NAME.sub("资金", sentence))
    own_clause = masked[_comma_clause_start(masked, s) : e]
    if benefit and _REACHES.search(masked, sent_start, s) and not r.benefit.search(own_clause):
        # 居民健康素养水平达39%以上 beside …经费达102元以上: a metric that reaches its figure in a
        # clause of its own is no part of the other clause's rule
        benefit = None
    # 准入标准由8000元以下提高到12000元以下，新增低保对象500户: the rule is in another clause, and
    # the count is the plan's. (A reply letter's counts stay narrative: 新增了228个项目，希望…给予支持.)
    count_beside_rule = (
        mood != "reply"
        and unit in _NOT_A_SIZE
        and unit not in ("%", "‰")
        and not r.benefit.search(own_clause)
        # 每增加实际到位投资额5000万元增加1名指标: a rate the rule pays at, not a count delivered
        and not own_clause.startswith(("每增加", "每新增", "每超过", "每多"))
    )
    if (
        benefit
        and not (unit in _COUNT_UNITS and _FUNDS_A_COUNT.search(comma_clause))
        and not count_beside_rule
    ):
        return None  # 补助全市158家卫生所 counts what is funded; 补助标准为每人… is a benefit rule
    clause = _clause(masked, s)
    if clause.endswith("的") or _is_condition(masked, s):
        return None
    if (
        r.descriptive.search(comma_clause) or r.stock_before.search(comma_clause)
    ) and not r.target_strong.search(comma_clause):
        return None  # 全县现有公办中小学校349所: what the county has, not what it did
    if "在" in comma_clause and re.match(r"[^，,。；]{0,8}中", masked[e:]):
        return None  # 在全国74个城市中排名第三: the field, not a result
    if masked[e : e + 6].startswith(r.descriptive_after) or masked[e + 2 : e + 6].startswith(
        r.descriptive_after
    ):
        return None
    if r.descriptive_tail.match(masked, e):
        return None  # 五个一体化行动计划的要求: what the work follows, not what it delivers
    if unit not in ("%", "‰") and _share_follows(masked, e):
        return None  # 17个国考断面水质优良占比100%: the count is the scope of the share
    if re.search(r"[从由][^，,。；;从由]{0,10}$", comma_clause) and r.baseline_after.match(masked, e):
        return None  # 路面从原先的3.5米拓宽至6米: where it started, not what is promised
    if r.rate_base_after.match(masked, e):
        return None  # 完成全年23万人目标任务的95.17%: the base of the rate, not what was done
    if unit in _COUNT_UNITS and (
        r.scope_before_figure.match(masked, e) or r.scope_before_respective.match(masked, e)
    ):
        return None  # 33个县重点项目 完成投资42.36亿元: the count is the scope of the figure
    comparator = ""
    for w, op in r.before:
        if before.endswith(w) or before[-len(w) - 2 :].find(w) >= 0:
            comparator = op
            break
    for w, op in r.after:
        if after.startswith(w):
            comparator = comparator or op
            break
    if g.get("approx"):
        comparator = comparator or ">"
    if r.units.get(unit) and not comparator:
        return None  # a bare duration is a period, not a target
    # a reply letter's figure needs its own clause to say promised or done
    if mood == "reply":
        cue_window = comma_clause + masked[s:e]
    else:
        # the words just after the figure (5亿元以上, 同比…) belong to it, the next clause's do not:
        # 年度计划投资17.4亿元,已完成投资7.5亿元 reports only the 7.5
        cue_window = sentence[: min(s - sent_start + 8, _clause_end(masked, e) - sent_start)]
    kind = _kind(cue_window, mood, year)
    if kind is None:
        return None
    t = Target(value=None, unit=unit, kind=kind, comparator=comparator, rule="quantity")
    if v2 is not None:
        t.low, t.high = _scaled(v1, mult), _scaled(v2, mult)
    else:
        t.value = _scaled(v1, mult)
    t.text = seg[sent_start:sent_end].strip()
    t.metric = _metric(seg, s, e)
    return t


_FULL_STOP = re.compile(r"[。！!？?\n]")
_LIFE_SPAN = re.compile(r"寿命[^，,。；;]{0,4}$")
_REACHES = re.compile(r"[，,](?:[^，,。；;]{1,20}?)(?:达到|达|降至|降到|提高到|提高至|提升到|提升至|增至|控制在)$")
_INCLUSIVE = re.compile(r"^\s*[（(]不?含[）)]")


def _marked_forecast(r: _Rules, masked: str, e: int, sent_start: int) -> bool:
    """Whether the figure ending at ``e`` is marked an estimate right after it (120亿元（预计数）),
    or follows, in its sentence, such a mark that says 下同."""
    if r.forecast_marks.match(masked, _past_comparator(r, masked, e)):
        return True
    return any(m.group("same") for m in r.forecast_marks.finditer(masked, sent_start, e))


def _past_comparator(r: _Rules, masked: str, e: int) -> int:
    """The position after a comparator word that follows a figure (120亿元以上（预计数）)."""
    for w, _op in r.after:
        if masked.startswith(w, e):
            return e + len(w)
    return e


def _forecast(r: _Rules, masked: str, s: int) -> bool:
    """Whether a forecast cue earlier in the figure's sentence still governs it. The sentence
    runs to the full stop, past semicolons: a year's estimates are listed as 预计…；…；…。"""
    start = _last(masked, _FULL_STOP, s) + 1
    cues = list(r.forecast.finditer(masked, start, s))
    return bool(cues) and r.forecast_ends.search(masked, cues[-1].end(), s) is None


def _plausible_cn(n: str, unit: str, masked: str, s: int) -> bool:
    """Chinese numerals are words too (一项重要工作, 零部件): keep the ones that count."""
    if not n.strip("零〇"):
        return False
    if n in ("一", "一一"):
        return unit == "次" or masked[max(0, s - 3) : s].endswith(("至少", "超过", "不少于"))
    return n not in ("百", "千", "十")


def _scaled(v: float, mult: float) -> float:
    """v × mult without binary rounding: 2.18万亿 is 2180000000000, not 2180000000000.0002."""
    return float(Decimal(repr(v)) * Decimal(repr(mult))) if mult != 1 else v


def _value(n: str) -> float | None:
    if n[0].isdigit():
        return float(n)
    v = cn_to_int(n)
    return float(v) if v is not None else None


def _kind(prefix: str, mood: str, year: int | None) -> str | None:
    """target or actual; None where a reply letter's figure has no cue of either (它们只是叙述)."""
    r = _rules()
    years = [int(y) for y in re.findall(r"(20\d\d|19\d\d)年", prefix)]
    if year and years:
        if any(y < year for y in years) and not r.target_strong.search(prefix):
            return "actual"
        if any(y > year for y in years):
            return "target"
    # a commitment word wins over a tally word: 累计参加培训不少于3个月 is still a promise;
    # a word that only says by when does not: 年内实现了21.73万名… reports what was done
    promised = list(r.target_strong.finditer(prefix))
    if promised:
        if all(r.target_timeframe.fullmatch(m.group(0)) for m in promised) and r.actual_strong.search(
            prefix, promised[-1].end()
        ):
            return "actual"
        return "target"
    if r.actual_strong.search(prefix):
        return "actual"
    if mood == "reply":
        return None
    return mood or "target"


_COUNT_UNITS = frozenset("家所个座处户条间张项")
# units that count the things named after them (10家以上企业) rather than size them
_NOT_A_SIZE = _COUNT_UNITS | {"%", "‰", "人", "人次", "名", "批"}
_FUND_NAME = re.compile(r"(?:奖补|补助|补贴|贴息)(?=资金|经费\d)")  # 补助经费1092.13万元: the fund, not a rate
_FUNDS_A_COUNT = re.compile(r"(?:补助|补贴|奖补|资助)[^，,。；;]{0,12}$")
_OPENERS = {"（": "）", "(": ")", "“": "”", "《": "》", "〈": "〉", "【": "】", "‘": "’"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _metric(seg: str, s: int, e: int) -> str:
    cs = _clause_start(seg, s)
    pre = seg[cs:s].strip()
    if len(pre) >= 2:
        return _balanced(pre[-24:], tail=True)
    ce = e
    while ce < len(seg) and seg[ce] not in _CLAUSE_END:
        ce += 1
    return _balanced(seg[e:ce].strip()[:24], tail=False)


def _balanced(phrase: str, tail: bool) -> str:
    """A metric never ends inside an unclosed bracket or quote nor starts after an unopened one:
    （含2022年60家… keeps 含2022年, 医疗急救(120 keeps 医疗急救."""
    stack: list[int] = []
    start = 0
    for i, ch in enumerate(phrase):
        if ch in _OPENERS:
            stack.append(i)
        elif ch in _CLOSERS:
            if stack and phrase[stack[-1]] == _CLOSERS[ch]:
                stack.pop()
            elif not stack:
                start = i + 1  # closes something opened before the phrase began
    if stack:
        cut = stack[0]
        inside = phrase[stack[-1] + 1 :].strip()
        phrase = inside if tail and len(inside) >= 2 else phrase[:cut]
        start = 0 if tail and len(inside) >= 2 else start
    return phrase[start:].strip()


def _clause_start(seg: str, s: int) -> int:
    i = s - 1
    while i >= 0 and seg[i] not in _CLAUSE_END:
        i -= 1
    return i + 1


_SHARE_IN_CLAUSE = re.compile(
    r"[^，,。；;！？\n]{0,20}?(?:占比|比例|比重|覆盖率|达标率|优良率|完成率)[^，,。；;]{0,6}?\d+(?:\.\d+)?%"
)


def _share_follows(masked: str, e: int) -> bool:
    return _SHARE_IN_CLAUSE.match(masked, e) is not None


def _clause_end(seg: str, e: int) -> int:
    i = e
    while i < len(seg) and seg[i] not in "，,。；;！!？?\n":
        i += 1
    return i


def _comma_clause_start(seg: str, s: int) -> int:
    i = s - 1
    while i >= 0 and seg[i] not in "，,。；;！!？?\n":
        i -= 1
    return i + 1


def _clause(seg: str, s: int) -> str:
    i = s
    while i < len(seg) and seg[i] not in "，,。；;！!？?\n":
        i += 1
    return seg[s:i].rstrip("）)")


def _is_condition(seg: str, s: int) -> bool:
    """…达到25%（超过100人的企业达到15%）并与其签订1年以上劳动合同的，可申请… is a condition."""
    i = s
    depth = 0
    while i < len(seg):
        ch = seg[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,。；;\n":
            break
        i += 1
    return seg[i - 1 : i] == "的" and seg[i : i + 1] in ("，", ",")


def _last(seg: str, pat: re.Pattern[str], before: int) -> int:
    i = before - 1
    while i >= 0:
        if pat.match(seg, i):
            return i
        i -= 1
    return -1


def _in_headline(seg: str, pos: int) -> bool:
    """Short unpunctuated lines inside an item are sub-headlines (464个项目 投资约1088亿), not body."""
    ls = seg.rfind("\n", 0, pos) + 1
    if ls == 0:
        return False
    le = seg.find("\n", pos)
    line = seg[ls : le if le >= 0 else len(seg)].strip()
    return len(line) < 30 and not re.search(r"[，。；,;！？]", line)
