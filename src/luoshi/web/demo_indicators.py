"""Demo indicators: the 成德眉资 metropolitan area (four cities), about forty indicators with five
years (2016–2020) of monthly, quarterly and yearly figures, and the scorecard of 「七个关键词看懂
成德眉资同城化“棋局”」 (成都商报, 2021-04-15) rebuilt from the figures the text engine proposes from
that article.

Every generated figure is sample data (示例数据): made by a seeded numpy generator, so every run
gives the same figures, and labelled so in the catalogue and on each observation. The 2020
figures of the area come from the article instead: ``build`` works as an office would —

1. make the cities, the area 成德眉资 and (through the entity register's sync) the city pairs;
2. add the catalogue (``CITY``, ``PAIR``, ``AREA``) and record the generated figures; add the
   sample 跨城通办 list (``demo_crosscity``), which feeds 跨城通办事项 and 都市圈跨城通办事项;
3. read the article: its achieved figures are proposed, then accepted when the suggested
   indicator is right, corrected when the demo knows better (``FROM_ARTICLE``), rejected else;
4. draft the 2020 scorecard of 成德眉资, word its seven keywords as the article does, set a few
   targets and publish it.

Safe to run again: nothing is added once the demo's scorecard exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from luoshi.indicators import scorecards, services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.core.proposals import in_unit
from luoshi.indicators.core.tables import _scale
from luoshi.indicators.entities import create_entity, sync_from_ledger
from luoshi.indicators.models import Entity, Indicator, ProposedFigure, Scorecard
from luoshi.indicators.services import Figure, IndicatorError
from luoshi.ledger.models import City
from luoshi.web import demo_crosscity

SAMPLE = "示例数据"
SAMPLE_NOTE = "示例数据：随机生成，仅供演示"
SEED = 20210415
YEARS = range(2016, 2021)
AREA = "成德眉资"
CITIES = ("成都市", "德阳市", "眉山市", "资阳市")
# Each city's size against 成都's, for the levels of the generated figures.
SIZE = {"成都市": 1.0, "德阳市": 0.14, "眉山市": 0.08, "资阳市": 0.05}
PAIRS = (("成都市", "德阳市"), ("成都市", "眉山市"), ("成都市", "资阳市"))
ARTICLE = "scorecards/chengdemeizi-2021-04-15.txt"
ARTICLE_NAME = "七个关键词看懂成德眉资同城化“棋局”（成都商报2021年4月15日）"
TITLE = "七个关键词看懂成德眉资同城化“棋局”（示例）"
KEYWORDS = ("顶层设计", "交通", "产业", "体制机制改革", "生活圈", "生态环境", "同城品牌")
HEADLINES = {
    "顶层设计": "建起“1+1+N”都市圈规划体系",
    "交通": "市域铁路成资S3线开工",
    "产业": "464个项目 投资约1088亿",
    "体制机制改革": "建立“0130”快速服务机制",
    "生活圈": "都市圈居民就医“一码通”",
    "生态环境": "建立空气质量联合会商机制",
    "同城品牌": "设立同城化发展“一所一中心”",
}
# Sample targets, to show the share of target on the scorecard.
TARGETS = {
    "都市圈日开行动车": 100,
    "跨市公交线路": 12,
    "合作项目完成投资": 1000,
    "异地就医联网结算医疗机构": 20000,
}


@dataclass(frozen=True)
class Series:
    """An indicator and how its sample figures are made: the level in 2016 (成都's for a city
    indicator), the yearly growth, the noise, and whether it is a rate that stays near its level."""

    name: str
    unit: str
    area: str
    frequency: str
    level: float
    growth: float = 0.06
    noise: float = 0.02
    direction: str = "up"
    cap: float | None = None  # a rate's ceiling (100%)
    size_matters: bool = True  # a city's figure scales with its size


CITY = (
    Series("地区生产总值", "亿元", "产业", "quarter", 3000, 0.08),
    Series("社会消费品零售总额", "亿元", "产业", "month", 480, 0.07, 0.04),
    Series("规模以上工业增加值增速", "%", "产业", "month", 8.5, -0.04, 0.08, size_matters=False),
    Series("进出口总额", "亿元", "产业", "month", 240, 0.12, 0.08),
    Series("高新技术企业数", "家", "产业", "year", 2500, 0.15),
    Series("研究与试验发展经费投入强度", "%", "产业", "year", 2.4, 0.03, 0.02, size_matters=False),
    Series("旅游总收入", "亿元", "产业", "quarter", 900, 0.09, 0.06),
    Series("城镇居民人均可支配收入", "元", "生活圈", "quarter", 9000, 0.07, 0.01, size_matters=False),
    Series("常住人口", "万人", "生活圈", "year", 1590, 0.02, 0.003),
    Series("常住人口城镇化率", "%", "生活圈", "year", 71, 0.01, 0.005, cap=100, size_matters=False),
    Series("三级甲等医院数", "所", "生活圈", "year", 46, 0.03, 0.0),
    Series("城市轨道交通运营里程", "公里", "交通", "year", 180, 0.25, 0.0),
    Series("空气质量优良天数比例", "%", "生态环境", "month", 68, 0.02, 0.08, cap=100, size_matters=False),
    Series("PM2.5月均浓度", "微克/立方米", "生态环境", "month", 63, -0.07, 0.12, "down", size_matters=False),
    Series(
        "政务服务事项网上可办率", "%", "体制机制改革", "quarter", 80, 0.05, 0.01, cap=100, size_matters=False
    ),
)
PAIR = (
    Series("城际日开行动车", "对", "交通", "month", 28, 0.12, 0.03, size_matters=False),
    Series("城际日均客流量", "万人次", "交通", "month", 0.5, 0.15, 0.08, size_matters=False),
)
# The area's yearly figures; 2020 comes from the article, 2016–2019 are sample data leading to it.
AREA_SERIES = (
    Series("专项合作组", "个", "顶层设计", "year", 14, 0.0, 0.0),
    Series("都市圈日开行动车", "对", "交通", "year", 107.5, 0.25, 0.02),
    Series("动车日均客流量", "万人次", "交通", "year", 3.8, 0.3, 0.04),
    Series("跨市公交线路", "条", "交通", "year", 9, 0.3, 0.0),
    Series("跨市公交日均客流量", "万人次", "交通", "year", 2.2, 0.3, 0.04),
    Series("“断头路”打通项目开工", "个", "交通", "year", 14, 0.4, 0.0),
    Series("合作推进项目", "个", "产业", "year", 464, 0.2, 0.02),
    Series("合作项目完成投资", "亿元", "产业", "year", 1088, 0.25, 0.03),
    Series("跨区域产业合作协议", "个", "产业", "year", 101, 0.3, 0.0),
    Series("城市机会清单需求信息", "条", "产业", "year", 1525, 0.3, 0.03),
    Series("科技成果转化", "项", "产业", "year", 420, 0.25, 0.03),
    Series("农交所累计成交项目", "宗", "体制机制改革", "year", 3714, 0.2, 0.02),
    Series("农交所累计交易金额", "亿元", "体制机制改革", "year", 56.31, 0.2, 0.02),
    Series("同城无差别受理政务服务事项", "项", "体制机制改革", "year", 55, 0.5, 0.0),
    Series("互通检验检测认证结果", "条", "体制机制改革", "year", 7300, 0.3, 0.03),
    Series("结对共建学校", "所", "生活圈", "year", 214, 0.2, 0.0),
    Series("优质教育资源服务学生", "人", "生活圈", "year", 27840, 0.2, 0.03),
    Series("异地就医联网结算医疗机构", "家", "生活圈", "year", 17748, 0.35, 0.03),
    Series("毗邻地区异地就医覆盖率", "%", "生活圈", "year", 100, 0.1, 0.0, cap=100),
    Series("龙泉山城市森林公园增绿增景", "万亩", "生态环境", "year", 15.7, 0.2, 0.02),
    Series("国考断面水质优良占比", "%", "生态环境", "year", 100, 0.05, 0.0, cap=100),
    Series("向外推介同城化重点项目", "个", "同城品牌", "year", 180, 0.3, 0.02),
)
# The article's figures and the indicator each measures, by the figure as written and a word of its
# sentence where the same figure is written twice (14个, 100%). Others are rejected.
FROM_ARTICLE = (
    ("14个", "专项合作组", "专项合作组"),
    ("14个", "断头路", "“断头路”打通项目开工"),
    ("107.5对", "", "都市圈日开行动车"),
    ("3.8万余人次", "", "动车日均客流量"),
    ("9条", "", "跨市公交线路"),
    ("2.2万余人次", "", "跨市公交日均客流量"),
    ("464个", "", "合作推进项目"),
    ("1088亿元", "", "合作项目完成投资"),
    ("101个", "", "跨区域产业合作协议"),
    ("1525条", "", "城市机会清单需求信息"),
    ("420项", "", "科技成果转化"),
    ("3714宗", "", "农交所累计成交项目"),
    ("56.31亿元", "", "农交所累计交易金额"),
    ("55项", "", "同城无差别受理政务服务事项"),
    ("7300余条", "", "互通检验检测认证结果"),
    ("214所", "", "结对共建学校"),
    ("27840人", "", "优质教育资源服务学生"),
    ("17748家", "", "异地就医联网结算医疗机构"),
    ("100%", "毗邻地区", "毗邻地区异地就医覆盖率"),
    ("15.7万亩", "", "龙泉山城市森林公园增绿增景"),
    ("100%", "国考断面", "国考断面水质优良占比"),
    ("180个", "", "向外推介同城化重点项目"),
)


def build(office, examples: Path | None = None) -> Scorecard | None:
    """Add the demo's area, indicators, figures and published scorecard (see the module); returns
    the scorecard, or None when it was made by an earlier run or the article is missing."""
    if Scorecard.objects.filter(title=TITLE).exists():
        return None
    area, cities, pairs = _entities(office)
    _catalogue()
    rng = np.random.default_rng(SEED)
    figures = []
    for s in CITY:
        indicator = Indicator.objects.get(name=s.name)
        for name in CITIES:
            scale = SIZE[name] if s.size_matters else 1.0
            figures += _figures(indicator, cities[name], s, scale, rng)
    for s in PAIR:
        indicator = Indicator.objects.get(name=s.name)
        for key, entity in pairs.items():
            figures += _figures(indicator, entity, s, SIZE[key[1]] ** 0.5 * 2.5, rng)
    for s in AREA_SERIES:
        figures += _area_history(Indicator.objects.get(name=s.name), area, s, rng)
    services.record(figures, by=office)
    path = (examples or Path("examples")) / ARTICLE
    card = None
    if path.is_file():
        _read_article(path.read_text(encoding="utf-8"), area, office)
        card = _scorecard(area, office)
    # 跨城通办事项 is counted from a sample list of service items, as an office's list feeds it;
    # after the scorecard, which keeps to the article's figures.
    demo_crosscity.build(office)
    return card


def _entities(office) -> tuple[Entity, dict[str, Entity], dict[tuple[str, str], Entity]]:
    cities = {name: City.objects.get_or_create(name=name)[0] for name in CITIES}
    area = Entity.objects.filter(kind="area", name=AREA).first()
    if area is None:
        area = create_entity(
            "area", AREA, by=office, members=list(cities.values()), aliases=["成德眉资都市圈"]
        )
    sync_from_ledger(by=office)  # each city and each pair of cities
    by_city = {name: Entity.objects.get(kind="city", city=city) for name, city in cities.items()}
    pairs = {
        (a, b): Entity.objects.filter(kind="pair", city__in=(cities[a], cities[b]))
        .filter(partner__in=(cities[a], cities[b]))
        .get()
        for a, b in PAIRS
    }
    return area, by_city, pairs


def _catalogue() -> None:
    specs = [
        IndicatorSpec(s.name, s.unit, s.direction, s.area, SAMPLE_NOTE, SAMPLE, s.frequency, level)
        for group, level in ((CITY, "city"), (PAIR, "pair"), (AREA_SERIES, "area"))
        for s in group
    ]
    services.apply_catalogue(specs)


def _periods(frequency: str) -> list[tuple[str, float]]:
    """Every period of the five years with its time in years from the start (for the growth)."""
    if frequency == "month":
        return [(f"{y}-{m:02d}", y - YEARS[0] + (m - 1) / 12) for y in YEARS for m in range(1, 13)]
    if frequency == "quarter":
        return [(f"{y}-Q{q}", y - YEARS[0] + (q - 1) / 4) for y in YEARS for q in range(1, 5)]
    return [(str(y), float(y - YEARS[0])) for y in YEARS]


def _values(s: Series, times: np.ndarray, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Level × growth over time × noise; months and quarters get a seasonal swing (a low first
    quarter and a high fourth, as Chinese statistics have), rates stay under their cap."""
    level = s.level * scale * (1 + s.growth) ** times
    if s.frequency != "year" and s.unit != "%":
        level *= 1 + 0.08 * np.sin(2 * np.pi * (times % 1) - np.pi / 2)
    values = level * (1 + rng.normal(0, s.noise, len(times)))
    if s.cap is not None:
        values = np.minimum(values, s.cap)
    return np.round(values, 2)


