"""Responsibility cases, one per line: the statement as written → lead units | support units."""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.responsibility import canonical_unit, parse_statement, split_units

# statement text inside the brackets ⇥ lead (、-joined) ⇥ support (、-joined, - for none)
STATEMENTS = """
牵头单位：市委宣传部，配合单位：市委党校、市委组织部	市委宣传部	市委党校、市委组织部
牵头单位：市委组织部	市委组织部	-
牵头单位：市住房和城乡规划建设局，配合单位：市发展改革局、经济和信息化局、国土资源局，环大亚湾新区管委会，惠阳区、惠东县政府，大亚湾开发区管委会	市住房和城乡规划建设局	市发展改革局、市经济和信息化局、市国土资源局、环大亚湾新区管委会、惠阳区政府、惠东县政府、大亚湾开发区管委会
牵头单位：市交通运输局，配合单位：市发展改革局、商务局，各县、区政府，大亚湾开发区、仲恺高新区管委会	市交通运输局	市发展改革局、市商务局、各县、区政府、大亚湾开发区管委会、仲恺高新区管委会
牵头单位：市财政局，配合单位：市委改革办，市编办，市总工会，团市委，市妇联	市财政局	市委改革办、市编办、市总工会、团市委、市妇联
市发展改革局牵头，市自然资源局、市交通运输局配合	市发展改革局	市自然资源局、市交通运输局
责任单位：市科技局；完成时限：2024年底前	市科技局	-
体育总局、民政部、人力资源社会保障部负责	体育总局、民政部、人力资源社会保障部	-
人力资源社会保障部等有关部门和单位负责	人力资源社会保障部	-
各省级人民政府负责	各省级人民政府	-
市商务局会同有关部门负责	市商务局	有关部门
市政府办公室、市行政审批制度改革工作领导小组办公室牵头,市级各有关部门及各县市区政府按职责分工负责	市政府办公室、市行政审批制度改革工作领导小组办公室	市级各有关部门、各县市区政府
"""

NOT_STATEMENTS = """
含技工院校
0成本1环节30分钟领证的“极简”审批模式
同城化研究所、同城化研究中心
"""


def _rows(block: str) -> list[list[str]]:
    return [line.split("\t") for line in block.strip("\n").splitlines()]


@pytest.mark.parametrize(("content", "lead", "support"), _rows(STATEMENTS))
def test_it_reads_who_leads_and_who_supports(content: str, lead: str, support: str) -> None:
    st = parse_statement(content)
    got_lead = st.lead + st.responsible
    assert "、".join(got_lead) == lead
    assert "、".join(st.support) == support.strip("-")


@pytest.mark.parametrize("content", NOT_STATEMENTS.strip().splitlines())
def test_brackets_without_responsibility_name_no_unit(content: str) -> None:
    st = parse_statement(content)
    assert not st.units()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("市发展改革局、经济和信息化局", ["市发展改革局", "市经济和信息化局"]),
        ("惠阳区、惠东县政府", ["惠阳区政府", "惠东县政府"]),
        (
            "市发展改革局、住房和城乡规划建设局、商务局",
            ["市发展改革局", "市住房和城乡规划建设局", "市商务局"],
        ),
        ("市财政局、市场监管局、农业农村局", ["市财政局", "市市场监管局", "市农业农村局"]),
        ("市委组织部、市民政局、市农业局", ["市委组织部", "市民政局", "市农业局"]),
        ("大亚湾开发区、仲恺高新区管委会", ["大亚湾开发区管委会", "仲恺高新区管委会"]),
        ("各县、区政府", ["各县、区政府"]),
        ("各省、自治区、直辖市人民政府", ["各省、自治区、直辖市人民政府"]),
        (
            "市委组织部、市住房城乡建设局、财政局、国资委等多个部门",
            ["市委组织部", "市住房城乡建设局", "市财政局", "市国资委"],
        ),
    ],
)
def test_shorthand_unit_lists_are_written_out(written: str, expected: list[str]) -> None:
    assert split_units(written) == expected


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("市发改局", "市发展改革局"),
        ("市发展和改革局", "市发展改革局"),
        ("市发展改革局", "市发展改革局"),
        ("市人社局", "市人力资源和社会保障局"),
        ("市住房城乡建设局", "市住房和城乡建设局"),
        ("人力资源和社会保障部", "人力资源社会保障部"),
    ],
)
def test_aliases_make_one_unit_one_name(name: str, canonical: str) -> None:
    assert canonical_unit(name) == canonical


