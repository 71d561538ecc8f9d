"""Real plans published as tables, written as Word, Excel and web files and read back.

Each table keeps the header and rows of a published page (the address is beside it); the tests
check what a user imports: the rows as items with their own numbers, the units of the unit
columns and nothing from columns that name people or report progress.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file
from tests.textplan.table_files import write_docx, write_xlsx
from tests.textplan.table_pages import NINGBO_PAGE

# http://www.dazhu.gov.cn/xxgk-show-947.html — 大竹县人民政府办公室 2016年民生实事目标任务分解表.
# Several units one per line in a cell; 序号 5 spans two rows (two tasks, two deadlines).
DAZHU_TITLE = "2016年民生实事目标任务分解表"
DAZHU = [
    ["序号", "民生实事", "责任单位", "完成时限"],
    [
        "1",
        "启动建设东柳河城区段综合治理工程和东湖湿地公园。",
        "县水务局\n县住建局\n县护城河指挥部",
        "12月底前",
    ],
    ["2", "新建2座人行天桥。", "县住建局", "9月投入使用"],
    ["3", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "12月底前"],
    ["4", "建成县残疾人综合服务中心。", "县残联", "5月底前动工"],
    ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
    ["5", "开工建设老年大学。", "县民政局", "12月底前"],
    ["6", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"],
]

# https://1wenmi.com/doc/507125.html — 常州市钟楼区 2021年重大民生实事项目目标任务责任分解表.
# The leader's name has a column of its own; the content column holds the targets.
ZHONGLOU = [
    ["序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位"],
    [
        "1",
        "增加教育资源供给",
        "实施新建、改扩建学校重点建设项目12个,计划竣工3个;增加学位5000个。",
        "何海平",
        "教育局",
        "经开区\n高新园(邹区镇)\n各街道",
    ],
    [
        "2",
        "促进就业稳定增长",
        "全区城镇新增就业15000人,失业人员再就业5800人。",
        "何海平",
        "人社局",
        "高新园(邹区镇)\n各街道",
    ],
]

# http://totopco.com/art/2020/9/15/art_1229200393_57587027.html — 杭州 民生实事进展表:
# a two-row header whose 进展情况 spans the four quarters; the quarters report progress.
HANGZHOU = [
    ["实事内容", "工作任务", "责任单位", "进展情况", "进展情况", "进展情况", "进展情况"],
    ["实事内容", "工作任务", "责任单位", "一季度", "二季度", "三季度", "四季度"],
    [
        "教育惠民",
        "启动学校空调、新风系统加装工程,年内完成公办幼儿园、公办小学空调和新风系统加装。",
        "区教育局,各平台、镇街",
        "完成调查摸底工作,拟定空调及新风净化系统加装项目实施方案。",
        "签订空调、新风系统加装采购合同。",
        "全区公办幼儿园、小学空调安装及电力改造扩容施工全部完成。",
        "44所公办幼儿园和55所公办小学已按照既定目标全部完成加装,安装空调5471台、新风系统10144台。",
    ],
]

# http://daily.cnnb.com.cn/nbrb/html/2014-07/22/content_776769.htm — 宁波市 2014年民生实事 1—6月
# 进展: each project with its leader, responsible unit, project head and what was done so far.
NINGBO = NINGBO_PAGE.rows


def items(plan) -> dict[str, object]:
    return {it.label.rstrip("、.．"): it for it in plan.walk()}


@pytest.mark.parametrize("form", ["docx", "xlsx"])
def test_a_county_livelihood_table_reads_row_by_row(tmp_path: Path, form: str) -> None:
    if form == "docx":
        path = write_docx(tmp_path / "大竹.docx", DAZHU, (DAZHU_TITLE,))
    else:
        path = write_xlsx(tmp_path / "大竹.xlsx", DAZHU, ((DAZHU_TITLE,),))
    plan = parse_file(path)
    got = items(plan)
    assert list(got) == ["1", "2", "3", "4", "5", "6"]
    assert got["1"].lead == ["县水务局", "县住建局", "县护城河指挥部"]  # one unit per line in the cell
    assert got["4"].lead == ["县残联"]
    assert got["6"].lead == ["县政务服务中心", "县代建中心"]
    assert "开工建设老年大学" in got["5"].text  # the second row under 序号 5 is part of item 5
    assert [(t.value, t.unit) for t in got["2"].targets] == [(2, "座")]
    assert plan.meta.title == DAZHU_TITLE


def test_the_header_is_found_below_the_title_number_and_date_rows(tmp_path: Path) -> None:
    above = (
        ("大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知",),
        ("竹府办〔2016〕20号",),
        ("2016年2月26日",),
        (),
        ("附件",),
        (DAZHU_TITLE,),
    )
    plan = parse_file(write_xlsx(tmp_path / "大竹.xlsx", DAZHU, above))
    assert list(items(plan)) == ["1", "2", "3", "4", "5", "6"]
    assert plan.meta.doc_number == "竹府办〔2016〕20号"
    assert "序号" not in (plan.meta.title or "")


def test_without_a_title_the_header_row_is_not_taken_for_one(tmp_path: Path) -> None:
    plan = parse_file(write_xlsx(tmp_path / "大竹.xlsx", DAZHU))
    assert "民生实事" not in (plan.meta.title or "") and "序号" not in (plan.meta.title or "")
    assert len(items(plan)) == 6


@pytest.mark.parametrize("form", ["docx", "xlsx"])
def test_a_leaders_column_gives_no_unit_and_the_content_stays_with_its_project(
    tmp_path: Path, form: str
) -> None:
    write = write_docx if form == "docx" else write_xlsx
    plan = parse_file(write(tmp_path / f"钟楼.{form}", ZHONGLOU))
    got = items(plan)
    assert [it.title for it in got.values()] == ["增加教育资源供给", "促进就业稳定增长"]
    assert got["1"].lead == ["教育局"]
    assert got["1"].support == ["经开区", "高新园(邹区镇)", "各街道"]
    units = [u for it in got.values() for u in (*it.lead, *it.support)]
    assert "何海平" not in " ".join(units)
    assert (5000, "个") in [(t.value, t.unit) for t in got["1"].targets]


@pytest.mark.parametrize("form", ["docx", "xlsx"])
def test_progress_reported_by_quarter_is_no_target(tmp_path: Path, form: str) -> None:
    write = write_docx if form == "docx" else write_xlsx
    plan = parse_file(write(tmp_path / f"杭州.{form}", HANGZHOU))
    (item,) = list(plan.walk())
    assert item.title == "教育惠民"
    assert "区教育局" in item.lead
    assert item.targets == []  # 44所, 5471台 … are what was done, in the progress columns
    assert "5471" not in item.text


@pytest.mark.parametrize("form", ["docx", "xlsx"])
def test_leaders_project_heads_and_progress_are_left_out(tmp_path: Path, form: str) -> None:
    write = write_docx if form == "docx" else write_xlsx
    plan = parse_file(write(tmp_path / f"宁波.{form}", NINGBO))
    got = items(plan)
    assert got["1"].lead == ["市轨道交通工程建设指挥部"]
    assert got["2"].lead == ["市公安局"] and got["2"].support == ["市城管局", "市财政局"]
    people = {"林静国", "王仁洲", "尹文德", "王伟标", "劳可军"}
    assert not people & {u for it in got.values() for u in (*it.lead, *it.support)}
    assert 55 not in [t.value for t in got["2"].targets]
    assert [(t.value, t.unit) for t in got["2"].targets] == [(300, "套")]


def test_a_responsible_column_beside_a_lead_column_names_the_support(tmp_path: Path) -> None:
    # 大洼区 publishes its task table with 牵头单位 and 责任(配合)单位 columns
    # (http://www.dawa.gov.cn/2021_02/01_16/content-307974.html); 泾县 with 牵头责任单位 and 协同责任单位
    # (http://ahjx.gov.cn/OpennessContent/show/2668526.html). Rows: 大竹县's table above.
    rows = [
        ["序号", "民生实事", "牵头单位", "责任单位", "完成时限"],
        ["1", DAZHU[1][1], "县水务局", "县住建局\n县护城河指挥部", "12月底前"],
        ["2", DAZHU[3][1], "县文体广新局", "县代建中心", "12月底前"],
    ]
    got = items(parse_file(write_docx(tmp_path / "分解表.docx", rows)))
    assert (got["1"].lead, got["1"].support) == (["县水务局"], ["县住建局", "县护城河指挥部"])
    assert (got["2"].lead, got["2"].support) == (["县文体广新局"], ["县代建中心"])


def test_columns_the_plan_has_no_name_for_stay_out_of_the_unit_lists(tmp_path: Path) -> None:
    rows = [
        ["序号", "民生实事", "责任单位", "完成时限", "备注"],
        ["1", DAZHU[2][1], "县住建局\n进展比例：20%", "9月投入使用", "市级重点项目"],
        ["2", DAZHU[4][1], "县残联", "5月底前动工", "续建"],
    ]
    plan = parse_file(write_xlsx(tmp_path / "分解表.xlsx", rows))
    got = items(plan)
    assert got["1"].lead == ["县住建局"] and got["2"].lead == ["县残联"]
    assert all(it.support == [] for it in got.values())
    assert "市级重点项目" in got["1"].text and "进展比例：20%" in got["1"].text  # kept, as a note


def test_headers_in_traditional_characters(tmp_path: Path) -> None:
    # 盘锦市's notice writes 牽頭單位 / 責任單位 (http://xyexam.com/html/2509/2021-05-25/content-93597.html).
    rows = [
        ["序號", "民生實事", "牽頭單位", "責任單位", "完成時限"],
        *[[r[0], r[1], r[2].split("\n")[0], "", r[3]] for r in DAZHU[1:4]],
    ]
    got = items(parse_file(write_docx(tmp_path / "分解表.docx", rows)))
    assert list(got) == ["1", "2", "3"]
    assert got["1"].lead == ["县水务局"] and got["1"].deadline is not None


@pytest.mark.parametrize("lost_merge", [False, True])
def test_a_two_row_header_naming_lead_and_support_under_one_heading(tmp_path: Path, lost_merge: bool) -> None:
    # The 责任单位 heading over 牵头 | 配合, as 大洼区 describes its table ("各牵头单位 … 各责任(配合)单位",
    # http://www.dawa.gov.cn/2021_02/01_16/content-307974.html); an office saving it without the merge
    # leaves the cell right of 责任单位 and those below 序号 blank.
    upper = ["序号", "民生实事", "责任单位", "" if lost_merge else "责任单位", "完成时限"]
    lower = ["" if lost_merge else "序号", "" if lost_merge else "民生实事", "牵头", "配合", ""]
    rows = [upper, lower, ["1", DAZHU[1][1], "县水务局", "县住建局\n县护城河指挥部", "12月底前"]]
    got = items(parse_file(write_xlsx(tmp_path / "分解表.xlsx", rows)))
    assert list(got) == ["1"]
    assert (got["1"].lead, got["1"].support) == (["县水务局"], ["县住建局", "县护城河指挥部"])


# https://z.hangzhou.com.cn/2020/hzrmzfgb/content/content_7745055.html — 杭州市人民政府办公厅's notice
# sending its 责任分解 says the unit named first leads; here it sends 大竹县's rows (above).
HANGZHOU_NOTICE = (
    "杭州市人民政府办公厅关于印发2020年政府工作报告重点工作责任分解的通知",
    "各区、县(市)人民政府,市政府各部门、各直属单位:",
    "《2020年政府工作报告重点工作责任分解》已经市政府同意,现印发给你们,请结合以下要求认真贯彻执行。",
    "一、2020年是高水平全面建成小康社会和“十三五”规划收官之年。各级各部门要提高站位,强化责任,"
    "不折不扣落实重点工作任务。",
    "二、责任分解中,列第一位的责任单位为牵头单位或汇总单位。各牵头单位和汇总单位要及时向市政府报告"
    "重点工作完成情况,包括进展情况、存在的问题和下一步措施。",
    "杭州市人民政府办公厅",
    "2020年5月20日",
    "2020年政府工作报告重点工作责任分解",
)


@pytest.mark.parametrize("form", ["docx", "txt"])
def test_a_responsible_column_under_a_first_named_leads_notice(tmp_path: Path, form: str) -> None:
    if form == "docx":
        path = write_docx(tmp_path / "分解.docx", DAZHU, HANGZHOU_NOTICE)
    else:
        table = "\n".join(" | ".join(c.replace("\n", "、") for c in row) for row in DAZHU)
        path = tmp_path / "分解.txt"
        path.write_text("\n".join(HANGZHOU_NOTICE) + "\n" + table + "\n", encoding="utf-8")
    got = items(parse_file(path))
    assert (got["1"].lead, got["1"].support) == (["县水务局"], ["县住建局", "县护城河指挥部"])
    assert (got["3"].lead, got["3"].support) == (["县文体广新局"], ["县代建中心"])
    assert (got["4"].lead, got["4"].support) == (["县残联"], [])
    # without the notice every unit of the column leads
    alone = items(parse_file(write_docx(tmp_path / "表.docx", DAZHU)))
    assert (alone["1"].lead, alone["1"].support) == (["县水务局", "县住建局", "县护城河指挥部"], [])


def test_a_row_without_a_lead_is_led_by_its_responsible_units(tmp_path: Path) -> None:
    # 武汉市's 责任分解方案 has 牵头单位 and 责任单位 columns and says "无牵头单位的,责任单位即为牵头单位"
    # (武政办〔2023〕1号, http://www.fl1002.com/rule/217028.html). Rows: 大竹县's table above.
    rows = [
        ["序号", "民生实事", "牵头单位", "责任单位", "完成时限"],
        ["1", DAZHU[1][1], "县水务局", "县住建局\n县护城河指挥部", "12月底前"],
        ["2", DAZHU[3][1], "", "县文体广新局\n县代建中心", "12月底前"],
        ["3", DAZHU[4][1], "县残联", "县残联", "5月底前动工"],  # one cell merged across both
    ]
    for form, write in (("docx", write_docx), ("xlsx", write_xlsx)):
        got = items(parse_file(write(tmp_path / f"分解表.{form}", rows)))
        assert (got["1"].lead, got["1"].support) == (["县水务局"], ["县住建局", "县护城河指挥部"])
        assert (got["2"].lead, got["2"].support) == (["县文体广新局", "县代建中心"], [])
        assert (got["3"].lead, got["3"].support) == (["县残联"], [])
