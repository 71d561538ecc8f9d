"""Passages of issuers the engine was not built on, each cut from the page named beside it.

- a notice that sends a 分工方案 speaks of the roles themselves (各牵头单位要会同责任单位…,
  各责任单位要积极配合): a role is not a unit, so these sentences assign nothing;
- a town, township or subdistrict names its own place, so it takes no 县/区/市 from the unit
  before it (县住建局、凤城镇 is 凤城镇, not 县凤城镇);
- a date written in Chinese numerals may be padded with spaces, as a signature often is.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.responsibility import split_units

# sentence of a notice (labelled as its item) ⇥ source: the item gets no unit
ROLE_SENTENCES = """
一、以目标倒逼落实。各牵头单位要会同责任单位,认真研究所负责的重点工作,将区政府的部署转化为具体的目标任务。	# http://www.gfx.gov.cn/qzfb/ndgzfj/202108/953da6dab3f149e6a210b729ade32c7d.shtml
一、統籌協調,合力攻堅。牽頭單位要把高質量發展作為根本要求,加強與責任單位的溝通聯系。各責任單位要積極配合、主動作為,共同推動各項工作任務高質量完成。	# http://xyexam.com/html/2509/2021-05-25/content-93597.html
一、明确责任抓落实。各牵头责任单位要切实履行牵头抓总、综合协调职责;各协同责任单位要增强大局意识,对于配合协作的事情不推不拖。	# http://ahjx.gov.cn/OpennessContent/show/2668526.html
一、加强工作统筹。牵头单位要强化责任担当,统筹协调相关责任单位科学制订办理方案,确保各项目标任务落实落细。	# https://kb9.cn/read/133480.html
一、落实责任。各责任(配合)单位要加强协调,积极配合,切实履行各自工作职责。	# http://www.dawa.gov.cn/2021_02/01_16/content-307974.html
"""


@pytest.mark.parametrize("sentence", [ln.split("\t#")[0] for ln in ROLE_SENTENCES.strip().splitlines()])
def test_a_notice_that_names_roles_assigns_no_unit(sentence: str) -> None:
    item = parse_text(sentence).items[0]
    assert (item.lead, item.support) == ([], [])


# the same sentences still assign when a unit is named: 市商务局会同市财政局负责 (control)
def test_a_named_unit_with_hui_tong_still_leads() -> None:
    item = parse_text("一、推进消费提质。市商务局会同市财政局负责。").items[0]
    assert (item.lead, item.support) == (["市商务局"], ["市财政局"])


# list as written ⇥ units (；-joined) ⇥ source
TOWN_LISTS = """
县住建局、凤城镇	县住建局；凤城镇	# https://news.fznews.com.cn/fzsync/2021-02-18/1727032084535.shtml
区公安分局、区民政局、商务局、房产局、大桥街道	区公安分局；区民政局；区商务局；区房产局；大桥街道	# http://www.hbjdsljx.com/html/2014/zxbd_0905/21280.html (simplified, as read)
市发展改革局、经济和信息化局	市发展改革局；市经济和信息化局	# control from the engine's own rule: a department still takes the prefix
"""


@pytest.mark.parametrize(
    ("written", "units"), [ln.split("\t#")[0].split("\t") for ln in TOWN_LISTS.strip().splitlines()]
)
def test_a_town_takes_no_level_prefix_from_its_neighbour(written: str, units: str) -> None:
    assert split_units(written) == units.split("；")


def test_lianjiang_item_keeps_the_town_as_written() -> None:
    # https://news.fznews.com.cn/fzsync/2021-02-18/1727032084535.shtml
    lines = [
        "一、人居环境提升工程",
        "(1)实施老旧小区改造提升。改造凤园西侧片区老旧小区、机关新村老旧小区。",
        "主办单位:县城投公司,协办单位:住建局、凤城镇。",
        "(2)修复816南路西侧片区区间路网。",
        "主办单位:县城投公司,协办单位:县住建局、凤城镇。",
    ]
    item = parse_text("\n".join(lines)).items[0].children[1]
    assert item.lead == ["县城投公司"]
    assert item.support == ["县住建局", "凤城镇"]


# signature as it stands at the foot of the page ⇥ date ⇥ source
SIGNATURES = """
承办部门:石文镇人民政府|承办负责人:王志秋|二〇一八年 六月七日	2018-06-07	# http://www.lnfsx.gov.cn/ins.asp?s=60&i=5040
砚山县交通运输局|2018年6月4日	2018-06-04	# http://dx.yanshan.gov.cn/view/jyta/147877.html
"""


@pytest.mark.parametrize(
    ("signature", "date"), [ln.split("\t#")[0].split("\t") for ln in SIGNATURES.strip().splitlines()]
)
def test_a_signature_date_padded_with_spaces_is_read(signature: str, date: str) -> None:
    text = (
        "关于加强绿化乡村道路的提案的答复\n您提出的提案已收悉，现答复如下。\n特此答复。\n"
        + signature.replace("|", "\n")
    )
    assert parse_text(text).meta.date == date


# the page's first lines (|-joined) ⇥ title ⇥ source
BROKEN_TITLES = """
2020年人大建议、政协提案办理工作|完成情况说明|根据《新密市人民政府办公室关于认真做好2020年人大代表议案建议和政协委员提案办理工作的通知》要求,我局高度重视。	2020年人大建议、政协提案办理工作完成情况说明	# https://public.xinmi.gov.cn/D49Y/4606450.jhtml
马关县快速按下|重大民生实事项目建设“启动键”|2024年2月23日,随着马关县第十八届人民代表大会第三次会议胜利闭幕,全县共票决出2024年度重大民生实事项目76件。	马关县快速按下重大民生实事项目建设“启动键”	# https://m.kunming.cn/news/c/2024-03-13/13816404.shtml
寿县人民政府督查室           2022年8月19|关于印发2022年《政府工作报告》主要任务|上半年落实情况的通报|各乡镇人民政府,县政府各部门、各直属机构:	关于印发2022年《政府工作报告》主要任务上半年落实情况的通报	# https://www.shouxian.gov.cn/public/118322644/1259257664.html
懷化市人民政府辦公室關于印發《懷化市貫徹落實〈關于打好經濟增長主動仗實現經濟運行整體好轉的若干政策措施〉實施方案》的通知|發布時間:2023-03-15 09:28信息來源:懷化市人民政府辦公室|懷政辦發〔2023〕9號	怀化市人民政府办公室关于印发《怀化市贯彻落实〈关于打好经济增长主动仗实现经济运行整体好转的若干政策措施〉实施方案》的通知	# http://jzmfx.com/huaihua/c135241/202304/e2610237152548d1a17d78a4f72d9cbb.shtml (control)
防止耕地“非糧化”穩定糧食|生產工作方案|為切實解決耕地“非糧化”問題,穩定我區糧食生產,特制定本方案。	防止耕地“非粮化”稳定粮食生产工作方案	# http://m.cctv1204.com/zhengce/show-24782.html
"""


@pytest.mark.parametrize(
    ("head", "title"), [ln.split("\t#")[0].split("\t") for ln in BROKEN_TITLES.strip().splitlines()]
)
def test_a_title_broken_over_two_lines_is_one_title(head: str, title: str) -> None:
    assert parse_text(head.replace("|", "\n")).meta.title == title


# the page's first lines (|-joined) ⇥ title ⇥ issuer ⇥ source
SPACED_TITLES = """
絳縣人民政府辦公室 關于印發絳縣促進專業鎮高質量發展 實施方案的通知|絳政辦發〔2023〕14號|發布日期:2023-09-01 10:51 來源: 絳縣人民政府 【字體:大 中 小】 打印本頁	绛县人民政府办公室关于印发绛县促进专业镇高质量发展实施方案的通知	绛县人民政府办公室	# http://www.lysjjx.com/doc/2023/10/25/385473.shtml
东阳市人民政府办公室 关于印发《东阳市促进残疾人就业行动实施方案(2023—2025年)》的通知|发布日期:2023-03-21访问次数: 信息来源:东阳市人民政府办公室	东阳市人民政府办公室关于印发《东阳市促进残疾人就业行动实施方案(2023—2025年)》的通知	东阳市人民政府办公室	# http://www.dongyang.gov.cn/art/2023/3/21/art_1229692327_59603057.html
"""


@pytest.mark.parametrize(
    ("head", "title", "issuer"), [ln.split("\t#")[0].split("\t") for ln in SPACED_TITLES.strip().splitlines()]
)
def test_spaces_a_page_put_inside_a_notice_title_are_dropped(head: str, title: str, issuer: str) -> None:
    meta = parse_text(head.replace("|", "\n") + "\n各有关单位:\n现印发给你们。").meta
    assert (meta.title, meta.issuer) == (title, issuer)
