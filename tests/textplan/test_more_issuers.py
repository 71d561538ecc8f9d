"""Passages of plans, scorecards and replies of issuers spot-checked for the engine (provinces,
cities, counties and districts it was not built on), each cut from the page named beside it and
read as the page writes it: what the engine gets right on them is kept right.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.model import Item


def _walk(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    for it in items:
        out.append(it)
        out += _walk(it.children)
    return out


def _by_label(text: str) -> dict[str, Item]:
    return {it.label: it for it in _walk(parse_text(text).items)}


# item line (as written) ⇥ lead (；-joined, - for none) ⇥ support ⇥ source
UNIT_LINES = """
一、强化科技创新(区科技局牵头)	区科技局	-	# https://chu21.com/html/chunengy-43847.shtml
1.全面實施行政許可事項清單管理。動態調整行政許可事項清單。(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責)	市政府办公室；市行政审批制度改革工作领导小组办公室	市级各有关部门；各县市区政府	# https://newton.com.tw/wiki/%E9%B9%B9%E9%99%BD%E5%B8%822022%E5%B9%B4%E6%B7%B1%E5%8C%96%E2%80%9C%E6%94%BE%E7%AE%A1%E6%9C%8D%E2%80%9D%E6%94%B9%E9%9D%A9%E6%9C%80%E4%BD%B3%E5%8C%96%E7%87%9F%E5%95%86%E7%92%B0%E5%A2%83%E5%B7%A5%E4%BD%9C%E8%A6%81%E9%BB%9E/61994341
一、对地区生产总值增长5%以上、粮食产量500亿斤左右等经济社会发展预期目标完成情况进行监测和督导。(省发展改革委、省工业和信息化厅、省财政厅等按职责分工负责)	省发展改革委；省工业和信息化厅；省财政厅	-	# http://zwcm.itez.com.cn/dnp/content/ZZX4V0RD06F61SYCEH
(1)实施老旧小区改造提升。改造凤园西侧片区老旧小区、机关新村老旧小区。|主办单位:县城投公司,协办单位:住建局、凤城镇。	县城投公司	住建局；凤城镇	# https://news.fznews.com.cn/fzsync/2021-02-18/1727032084535.shtml
"""


@pytest.mark.parametrize(
    ("line", "lead", "support"), [ln.split("\t#")[0].split("\t") for ln in UNIT_LINES.strip().splitlines()]
)
def test_units_of_other_issuers(line: str, lead: str, support: str) -> None:
    item = _walk(parse_text(line.replace("|", "\n")).items)[0]
    assert item.lead == ([] if lead == "-" else lead.split("；"))
    assert item.support == ([] if support == "-" else support.split("；"))


# https://m.yybnet.net/xuancheng/jingde/201501/634383.html (旌德县为民十件实事, one paragraph)
JINGDE = (
    "这10件实事分别为:一是实施白沙水库水源地环境综合整治,启动丁家山水库引水工程,建设县城第二水源地;"
    "二是实施污水处理厂二期工程,加快老城区污水管网建设;三是加快推进老城区老旧小区和背街小巷综合治理;四"
    "是加快推进全县中小学薄弱学校改造工程,年度实施10所以上;五是加大医疗卫生投入,支持县医院实施创甲升"
    "级计划;六是完成县乡道升级改造和“村村通”延伸工程不少于50公里;七是继续加大城区社会停车场建设,新"
    "增停车位300个,改扩建城区公交站台10对;八是建成城区养老服务中心并投入运营,床位不少于150个;"
    "九是实施“菜篮子”扩面工程,实现大棚蔬菜700亩、时令蔬菜700亩种植;十是大力推进城区粉尘、油烟等"
    "大气污染综合治理工作。"
)

# label ⇥ targets (value unit kind, ；-joined; - for none)
JINGDE_TARGETS = """
一是	-
四是	10 所 target
六是	50 公里 target
七是	300 个 target；10 对 target
八是	150 个 target
九是	700 亩 target；700 亩 target
"""


@pytest.mark.parametrize(("label", "targets"), [ln.split("\t") for ln in JINGDE_TARGETS.strip().splitlines()])
def test_inline_yi_shi_items_keep_their_own_targets(label: str, targets: str) -> None:
    item = _by_label(JINGDE)[label]
    got = [f"{t.value:g} {t.unit} {t.kind}" for t in item.targets]
    assert got == ([] if targets == "-" else targets.split("；"))


# goal sentence ⇥ value or low-high ⇥ unit ⇥ kind ⇥ source
GOALS = """
到2025年,培育形成2个千亿级产业集群和6个五百亿级产业集群,力争培育8—10个百亿企业。	8-10	个	target	# http://www.kaifeng.gov.cn/kfsrmzfwz/szfbgswj202303312215/pc/content/content_1765918279767756800.html
规模以上工业企业力争突破2200家,形成一批世界一流企业和中国制造业500强企业。	2200	家	target	# http://henan.kjzch.com/xinxiang/2023-10-31/837703.html
到2025年,全市新增残疾人就业800人以上,组织开展残疾人职业技能培训1300人次以上。	800	人	target	# http://www.dongyang.gov.cn/art/2023/3/21/art_1229692327_59603057.html
规模以上制造业研发经费占主营业务收入比重达到2.5%、研发机构覆盖率达到65%。	2.5	%	target	# http://zxyzs.com/neimenggu/zhengce/2017/74196.html
"""


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "kind"),
    [ln.split("\t#")[0].split("\t") for ln in GOALS.strip().splitlines()],
)
def test_goal_sentences_of_other_issuers(sentence: str, value: str, unit: str, kind: str) -> None:
    t = parse_text(f"一、发展目标\n（一）{sentence}").items[0].children[0].targets[-1 if "-" in value else 0]
    if "-" in value:
        low, high = (float(x) for x in value.split("-"))
        assert (t.low, t.high) == (low, high)
    else:
        assert t.value == float(value)
    assert (t.unit, t.kind) == (unit, kind)


# page head (|-joined) ⇥ title ⇥ issuer ⇥ doc_number ⇥ date ⇥ source
HEADS = """
川辦函〔2015〕54號|各市(州)、縣(市、區)人民政府,省政府各部門、各直屬機構,有關單位:|經省政府領導同志同意,現將《2015年縣域經濟改革發展重點工作推進方案》印發你們,請認真貫徹執行。|四川省人民政府辦公廳|2015年3月20日|2015年縣域經濟改革發展重點工作推進方案|一、深化重點領域和關鍵環節改革	2015年县域经济改革发展重点工作推进方案	四川省人民政府办公厅	川办函〔2015〕54号	2015-03-20	# http://2jc1.com/news/qgdt/20151012/113083.html
姚安县交通运输局关于对姚安县第十七届人民代表大会第一次会议第48号建议案的答复|来源: 姚安县交通运输局 | 访问量:3487 | 发布时间: 2017/6/30 16:31:56|王学菊等12位代表:|感谢你们对交通运输事业的关心和支持。|姚安县交通运输局|2017年6月23日	姚安县交通运输局关于对姚安县第十七届人民代表大会第一次会议第48号建议案的答复	姚安县交通运输局	-	2017-06-23	# http://stored777.com/Pages_315_31091.aspx
州政發〔2020〕5號|各縣市人民政府、湘西經開區管委會,州政府各局委、各直屬機構:|《湘西自治州2020年深化“放管服”改革優化營商環境工作計劃》已經州人民政府第54次常務會議同意,現印發給你們。|湘西自治州人民政府|2020年2月22日|湘西自治州2020年深化“放管服”改革優化營商環境工作計劃	湘西自治州2020年深化“放管服”改革优化营商环境工作计划	湘西自治州人民政府	州政发〔2020〕5号	2020-02-22	# http://m.bgbf.com.cn/zqt/ztsy/yshj/szyhyshjzc/202002/t20200222_13535478.html
"""


@pytest.mark.parametrize(
    ("head", "title", "issuer", "doc_number", "date"),
    [ln.split("\t#")[0].split("\t") for ln in HEADS.strip().splitlines()],
)
def test_meta_of_other_issuers(head: str, title: str, issuer: str, doc_number: str, date: str) -> None:
    meta = parse_text(head.replace("|", "\n")).meta
    assert (meta.title, meta.issuer, meta.doc_number or "-", meta.date) == (title, issuer, doc_number, date)
