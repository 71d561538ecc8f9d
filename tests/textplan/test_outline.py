"""Outline cases, one per line: document text (\\n for a line break) → label paths found."""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text


def paths(text: str) -> list[str]:
    plan = parse_text(text)
    out: list[str] = []

    def walk(items, prefix):
        for it in items:
            p = prefix + [it.label]
            out.append("/".join(p))
            walk(it.children, p)

    walk(plan.items, [])
    return out


# text ⇥ expected label paths, space separated
CASES = """
一、总体要求\\n（一）指导思想。\\n（二）基本原则。\\n二、重点任务\\n（三）加快建设。	一、 一、/（一） 一、/（二） 二、 二、/（三）
一、推进规划统筹一体化1.加快规划报批实施。2.深化重大课题研究。二、推进基础设施一体化3.优化轨道交通布局。	一、 一、/1. 一、/2. 二、 二、/3.
一、提前全面谋划\\n一是印发行动方案。协同推进。二是规划建设走廊。三是规划建设产业平台。	一、 一、/一是 一、/二是 一、/三是
一、提前全面谋划\\n积极推动。\\n二、加快交通建设\\n、加强与深圳产业合作\\n、加强人才安居房建设	一、 二、 三、 四、
01 全力抓好经济运行\\n抓生产、稳增长。\\n02 坚持创新驱动发展\\n1月17日召开会议。	01 02
关键词1\\n顶层设计\\n组建14个专项合作组。\\n关键词2\\n交通\\n开通3条线路。	关键词1 关键词2
1.关于投入使用的问题。目前已投入使用。\\n2.关于迁入办公的问题。\\n3.关于多规合一的问题。	1. 2. 3.
（一）加快建设\\n①建设港口；②建设机场；③建设铁路。\\n（二）完善机制	（一） （一）/① （一）/② （一）/③ （二）
1.强化党性教育。\\n2.建设学习型党组织。\\n二、建设干部队伍\\n3.提升能力。	1. 2. 3.
一、目标任务\\n1.以党建为主线。\\n二、行动计划\\n2.强化党性教育。\\n3.建设学习型党组织。	一、 一、/1. 二、 二、/2. 二、/3.
第一，加强领导。第二，强化保障。	第一， 第二，
第一章 总则\\n第一条 为了规范管理，制定本办法。\\n第二条 本办法适用于全市。\\n第二章 职责\\n第三条 市发展改革局负责统筹。	第一章 第一章/第一条 第一章/第二条 第二章 第二章/第三条
"""

NEGATIVE = """
推动轨道19号线一期开工，日均客流量达3.8万余人次。
市政协十二届次会议期间，提出第三批项目。
成德S11线、成眉S5线加快推进，升级推广“远程喊停3.0”监管体系。
2024年1月17日，坪山区二届三次党代会召开。
统一是前提，唯一是要求。
"""


def _cases(block: str) -> list[tuple[str, list[str]]]:
    out = []
    for line in block.strip().splitlines():
        text, expected = line.split("\t")
        out.append((text.replace("\\n", "\n"), expected.split()))
    return out


@pytest.mark.parametrize(("text", "expected"), _cases(CASES))
def test_it_nests_enumerators_as_the_document_does(text: str, expected: list[str]) -> None:
    assert paths(text) == expected


@pytest.mark.parametrize("text", NEGATIVE.strip().splitlines())
def test_numbers_in_running_text_are_not_items(text: str) -> None:
    assert paths(text) == []


def test_a_lost_numeral_is_restored_and_marked_uncertain() -> None:
    plan = parse_text("一、强化统计\n内容。\n、加强产业合作\n内容。")
    assert [it.label for it in plan.items] == ["一、", "二、"]
    assert plan.items[1].confidence < 1


def test_titles_end_at_the_first_stop_or_the_next_label() -> None:
    plan = parse_text("一、推进规划统筹一体化1.加快规划报批实施。配合上报。")
    assert plan.items[0].title == "推进规划统筹一体化"
    assert plan.items[0].children[0].title == "加快规划报批实施"


def test_a_label_alone_on_its_line_takes_the_next_line_as_title() -> None:
    plan = parse_text("关键词1\n顶层设计\n建起规划体系。")
    assert plan.items[0].title == "顶层设计"


def test_page_furniture_after_the_body_is_not_an_item() -> None:
    text = (
        "一、加强领导\n内容。\n二、强化保障\n内容。\n上一篇：3.关于召开会议的通知\n相关链接 1.国务院 2.省政府"
    )
    assert paths(text) == ["一、", "二、"]


def test_every_item_points_back_to_its_source_span() -> None:
    text = "前言。\n一、加强領導\n（一）發(fā)展規劃。"
    plan = parse_text(text)
    child = plan.items[0].children[0]
    assert child.span is not None
    assert text[child.span.start :].startswith("（一）")
    assert child.title == "发展规划"


def test_an_items_span_covers_its_sub_items_and_stops_at_the_next_sibling() -> None:
    text = "前言\n一、甲\n（一）子一。\n（二）子二。\n二、乙\n内容。"
    plan = parse_text(text)
    first, second = plan.items
    assert text[first.span.start : first.span.end] == "一、甲\n（一）子一。\n（二）子二。\n"
    assert text[second.span.start : second.span.end] == "二、乙\n内容。"
