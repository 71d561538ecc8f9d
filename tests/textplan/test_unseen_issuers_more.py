"""More pages of issuers the engine was not built on, one case per line: an excerpt as the page
writes it (\\n for a line break) ⇥ what is expected ⇥ # the page.

Each block is a family of mistakes these pages showed: joint notices whose issuers are printed
before the title, indices that reach a figure with no measure word, a done-cue read for the
figure of the clause before it, counts that describe (bands of farms by head, the number of
indicators) rather than deliver, and an excerpt whose first section head is not 一、.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.model import Item
from tests.textplan.cases import rows

# head of a page ⇥ title ⇥ issuer (several joined by 、)
JOINT_ISSUERS = """
成都市发展和改革委员会 中共成都市委社会工作部 成都市规划和自然资源局 成都市住房和城乡建设局 关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知\\n\\n各区(市)县政府(管委会),市级有关部门,有关单位:\\n\\n经市领导同意,现将《成都市城市社区嵌入式服务设施建设工程实施方案》印发给你们,请结合实际认真贯彻落实.\\n\\n一、主要目标\\n\\n到2025年底前,全市首批100个嵌入式服务设施建设示范社区全面建成。	关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知	成都市发展和改革委员会、中共成都市委社会工作部、成都市规划和自然资源局、成都市住房和城乡建设局	# https://lr5.cn/2024/08/07/47893.html
成都市发展和改革委员会\\n中共成都市委社会工作部\\n成都市规划和自然资源局\\n成都市住房和城乡建设局\\n关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知\\n\\n各区(市)县政府(管委会),市级有关部门,有关单位:\\n\\n一、主要目标\\n\\n到2025年底前,全市首批100个嵌入式服务设施建设示范社区全面建成。	关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知	成都市发展和改革委员会、中共成都市委社会工作部、成都市规划和自然资源局、成都市住房和城乡建设局	# https://lr5.cn/2024/08/07/47893.html (the issuers one per line, as the notice prints them)
财科教【2017】6号 财政部 科技部 教育部 发展改革委关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知\\n\\n各省、自治区、直辖市财政厅（局）：\\n\\n一、总体要求\\n\\n各地要在2017年底前完成修订。	关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知	财政部、科技部、教育部、发展改革委	# https://research.dhu.edu.cn/2017/0317/c19271a175506/page.htm (the issuers glued to 关于, behind the 文号)
财政部 科技部 教育部 发展改革委\\n关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知\\n\\n各省、自治区、直辖市财政厅（局）：\\n\\n一、总体要求\\n\\n各地要在2017年底前完成修订。	关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知	财政部、科技部、教育部、发展改革委	# https://research.dhu.edu.cn/2017/0317/c19271a175506/page.htm (the same, the issuers on the line above the title)
财政部\\n科技部\\n教育部\\n发展改革委关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知\\n\\n各省、自治区、直辖市财政厅（局）：\\n\\n一、总体要求\\n\\n各地要在2017年底前完成修订。	关于进一步做好中央财政科研项目资金管理等政策贯彻落实工作的通知	财政部、科技部、教育部、发展改革委	# https://research.dhu.edu.cn/2017/0317/c19271a175506/page.htm (the same, the first issuers one per line above, the last glued to 关于)
东阳市人民政府办公室 关于印发《东阳市促进残疾人就业行动实施方案(2023—2025年)》的通知\\n\\n各镇、乡人民政府,各街道办事处,市政府各部门:\\n\\n《东阳市促进残疾人就业行动实施方案(2023—2025年)》已经市政府同意,现印发你们,请结合实际认真贯彻落实。\\n\\n一、总体目标\\n\\n到2025年,全市新增残疾人就业800人以上。	东阳市人民政府办公室关于印发《东阳市促进残疾人就业行动实施方案(2023—2025年)》的通知	东阳市人民政府办公室	# http://www.dongyang.gov.cn/art/2023/3/21/art_1229692327_59603057.html (one issuer stays in its title)
"""


@pytest.mark.parametrize(("head", "title", "issuer"), rows(JOINT_ISSUERS, 3))
def test_the_issuers_of_a_joint_notice_are_no_part_of_its_title(head: str, title: str, issuer: str) -> None:
    meta = parse_text(head).meta
    assert (meta.title, meta.issuer) == (title, issuer)


def _figures(text: str) -> list[str]:
    item = parse_text(f"一、主要目标\n1.{text}").items[0].children[0]
    return [f"{t.value:.15g}{t.unit} {t.kind}" for t in item.targets]


# an item's text as the page writes it ⇥ its targets (value and unit, then kind; ；-joined; - for none)
INDICES = """
健康浙江发展指数达85,人均预期寿命达82.4岁。	85 target；82.4岁 target	# https://wsjkw.zj.gov.cn/art/2023/4/25/art_1229123468_5105599.html
人均基本公共卫生服务经费达102元以上。	102元 target	# https://wsjkw.zj.gov.cn/art/2023/4/25/art_1229123468_5105599.html
新农合人均筹资标准增至600元,其中政府补助提高至480元;人均基本公共卫生服务经费提高至50元。	-	# https://wanglu.net/thread/t12-185573-3.html (levels each person is funded at)
食品类价格指数升幅调控在3%左右,其中,肉禽及其制品、水产品、蛋类价格指数升幅都调控在5%左右。	3% target；5% target	# http://www.fymate.net/html/text/lar/168995/16899554.html
医疗保健类价格指数保持稳定,其中,医疗保健服务价格指数升幅调控在5%左右,西药价格指数继续保持下降态势。	5% target	# http://www.fymate.net/html/text/lar/168995/16899554.html
居民消费价格涨幅控制在3.5%左右,人口自然增长率控制在6‰以内。	3.5% target；6‰ target	# http://dzwww.com/2013/sdlh/jdzfgzbg/201301/t20130125_7950194.htm
"""


@pytest.mark.parametrize(("text", "targets"), rows(INDICES, 2))
def test_an_index_reaches_a_figure_without_a_measure_word(text: str, targets: str) -> None:
    assert _figures(text) == ([] if targets == "-" else targets.split("；"))


# a plan's item as a page writes it ⇥ its targets (value and unit, then kind; ；-joined)
DONE_CUES = """
今年重点工程计划总投资42.1亿元,年度计划投资17.4亿元,已完成投资7.5亿元,占年度计划的43%。	4210000000元 target；1740000000元 target；750000000元 actual；43% actual	# https://max.book118.com/html/2021/0125/7021002061003046.shtm
今年计划投资200610万元,已完成投资63807万元,占年度计划的31.8%。	2006100000元 target；638070000元 actual；31.8% actual	# https://max.book118.com/html/2021/0125/7021002061003046.shtm
本年度计划开工项目255项(其中1-10月份计划新开工223项),目前实际已开工206项,完成年度计划开工的80.8%。	255项 target；223项 target；206项 actual；80.8% actual	# https://rajayuj.com/bmpd/jmsfzhggj/zdlyxxgk/zdjsxmxxgk/zdxmjz/content/post_1860276.html
截至今日,全市已完成征地2076.5亩,完成总任务的61.6%;已完成征房473户,完成总任务的30%。	2076.5亩 actual；61.6% actual；473户 actual；30% actual	# http://shishou.cjyun.org/p/3856.html
今年我局已完成市福利院改造等项目固定资产投资5520万元,完成市政府下达全年任务的184%。	55200000元 actual；184% actual	# http://6dgww.com/Article/4279264.html
"""


@pytest.mark.parametrize(("text", "targets"), rows(DONE_CUES, 2))
def test_a_done_cue_marks_its_own_clauses_figure_not_the_one_before(text: str, targets: str) -> None:
    plan = parse_text(f"某县重点项目建设工作方案\n一、重点任务\n1.推进项目建设。{text}")
    item = plan.items[0].children[0]
    assert [f"{t.value:.15g}{t.unit} {t.kind}" for t in item.targets] == targets.split("；")


# a scorecard's item as a page writes it ⇥ its targets: the report's figures stay achieved
SCORECARD = """
今年计划投资69940万元,已完成投资45451.7万元,占年度计划的65%。	699400000元 actual；454517000元 actual；65% actual	# https://max.book118.com/html/2021/0125/7021002061003046.shtm
"""


@pytest.mark.parametrize(("text", "targets"), rows(SCORECARD, 2))
def test_a_reports_figures_stay_achieved(text: str, targets: str) -> None:
    plan = parse_text(f"全县重点项目建设情况通报\n一、基本情况\n1.十大城市建设工程项目。{text}")
    item = plan.items[0].children[0]
    assert [f"{t.value:.15g}{t.unit} {t.kind}" for t in item.targets] == targets.split("；")


# a sentence as a page writes it ⇥ its targets (value or low-high, and unit; space-separated; - for none)
DESCRIPTIONS = """
年出栏只数在100只以下(“1-29只”和“30-99只”)养殖主体数量呈递减趋势,尤其是年出栏30只以下的养殖主体数量减幅较大。	-	# https://zcqtz.com/news/209530.html
而年出栏量>100只(“100-499只”“500-999只”“>1000只”)养殖主体数量呈递增趋势。	-	# https://zcqtz.com/news/209530.html
我国肉羊养殖100只以下为散养模式,超过100只为规模化养殖模式。	-	# https://zcqtz.com/news/209530.html
将耕地保有量、单位地区生产总值能源消耗、主要污染物排放总量三个约束性指标直接分解落实到区县、相关行业和重点企业。	-	# http://qyfgj.cn/falv/428066.html
新(扩)建50只以上规模养殖户47个。	47个	# https://www.hsxzf.gov.cn/nyncj/xxgk/zfwj/content_24082
年内新增奶羊2.5万只(新引进0.85万只,自繁1.65万只)。	25000只 8500只 16500只	# https://www.hsxzf.gov.cn/nyncj/xxgk/zfwj/content_24082
全年计划建设标准化养殖小区5个,实际完成6个;计划建设标准化规模养殖场5个,实际完成7个;计划发展规模养羊户3800户,实际完成3876户;羊饲养量计划70万只,实际羊饲养量达76.0981万只,完成计划的108.7%。	5个 6个 5个 7个 3800户 3876户 700000只 760981只 108.7%	# http://m.job568.com/zhengcefalv/2020/0310/42865.html
"""


@pytest.mark.parametrize(("text", "targets"), rows(DESCRIPTIONS, 2))
def test_a_band_or_a_number_of_indicators_describes(text: str, targets: str) -> None:
    item = parse_text(f"一、重点任务\n1.{text}").items[0].children[0]
    got = [
        (f"{t.low:.15g}-{t.high:.15g}" if t.value is None else f"{t.value:.15g}") + t.unit for t in item.targets
    ]
    assert got == ([] if targets == "-" else targets.split())


def _paths(items: list[Item], prefix: str = "") -> list[str]:
    out: list[str] = []
    for it in items:
        out.append(prefix + it.label)
        out += _paths(it.children, prefix + it.label + "/")
    return out


# an excerpt as the page writes it (from one of its items on) ⇥ label paths (space-separated)
EXCERPTS = """
9.城镇新增就业、节能减排降碳完成省定任务。\\n\\n责任单位:市人力社保局、市发改委分别牵头\\n\\n二、重点抓好六方面工作\\n\\n(一)全力以赴拼经济稳增长促发展。\\n\\n10.实施招商引资“百千”行动,每年招引亿元以上制造业项目100个,带动未来五年制造业投资1000亿元以上。	9. 二、 二、/(一) 二、/(一)/10.	# https://www.lishui.gov.cn/art/2023/7/11/art_1229738349_57348087.html (from its 9.)
"""


@pytest.mark.parametrize(("text", "paths"), rows(EXCERPTS, 2))
def test_a_section_head_of_an_excerpt_opens_its_section(text: str, paths: str) -> None:
    assert _paths(parse_text(text).items) == paths.split()
