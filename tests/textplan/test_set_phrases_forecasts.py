"""Set phrases and forecasts, as real plans, reports and news of other issuers write them, one
case per line: the section heading ⇥ the item's sentence ⇥ the targets read from it (value
unit kind, space separated; empty: none) ⇥ # the page it came from.

Set phrases hold a numeral and a measure word but count nothing (二次供水, 一次办妥, 一网通办,
一件事一次办, 两个市场); the figures beside them still count. A forecast (预计…, 有望…) is an
estimate, neither promised nor achieved, until a commitment (力争) or a tally (目前已) follows;
预期 is no forecast: a work report's 预期目标 and 预期增长 state the year's targets.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.ruletables import load

CASES = """
一、重点任务	其中,今年要完成286个小区的二次供水改造任务,涉及30万居民。	286个:target	# http://naspeed.com/news/39221.html
一、工作进展	改造中不仅使用新型环保管材替代老化的原始铁管、实现泵站实行自动化运行,而且全部采用直供水,避免了水质的二次污染。		# http://naspeed.com/news/39221.html
一、工作进展	目前全市正在推进老旧社区居民二次供水设施改造,今年已有5万户二次供水问题得到解决。	50000户:actual	# https://hubei.3158.cn/20170921/n51189111482038.html
一、重点任务	按照规划,今年吉林省将改造撤并二次供水设施1860座,新建、改造陈旧管网4320公里。	1860座:target 4320公里:target	# http://jizihe.com/page/2014/0327/19679116.shtml
一、重点任务	对本部门一个科室能够单独完成办理的事项,力争全部实现一次办妥。		# https://lstmmm.com/html/info1099..11022003.html
一、重点任务	推进跨部门关联事项集成办理,压减整体办理时长和跑动次数,实现“一次告知、一表申请、一套材料、一窗(端)受理、一网办理”。		# http://cn.office369.com/news/show-2381480.html
一、目标要求	2025年底前,全面推动国家、省部署“高效办成一件事”重点事项落地落实,确保“一件事”能办率为100%、好办易办率为90%以上。	100%:target 90%:target	# https://www.yantai.gov.cn:444/art/2025/3/30/art_99960_73970.html
一、工作目标	全面推动企业和群众办事线上“一网通办”、线下“只进一扇门”、现场办理“最多跑一次”。		# http://www.0375edu.org.cn/policy/240182.htm
一、工作情况	预计全年实现财政收入4006万元,同比增长19%;固定资产总投资52600万元,同比增长31%,其中工业投入26500万元,同比增长35%。		# https://m.wenke99.com/p-14369804.html
一、主要工作目标完成情况	预计全年实现地区生产总值87500万元,同比增长18.5%;预计全年财政总收入达294869万元,同比增长26.71%。		# https://www.xiaomilidoc.com/p-3079632.html
一、项目建设	一期项目建成达产后预计年产值80亿元,可实现利税约4亿元。		# http://www.wmxa.cn/shaanxi/201709/511792.html
一、重点项目	拟建成全球首家细胞培养肉和植物基人造肉双产业基地,预计可实现年产值超15亿元。		# https://52ocean.cn/forum.php?mod=viewthread&tid=91142
一、落实情况	预计《政府工作报告》分解的132项指标任务中,有93%左右有望在年底前完成。		# http://qdyyxzs.com/html/html1042017948fbab00052197bc8bd943498b89dd71.html
一、重点任务	确保一季度固定资产投资增长15%以上、全年增长10.5%以上。	15%:target 10.5%:target	# https://qckvzv.cn/news/R20ZKOeveE.html
一、今年工作安排	政府工作报告明确提出今年发展的主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人左右,城镇调查失业率5.5%左右;居民消费价格涨幅3%左右;粮食产量保持在1.3万亿斤以上。	5%:target 12000000人:target 5.5%:target 3%:target 1300000000000斤:target	# https://scholarmate.com/S/qBW3H0
一、今年工作安排	政府工作报告:今年国内生产总值预期增长5.5%左右。	5.5%:target	# http://www.eeo.com.cn/2022/0305/524190.shtml
一、重点任务	投资50亿元的中优大健康功能食品生产项目,建成后致力于打造全国领先的大健康食品与智能医疗康复设备产业基地,预计年产值可达100亿元。		# https://qckvzv.cn/news/R20ZKOeveE.html
"""

# Made-up sentences pinning the order of cues: the figure after a later 力争 or 目前已 counts; a
# figure marked （预计数） after it is an estimate, and so is the growth of that estimate after it.
ORDER = """
一、重点任务	预计全年完成投资50亿元，力争达到60亿元。	6000000000元:target
一、工作情况	预计全年完成投资80亿元，目前已完成60亿元。	6000000000元:actual
一、重点任务	预计到2025年，全市新能源汽车保有量将达到10万辆。
一、重点任务	力争全年地区生产总值达到1200亿元。	120000000000元:target
一、重点任务	推进老旧小区二次供水设施改造，年内完成50个小区。	50个:target
一、重点任务	每年至少开展一次培训。	1次:target
一、重点任务	加强监测预测预警，年内建成监测站10个。	10个:target
一、工作回顾	全年完成固定资产投资120亿元（预计数，下同），同比增长8%；规上工业增加值增长6%。
一、工作回顾	全年完成固定资产投资120亿元（预计数），同比增长8%。
一、工作回顾	新建学校3所，完成投资120亿元以上(预计)。	3所:actual
"""


def targets_of(heading: str, sentence: str) -> list[str]:
    plan = parse_text(f"{heading}\n（一）工作。{sentence}")
    out = []
    for t in plan.items[0].children[0].targets:
        value = f"{_n(t.low)}-{_n(t.high)}" if t.low is not None else _n(t.value)
        out.append(f"{value}{t.unit}:{t.kind}")
    return out


def _n(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


def _rows(block: str) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in block.strip("\n").splitlines():
        heading, sentence, *rest = line.split("\t")
        rows.append((heading, sentence, rest[0].split() if rest else []))
    return rows


@pytest.mark.parametrize(("heading", "sentence", "expected"), _rows(CASES))
def test_real_sentences_with_set_phrases_and_forecasts(
    heading: str, sentence: str, expected: list[str]
) -> None:
    assert targets_of(heading, sentence) == expected


@pytest.mark.parametrize(("heading", "sentence", "expected"), _rows(ORDER))
def test_a_later_commitment_or_tally_ends_a_forecast(
    heading: str, sentence: str, expected: list[str]
) -> None:
    assert targets_of(heading, sentence) == expected


@pytest.mark.parametrize("phrase", load("cues")["set_phrases"])
def test_no_set_phrase_is_a_target_even_under_a_commitment(phrase: str) -> None:
    assert targets_of("一、重点任务", f"力争年内全面推行{phrase}，确保取得实效。") == []


@pytest.mark.parametrize(
    "phrase", ["最多跑一次", "只跑一次", "一次性告知", "一次提交", "一次办好", "二次供电设施"]
)
def test_productive_set_phrases_are_not_targets(phrase: str) -> None:
    assert targets_of("一、重点任务", f"年底前全面实现{phrase}。") == []
