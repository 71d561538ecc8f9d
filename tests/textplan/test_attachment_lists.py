"""The list of attachments a notice names (附件：1.…  2.…) is no list of items: passages cut from
the pages named beside them, with the items the engine must find and nothing more."""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.model import Item


def _paths(items: list[Item], prefix: str = "") -> list[str]:
    out: list[str] = []
    for it in items:
        path = prefix + it.label
        out.append(path)
        out += _paths(it.children, path + "/")
    return out


# passage (| for a line break) ⇥ item paths (；-joined, - for none) ⇥ source
PASSAGES = """
三、国家药品监督管理局要求相关省级药品监督管理部门依据《中华人民共和国药品管理法》,组织对上述企业和单位存在的涉嫌违法行为立案调查,并按规定公开查处结果。|特此通告。|附件：1. 14批次不符合规定药品名单|2. 不符合规定项目的小知识||国家药监局|2023年8月15日	三、	# 国家药品监督管理局2023年第36号通告 (2023年8月15日), its closing lines
请各参会单位(附件1)认真研究《健康宣城行动实施方案(代拟稿)》,提出切实可行、准确的修改意见建议。|联系人:张建  18805636080、3020501|附件:||1.参会单位名单||2.《健康宣城行动实施方案(代拟稿)》(健康宣城行动考核指标框架、健康宣城行动推进委员会主要职责及成员名单)|2020年10月21日|附件1|参会单位名单	-	# http://www.xuancheng.gov.cn/OpennessContent/show/2011754.html
五、工作指标|(一)老年人中医药健康管理率=年内接受中医药健康管理服务的65岁及以上居民数/年内辖区内65岁及以上常住居民数×100%。|附件：|1.老年人中医药健康管理服务记录表|2.体质判定标准表	五、；五、/(一)	# 国家基本公共卫生服务规范, 老年人中医药健康管理服务规范, its closing lines
六、招聘政策咨询|江苏护理职业学院人事处负责回答此次招聘政策咨询。咨询电话：0517-80329939|附件：|1.岗位表一|2.岗位表二	六、	# 江苏护理职业学院招聘公告 on the 江苏省人力资源和社会保障厅 site, its closing lines
一、经济社会发展的主要预期目标|1.努力实现地区生产总值增长6.2%左右。|牵头单位:区发改局|2.规模上工业增加值增长5%左右。|牵头单位:区工信局	一、；一、/1.；一、/2.	# a list that is no attachment list keeps its items: http://www.lishan.gov.cn/html/ASLSQ/202303/0168765895614794.html
"""


@pytest.mark.parametrize(
    ("passage", "paths"), [ln.split("\t#")[0].split("\t") for ln in PASSAGES.strip().splitlines()]
)
def test_attachment_lists_are_not_items(passage: str, paths: str) -> None:
    got = _paths(parse_text(passage.replace("|", "\n")).items)
    assert got == ([] if paths == "-" else paths.split("；"))


def test_a_page_run_into_one_line_keeps_its_items() -> None:
    # no line ends after an attachment's name: the numbers that follow 附件： may be the plan's
    text = "通知如下。附件：1.加强政策发布。2.强化政策解读。3.优化服务流程。" * 40
    assert len(parse_text(text).items) >= 3
