"""Pages of issuers the engine was not built on, spot-checked for what it read wrong, one case per
line: an excerpt as the page writes it (\\n for a line break) ⇥ what is expected ⇥ # the page.

Each block is a family of mistakes: header fields left empty, clock times read as heads,
declarations that the first-named unit leads written in a note, notes closing a list of units,
units of the people's organisations (残联, 科协), a bound qualified by （含）, and tense cues
that say by when rather than whether it was done.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.model import Item
from luoshi.textplan.responsibility import split_units
from tests.textplan.cases import rows
from tests.textplan.table_pages import LISHUI as LISHUI_PAGE


def _paths(items: list[Item], prefix: str = "") -> list[str]:
    out: list[str] = []
    for it in items:
        p = prefix + it.label
        out.append(p)
        out += _paths(it.children, p + "/")
    return out


# header ⇥ field ⇥ expected value (- for none)
EMPTY_FIELDS = """
名 称: 区人民政府办公室 关于印发2020年区政府重点工作责任分解的通知\\n索 引 号: 000014349/2020-105482 发布日期: 2020-06-28 发布机构: 下陆区政府办公室\\n文 号: 文件分类: 综合政务 所属机构:\\n区人民政府办公室 关于印发2020年区政府重点工作责任分解的通知\\n各新区、区政府各部门、各市级垂管单位:	doc_number	-	# http://www.xialuqu.gov.cn/zwgk/zc/qtzdgkwj/202012/t20201222_742409.html
名 称: 区人民政府办公室 关于印发2020年区政府重点工作责任分解的通知\\n索 引 号: 000014349/2020-105482 发布日期: 2020-06-28 发布机构: 下陆区政府办公室\\n文 号: 文件分类: 综合政务 所属机构:\\n区人民政府办公室 关于印发2020年区政府重点工作责任分解的通知\\n各新区、区政府各部门、各市级垂管单位:	issuer	下陆区政府办公室	# http://www.xialuqu.gov.cn/zwgk/zc/qtzdgkwj/202012/t20201222_742409.html
索 引 号: | 000014349/2023-91150 | 信息分类: | |\\n发布机构: | 生成日期: | 2022-12-02 08:54:33 | |\\n文 号: | 六盘水府办发〔2022〕10号 | 是否有效: | |\\n名 称: | 市人民政府办公室关于印发六盘水市新型基础设施建设三年行动方案(2022—2024年)的通知 |\\n各市、特区、区人民政府,六盘水高新区管委会:	issuer	市人民政府办公室	# https://www.gzlps.gov.cn/zwgk/zfxxgkzl/fdzdgknr/zcwj/szfwj_5666042/lpsfbf/202301/t20230116_77945033.html
索 引 号: | 000014349/2023-91150 | 信息分类: | |\\n发布机构: | 生成日期: | 2022-12-02 08:54:33 | |\\n文 号: | 六盘水府办发〔2022〕10号 | 是否有效: | |\\n名 称: | 市人民政府办公室关于印发六盘水市新型基础设施建设三年行动方案(2022—2024年)的通知 |\\n各市、特区、区人民政府,六盘水高新区管委会:	doc_number	六盘水府办发〔2022〕10号	# https://www.gzlps.gov.cn/zwgk/zfxxgkzl/fdzdgknr/zcwj/szfwj_5666042/lpsfbf/202301/t20230116_77945033.html
"""


@pytest.mark.parametrize(("head", "field", "value"), rows(EMPTY_FIELDS, 3))
def test_an_empty_header_field_takes_nothing_from_the_next(head: str, field: str, value: str) -> None:
    got = getattr(parse_text(head).meta, field)
    assert got == (None if value == "-" else value)


# excerpt ⇥ label paths (space-separated)
CLOCK_TIMES = """
市政府工作报告重点工作责任分解(2023年)\\n时间:2023-07-11 17:01 浏览次数: 信息来源: 丽水市政府\\n\\n一、全市经济社会发展主要预期目标\\n\\n1.生产总值增长6%以上,高质量前提下能快则快。\\n\\n责任单位:市发改委\\n\\n2.规上工业增加值增长8%。	一、 一、/1. 一、/2.	# https://www.lishui.gov.cn/art/2023/7/11/art_1229738349_57348087.html
"""


@pytest.mark.parametrize(("text", "paths"), rows(CLOCK_TIMES, 2))
def test_the_minutes_of_a_clock_time_are_no_head(text: str, paths: str) -> None:
    assert _paths(parse_text(text).items) == paths.split()


# https://www.lishui.gov.cn/art/2023/7/11/art_1229738349_57348087.html: the page (``table_pages``)
# from its section's head, items 3 to 9, then on into its second section as stored
LISHUI_NEXT = """二、重点抓好六方面工作