def _figures(indicator, entity, s: Series, scale: float, rng) -> list[Figure]:
    periods = _periods(s.frequency)
    values = _values(s, np.array([t for _p, t in periods]), scale, rng)
    return [
        Figure(indicator, entity, p, float(v), source=SAMPLE, note=SAMPLE_NOTE)
        for (p, _t), v in zip(periods, values, strict=True)
    ]


def _area_history(indicator, area, s: Series, rng) -> list[Figure]:
    """2016–2019 leading to the article's 2020 figure (which the article itself supplies)."""
    years = np.arange(YEARS[0], YEARS[-1])
    back = (1 + s.growth) ** (years - YEARS[-1]).astype(float)
    values = s.level * back * (1 + rng.normal(0, s.noise, len(years)))
    if s.cap is not None:
        values = np.minimum(values, s.cap)
    whole = s.unit in ("个", "条", "项", "宗", "所", "家", "人")
    values = np.round(values) if whole else np.round(values, 2)
    return [
        Figure(indicator, area, str(y), float(v), source=SAMPLE, note=SAMPLE_NOTE)
        for y, v in zip(years, values, strict=True)
    ]


def _read_article(text: str, area: Entity, office) -> None:
    """Propose the article's figures for 2020 and decide each as staff would."""
    doc = services.propose_from_document(text, ARTICLE_NAME, "2020", area, by=office)
    wanted = {}
    for quoted, word, name in FROM_ARTICLE:
        wanted.setdefault(quoted, []).append((word, name))
    indicators = {i.name: i for i in Indicator.objects.filter(level="area")}
    for figure in doc.figures.select_related("indicator"):
        name = next((n for w, n in wanted.get(figure.quoted, ()) if w in figure.sentence), None)
        if name is None:
            services.decide(figure, "reject", by=office, reason="不作为指标（示例）")
            continue
        indicator = indicators[name]
        if figure.indicator_id == indicator.pk and figure.entity_id == area.pk:
            services.decide(figure, "accept", by=office)
            continue
        value = in_unit(figure.value, _scale("", figure.unit, indicator.unit))
        services.decide(figure, "correct", by=office, indicator=indicator, entity=area, value=value)


def _scorecard(area: Entity, office) -> Scorecard:
    row = scorecards.draft(
        area, "2020", TITLE, by=office, issuer="成德眉资同城化办公室（示例）", areas=KEYWORDS
    )
    card = row.card()
    targets = {i.name: i.pk for i in Indicator.objects.filter(name__in=TARGETS)}
    wording = {
        "intro": "四城携手，共画一“圈”。以下为成德眉资同城化2020年成绩单（示例数据，2020年数值取自成都商报2021年4月15日报道）。"
    }
    for i, s in enumerate(card.sections):
        if s.area in HEADLINES:
            wording[f"headline-{i}"] = HEADLINES[s.area]
    wording.update({f"target-{pk}": str(TARGETS[name]) for name, pk in targets.items()})
    scorecards.edit(row, wording, by=office)
    try:
        return scorecards.publish(row, by=office)
    except IndicatorError:  # no CJK font for the PDF: the scorecard stays a draft
        return row


def proposals_left() -> int:
    """Proposals of the demo's article not decided (none after ``build``)."""
    return ProposedFigure.objects.filter(document__name=ARTICLE_NAME, state="proposed").count()
