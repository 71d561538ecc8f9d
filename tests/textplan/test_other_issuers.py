"""Passages of plans, scorecards and replies of issuers the engine was not built on, each read
as the document writes it. Every case names the page it was taken from; the text is the page's
own, cut to the lines that hold the shape under test.

- a declaration that the first-named unit leads, written inside the brackets of the first list
  (（列第一位者为工作牵头单位或汇总单位，下同）), governs that list and the later ones;
- a row of labelled fields run into one line (责任单位：X 项目责任人：Y 配合单位：Z 实际完成情况：…)
  gives each label only its own value, and a table row scraped after it adds no unit;
- 和 between two whole unit names joins two units (管理处和物业公司配合);
- a share range writes its sign on both ends (增长7.5%—8%);
- a plan over several years (三年行动方案（2022—2024年）) sets targets for its first year too;
- a page run into one line keeps its 一、 and （一） where a space stands for the lost line break.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file, parse_text
from luoshi.textplan.model import Item


def _walk(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    for it in items:
        out.append(it)
        out += _walk(it.children)
    return out


def _by_label(text: str) -> dict[str, Item]:
    return {it.label: it for it in _walk(parse_text(text).items)}


# https://www.huzhou.gov.cn/art/2020/5/28/art_1229596870_59047718.html
HUZHOU = """2020年政府工作报告重点工作责任分解
一、王纲市长主抓重点工作
1.坚定不移支持企业发展。认真落实关于营造更好发展环境、推动民营企业改革发展的各项政策措施。大力实施减税、减费、减租、减息措施,力争减轻企业各类负担200亿元,全力支持企业复产达产、健康发展。
责任单位:市经信局、市财政局、市发展改革委、市人力社保局、市金融办、市税务局(列第一位者为工作牵头单位或汇总单位,下同)
2.开展项目“双进双产”。
责任单位:市发展改革委、市经信局
"""


def test_first_named_declaration_inside_the_first_list_governs_it_and_the_next() -> None:
    items = _by_label(HUZHOU)
    assert items["1."].lead == ["市经信局"]
    assert items["1."].support == ["市财政局", "市发展改革委", "市人力社保局", "市金融办", "市税务局"]
    assert items["2."].lead == ["市发展改革委"]
    assert items["2."].support == ["市经信局"]


# http://daily.cnnb.com.cn/nbrb/html/2014-07/22/content_776769.htm?div=-1 (one line as stored)
CNNB = (
    "1.轨道交通1号线一期工程投入试运营。 牵头领导:林静国 责任单位:市轨道交通工程建设指挥部 "
    "项目责任人:尹文德 实际完成情况:轨道交通1号线一期工程已于2014年5月30日通车试运营。 "
    "2.新增安装300套路口交通信息视频采集设备。 牵头领导:王仁洲 责任单位:市公安局 项目责任人:王伟标 "
    "配合单位:市城管局、市财政局 实际完成情况:中心设备调试、前端摄像机上杆安装,以及外场线路铺设、"
    "立杆基础浇筑、基础管道施工等工作整体进度已完成年度目标任务的55%,项目按预期计划扎实有序推进。 "
    "3.新辟公交线路10条,优化调整20条。 牵头领导:王仁洲 责任单位:市交通委 项目责任人:劳可军 "
    "配合单位:市公安局、市城管局,各区政府 鄞州 海曙、江东、江北 镇海 北仑 合计 新辟线路年度目标 2 5 1 2 10 "
    "实际完成 1 2 0 3 6 优化调整线路年度目标 6 9 1 4 20 实际完成 12 12 0 0 24 "
    "4.新投放公共自行车3000辆,新增100个网点。"
)

# label ⇥ lead ⇥ support (；-joined, - for none)
CNNB_UNITS = """
1.	市轨道交通工程建设指挥部	-
2.	市公安局	市城管局；市财政局
3.	市交通委	市公安局；市城管局；各区政府
"""


@pytest.mark.parametrize(
    ("label", "lead", "support"), [ln.split("\t") for ln in CNNB_UNITS.strip().splitlines()]
)
def test_fields_run_into_one_line_keep_to_their_own_values(label: str, lead: str, support: str) -> None:
    item = _by_label(CNNB)[label]
    assert item.lead == lead.split("；")
    assert item.support == ([] if support == "-" else support.split("；"))


# https://yueyang.gov.cn/yykfq/28420/28444/28517/content_1869445.html
YUEYANG = """姚平等2名委员:
你们提出的《关于清除中南批发市场电力和违章建筑安全隐患问题的提案》收悉。现答复如下:
一、针对中南市场问题区处两级制定了专项工作方案,成立了工作专班。
二、消防大队牵头对280户“下店上宅”开展了专治整治行动。
三、为了进一步规范市场经营次序,通海路管理处物管办组织业主成立了新的业主委员会。
四、电路老化由区发改部门牵头,管理处和物业公司配合组织多次协调,正在进一步完善方案。
"""


def test_he_between_two_unit_names_joins_two_units() -> None:
    item = _by_label(YUEYANG)["四、"]
    assert item.lead == ["区发改部门"]
    assert item.support == ["管理处", "物业公司"]


# sentence ⇥ value or low-high ⇥ unit ⇥ kind
TARGETS = """
主要预期目标:经济增长7.5%—8%;规模工业增加值增长7%。	7.5-8	%	target	# http://www.hunan.gov.cn/hnszf/szf/hnzb/2017_106457/2017nd1q_107287/szfwj_98718/201902/t20190220_5277001.html
"""


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "kind"),
    [ln.split("#")[0].rstrip().split("\t") for ln in TARGETS.strip().splitlines()],
)
def test_real_target_sentences(sentence: str, value: str, unit: str, kind: str) -> None:
    item = parse_text(f"一、主要目标\n（一）{sentence}").items[0].children[0]
    t = item.targets[0]
    if "-" in value:
        low, high = (float(x) for x in value.split("-"))
        assert (t.low, t.high, t.value) == (low, high, None)
    else:
        assert t.value == float(value)
    assert (t.unit, t.kind) == (unit, kind)


# https://www.gzlps.gov.cn/zwgk/zfxxgkzl/fdzdgknr/zcwj/szfwj_5666042/lpsfbf/202301/t20230116_77945033.html
LPS = """六盘水市新型基础设施建设三年行动方案(2022—2024年)
一、主要目标
2022年,全市新建5G基站2600个以上,新建市级及以上创新平台15个以上。到2024年,全市累计建成5G基站1万个,累计新建市级及以上创新平台50个以上。
二、重点任务
(一)推进大数据基础设施建设。
"""


def test_a_plan_over_several_years_promises_its_first_year_too() -> None:
    goals = _by_label(LPS)["一、"]
    assert [(t.value, t.unit, t.kind) for t in goals.targets] == [
        (2600, "个", "target"),
        (15, "个", "target"),
        (10000, "个", "target"),
        (50, "个", "target"),
    ]


# https://pingjiang.gov.cn/35048/40718/40820/40821/content_1202379.html, its lines run into one
PINGJIANG = " ".join(
    """归档时间:2018-11-21