def _item(plan, *labels):
    items = plan.items
    it = None
    for lb in labels:
        it = next(x for x in items if x.label == lb)
        items = it.children
    return it


def test_a_statement_after_several_sub_items_governs_their_parent() -> None:
    plan = parse_text(
        "（一）推动规划对接。\n一是加强城市规划对接。\n二是加强交通规划对接。\n"
        "（牵头单位：市住房和城乡规划建设局，配合单位：市交通运输局）\n（二）推进交通互联。"
    )
    parent = _item(plan, "（一）")
    assert parent.lead == ["市住房和城乡规划建设局"]
    assert parent.support == ["市交通运输局"]
    assert all(not c.lead for c in parent.children)


def test_statements_closing_each_item_stay_with_their_item() -> None:
    plan = parse_text(
        "三、建设干部队伍\n1.提升能力。（牵头单位：市委组织部）\n2.深化改革。（牵头单位：市直机关工委）\n"
    )
    assert _item(plan, "三、", "1.").lead == ["市委组织部"]
    assert _item(plan, "三、", "2.").lead == ["市直机关工委"]
    assert _item(plan, "三、").lead == []


def test_a_declared_first_named_lead_convention_applies_to_later_lists() -> None:
    plan = parse_text(
        "一、支持企业\n（一）加大稳岗支持力度。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）\n"
        "（二）支持小微企业。（财政部、工业和信息化部、人民银行负责）"
    )
    assert plan.first_named_leads
    assert _item(plan, "一、", "（一）").lead == ["人力资源社会保障部"]
    assert _item(plan, "一、", "（二）").support == ["工业和信息化部", "人民银行"]


def test_without_the_convention_every_unit_named_leads() -> None:
    plan = parse_text("二、丰富赛事\n（一）大力发展职业赛事。（体育总局、民政部负责）")
    assert _item(plan, "二、", "（一）").lead == ["体育总局", "民政部"]


def test_you_x_fu_ze_and_collective_support_inline() -> None:
    plan = parse_text(
        "六、加强人才安居房建设\n由市委组织部、市住房城乡建设局、财政局等多个部门联合推动。各相关部门将积极配合该项工作开展。"
    )
    it = _item(plan, "六、")
    assert it.lead == ["市委组织部", "市住房城乡建设局", "市财政局"]
    assert it.support == ["各相关部门"]


def test_a_person_leading_is_not_a_unit() -> None:
    plan = parse_text("五、落实责任\n（一）建立由政府负责人牵头、相关部门共同参与的工作机制。")
    assert _item(plan, "五、", "（一）").lead == []


def test_you_x_qian_tou_y_pei_he_names_both_roles() -> None:
    plan = parse_text("一、规划\n1.编制规划。由市发展改革局牵头，市自然资源局、市交通运输局配合。")
    it = _item(plan, "一、", "1.")
    assert it.lead == ["市发展改革局"]
    assert it.support == ["市自然资源局", "市交通运输局"]


def test_role_lines_under_an_item_are_read_together() -> None:
    plan = parse_text("一、规划\n1.研究课题。\n牵头单位：市科技局\n配合单位：市教育局、财政局\n")
    it = _item(plan, "一、", "1.")
    assert it.lead == ["市科技局"]
    assert it.support == ["市教育局", "市财政局"]


def test_responsible_units_follow_the_first_named_convention() -> None:
    plan = parse_text(
        "排在第一位的部门为牵头部门，下同。\n一、任务\n1.推进建设。（责任单位：市交通运输局、市财政局）"
    )
    it = _item(plan, "一、", "1.")
    assert it.lead == ["市交通运输局"]
    assert it.support == ["市财政局"]
