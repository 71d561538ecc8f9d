"""Who leads and who supports, as real plans of other issuers write it, one case per line:
an item as written, after the item before it where the page numbers from 2 (\\n for a line
break) ⇥ lead units ⇥ support units (、-joined, - for
none) ⇥ # the page it came from.

Qualifiers after a list (按职责分工负责, 下同…, 等和…), 责任单位 beside 牵头单位, labelled
lines with leaders' names between them, 部门分工 sentences, 〔〕 brackets, statements cut
off by the end of the page, level prefixes that carry over.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.responsibility import split_units

ITEMS = """
1.提高流通管理部门管理效能。理顺区县商务部门职能。(牵头单位:市商务局  责任单位:市编办、市发改委、市法制办、各区县政府)	市商务局	市编办、市发改委、市法制办、各区县政府	# http://www.zc6580.com/Index/shenbaoshow/id/8130/fentype/1
(一)加强市场体系建设。推进高标准市场体系建设。〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕	省发展改革委、省市场监管局、省商务厅、省大数据中心	-	# http://law.foodmate.net/show-219854.html
(二)优化市场准入环境。持续实施“歇业登记”等新制度。〔责任单位:省市场监管局〕	省市场监管局	-	# http://law.foodmate.net/show-219854.html
(一)提高市场開放程度。全面實施市場準入負面清單制度。(牽頭單位:省發展改革委;責任單位:省編辦、省國土資源廳、省環保廳、省住建廳、	省发展改革委	省编办、省国土资源厅、省环保厅、省住建厅	# http://chaincenturyfinance.com/tzgg/2421.html (the page ends inside the bracket)
1.地区生产总值增长6%以上。\\n分管省领导:林克庆\\n部门分工:省发展改革委牵头,各地、各部门配合。	省发展改革委	各地、各部门	# https://jiu.foodmate.net/law/show.php?itemid=985
1.聚焦不平衡不充分问题,实施提高居民收入富民行动。\\n\\n牵头市领导:汤飞帆\\n\\n责任单位:市发改委、市农业农村局、市文旅局	市发改委、市农业农村局、市文旅局	-	# http://www.qz.gov.cn/art/2021/3/26/art_1229563913_2265193.html
1.聚焦不平衡不充分问题。\\n\\n牵头市领导:汤飞帆\\n\\n责任单位:市发改委\\n\\n2.实施做大产业扩大税源行动,加快构建现代产业体系。\\n\\n牵头市领导:汤飞帆\\n\\n责任单位:市发改委、市经信局、市财政局、市住建局、市税务局、市协	市发改委、市经信局、市财政局、市住建局、市税务局	-	# http://www.qz.gov.cn/art/2021/3/26/art_1229563913_2265193.html (the page ends inside a name)
(一)地区生产总值增长7%以上\\n\\n责任单位:区发展和改革局	区发展和改革局	-	# https://www.caidian.gov.cn/zwgk/zc/zfwj/qzfbgwj/202302/t20230208_2147809.shtml
1.全面實施行政許可事項清單管理。(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責)	市政府办公室、市行政审批制度改革工作领导小组办公室	市级各有关部门、各县市区政府	# https://newton.com.tw/wiki/%E9%B9%B9%E9%99%BD%E5%B8%822022%E5%B9%B4%E6%B7%B1%E5%8C%96%E2%80%9C%E6%94%BE%E7%AE%A1%E6%9C%8D%E2%80%9D%E6%94%B9%E9%9D%A9%E6%9C%80%E4%BD%B3%E5%8C%96%E7%87%9F%E5%95%86%E7%92%B0%E5%A2%83%E5%B7%A5%E4%BD%9C%E8%A6%81%E9%BB%9E/61994341
2.車站、港口碼頭經營者不得超載。(交通運輸部門負責)\\n3.公安部門要對超載運輸車輛加大檢查力度。(公安部門負責)	公安部门	-	# https://ppfocus.com/0/ed310efab.html
(一)地区生产总值增长7.5%。(牵头单位:市发改委;责任单位:各区人民政府)	市发改委	各区人民政府	# http://whht.org.cn/news/info/id/3207.html
"""

# unit lists as written ⇥ the names they hold
LISTS = """
省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工	省发展改革委、省市场监管局、省商务厅、省大数据中心	# http://law.foodmate.net/show-219854.html
市级各有关部门及各县市区政府	市级各有关部门、各县市区政府	# https://newton.com.tw/wiki/%E9%B9%B9%E9%99%BD%E5%B8%822022%E5%B9%B4%E6%B7%B1%E5%8C%96%E2%80%9C%E6%94%BE%E7%AE%A1%E6%9C%8D%E2%80%9D%E6%94%B9%E9%9D%A9%E6%9C%80%E4%BD%B3%E5%8C%96%E7%87%9F%E5%95%86%E7%92%B0%E5%A2%83%E5%B7%A5%E4%BD%9C%E8%A6%81%E9%BB%9E/61994341
市工信局、自然资源和规划局、交通运输局、商务局、数据局	市工信局、市自然资源和规划局、市交通运输局、市商务局、市数据局	# https://mytaizhou.net/folder114/folder44/folder51/2024-06-26/714943.html
市政局、环卫处、崇川经济开发区、各街道	市政局、环卫处、崇川经济开发区、各街道	# http://chongchuan.gov.cn/xccqrmzf/msssxm/content/3050375a-7066-4841-b547-49222f1a34fa.html
省卫生厅、省发展改革委员会、省经济委员会、省教育厅、省公安厅、省财政厅	省卫生厅、省发展改革委员会、省经济委员会、省教育厅、省公安厅、省财政厅	# http://xining.baogaosu.com/xinwen/%25E8%25AF%2595%25E8%25A1%258C%25E7%259A%2584%25E9%2580%259A%25E7%259F%25A5%25E6%25B5%2581%25E6%2584%259F/19855976
"""


def _rows(block: str, n: int) -> list[list[str]]:
    rows = []
    for line in block.strip("\n").splitlines():
        cells = line.split("\t")
        assert len(cells) == n + 1, line
        rows.append(cells[:n])
    return rows


@pytest.mark.parametrize(("text", "lead", "support"), _rows(ITEMS, 3))
def test_real_statements_name_the_lead_and_the_support(text: str, lead: str, support: str) -> None:
    plan = parse_text(text.replace("\\n", "\n"))
    item = list(plan.walk())[-1]  # the statement's own item, after any item quoted before it
    assert "、".join(item.lead) == lead
    assert "、".join(item.support) == support.strip("-")


@pytest.mark.parametrize(("written", "names"), _rows(LISTS, 2))
def test_real_unit_lists_are_written_out(written: str, names: str) -> None:
    assert "、".join(split_units(written)) == names


def test_a_leaders_name_on_a_labelled_line_is_not_a_unit() -> None:
    # 牵头负责领导 names a person (滁州 and 衢州 write their 分解 this way)
    plan = parse_text("1.地区生产总值增长8%以上。\n\n牵头负责领导:张三。\n\n牵头责任单位:市发展改革委。\n\n协同责任单位:市经信局、市商务局等,各县、市、区政府。")
    (item,) = plan.items
    assert item.lead == ["市发展改革委"]
    assert item.support == ["市经信局", "市商务局", "各县、市、区政府"]


@pytest.mark.parametrize(
    "declaration",
    [
        # https://z.hangzhou.com.cn/2020/hzrmzfgb/content/content_7745055.html
        "二、责任分解中,列第一位的责任单位为牵头单位或汇总单位。",
        # https://code.fabao365.com/law_479018_1.html
        "四、在《分解落实意见》的责任单位中,排名第一的责任单位为牵头单位,其他列入单位为参与单位。",
    ],
)
def test_a_declared_first_named_lead_may_name_the_responsible_unit(declaration: str) -> None:
    plan = parse_text(f"{declaration}\n（一）推进建设。（责任单位：市交通运输局、市财政局）")
    item = list(plan.walk())[-1]
    assert plan.first_named_leads
    assert item.lead == ["市交通运输局"]
    assert item.support == ["市财政局"]
