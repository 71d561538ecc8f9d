"""Numbering as real documents write it, one case per line: an excerpt of a real page
(\\n for a line break) ⇥ the label paths read from it ⇥ # the page it came from.

Lists that carry on across sections, excerpts that open mid-list, heads standing alone on
their line, notices whose plan numbers again after the notice's date, 一是 lists that stay
inside their paragraph.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text


def paths(text: str) -> list[str]:
    out: list[str] = []

    def walk(items, prefix):
        for it in items:
            p = prefix + [it.label]
            out.append("/".join(p))
            walk(it.children, p)

    walk(parse_text(text).items, [])
    return out


CASES = """
2016年市政府10件、\\n27项实事项目具体完成情况\\n1\\n\\n新增 7069张 公办养老床位,为计划的101%。\\n\\n2\\n\\n新建 81家 老年人日间服务中心,为计划的101.3%。\\n\\n3\\n\\n新增 51家 “长者照护之家”,为计划的102%。	1 2 3	# http://51haodu.com/t/WU5rSTNiT1Y0eQ==
三、精准高效督办,确保完成目标任务。各牵头单位从2022年第二季度起报市人民政府督查室。\\n\\n武汉市人民政府办公厅\\n\\n2022年1月22日\\n\\n2022年市《政府工作报告》目标任务\\n\\n责任分解方案\\n\\n一、经济社会发展主要预期目标\\n\\n(一)地区生产总值增长7.5%。	三、 一、 一、/(一)	# http://whht.org.cn/news/info/id/3207.html
三、从2023年第一季度开始,各责任单位要在每季度最后一个月的30日前将本季度落实各项工作目标任务进展情况报区人民政府办公室。\\n\\n蔡甸区人民政府办公室\\n\\n2023年1月3日\\n\\n2023年区《政府工作报告》确定的主要目标任务责任分解方案\\n\\n一、2023年全区经济社会发展的主要预期目标\\n\\n(一)地区生产总值增长7%以上\\n\\n(二)规上工业增加值增长12%以上	三、 一、 一、/(一) 一、/(二)	# https://www.caidian.gov.cn/zwgk/zc/zfwj/qzfbgwj/202302/t20230208_2147809.shtml
 2、組織更加豐富的全民健身賽事活動,明確新周期全民健身賽事活動的重點;\\n 3、發展更具有活力的體育社會組織,進一步促進體育社會組織健康發展;\\n 4、提供更加科學的健身指導服務,完善科學健身指導服務體系;	2、 3、 4、	# http://emulous.cn/news/hydtxq/1251 (the list from its second item)
 3、發展更具有活力的體育社會組織,進一步促進體育社會組織健康發展;\\n 4、提供更加科學的健身指導服務,完善科學健身指導服務體系;\\n 6、加快更高質量的體育產業發展,推動體育產業提檔升級;\\n 7、促進更為多元的全民健身融合,深化體育與教育、衛生健康、旅遊等領域的融合發展;	3、 4、 6、 7、	# http://emulous.cn/news/hydtxq/1251 (item 5 left out, as a scrape loses a line)
一、2021年经济社会发展主要预期目标\\n1.地区生产总值增长6%以上。\\n分管省领导:林克庆\\n部门分工:省发展改革委牵头,各地、各部门配合。\\n2.地方一般公共预算收入增长5%左右。	一、 一、/1. 一、/2.	# https://jiu.foodmate.net/law/show.php?itemid=985
三、主要任务\\n(一)优化同权事项,拓展改革覆盖面\\n1	三、 三、/(一)	# http://jiaxiang.gov.cn/art/2021/7/19/art_72008_2718080.html (the page ends at a lone 1)
现就有关事项通知如下: 一、2010年是“十一五”规划的收官年,做好今年的政府工作,具有十分重要的意义。 二、各级各部门要切实提高政府执行力,着眼全局,科学谋划。 三、市政府在《政府工作报告》中向全市人民承诺的“十件实事”,狠抓落实,确保兑现。	一、 二、 三、	# https://code.fabao365.com/law_479018_1.html (a page run onto one line)
2019年,市委、市政府为民兴办10件实事:\\n一是实施扩大教育资源项目,新建和改扩建幼儿园、中小学20所,新增学位1.4万个。\\n二是实施农村基础设施改造项目,完成农村改炕2万个。\\n三是实施农村公路建设项目,新建农村公路300公里,重点养护600公里。	一是 二是 三是	# http://gansu.gscn.com.cn/system/2019/02/23/012118909.shtml
"""

# numbers standing alone on their line that are table cells, not heads
NOT_HEADS = """
城镇新增就业(人)\\n\\n全市\\n\\n27800\\n\\n52242\\n\\n187.9\\n\\n4400\\n\\n5358\\n\\n121.8\\n\\n市本级\\n\\n60\\n\\n577\\n\\n961.7	# https://www.ms.gov.cn/info/5565/1083570.htm
"""


def _rows(block: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in block.strip("\n").splitlines():
        text, expected, _source = line.split("\t")
        rows.append((text.replace("\\n", "\n"), expected.split()))
    return rows


@pytest.mark.parametrize(("text", "expected"), _rows(CASES))
def test_real_numbering_is_read_as_written(text: str, expected: list[str]) -> None:
    assert paths(text) == expected


@pytest.mark.parametrize("text", [ln.split("\t")[0].replace("\\n", "\n") for ln in NOT_HEADS.strip().splitlines()])
def test_numbers_alone_on_a_line_are_heads_only_in_sequence(text: str) -> None:
    assert paths(text) == []


def test_a_numbered_line_after_an_inline_shi_list_belongs_to_the_section() -> None:
    # a reply letter quotes the request's 一是…二是… in one paragraph, then answers each
    # point on a numbered line of its own
    text = (
        "二、关于养老服务问题。委员建议：一是增加社区养老床位；二是提高护理补贴。\n"
        "1.关于增加床位问题。市民政局研究提出了办理意见。\n"
        "2.关于提高补贴问题。市财政局研究提出了办理意见。"
    )
    assert paths(text) == ["二、", "二、/一是", "二、/二是", "二、/1.", "二、/2."]