(一)全力以赴拼经济稳增长促发展。

10.实施招商引资“百千”行动,每年招引亿元以上制造业项目100个,带动未来五年制造业投资1000亿元以上。

责任单位:市双招双引办、市发改委、市经信局,各县(市、区)政府、丽水开发区管委会
"""
_LISHUI_HEAD, _LISHUI_ITEMS = LISHUI_PAGE.page.split("\n\n", 1)
LISHUI = f"{_LISHUI_HEAD}\n\n{_LISHUI_ITEMS[_LISHUI_ITEMS.index('3.研发') :]}{LISHUI_NEXT}"
# the page's first items were dropped: an excerpt that opens at 3. carries on from it

# label ⇥ lead ⇥ support (；-joined, - for none)
LISHUI_UNITS = """
3.	市科技局	-	# declared after it
4.	市发改委	市经信局；市科技局；市财政局；市自然资源局；市生态环境局；市建设局；市交通运输局；市水利局；市农业农村局；市文广旅体局；市卫生健康委	# the note declares, 下同 takes in its own list
5.	市商务局	-	# one unit
6.	市人力社保局；市农业农村局	-	# 分别牵头
9.	市人力社保局；市发改委	-	# 分别牵头
10.	市双招双引办	市发改委；市经信局；各县(市、区)政府；丽水开发区管委会	# the first named leads
"""


@pytest.mark.parametrize(("label", "lead", "support"), rows(LISHUI_UNITS, 3))
def test_a_declaration_in_a_note_makes_the_first_named_lead(label: str, lead: str, support: str) -> None:
    item = _item(LISHUI, label)
    assert item.lead == lead.split("；")
    assert item.support == ([] if support == "-" else support.split("；"))


# a plan's items as written ⇥ label of the item checked ⇥ lead ⇥ support (；-joined, - for none)
LISTS_WITH_NOTES = """
二、主要指标\\n到2025年,全市经济社会发展主要指标如下:\\n1.地区生产总值(GDP)总量力争突破3000亿元,年均增长7%以上。(预期性指标,牵头单位:市发改委;责任单位:市政府有关部门,各县市区,以下均需各县市区落实,不再逐	1.	市发改委	市政府有关部门；各县市区	# http://www.jingmen.gov.cn/art/2021/12/31/art_6607_9593.html
(一)減輕企業負擔,穩定就業崗位\\n1.按照國家統一部署,平穩有序實施企業職工基本養老保險繳費比例、繳費基數統一政策。(市人力資源社會保障局、市醫保局、市財政局、市稅務局負責)\\n2.繼續按不高于2017年征收標準征收殘疾人就業保障金。落實分檔征收和減繳緩繳免繳殘疾人就業保障金政策。(市殘聯、市財政局、市稅務局負責)	2.	市残联；市财政局；市税务局	-	# http://www.sangco.com.cn/gkmlpt/content/3/3608/post_3608759.html
"""


def _item(text: str, label: str) -> Item:
    found = [it for it in parse_text(text).walk() if it.label == label]
    assert len(found) == 1, _paths(parse_text(text).items)
    return found[0]


@pytest.mark.parametrize(("text", "label", "lead", "support"), rows(LISTS_WITH_NOTES, 4))
def test_notes_closing_a_list_of_units_name_no_unit(text: str, label: str, lead: str, support: str) -> None:
    item = _item(text, label)
    assert item.lead == lead.split("；")
    assert item.support == ([] if support == "-" else support.split("；"))


# a list of units as written ⇥ the names it holds (；-joined)
PEOPLES_ORGANISATIONS = """
市科技局、市科协、市总工会、市经信局、市卫计局	市科技局；市科协；市总工会；市经信局；市卫计局	# http://yawin.cn/list/news_23722.html
"""


@pytest.mark.parametrize(("written", "names"), rows(PEOPLES_ORGANISATIONS, 2))
def test_peoples_organisations_are_units(written: str, names: str) -> None:
    from luoshi.textplan.responsibility import _looks_like_unit

    units = split_units(written)
    assert units == names.split("；")
    assert all(_looks_like_unit(u) for u in units)


# item as written ⇥ its label ⇥ targets (value unit kind, ；-joined; - for none)
TARGETS = """
(一)減輕企業負擔,穩定就業崗位\\n1.按照國家統一部署,平穩有序實施企業職工基本養老保險繳費比例、繳費基數統一政策。\\n2.繼續按不高于2017年征收標準征收殘疾人就業保障金。落實分檔征收和減繳緩繳免繳殘疾人就業保障金政策,在職職工總數30人(含)以下的企業暫免征收殘疾人保障金。	2.	-	# http://www.sangco.com.cn/gkmlpt/content/3/3608/post_3608759.html
(一)減輕企業負擔,穩定就業崗位\\n1.按照國家統一部署,平穩有序實施企業職工基本養老保險繳費比例、繳費基數統一政策。\\n2.繼續按不高于2017年征收標準征收殘疾人就業保障金。\\n3.繼續實施失業保險穩崗返還政策。放寬返還條件,對參保職工30人(含)以下的企業,裁員率放寬到不超過企業職工總數20%。	3.	-	# http://www.sangco.com.cn/gkmlpt/content/3/3608/post_3608759.html
持續穩定城鄉居民就業。一是年內實現了21.73萬名高校畢業生來鄭留鄭創業,完成年度任務的108.65%。二是全年累計收購人才公寓項目42個。	一是	217300 名 actual；108.65 % actual	# http://www.simfy.cn/news/2023-12-26/detail-imzzhvsn6495814.shtml?from=henan_cnxh
關于2023年為民辦實事項目實施情況的通報\\n一、新增義務教育公辦學校學位5萬個,改造近視防控教室照明2萬間\\n省級財政補助資金下達5.4519億元,完成年度計劃的104.44%。\\n(一)實施近視防控教室照明改造工程,全省完成改造21702間,完成年度計劃的108.5%。	一、	50000 个 actual；20000 间 actual；545190000 元 actual；104.44 % actual	# http://www.huizhicikeji.com/xw/yaowen/2024/0129/280899.shtml
"""


@pytest.mark.parametrize(("text", "label", "targets"), rows(TARGETS, 3))
def test_bounds_and_tense_as_real_pages_write_them(text: str, label: str, targets: str) -> None:
    item = _item(text, label)
    got = [f"{t.value:.12g} {t.unit} {t.kind}" for t in item.targets]
    assert got == ([] if targets == "-" else targets.split("；"))


# head of a page ⇥ field ⇥ expected value
HEADS = """
政务督查\\n第9期\\n新安县人民政府办公室2010年5月5日\\n2010年1-4月份民生建设十件实事\\n进展情况通报\\n2010年,县委、县政府经过认真调研、科学论证,确定了为人民群众办理的十件惠民实事,现将1-4月份民生建设十件实事进展情况通报如下:\\n一、中小学校安全建设项目\\n目标任务:对8所中小学校进行校舍安全改造。	title	2010年1-4月份民生建设十件实事进展情况通报	# https://360docs.net/doc/0216631652.html
政务督查\\n第9期\\n新安县人民政府办公室2010年5月5日\\n2010年1-4月份民生建设十件实事\\n进展情况通报\\n2010年,县委、县政府经过认真调研、科学论证,确定了为人民群众办理的十件惠民实事,现将1-4月份民生建设十件实事进展情况通报如下:\\n一、中小学校安全建设项目\\n目标任务:对8所中小学校进行校舍安全改造。	issuer	新安县人民政府办公室	# https://360docs.net/doc/0216631652.html
索引號 000014348/2020-00052 主題分類 綜合政務\\n發文機構武漢市人民政府辦公廳發文字號武政辦〔2020〕1號\\n發布日期2020年01月23日有效性有效\\n成文日期2020年01月17日\\n\\n市人民政府辦公廳關于印發2020年市《政府工作報告》確定的主要目標任務責任分解方案的通知\\n\\n各區人民政府,市人民政府各部門,各有關單位:\\n\\n一、層層壓實責任,積極推進辦理工作。	issuer	武汉市人民政府办公厅	# http://www.1651624.live/hbgovinfo/zwgk_8265/szfxxgkml/fggw/bgtwj/202001/t20200123_304093.html
索引號 000014348/2020-00052 主題分類 綜合政務\\n發文機構武漢市人民政府辦公廳發文字號武政辦〔2020〕1號\\n發布日期2020年01月23日有效性有效\\n成文日期2020年01月17日\\n\\n市人民政府辦公廳關于印發2020年市《政府工作報告》確定的主要目標任務責任分解方案的通知\\n\\n各區人民政府,市人民政府各部門,各有關單位:\\n\\n一、層層壓實責任,積極推進辦理工作。	doc_number	武政办〔2020〕1号	# http://www.1651624.live/hbgovinfo/zwgk_8265/szfxxgkml/fggw/bgtwj/202001/t20200123_304093.html
湖南省人民代表大会常务委员会制定地方性法规程序的规定\\n\\n时间:2024-07-23 10:26:25 来源: 法律资料网 作者:法律资料网 阅读:8067\\n下载地址: 点击此处下载\\n\\n湖南省人民代表大会常务委员会制定地方性法规程序的规定\\n湖南省人大常委会\\n\\n第一章 总 则\\n第一条 为了使制定地方性法规的程序科学化、规范化,结合本省实际,制定本规定。	issuer	湖南省人大常委会	# http://law245.infoeach.com/view-MjQ1fDYyNDM3.html
厦门市新型墙体材料管理规定(2002年)\\n\\n作者:法律资料网 时间:2024-06-25 14:15:56   浏览:8552   来源:法律资料网\\n下载地址: 点击此处下载\\n\\n厦门市新型墙体材料管理规定(2002年)\\n\\n福建省厦门市人民政府\\n\\n\\n厦门市新型墙体材料管理规定\\n\\n  第一条为推进本市墙体材料革新和建筑节能工作,制定本规定。\\n\\n  第二条凡在本市辖区的墙体材料生产企业,均应遵守本规定。	issuer	福建省厦门市人民政府	# http://law356.infoeach.com/view-MzU2fDExMTg5.html
"""


@pytest.mark.parametrize(("head", "field", "value"), rows(HEADS, 3))
def test_heads_of_pages_as_they_print_title_issuer_and_number(head: str, field: str, value: str) -> None:
    assert getattr(parse_text(head).meta, field) == value


# excerpt ⇥ label paths (space-separated)
NUMBERING = """
目 录\\n\\n第一章 总 则\\n第二章 地方性法规议案的提出\\n第三章 地方性法规草案的审议\\n\\n第一章 总 则\\n第一条 为了使制定地方性法规的程序科学化、规范化,结合本省实际,制定本规定。\\n第二条 制定地方性法规必须从本省的具体情况和实际需要出发。\\n第二章 地方性法规议案的提出\\n第三条 省人民代表大会主席团可以向省人民代表大会提出地方性法规议案。	第一章 第一章/第一条 第一章/第二条 第二章 第二章/第三条	# http://law245.infoeach.com/view-MjQ1fDYyNDM3.html
成都市市級財政專項資金管理暫行辦法\\n\\n第一章總則\\n\\n第一條(目的依據)為加強市級財政專項資金管理,結合實際,制定本辦法。\\n\\n第二條(適用範圍)本辦法所稱市級財政專項資金(以下簡稱專項資金)是指由市級財政性資金安排的資金。\\n\\n第三條(適用事項)專項資金的設立、調整、撤銷、分配、使用、監	第一章 第一章/第一条 第一章/第二条 第一章/第三条	# http://per-better.com/rule/46420.html
"""


@pytest.mark.parametrize(("text", "paths"), rows(NUMBERING, 2))
def test_contents_and_articles_as_rules_are_printed(text: str, paths: str) -> None:
    assert _paths(parse_text(text).items) == paths.split()


# https://www.xialuqu.gov.cn/zwgk/zc/qtzdgkwj/202012/t20201222_742409.html: statements in square brackets
XIALU = """一、全力统筹疫情防控和经济社会秩序恢复
(一)坚持常态化疫情防控
1、切实提高政治站位,慎终如始精准抓好疫情防控工作。对重点人群核酸检测应检尽检,全力做好无症状感染者的监测、追踪、隔离和治疗。[牵头单位:区卫健局;责任单位:区疫情防控指挥部成员单位、各街办(新区)]
2、以爱国卫生运动和文明城市创建为抓手,大力开展环境卫生综合整治,强化群众风险防控意识,切实巩固疫情防控成果。[牵头单位:区卫健局、区创文办;责任单位:区疫情防控指挥部成员单位、区创文工作领导小组成员单位、各街办(新区)]
"""


@pytest.mark.parametrize(
    ("label", "lead", "support"),
    [
        ("1、", "区卫健局", "区疫情防控指挥部成员单位；各街办(新区)"),
        ("2、", "区卫健局；区创文办", "区疫情防控指挥部成员单位；区创文工作领导小组成员单位；各街办(新区)"),
    ],
)
def test_a_statement_in_square_brackets_is_read(label: str, lead: str, support: str) -> None:
    item = _item(XIALU, label)
    assert item.lead == lead.split("；")
    assert item.support == support.split("；")


# excerpt ⇥ label paths (space-separated)
DECIMAL_OUTLINES = """
一、县域社会治理中司法行政的功能定位\\n\\n1.1 法治保障功能\\n\\n司法行政是县域社会治理法治化的基础支撑。\\n\\n1.2 矛盾化解功能\\n\\n基层矛盾纠纷的及时有效化解是维护社会稳定的关键。	一、 一、/1.1 一、/1.2	# https://www.hkyyi.com/html/si-fa-xing-zheng-yu-xian-yu-she-hui-zhi-li-ru-he-po-jie-ji-ceng-zhi-li-nan-ti-bing-ti-sheng-fa-zhi-h.html
1.1 核心目标\\n\\n把宿主指令（用户/系统）变成可执行的任务 DAG（有依赖、有验收标准）。\\n\\n1.2 关键对象（建议最少字段）\\nGoal（顶层目标）\\n\\n1.3 拆解规则（可执行的 heuristic）\\n目标：让拆解稳定、可复用、可验收。\\n\\n1.4 分发策略（Routing Policy）\\n\\n2.1 目录结构（强目录骨架）	1.1 1.2 1.3 1.4	# code corpus: Training_Manual/Plan19 详情 (the excerpt ends at 2.1, which no 2.2 confirms)
"""


@pytest.mark.parametrize(("text", "paths"), rows(DECIMAL_OUTLINES, 2))
def test_decimal_outlines_number_by_their_last_part(text: str, paths: str) -> None:
    assert _paths(parse_text(text).items) == paths.split()


# a rule for firms with the counts it pays in ⇥ label ⇥ targets (- for none)
RATES_AND_CAPS = """
1.对团队再给予 100 万元用于科学研究。2.对实际投资 2 亿元或年纳税总额 5000 万元以上的招商项目，当年度投资（使用自有资金，下同）到位 5000 万元，给予自主认定四类人才指标 1名，每增加实际到位投资额 5000 万元增加 1 名指标，同一企业当年度最多不超过 10 名。责任单位：市发改委、市财政局、市工信局、市商务局。	2.	-	# code corpus id 4561487438 (莆田 关于支持“双招双引”的十条意见, quoted in a QA script)
"""


@pytest.mark.parametrize(("text", "label", "targets"), rows(RATES_AND_CAPS, 3))
def test_a_rate_or_a_cap_of_a_rule_is_no_target(text: str, label: str, targets: str) -> None:
    item = _item(text, label)
    got = [f"{t.value:.12g} {t.unit} {t.kind}" for t in item.targets]
    assert got == ([] if targets == "-" else targets.split("；"))
