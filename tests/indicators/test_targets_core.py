"""Which indicator measures a plan target, on target phrases from real plans: the dev documents
(坪山2024, 惠州, 国务院政府工作报告, 市级民生实事) and plans found online (河南公交优先意见,
成德眉资同城化 news). Worked by hand: the expected indicator, or none."""

from __future__ import annotations

import pytest

from luoshi.indicators.core.tables import IndicatorInfo
from luoshi.indicators.core.targets import suggest, target_progress, unit_factor

CATALOGUE = {
    name: IndicatorInfo(name, unit, "year", "city")
    for name, unit in [
        ("停车位数量", "个"),
        ("跨市公交线路", "条"),
        ("日开行动车", "对"),
        ("城镇新增就业人数", "万人"),
        ("地区生产总值", "亿元"),
        ("地区生产总值增速", "%"),
        ("固定资产投资增速", "%"),
        ("社会消费品零售总额增速", "%"),
        ("城镇调查失业率", "%"),
        ("公共交通机动化出行分担率", "%"),
        ("公办幼儿园学位", "个"),
        ("义务教育学位", "个"),
        ("专精特新小巨人企业", "家"),
        ("快速通道", "条"),
        ("断头路", "条"),
        ("长者食堂", "个"),
        ("综合交通投资", "亿元"),
        ("跨城通办事项", "项"),
    ]
}

# (metric as the text engine reads it, unit, the target's text, the indicator expected or None)
CASES = [
    # 002 坪山2024
    ("力争2024年新增停车位", "个", "力争2024年新增停车位6000个以上", "停车位数量"),
    ("新增公办幼儿园学位", "个", "新增公办幼儿园学位2520个", "公办幼儿园学位"),
    ("公办义务教育学位", "个", "公办义务教育学位3500个", "义务教育学位"),
    ("打通断头路", "条", "打通断头路10条以上", "断头路"),
    (
        "力争全年新增国家级专精特新“小巨人”企业",
        "家",
        "力争全年新增国家级专精特新“小巨人”企业5家以上",
        "专精特新小巨人企业",
    ),
    # 004 惠州
    ("尽快打通与周边城市的", "条", "尽快打通与周边城市的34条快速通道", "快速通道"),
    # dn_04 民生实事: the noun after the number
    ("新建", "个", "新建1500个公共停车泊位", "停车位数量"),
    ("改造建设", "个", "改造建设20个长者食堂", "长者食堂"),
    # dn_02/dn_03 政府工作报告: 人 converts to 万人; a percentage only to a percentage
    ("城镇新增就业", "人", "城镇新增就业900万人以上", "城镇新增就业人数"),
    ("城镇调查失业率", "%", "城镇调查失业率6%左右", "城镇调查失业率"),
    # dn_08/dn_09: growth in %, not the level in 亿元
    ("地区生产总值增长", "%", "地区生产总值增长8%以上", "地区生产总值增速"),
    ("固定资产投资增长", "%", "固定资产投资增长10%以上", "固定资产投资增速"),
    ("社会消费品零售总额增长", "%", "社会消费品零售总额增长10.5%以上", "社会消费品零售总额增速"),
    # 河南 豫政办〔2023〕4号
    (
        "公共交通机动化出行分担率不低于",
        "%",
        "郑州市公共交通机动化出行分担率不低于50%",
        "公共交通机动化出行分担率",
    ),
    # 成德眉资 (the and news phrases)
    ("跨市公交达到", "条", "跨市公交达到12条", "跨市公交线路"),
    ("开通运营", "条", "开通运营3条城际公交", "跨市公交线路"),
    ("日开行动车达到", "对", "成都至德阳日开行动车达到40对", "日开行动车"),
    # 宁波 甬政办发〔2023〕14号: 亿元 against 亿元
    ("完成超过", "元", "完成超过5000亿元综合交通投资", "综合交通投资"),
    # Nothing in the catalogue measures these.
    ("各牵头责任单位组织至少", "次", "各牵头责任单位组织至少1次圈内城市对口部门联席会", None),
    ("安排财政赤字", "元", "安排财政赤字2.18万亿元", None),
    ("居民消费价格涨幅", "%", "居民消费价格涨幅3.5%左右", None),
    ("立项建设", "所", "立项建设32所市级优秀中等职业学校", None),
    ("", "", "", None),
]


@pytest.mark.parametrize(
    ("metric", "unit", "text", "expected"), CASES, ids=[c[2][:16] or "empty" for c in CASES]
)
def test_the_indicator_suggested_for_real_targets(metric, unit, text, expected):
    found = suggest(metric, unit, text, CATALOGUE)
    assert (found[0].indicator if found else None) == expected


def test_the_factor_converts_the_indicators_unit_to_the_targets():
    (best, *_) = suggest("城镇新增就业", "人", "城镇新增就业900万人以上", CATALOGUE)
    assert best.factor == 10_000  # 90 万人 is 900,000 人
    (best, *_) = suggest("完成超过", "元", "完成超过5000亿元综合交通投资", CATALOGUE)
    assert best.factor == 1e8
    assert unit_factor("亿元", "个") is None and unit_factor("", "个") == 1.0


def test_an_empty_catalogue_or_hostile_text_suggests_nothing():
    assert suggest("新增停车位", "个", "新增停车位6000个", {}) == []
    assert suggest("\x00" * 10_000, "个", "停" * 100_000, CATALOGUE) == []


def test_progress_from_the_baseline_or_zero():
    # 跨市公交达到12条 from the plan's baseline of 3: 9 now → (9 − 3) / (12 − 3) = 2/3.
    assert target_progress(9, 12, 3).share == pytest.approx(2 / 3)
    # 新增停车位6000个, no baseline: 3,600 added so far → 60%.
    p = target_progress(3_600, 6_000, None)
    assert (p.baseline, p.goal, p.share) == (0.0, 6_000, pytest.approx(0.6))
    # Lower is better: 失业率 from 5.5 down to 5.0, now 5.2 → 60%; beyond the target, not clipped.
    assert target_progress(5.2, 5.0, 5.5).share == pytest.approx(0.6)
    assert target_progress(15, 12, 3).share == pytest.approx(4 / 3)
    assert target_progress(3, 3, 3).share is None
