"""Responsibility stated in a sentence rather than a bracket, one case per line: an item of
a real page (\\n for a line break) ⇥ lead units ⇥ support units (- for none) ⇥ # the page.

A sentence whose subject is a list of units that 会同 others, 研究提出了办理意见 or
牵头组织… assigns the item that holds it; 由X牵头 names X; the writer (我局) and sentences
without a subject name nobody.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text

CASES = """
一、沿边地区开发开放\\n国家发展改革委会同有关部门赴辽宁、吉林开展沿边地区开发开放建议办理调研。	国家发展改革委	有关部门	# http://www.npc.gov.cn/npc/c2/c185/c200/201905/t20190522_108917.html
一、沿边地区开发开放\\n根据办理工作计划,国家发展改革委西部开发司会同参加办理单位、督办单位相关部门组成联合调研组,赴辽宁省丹东市、吉林省延边州开展代表建议办理专题调研。	-	-	# http://www.npc.gov.cn/npc/c2/c185/c200/201905/t20190522_108917.html (the subject follows a clause)
一、十方面民生实事\\n市政府第一时间对十方面民生实事进行量化分解,明确47个事项,由市民政局、市建设局、市交通运输局、市水利局、市卫生健康委等18个部门牵头实施。	市民政局、市建设局、市交通运输局、市水利局、市卫生健康委	-	# http://jiujuw.com/art/2024/1/24/art_1229716740_60257739.html
一、关于“成立专门班子研究广元大物流”\\n我局高度重视,并于8月5日,由我局牵头,市发展改革委、市经济合作局参加与您进行了当面沟通。	-	-	# http://www.cngy.gov.cn/govop/show/20191231161841-45320-00-000.html
一是抓好顶层设计,制定了重点工作安排。二是压实“菜篮子”责任,会同市农业农村委修订了本市“菜篮子”区长负责制考核办法实施细则。	-	-	# http://law.foodmate.net/mobile/index.php?moduleid=23&itemid=227901
"""


def _rows(block: str) -> list[list[str]]:
    return [line.split("\t")[:3] for line in block.strip("\n").splitlines()]


@pytest.mark.parametrize(("text", "lead", "support"), _rows(CASES))
def test_a_sentence_naming_who_handles_an_item_assigns_it(text: str, lead: str, support: str) -> None:
    plan = parse_text(text.replace("\\n", "\n"))
    item = list(plan.walk())[-1]
    assert "、".join(item.lead) == lead.strip("-")
    assert "、".join(item.support) == support.strip("-")


def test_only_the_first_handling_sentence_of_an_item_assigns_it() -> None:
    # a reply letter names who handled the request, then narrates what units will do
    plan = parse_text(
        "一、关于污染治理问题。\n市生态环境局会同市水利局研究提出了办理意见：目前，市生态环境局正在修订规划，"
        "同时将会同市财政局、市住建局认真研究。市住建局将会同各区政府做好污水处理工作。"
    )
    (item,) = plan.items
    assert item.lead == ["市生态环境局"]
    assert item.support == ["市水利局"]


def test_a_bracketed_statement_outweighs_a_sentence_in_the_same_item() -> None:
    plan = parse_text("1.推进规划编制。市发展改革委会同市自然资源局开展研究。（牵头单位：市自然资源局）")
    (item,) = plan.items
    assert item.lead == ["市自然资源局"]
