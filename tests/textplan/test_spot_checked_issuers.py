"""Pages of issuers the engine was not built on, spot-checked by hand against the annotation
conventions, one case per line: the sentence as the page writes it ⇥ what is expected ⇥ # the page.

Each block is a family of mistakes the spot check found: statements that give three roles
(X牵头，Y参与，Z负责落实), collectives of places joined by 和 or 及 (…环保厅和内蒙古电力监管办及相关盟市),
and units named for their province that take no level prefix from their neighbour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file, parse_text
from tests.textplan.cases import rows


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


@pytest.mark.parametrize(("statement", "lead", "support"), rows(STATEMENTS, 3))
def test_each_clause_of_a_statement_gives_its_units_their_role(
    statement: str, lead: str, support: str
) -> None:
    item = parse_text(f"一、重点任务\n（一）推进建设。{statement}").items[0].children[0]
    assert (item.lead, item.support) == (_split(lead), _split(support))


# excerpt as the page writes it ⇥ label paths (space-separated) ⇥ lead of the last item
SMALL_FORMS = """
一、确保完成全年主要预期目标\\n1﹒全省生产总值增长7%以上,在实际工作中力争更好结果。\\n牵头负责领导:刘惠。\\n牵头责任单位:省发展改革委。\\n协同责任单位:省政府各部门、各直属机构。\\n2﹒固定资产投资力争增长10%以上,在实际工作中奋力完成得更快一些。\\n牵头负责领导:刘惠。\\n牵头责任单位:省发展改革委。	一、 一、/1． 一、/2．	省发展改革委	# http://bbs.tongheshandao.com/archiver/showtopic-13251.aspx
"""


@pytest.mark.parametrize(("text", "paths", "lead"), rows(SMALL_FORMS, 3))
def test_a_small_full_stop_ends_an_enumerator(text: str, paths: str, lead: str) -> None:
    items = parse_text(text).items
    got = [items[0].label] + [f"{items[0].label}/{c.label}" for c in items[0].children]
    assert got == paths.split()
    assert items[0].children[-1].lead == [lead]


# an item's text as the page writes it ⇥ its targets (value or low-high, then unit; space-separated;
# - for none) ⇥ # the page
TARGETS = """
主要目标指标。健康浙江发展指数达85,人均预期寿命达82.4岁,居民健康素养水平达39%以上,重大慢病过早死亡率降至9.3%,总体癌症五年生存率达47%,人均基本公共卫生服务经费达102元以上;培育健康浙江行动省级样板50个,城乡居民免费健康体检人数达1000万以上,居民电子健康档案开放率达70%以上。	85 82.4岁 39% 9.3% 47% 102元 50个 10000000 70%	# https://wsjkw.zj.gov.cn/art/2023/4/25/art_1229123468_5105599.html
居民人均期望寿命达到81岁;孕产妇死亡率、婴儿死亡率等市民主要健康指标接近或达到发达国家水平。	81岁	# http://szxxg.com/shenzhen/20160322/24227.html
实施就业创业促进工程。落实就业见习补贴政策,组织16-24岁失业青年参加3-12个月就业见习,给予见习人员基本生活补贴。	-	# https://swj.xuancheng.gov.cn/OpennessContent/show/1529783.html
重点工作。年内新增奶羊2.5万只(新引进0.85万只,自繁1.65万只),通过投放优质种公羊、人工授精、胚胎移植等方式持续打造奶羊良种核心群。创建奶羊产业技术服务中心或收奶站3个、奶羊养殖示范点3个。	25000只 8500只 16500只 3个 3个	# https://www.hsxzf.gov.cn/nyncj/xxgk/zfwj/content_24082
新(扩)建养殖户。以标准化、规模化、集约化为方向,新(扩)建50只以上规模养殖户47个。	47个	# https://www.hsxzf.gov.cn/nyncj/xxgk/zfwj/content_24082
全年粮食播种面积4600万亩,总产1150万吨。(省农业厅等负责)	46000000亩 11500000吨	# http://xian.baogaosu.com/xinwen/%E9%99%95%E8%A5%BF%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A%E9%83%A8%E9%97%A8%E5%88%86%E5%B7%A5%E7%A1%AE%E5%AE%9A/30498153/
目标要求。到2020年,全市空气质量优良天数比例(AQI达标率)达到94%,细颗粒物(PM2.5)年均浓度控制在29微克每立方米以下。	94% 29微克每立方米	# https://cntfj.com/news/12190.html
保障课后延时服务两个全覆盖。2020年以来,丰县全面推广中小学课后服务“5+2”模式,全力做到开展课后服务的义务教育学校全覆盖和有需要的学生全覆盖。	-	# http://www.xibuxxw.com/jining/shandong/8065.html
保障课后延时服务。2023年县财政共安排中小学课后服务补助经费1092.13万元,其中省级转移支付资金787万元,县财政资金305.13万元。	10921300元 7870000元 3051300元	# http://www.xibuxxw.com/jining/shandong/8065.html
"""


def _figure(t: object) -> str:
    v = f"{t.low:.15g}-{t.high:.15g}" if t.value is None else f"{t.value:.15g}"  # type: ignore[attr-defined]
    return v + t.unit  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "figures"), rows(TARGETS, 2))
def test_spot_checked_targets(text: str, figures: str) -> None:
    item = parse_text(f"一、重点任务\n1.{text}").items[0].children[0]
    assert [_figure(t) for t in item.targets] == ([] if figures == "-" else figures.split())


# the last of several sub-items as the page writes it ⇥ lead of that sub-item ⇥ lead of its parent
PROSE_IN_LAST_ITEM = """
(二)重点工作。年内新增奶羊2.5万只。\\n1.新(扩)建养殖户。以标准化、规模化、集约化为方向,新(扩)建50只以上规模养殖户47个。\\n2.盘活闲置养殖场。对闲置养殖场,由所在乡镇通过招商引资、转型升级、打造养殖小区等方式,全力盘活闲置养殖设施。\\n3.养殖场补栏。对已建成存在缺栏问题的养殖场,由各乡镇负责指派专组专人,研究对策,督促落实,完成补栏任务。	各乡镇	-	# https://www.hsxzf.gov.cn/nyncj/xxgk/zfwj/content_24082
"""


@pytest.mark.parametrize(("text", "own", "parent"), rows(PROSE_IN_LAST_ITEM, 3))
def test_a_sentence_of_the_last_items_prose_is_its_own(text: str, own: str, parent: str) -> None:
    section = parse_text(f"一、奶羊产业\n(一)发展目标。坚持总体思路。\n{text}").items[0].children[-1]
    assert section.children[-1].lead == _split(own)
    assert section.lead == _split(parent)


# the head of a page as it writes it ⇥ field ⇥ expected value
META = """
分类标识【D】\\n是否同意公开【主动公开】\\n长房议字〔2025〕11号 签发人:赵洪利\\n对市政协第十四届第四次会议\\n第2025D048号集体提案的答复\\n民建长春市委员会:\\n贵会在市政协会议上提出的《关于做好城市体检工作,助推城市更新行动的建议》(第2025D048号)收悉,现答复如下:	title	对市政协第十四届第四次会议第2025D048号集体提案的答复	# http://fdj.changchun.gov.cn/xxgk/zdzwjshgl/202512/t20251230_3456613.html
分类标识【D】\\n是否同意公开【主动公开】\\n长房议字〔2025〕11号 签发人:赵洪利\\n对市政协第十四届第四次会议\\n第2025D048号集体提案的答复\\n民建长春市委员会:\\n贵会在市政协会议上提出的《关于做好城市体检工作,助推城市更新行动的建议》(第2025D048号)收悉,现答复如下:	doc_number	长房议字〔2025〕11号	# http://fdj.changchun.gov.cn/xxgk/zdzwjshgl/202512/t20251230_3456613.html
(原标题:《政府工作报告》解读二:2024年工作回顾(二))\\n这一年,我们聚焦三农谋幸福,乡村振兴持续深入。	title	《政府工作报告》解读二:2024年工作回顾(二)	# https://hebei.news.163.com/25/0122/15/JMH480OU04159CNM.html
"""


@pytest.mark.parametrize(("head", "field", "value"), rows(META, 3))
def test_spot_checked_meta(head: str, field: str, value: str) -> None:
    assert getattr(parse_text(head).meta, field) == value


# a page's head and its first item as the page writes them ⇥ the kinds of that item's targets
KINDS = """
陕西《政府工作报告》部门分工确定\\n记者昨日获悉,为确保全年各项目标任务全面完成,省政府就落实《政府工作报告》中的重点工作提出分工意见。\\n1、切实抓好粮食主产县、旱作高产县和整镇连片现代粮食基地建设,全年粮食播种面积4600万亩,总产1150万吨。(省农业厅等负责)	target target	# http://xian.baogaosu.com/xinwen/%E9%99%95%E8%A5%BF%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A%E9%83%A8%E9%97%A8%E5%88%86%E5%B7%A5%E7%A1%AE%E5%AE%9A/30498153/
"""


@pytest.mark.parametrize(("text", "kinds"), rows(KINDS, 2))
def test_a_promise_to_complete_the_work_is_no_report_of_it(text: str, kinds: str) -> None:
    item = parse_text(text).items[0]
    assert [t.kind for t in item.targets] == kinds.split()


# more page heads: a date inside a sentence is a deadline, and a field's value ends at its cell
META_MORE = """
市人民政府办公室关于分解落实《政府工作报告》的通知\\n各区、镇、办事处,市政府各部门:\\n经市人民政府同意,现将《政府工作报告》确定的工作任务进行责任分解,请各地、各部门“一把手”亲自抓,总负责,于2017年1月23日前将贯彻落实方案意见报市政府政务督查室。\\n2017年1月13日\\n《政府工作报告》重点工作责任分解	date	2017-01-13	# https://www.hbqj.gov.cn/xxgk/zc/qtwj/szfbwj/2017/201701/t20170113_2136642.html
索引号: | 116223260139342837/2023-05797 | 公开方式: | 主动公开 |\\n发布机构: | 县政府办公室 | 组配分类: | 县政策解读 |\\n文件编号: | 发文日期: | 2023-07-03 | |\\n成文日期: | 2023-07-03 | 有效性: | 有效 |	issuer	县政府办公室	# http://www.gstianzhu.gov.cn/art/2023/7/3/art_3818_1118397.html
索引号: | 116223260139342837/2023-05797 | 公开方式: | 主动公开 |\\n发布机构: | 县政府办公室 | 组配分类: | 县政策解读 |\\n文件编号: | 发文日期: | 2023-07-03 | |\\n成文日期: | 2023-07-03 | 有效性: | 有效 |	doc_number	-	# http://www.gstianzhu.gov.cn/art/2023/7/3/art_3818_1118397.html
"""


@pytest.mark.parametrize(("head", "field", "value"), rows(META_MORE, 3))
def test_spot_checked_meta_more(head: str, field: str, value: str) -> None:
    assert getattr(parse_text(head).meta, field) == (None if value == "-" else value)


def test_a_plan_titles_goal_list_is_no_report() -> None:
    """https://www.hbqj.gov.cn/xxgk/zc/qtwj/szfbwj/2017/201701/t20170113_2136642.html"""
    text = (
        "市人民政府办公室关于分解落实《政府工作报告》的通知\n2017年1月13日\n"
        "《政府工作报告》重点工作责任分解\n2017年全市经济社会发展主要预期目标是:地区生产总值增长8.5%左右;"
        "城镇登记失业率控制在4.5%以内;全面完成省下达节能减排任务。\n"
        "一、加快转型升级,提升产业竞争力\n坚持调优调强,推进产业高端化、集群化、绿色化发展。\n"
        "突出工业主体地位。投资200亿元,实施工业项目“155”工程。"
    )
    assert [(t.value, t.kind) for t in parse_text(text).items[0].targets] == [(20000000000, "target")]


@pytest.mark.parametrize(("text", "paths", "lead"), rows(SMALL_FORMS, 3))
def test_a_file_numbered_with_small_full_stops_gives_titles_without_their_numbers(
    text: str, paths: str, lead: str, tmp_path: Path
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    items = parse_file(path).items
    titles = [c.title for c in items[0].children]
    assert len(titles) == len(paths.split()) - 1
    assert all(t and not t[0].isdigit() for t in titles), titles
    assert items[0].children[-1].lead == [lead]