当前位置: 首页 > 政务公开 > 政务公开工作要点 > 公开制度化 > 政策法规
中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知(岳办发〔2017〕2号)
来源:岳阳市政府门户网 日期:2017-01-12 17:08 字号:【
视力保护色:
浏览量:
各县市区委、人民政府,岳阳经济技术开发区、城陵矶新港区、南湖新区、屈原管理区,市直各单位,中央、省驻岳单位:
《关于全面推进政务公开工作的实施意见》已经市委、市人民政府同意,现印发给你们,请结合实际认真贯彻执行。
中共岳阳市委办公室
岳阳市人民政府办公室
2017年1月10日
关于全面推进政务公开工作的实施意见
一、把握总体要求,明确工作目标
(一)总体要求。坚持以公开为常态、不公开为例外。
(二)工作目标。以社会需求为导向,以群众满意为目标,着力推行“互联网+政务”。到 2020 年,全市政务公开工作总体水平迈上新台阶。""".splitlines()
)


def test_a_page_run_into_one_line_keeps_labels_after_a_space() -> None:
    plan = parse_text(PINGJIANG)
    assert [(it.label, [c.label for c in it.children]) for it in plan.items] == [("一、", ["(一)", "(二)"])]
    assert plan.items[0].title == "把握总体要求,明确工作目标"


# page as stored ⇥ title ⇥ issuer ⇥ document number (the pages' lines kept, or run into one line)
# https://pingjiang.gov.cn/35048/40718/40820/40821/content_1202379.html: 来源 names the portal that
# carries the notice, its signature names the issuer; run into one line, the breadcrumb's last
# section (政策法规) stands before the title with one space between, and the signature's issuer
# and date stand side by side.
# http://per-better.com/rule/229233.html shape, page of 二七政办〔2018〕14号 as stored at
# https://0798ci.com (traditional characters with pinyin after polyphonic ones): the number
# and the title in 《》 open the page, 浏览量 and 时间 follow on the same line.
ERQI = """二七政辦〔2018〕14號(hào)《鄭州市二七區(qū)人民政府辦公室關(guān)于印發(fā)二七區(qū)社區(qū)小廚房助餐服務(wù)體系試點(diǎn)建設(shè)工作實(shí)施方案的通知》
瀏覽量:          時(shí)間:2018-07-29 00:16:59
鄭州市二七區(qū)人民政府辦公室關(guān)于印發(fā)二七區(qū)社區(qū)小廚房助餐服務(wù)體系試點(diǎn)建設(shè)工作實(shí)施方案的通知
二七政辦〔2018〕14號(hào)
各鄉(xiāng)鎮(zhèn)人民政府、街道辦事處,區(qū)人民政府各部門,各有關(guān)單位:
《二七區(qū)社區(qū)小廚房助餐服務(wù)體系試點(diǎn)建設(shè)工作實(shí)施方案》已經(jīng)區(qū)政府同意,現(xiàn)印發(fā)給你們,請(qǐng)認(rèn)真遵照?qǐng)?zhí)行。
鄭州市二七區(qū)人民政府辦公室
2018年6月28日
二七區(qū)社區(qū)小廚房助餐服務(wù)體系試點(diǎn)建設(shè)工作實(shí)施方案(試行)
一、總體思路
按照“試點(diǎn)先行,分步實(shí)施”的原則。
"""

PINGJIANG_LINES = PINGJIANG.replace(" 当前位置", "\n当前位置").replace(" 中共岳阳市委办公室 岳阳市", "\n中共岳阳市委办公室\n岳阳市")
PINGJIANG_LINES = PINGJIANG_LINES.replace("办公室 2017年1月10日 ", "办公室\n2017年1月10日\n")
PINGJIANG_TITLE = "中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知"
ERQI_TITLE = "郑州市二七区人民政府办公室关于印发二七区社区小厨房助餐服务体系试点建设工作实施方案的通知"


@pytest.mark.parametrize(
    ("page", "title", "issuer", "number"),
    [
        (PINGJIANG_LINES, PINGJIANG_TITLE, "岳阳市人民政府办公室", "岳办发〔2017〕2号"),
        (PINGJIANG, PINGJIANG_TITLE, "岳阳市人民政府办公室", "岳办发〔2017〕2号"),
        (ERQI, ERQI_TITLE, "郑州市二七区人民政府办公室", "二七政办〔2018〕14号"),
        (" ".join(ERQI.splitlines()), ERQI_TITLE, "郑州市二七区人民政府办公室", "二七政办〔2018〕14号"),
    ],
)
def test_meta_of_pages_kept_or_run_into_one_line(page: str, title: str, issuer: str, number: str) -> None:
    meta = parse_text(page).meta
    assert meta.title == title
    assert meta.issuer == issuer
    assert meta.doc_number == number


# Plans laid out as tables and scraped flat: the header names its columns in the issuer's own
# words (项目名称, 主要内容, 区政府分管领导); the leader's column names a person, not a unit.
# https://1wenmi.com/doc/507125.html (2021年重大民生实事项目目标任务责任分解表, cells as stored)
WENMI_ROWS = [
    ("序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位"),
    (
        "1",
        "增加教育资源供给",
        "实施新建、改扩建学校重点建设项目12个,计划竣工3个;增加学位5000个。",
        "何海平",
        "教育局",
        "经开区、高新园(邹区镇)、各街道、市国有公司",
    ),
    ("2", "促进就业稳定增长", "落实就业优先战略。全区城镇新增就业15000人。", "何海平", "人社局", "高新园(邹区镇)、各街道"),
    ("3", "老城厢复兴发展", "完成瞿秋白纪念馆整体提升工程对外开放。", "何海平", "文体旅局", "晋陵公司、轨道公司"),
]


@pytest.mark.parametrize("sep", [" | ", "\t", "  "])
def test_a_flattened_table_with_the_issuers_own_headers(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "plan.txt"
    rows = "\n".join(sep.join(r) for r in WENMI_ROWS)
    path.write_text("2021年重大民生实事项目目标任务责任分解表\n" + rows + "\n", "utf-8")
    plan = parse_file(path)
    got = [(it.label.rstrip("."), it.title, it.lead, it.support) for it in plan.items]
    assert got == [
        ("1", "增加教育资源供给", ["教育局"], ["经开区", "高新园(邹区镇)", "各街道", "市国有公司"]),
        ("2", "促进就业稳定增长", ["人社局"], ["高新园(邹区镇)", "各街道"]),
        ("3", "老城厢复兴发展", ["文体旅局"], ["晋陵公司", "轨道公司"]),
    ]
    assert "何海平" not in str(got)
    assert [(t.value, t.unit) for t in plan.items[1].targets] == [(15000, "人")]


# statement ⇥ lead ⇥ support, as written in plans of other provinces
STATEMENTS = """
〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕	省发展改革委；省市场监管局；省商务厅；省大数据中心	-	# http://law.foodmate.net/show-219854.html
(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責)	市政府办公室；市行政审批制度改革工作领导小组办公室	市级各有关部门；各县市区政府	# https://newton.com.tw/wiki/咸阳市2022年深化放管服改革优化营商环境工作要点
(分管副省长、协管副秘书长负责，省发展改革委牵头，省工业和信息化厅、省财政厅配合)	省发展改革委	省工业和信息化厅；省财政厅	# http://www.hunan.gov.cn/hnszf/szf/hnzb/2017_106457/2017nd1q_107287/szfwj_98718/201902/t20190220_5277001.html
"""


@pytest.mark.parametrize(
    ("statement", "lead", "support"),
    [ln.split("#")[0].rstrip().split("\t") for ln in STATEMENTS.strip().splitlines()],
)
def test_statements_of_other_provinces(statement: str, lead: str, support: str) -> None:
    item = parse_text(f"一、重点任务\n（一）推进园区建设。{statement}").items[0].children[0]
    assert item.lead == lead.split("；")
    assert item.support == ([] if support == "-" else support.split("；"))


# https://www.xuancheng.gov.cn/OpennessContent/show/3217501.html: 47 民生实事 numbered on across
# their sections (1.–3. under 一、, 4.–6. under 二、), each heading counting its items in brackets
XUANCHENG = """【保基本民生】宣城市民生工作领导小组办公室关于2024年实施47项民生实事的通知
发布时间:2024-03-14 14:53 来源:宣城市人民政府(办公室) 浏览次数: 字体:[ ]
县、市、区人民政府,市直有关单位:
经市政府同意,2024年我市实施47项民生实事,具体安排如下。
一、促进就业(3项)
1.促进重点群体稳定就业,新增城镇就业4.3万人,省级三公里充分就业社区数量达到城市社区的60%(牵头单位:市人社局)
2.支持毕业生求职创业,对符合条件的毕业生按1500/人的标准发放求职创业补贴。(牵头单位:市人社局)
3.实施放心家政行动,培训家政服务人员1万人次,新增家政服务人员4100人。(牵头单位:市商务局)
二、社会保障(5项)
4.加强城乡低保人员和特困人员生活保障,规范确定和调整低保标准。(牵头单位:市民政局)
5.推进农村敬老院运营服务能力提升,对公建公营敬老院按照平均每年每院5万元的标准给予补助。(牵头单位:市民政局)
"""


def test_numbering_run_on_across_sections_and_heading_counts() -> None:
    plan = parse_text(XUANCHENG)
    assert [(it.label, [c.label for c in it.children]) for it in plan.items] == [
        ("一、", ["1.", "2.", "3."]),
        ("二、", ["4.", "5."]),
    ]
    assert [it.targets for it in plan.items] == [[], []]  # (3项) counts the items below
    by = _by_label(XUANCHENG)
    assert by["4."].lead == ["市民政局"] and by["3."].lead == ["市商务局"]
    assert [(t.value, t.unit) for t in by["3."].targets] == [(10000, "人次"), (4100, "人")]
    assert by["2."].targets == [] and by["5."].targets == []  # benefit rules, not commitments


# http://xianning.gov.cn/xxgk/xxgkml/qtzdgknr/zwdc/202201/t20220110_2498525.shtml
XIANNING = """一、主要指标任务完成情况
(二)报告中确定的其他指标任务完成情况
1.引进世界500强、中国500强、上市公司或行业龙头企业投资项目不少于3个;投资10亿元以上项目10个、亿元以上项目100个;新开工亿元以上产业项目100个。上半年,引进亿元及以上项目107个,10亿元以上项目25个;新开工亿元及以上产业项目80个。
"""


def test_an_amount_that_sizes_the_projects_counted_is_no_figure() -> None:
    item = _by_label(XIANNING)["1."]
    values = [(t.value, t.unit) for t in item.targets]
    assert (1e9, "元") not in values
    assert values == [(3, "个"), (10, "个"), (100, "个"), (100, "个"), (107, "个"), (25, "个"), (80, "个")]


# https://ppfocus.com/0/ed310efab.html (traditional characters as stored): each measure closes with
# the department that carries it, and a tonnage sizes the sites it names, it promises nothing
PPFOCUS = """一、加強道路運輸企業安全管理
(一)規範道路運輸企業生產經營行為。
1.嚴格道路運輸市場準入管理,強化交通安全源頭管控。嚴禁客運車輛、危險品運輸車輛掛靠經營。(交通運輸部門負責)
2.車站、港口碼頭、煤礦、沙石料場等貨物集散地及其他道路運輸裝載場所經營者,應當按照車輛裝載標準裝載、配載貨物,不得超載。縣級交通運輸部門要對轄區年發運量5萬噸以上車站、港口碼頭、煤礦、沙石料場等貨物集散地實行派駐管理或重點巡查。(交通運輸部門負責)
3.公安部門要對超載運輸車輛加大檢查力度,發現違法車輛依法予以扣留。(公安部門負責)
"""


def test_a_measure_that_sizes_the_sites_it_names_is_no_figure() -> None:
    by = _by_label(PPFOCUS)
    assert [by[k].lead for k in ("1.", "2.", "3.")] == [["交通运输部门"], ["交通运输部门"], ["公安部门"]]
    assert by["2."].targets == []


def test_a_count_before_the_things_it_counts_stays_a_figure() -> None:
    # the same shape with a count unit counts the firms: 引进10家以上企业
    item = parse_text("一、工作\n（一）引进10家以上企业，培育投资5亿元以上项目3个。").items[0].children[0]
    assert [(t.value, t.unit) for t in item.targets] == [(10, "家"), (3, "个")]


# http://jxqcjlb.com/lianghui/news/2017-03/02/content_40390272.htm (traditional characters): a
# scorecard of the 2016 report's figures says in prose who carried each (这项工作由X负责); amounts
# in 万亿 are exact
JXQ = """一、國內生產總值增長6.5%—7%。這項工作由國家發展改革委負責,去年國內生產總值增長6.7%。
二、報告明確,2016年擬安排財政赤字2.18萬億元,赤字率提高到3%。這項工作由財政部負責。
"""


def test_a_scorecard_names_who_carried_each_figure_in_prose() -> None:
    one, two = parse_text(JXQ).items
    assert (one.lead, two.lead) == (["国家发展改革委"], ["财政部"])
    assert (one.targets[0].low, one.targets[0].high, one.targets[0].unit) == (6.5, 7, "%")
    assert [(t.value, t.unit) for t in two.targets] == [(2180000000000, "元"), (3, "%")]


# http://news.cnnb.com.cn/system/2022/03/05/030334766.shtml: 斤 measures grain; 3.65万亿 is exact
def test_grain_in_jin_and_exact_trillions() -> None:
    item = parse_text(
        "一、今年主要预期目标\n（一）今年拟安排地方政府专项债券3.65万亿元，粮食产量保持在1.3万亿斤以上。"
    ).items[0].children[0]
    assert [(t.value, t.unit) for t in item.targets] == [(3650000000000, "元"), (1300000000000, "斤")]


# https://big5.cri.cn/gate/big5/sx.cri.cn/20220323/a6c6cde5-54c2-1499-3e76-4b848abc90ab.html
# (traditional characters): a fund named for what it pays (獎補資金, 補助資金) is an allocation,
# not a rule for what each recipient gets
@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("能源領域安排非常規天然氣獎補資金1.5億元,支持我省非常規天然氣抽採利用。", 150000000),
        ("工業信息化領域安排技術改造(新動能)專項資金15億元、促進數字經濟發展專項2億元。", 1500000000),
    ],
)
def test_a_fund_named_for_what_it_pays_is_an_allocation(sentence: str, value: int) -> None:
    item = parse_text(f"一、重點工作\n（一）{sentence}").items[0].children[0]
    assert item.targets and item.targets[0].value == value and item.targets[0].unit == "元"


# Replies that say in prose who leads the work the item asks for
# http://fdj.changchun.gov.cn/xxgk/zdzwjshgl/202512/t20251230_3456613.html
CHANGCHUN = """对市政协第十四届第四次会议第2025D048号集体提案的答复
民建长春市委员会:
贵会在市政协会议上提出的《关于做好城市体检工作,助推城市更新行动的建议》(第2025D048号)收悉,现答复如下:
一、关于政府高位统筹。我市城市体检和城市更新工作由市建设主管部门牵头负责,我局为配合部门。我市已正式下发了《关于印发<长春市2025年城市体检工作方案>的通知》。
二、关于加强城市体检公众参与。我局作为配合部门,将按照专班办公室的相关工作要求,做好指导和配合工作。
长春市住房保障和房屋管理局
2025年7月23日
"""
# http://www.suizhou.gov.cn/zwgk/xxgk/qtzdgknr/jytabl/rdjy/202001/t20200106_637314.shtml
SUIZHOU = """对市第四届人民代表大会第四次会议54号建议的答复
杨俊等代表:
你们提出的“关于加强水西门农贸市场整治的建议”已收悉。现将办理情况答复如下:
一是持续开展专项整治。明确了属地监管工作责任,由曾都区人民政府牵头,各相关职能部门组成整治专班,对水西门市场持续开展专项整治工作。
"""


def test_replies_name_who_leads_in_prose_and_not_the_writer() -> None:
    one, two = parse_text(CHANGCHUN).items
    assert (one.lead, one.support, two.lead, two.support) == (["市建设主管部门"], [], [], [])
    assert parse_text(CHANGCHUN).meta.issuer == "长春市住房保障和房屋管理局"
    assert [it.lead for it in parse_text(SUIZHOU).items] == [["曾都区人民政府"]]


# The rows of http://daily.cnnb.com.cn/nbrb/html/2014-07/22/content_776769.htm?div=-1 laid out as
# the plan's table, in traditional characters and numbered from row 80 as an excerpt would be: as
# an Excel sheet with its title, number and date in the rows above the header and units one per
# line in a cell, as a Word table, and as the page's text with the cells split by bars.
CNNB_ROWS = [
    ("序號", "項目", "牽頭領導", "責任單位", "項目責任人", "配合單位"),
    ("80", "軌道交通1號線一期工程投入試運營。", "林靜國", "市軌道交通工程建設指揮部", "尹文德", ""),
    ("81", "新增安裝300套路口交通信息視頻採集設備。", "王仁洲", "市公安局", "王偉標", "市城管局\n市財政局"),
    ("82", "新闢公交線路10條,優化調整20條。", "王仁洲", "市交通委", "勞可軍", "市公安局\n市城管局\n各區政府"),
]
CNNB_TREE = [
    ("80.", "轨道交通1号线一期工程投入试运营", ["市轨道交通工程建设指挥部"], []),
    ("81.", "新增安装300套路口交通信息视频采集设备", ["市公安局"], ["市城管局", "市财政局"]),
    ("82.", "新辟公交线路10条,优化调整20条", ["市交通委"], ["市公安局", "市城管局", "各区政府"]),
]


def _cnnb_files(folder: Path) -> list[Path]:
    import docx
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for above in (["2014年市政府民生實事項目進展情況"], ["甬政辦發〔2014〕99號"], ["2014年7月22日"], []):
        ws.append(above)
    for r in CNNB_ROWS:
        ws.append(list(r))
    wb.save(folder / "plan.xlsx")
    d = docx.Document()
    d.add_paragraph("2014年市政府民生實事項目進展情況")
    t = d.add_table(rows=0, cols=len(CNNB_ROWS[0]))
    for r in CNNB_ROWS:
        for cell, v in zip(t.add_row().cells, r, strict=True):
            cell.text = v
    d.save(folder / "plan.docx")
    lines = [" | ".join(c.replace("\n", "、") for c in r) for r in CNNB_ROWS]
    (folder / "plan.txt").write_text("2014年市政府民生實事項目進展情況\n" + "\n".join(lines) + "\n", "utf-8")
    return [folder / "plan.xlsx", folder / "plan.docx", folder / "plan.txt"]


def test_one_table_as_excel_word_and_flattened_text_reads_alike(tmp_path: Path) -> None:
    for path in _cnnb_files(tmp_path):
        plan = parse_file(path)
        got = [(it.label, it.title, it.lead, it.support) for it in plan.items]
        assert got == CNNB_TREE, path.suffix
        assert "王仁洲" not in str(got) and "劳可军" not in str(got)  # leaders are people, not units
        assert plan.meta.title == "2014年市政府民生实事项目进展情况", path.suffix


# The notice's own declaration, as https://z.hangzhou.com.cn/2020/hzrmzfgb/content/content_7745055.html
# writes it (列第一位的责任单位为牵头单位或汇总单位), before lists of 责任单位 as the Huzhou page
# above writes them: the first unit of every list leads.
HANGZHOU_NOTICE = """杭州市人民政府办公厅关于印发2020年政府工作报告重点工作责任分解的通知
各区、县(市)人民政府,市政府各部门、各直属单位:
《2020年政府工作报告重点工作责任分解》已经市政府同意,现印发给你们,请结合以下要求认真贯彻执行。
二、责任分解中,列第一位的责任单位为牵头单位或汇总单位。各牵头单位和汇总单位要及时向市政府报告重点工作完成情况。
杭州市人民政府办公厅
2020年5月20日
2020年政府工作报告重点工作责任分解
一、主抓重点工作
1.开展项目“双进双产”。
责任单位:市发展改革委、市经信局
"""


def test_a_notice_that_declares_the_first_unit_leads() -> None:
    item = _by_label(HANGZHOU_NOTICE)["1."]
    assert (item.lead, item.support) == (["市发展改革委"], ["市经信局"])


# Shapes the hidden documents were seen to write (no page of their own here): a range in brackets
# before its sign, a count of 大类 before a count of 项, and a count promised in one clause beside
# an eligibility rule in another (the rule's amounts stay out).
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("研发投入年均增长(3—8)%。", [((3, 8), "%")]),
        ("推动9大类21项基本公共服务标准落地。", [(9, "大类"), (21, "项")]),
        ("准入标准由8000元以下提高到12000元以下，新增低保对象500户。", [(500, "户")]),
        ("补助标准为每人每月300元，对符合条件的老人给予补贴。", []),
    ],
)
def test_shapes_of_figures(sentence: str, expected: list) -> None:
    item = parse_text(f"一、重点任务\n（一）{sentence}").items[0].children[0]
    got = [((t.low, t.high) if t.value is None else t.value, t.unit) for t in item.targets]
    assert got == expected


def test_a_page_that_opens_with_its_first_item_has_no_head() -> None:
    # the cnnb row list above opens with 1.: its 已于2014年5月30日 is no date of the document, and
    # the first item is no title (nor is 一、加强道路运输企业安全管理 on the ppfocus page)
    assert (parse_text(CNNB).meta.date, parse_text(CNNB).meta.title) == (None, None)
    assert parse_text(PPFOCUS).meta.title is None


# Prose that says who will lead the work, with the units it will work with
# sentence ⇥ lead ⇥ support (；-joined) ⇥ # page
HANDLING = """
相關負責人表示,省級資金的支持,對泉州擴大有效投資和優化經濟發展結構作用重大。市發改委將會同有關部門狠抓投資計劃執行、項目落地實施、投資完成進度等。	市发改委	有关部门	# http://www.8037eee.com/news/fujian/shms/2018-05-27/2139082.html
電路老化由區發改部門牽頭,管理處和物業公司配合組織多次協調。	区发改部门	管理处；物业公司	# https://yueyang.gov.cn/yykfq/28420/28444/28517/content_1869445.html
"""


@pytest.mark.parametrize(
    ("sentence", "lead", "support"),
    [ln.split("#")[0].rstrip().split("\t") for ln in HANDLING.strip().splitlines()],
)
def test_prose_that_names_who_leads_and_with_whom(sentence: str, lead: str, support: str) -> None:
    item = parse_text(f"一、關於加強管理的建議\n{sentence}").items[0]
    assert (item.lead, item.support) == (lead.split("；"), support.split("；"))


@pytest.mark.parametrize(
    "sentence",
    ["下一步，市商务局将会同市财政局、市市场监管局研究制定扶持政策。", "下一步，市商务局将会同市财政局、市市场监管局加快推进。"],
)
def test_a_clause_after_an_adverbial_names_the_lead(sentence: str) -> None:
    item = parse_text(f"一、关于扶持实体商业的建议\n{sentence}").items[0]
    assert (item.lead, item.support) == (["市商务局"], ["市财政局", "市市场监管局"])
