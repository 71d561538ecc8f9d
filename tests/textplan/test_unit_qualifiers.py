"""Unit names with a qualifier in brackets are read whole: 各县（市、区）人民政府,
高新区管委会（含开发区、保税区）, 市自然资源和规划局（市林业局）. The 、 and 及 inside the
brackets separate nothing, a bracket never cuts a name, and a suffix shared across a list
(济宁高新区、太白湖新区管委会(推进办公室)) brings its qualifier along.

LISTS are unit lists as real documents of other issuers write them (the addressees of a
notice name the same units its tasks are given to) ⇥ the names they hold (；-joined) ⇥ # the page.
STATEMENTS put such names into each shape of responsibility statement.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.responsibility import split_units

LISTS = """
各县(市、区)人民政府,济宁高新区、太白湖新区、济宁经济技术开发区、曲阜文化建设示范区管委会(推进办公室),市政府各部门	各县(市、区)人民政府；济宁高新区管委会(推进办公室)；太白湖新区管委会(推进办公室)；济宁经济技术开发区管委会(推进办公室)；曲阜文化建设示范区管委会(推进办公室)；市政府各部门	# http://jiaxiang.gov.cn/art/2021/7/19/art_72008_2718080.html
各县区人民政府 (管委会),市政府各部门、各直属机构	各县区人民政府(管委会)；市政府各部门；各直属机构	# https://dzrdoor.com/bgs/info/1131/3781.html
各镇(街道)人民政府(办事处),临港经济开发区管委会	各镇(街道)人民政府(办事处)；临港经济开发区管委会	# http://www.dawa.gov.cn/2021_02/01_16/content-307974.html
各县(区)人民政府,市直有关部门	各县(区)人民政府；市直有关部门	# https://www.suining.gov.cn/gongkai/show/4d68fdf085f444d2a0859d3100bd665e.html
五市人民政府、自治区有关部门(单位)	五市人民政府；自治区有关部门(单位)	# http://www.nxforestry.gov.cn/zwgk/zfxxgkml/wgk/jcgk/201807/t20180705_860391.html
市县两级各有关部门(单位)	市县两级各有关部门(单位)	# http://jiaxiang.gov.cn/art/2021/7/19/art_72008_2718080.html
"""

# statement as written ⇥ lead ⇥ support (；-joined, - for none)
STATEMENTS = """
（牵头单位：市商务局；配合单位：高新区管委会（含开发区、保税区及各功能园区管理机构）、市财政局）	市商务局	高新区管委会（含开发区、保税区及各功能园区管理机构）；市财政局
（市发展改革委牵头，各县(市、区)人民政府、济宁经济技术开发区管委会(推进办公室)配合）	市发展改革委	各县(市、区)人民政府；济宁经济技术开发区管委会(推进办公室)
（责任单位：各县(市、区)人民政府，经开区管委会（含综保区），下同）	各县(市、区)人民政府；经开区管委会（含综保区）	-
（牵头单位：市自然资源和规划局（市林业局）；配合单位：各县区人民政府 (管委会)）	市自然资源和规划局（市林业局）	各县区人民政府(管委会)
由经开区管委会（含综保区）牵头，市财政局配合。	经开区管委会（含综保区）	市财政局
由各镇(街道)人民政府(办事处)负责。	各镇(街道)人民政府(办事处)	-
经开区管委会（含综保区）会同市财政局负责。	经开区管委会（含综保区）	市财政局
（市政府办公室牵头，市县两级各有关部门(单位)按职责分工负责）	市政府办公室	市县两级各有关部门(单位)
"""


def _rows(block: str, n: int) -> list[list[str]]:
    rows = []
    for line in block.strip("\n").splitlines():
        cells = line.split("\t")
        assert len(cells) >= n, line
        rows.append(cells[:n])
    return rows


@pytest.mark.parametrize(("written", "names"), _rows(LISTS, 2))
def test_real_unit_lists_keep_bracketed_qualifiers_whole(written: str, names: str) -> None:
    assert split_units(written) == names.split("；")


@pytest.mark.parametrize(("statement", "lead", "support"), _rows(STATEMENTS, 3))
def test_statements_read_qualified_names_whole(statement: str, lead: str, support: str) -> None:
    plan = parse_text(f"一、重点任务\n（一）推进园区建设。{statement}")
    item = plan.items[0].children[0]
    assert item.lead == lead.split("；")
    assert item.support == ([] if support == "-" else support.split("；"))


def test_a_role_in_brackets_is_a_statement_not_a_qualifier() -> None:
    plan = parse_text("一、重点任务\n（一）推进园区建设（市商务局牵头，市财政局配合）。")
    item = plan.items[0].children[0]
    assert (item.lead, item.support) == (["市商务局"], ["市财政局"])
