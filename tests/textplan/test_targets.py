"""Target cases, one per line: an item's sentence → the targets read from it (value unit kind)."""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text


def targets_of(sentence: str, heading: str = "一、重点任务") -> list[str]:
    plan = parse_text(f"{heading}\n（一）工作。{sentence}")
    item = plan.items[0].children[0]
    out = []
    for t in item.targets:
        value = f"{_n(t.low)}-{_n(t.high)}" if t.low is not None else _n(t.value)
        out.append(f"{value}{t.unit}:{t.kind}")
    return out


def _n(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


# sentence ⇥ expected targets, space separated (empty: none)
PLAN_SENTENCES = """
力争全年新增国家级专精特新“小巨人”企业5家以上。	5家:target
力争年内引聚万名以上产业人才。	10000名:target
力争完成20条以上道路建设，打通断头路10条以上。	20条:target 10条:target
力争2024年新增停车位6000个以上。	6000个:target
各牵头责任单位组织至少1次圈内城市对口部门联席会，开展2—3次合作交流活动。	1次:target 2-3次:target
到2025年，体育竞赛表演产业总规模达到2万亿元，推出100项具有较大知名度的体育精品赛事。	2000000000000元:target 100项:target
局级以上党政领导干部5年内累计参加脱产培训不少于3个月。	3个月:target
其中40岁左右的成员应有一至两名。	1-2名:target
“两新”组织党组织的覆盖率达到75%以上。	75%:target
市、区党委中心组每两个月至少举办1次学习报告会。	1次:target
"""

REPORT_SENTENCES = """
都市圈日开行动车达107.5对、为公交化运营前的3倍，日均客流量达3.8万余人次。	107.5对:actual 3倍:actual 38000人次:actual
合作推进464个项目，完成投资约1088亿元。	464个:actual 108800000000元:actual
彭什产业园年产值5.75亿元（同比增长42.7%）。	575000000元:actual 42.7%:actual
服务1000余万人次持码就诊，毗邻地区覆盖率达100%。	10000000人次:actual 100%:actual
PM2.5平均浓度同比下降7.9%。	7.9%:actual
都市圈内17个国考断面水质优良占比100%。	100%:actual
举办四届“互通互信、共建共享”系列恳谈会活动。	4届:actual
成功推动“中潜股份”和“红墙新材料”两家企业在深交所上市。	2家:actual
与深莞两市共同建设的21项对接道路已完成11项。	21项:actual 11项:actual
"""

# things that are not targets: names, dates, ordinals, durations, benefit rules, conditions
NOT_TARGETS = """
推动轨道19号线一期开工，市域铁路成资S3线开工。
规划建设“3+4”重大产业平台，建起“1+1+N”都市圈规划体系。
谋划形成第三批综合改革试点储备项目，实施三年行动计划。
对不裁员的参保企业，可返还其上年度实际缴纳失业保险费的50%。
符合条件的人员自主创业的，可申请最高不超过15万元的创业担保贷款。
将补贴范围扩展至16—24岁失业青年，组织参加3—12个月的就业见习。
各地要在本意见印发之日起30日内出台办法。
生活费补贴政策每人每年只享受一次。
升级推广“远程喊停3.0”监管体系，推进“十四五”规划。
在全国74个城市中排名第三。
根据五个一体化规划以及五个一体化行动计划的要求，我市建立了工作机制。
发挥大亚湾开发区、仲恺高新区两个国家级开发区的优势。
方案已经市政府七届44次常务会议讨论通过，落实十九届二中、三中全会精神。
围绕工业、交通基础设施、科技创新等11个合作专题开展研究。
推动零部件企业集聚，支持1月17日召开的会议。
"""


def _rows(block: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in block.strip("\n").splitlines():
        sentence, _, expected = line.partition("\t")
        rows.append((sentence, expected.split()))
    return rows


@pytest.mark.parametrize(("sentence", "expected"), _rows(PLAN_SENTENCES))
def test_commitments_in_a_plan_are_targets(sentence: str, expected: list[str]) -> None:
    assert targets_of(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), _rows(REPORT_SENTENCES))
def test_results_in_a_report_are_actuals(sentence: str, expected: list[str]) -> None:
    assert targets_of(sentence, heading="一、我市对接深圳的基本情况") == expected


@pytest.mark.parametrize("sentence", NOT_TARGETS.strip().splitlines())
def test_names_dates_and_benefit_rules_are_not_targets(sentence: str) -> None:
    assert targets_of(sentence) == []


def test_a_target_keeps_its_metric_phrase_comparator_and_source() -> None:
    text = "一、重点任务\n（一）交通。力争2024年新增停车位6000个以上。"
    plan = parse_text(text)
    (t,) = plan.items[0].children[0].targets
    assert t.metric.endswith("新增停车位")
    assert t.comparator == ">="
    assert t.span is not None and text[t.span.start : t.span.end] == "6000个"


def test_a_past_year_makes_a_figure_an_achievement() -> None:
    plan = parse_text(
        "惠州市人民政府办公室\n2017年6月1日\n一、工作安排\n（一）产业。2016年共承接转移项目65个。"
    )
    (t,) = plan.items[0].children[0].targets
    assert t.kind == "actual"


def test_a_plan_titled_as_a_plan_reads_unmarked_figures_as_targets() -> None:
    plan = parse_text(
        "成都都市圈建设2024年工作要点\n一、公共服务共享\n1.推动社保一卡通。实现公共服务应用场景100项以上，"
        "异地就医结算定点医疗机构达到2万家。"
    )
    kinds = [t.kind for t in plan.items[0].children[0].targets]
    assert kinds == ["target", "target"]
