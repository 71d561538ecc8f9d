"""Pages of issuers the engine was not built on, spot-checked by hand against the annotation
conventions, one case per line: the sentence as the page writes it ⇥ what is expected ⇥ # the page.

Each block is a family of mistakes the spot check found: statements that give three roles
(X牵头，Y参与，Z负责落实), collectives of places joined by 和 or 及 (…环保厅和内蒙古电力监管办及相关盟市),
and units named for their province that take no level prefix from their neighbour.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text


def _rows(block: str, n: int) -> list[list[str]]:
    rows = []
    for line in block.strip("\n").splitlines():
        cells = line.split("\t")
        assert len(cells) == n + 1 and cells[-1].startswith("# "), line
        rows.append([c.replace("\\n", "\n") for c in cells[:n]])
    return rows


def _split(cell: str) -> list[str]:
    return [] if cell == "-" else cell.split("；")


# statement as the page writes it ⇥ lead ⇥ support (；-joined, - for none)
STATEMENTS = """
(自治区能源开发局牵头,自治区发展改革委、经济和信息化委、国土资源厅、环保厅和内蒙古电力监管办及相关盟市配合)	自治区能源开发局	自治区发展改革委；自治区经济和信息化委；自治区国土资源厅；自治区环保厅；内蒙古电力监管办；相关盟市	# http://wisor.cc/policy/show.php?from=client&itemid=104767
(自治区水利厅牵头,自治区发展改革委、国土资源厅、环保厅及相关盟市配合)	自治区水利厅	自治区发展改革委；自治区国土资源厅；自治区环保厅；相关盟市	# http://wisor.cc/policy/show.php?from=client&itemid=104767
(自治区发展改革委牵头,自治区国土资源厅、水利厅、农牧业厅、林业厅、财政厅及相关盟市配合)	自治区发展改革委	自治区国土资源厅；自治区水利厅；自治区农牧业厅；自治区林业厅；自治区财政厅；相关盟市	# http://wisor.cc/policy/show.php?from=client&itemid=104767
〔市生态环境局牵头,市发展和改革局、工业和信息化局、自然资源局参与,各县、区人民政府(管委会)负责落实。以下各项工作均需各县、区人民政府(管委会)落实,不再列出。〕	市生态环境局	市发展和改革局；市工业和信息化局；市自然资源局；各县、区人民政府(管委会)	# https://cntfj.com/news/12190.html
(市人社局牵头,市发改委、财政局、商务局、金融办、工商局、地税局负责)	市人社局	市发改委；市财政局；市商务局；市金融办；市工商局；市地税局	# https://www.sjz.gov.cn/columns/57d2947c-06e4-4b0a-a8f9-7fbb0651462a/201706/02/a41c09c0-ceab-41f1-a36f-396aaee13d73.html
"""


@pytest.mark.parametrize(("statement", "lead", "support"), _rows(STATEMENTS, 3))
def test_each_clause_of_a_statement_gives_its_units_their_role(
    statement: str, lead: str, support: str
) -> None:
    item = parse_text(f"一、重点任务\n（一）推进建设。{statement}").items[0].children[0]
    assert (item.lead, item.support) == (_split(lead), _split(support))


# excerpt as the page writes it ⇥ label paths (space-separated) ⇥ lead of the last item
SMALL_FORMS = """
一、确保完成全年主要预期目标\\n1﹒全省生产总值增长7%以上,在实际工作中力争更好结果。\\n牵头负责领导:刘惠。\\n牵头责任单位:省发展改革委。\\n协同责任单位:省政府各部门、各直属机构。\\n2﹒固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些。\\n牵头负责领导:刘惠。\\n牵头责任单位:省发展改革委。	一、 一、/1． 一、/2．	省发展改革委	# http://bbs.tongheshandao.com/archiver/showtopic-13251.aspx
"""


@pytest.mark.parametrize(("text", "paths", "lead"), _rows(SMALL_FORMS, 3))
def test_a_small_full_stop_ends_an_enumerator(text: str, paths: str, lead: str) -> None:
    items = parse_text(text).items
    got = [items[0].label] + [f"{items[0].label}/{c.label}" for c in items[0].children]
    assert got == paths.split()
    assert items[0].children[-1].lead == [lead]
