"""Metadata of real pages of other issuers, one case per line: the head of the page (\\n for
a line break) ⇥ the field ⇥ what it holds (- for nothing) ⇥ # the page it came from.

Site tags and a document number around the title, a greeting that is no title, a title over
two lines, header fields written without a colon or run together, cited numbers, 暂无.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text

CASES = """
晋政办发〔2017〕55号 山西省人民政府办公厅关于印发山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案\\n晋政办发〔2017〕55号\\n各市、县人民政府,省人民政府各委、办、厅、局:\\n一、总体要求	title	山西省人民政府办公厅关于印发山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案	# https://0798ci.com/policy/20846.html
晋政办发〔2017〕55号 山西省人民政府办公厅关于印发山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案\\n晋政办发〔2017〕55号\\n各市、县人民政府,省人民政府各委、办、厅、局:\\n一、总体要求	issuer	山西省人民政府办公厅	# https://0798ci.com/policy/20846.html
京政办发〔2016〕26号《北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知》\\n京政办发〔2016〕26号\\n各区人民政府,市政府各委、办、局,各市属机构:\\n一、围绕深化改革推进公开	title	北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知	# https://0798ci.com/policy/70942.html
政务服务丨济宁市人民政府关于持续深化“市县同权”改革的实施意见\\n- 发布日期:2021-07-19\\n济政字〔2021〕30号\\n一、目标要求	title	济宁市人民政府关于持续深化“市县同权”改革的实施意见	# http://jiaxiang.gov.cn/art/2021/7/19/art_72008_2718080.html
政务服务丨济宁市人民政府关于持续深化“市县同权”改革的实施意见\\n- 发布日期:2021-07-19\\n济政字〔2021〕30号\\n一、目标要求	issuer	济宁市人民政府	# http://jiaxiang.gov.cn/art/2021/7/19/art_72008_2718080.html
省人民政府關于\\n進一步優化營商環境的若干意見\\n鄂政發〔2018〕26號\\n各市、州、縣人民政府,省政府各部門:\\n一、總體要求	title	省人民政府关于进一步优化营商环境的若干意见	# http://chaincenturyfinance.com/tzgg/2421.html
各縣(市)、區人民政府,市政府各部門:\\n為全面落實交通安全責任,根據《山東省人民政府辦公廳關於進一步明確道路交通安全重點工作責任分工的通知》(魯政辦字〔2013〕54號)等有關文件精神,現就我市道路交通重點工作責任分工通知如下:\\n一、加強道路運輸企業安全管理	title	-	# https://ppfocus.com/0/ed310efab.html
各縣(市)、區人民政府,市政府各部門:\\n為全面落實交通安全責任,根據《山東省人民政府辦公廳關於進一步明確道路交通安全重點工作責任分工的通知》(魯政辦字〔2013〕54號)等有關文件精神,現就我市道路交通重點工作責任分工通知如下:\\n一、加強道路運輸企業安全管理	doc_number	-	# https://ppfocus.com/0/ed310efab.html
发文机关中共安徽省交通运输厅党组\\n发文日期2021年12月21日\\n时效性现行有效\\n发文字号皖交发〔2021〕63号\\n厅直各单位:\\n关于贯彻落实“一规划两纲要”进一步深化交通运输法治政府部门建设的实施意见\\n一、坚持以习近平法治思想为指引	issuer	中共安徽省交通运输厅党组	# https://055110.com/law/2/26562.html
发文机关中共安徽省交通运输厅党组\\n发文日期2021年12月21日\\n时效性现行有效\\n发文字号皖交发〔2021〕63号\\n厅直各单位:\\n关于贯彻落实“一规划两纲要”进一步深化交通运输法治政府部门建设的实施意见\\n一、坚持以习近平法治思想为指引	doc_number	皖交发〔2021〕63号	# https://055110.com/law/2/26562.html
发文机关中共安徽省交通运输厅党组\\n发文日期2021年12月21日\\n时效性现行有效\\n发文字号皖交发〔2021〕63号\\n厅直各单位:\\n关于贯彻落实“一规划两纲要”进一步深化交通运输法治政府部门建设的实施意见\\n一、坚持以习近平法治思想为指引	title	关于贯彻落实“一规划两纲要”进一步深化交通运输法治政府部门建设的实施意见	# https://055110.com/law/2/26562.html
对市政协四届五次会议第21064号提案的答复\\n发布日期:2021-08-12 10:24 发布机构:随州市商务局 编辑:随州市商务局 审核: 系统管理员 字号:[ ]\\n尊敬的谢宏顺委员:\\n一、关于菜市场建设	issuer	随州市商务局	# http://swj.suizhou.gov.cn/fbjd/zwgk/xxgkml/qtzdgknr/jytabl/202108/t20210812_905814.shtml
上海市商务委员会对市十六届人大二次会议第1111号代表建议的会办意见\\n发布单位:上海市商务委员会\\n发布文号:暂无\\n发布日期:2024-04-19\\n一是抓好顶层设计。二是压实责任。	doc_number	-	# http://law.foodmate.net/mobile/index.php?moduleid=23&itemid=227901
第A4版:城事 上一版3  4下一版\\n标题导航\\n2019年01月12日 星期六\\n2018年10个民生实事项目全面落实\\n    本报讯 昨日下午,市政府通报2018年民生实事项目落实情况。\\n一、污水零直排区创建	title	2018年10个民生实事项目全面落实	# http://daily.cnnb.com.cn/nbwb/html/2019-01/12/content_1145950.htm?div=-1
关于印发(fā)2023年《政府工作报告》重点任务分解落实方案的通知 常政发(fā)〔2023〕1号 |\\n各辖市、区人民政府,常州经开区管委会:\\n一要凝聚共识抓落实。\\n一、凝聚共识	title	关于印发2023年《政府工作报告》重点任务分解落实方案的通知	# http://www.loyalmeds.com/downxxgk.php?fid=625167487403475
"""


def _rows(block: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in block.strip("\n").splitlines():
        text, field, value, _source = line.split("\t")
        rows.append((text.replace("\\n", "\n"), field, value))
    return rows


@pytest.mark.parametrize(("text", "field", "value"), _rows(CASES))
def test_real_page_heads_give_their_metadata(text: str, field: str, value: str) -> None:
    meta = parse_text(text).meta.to_dict()
    assert meta[field] == (None if value == "-" else value)
