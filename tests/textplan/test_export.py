"""Rendering a plan: JSON for the scorer, a terminal tree, and the Excel ledger (台账)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from luoshi.textplan.export import format_number, format_targets, to_json, to_tree, to_xlsx
from luoshi.textplan.model import Deadline, Item, Meta, Plan, Target
from tests.workbooks import formula_cells

HEADER = ["序号", "任务", "牵头单位", "配合单位", "目标", "完成时限"]


def make_plan(title: str | None = "惠州市全面对接深圳工作方案", source: str | None = "huizhou.txt") -> Plan:
    """A hand-built plan, so these tests do not depend on how well the parser reads."""
    leaf1 = Item(
        label="1.",
        family="arabic_dot",
        title="推动规划对接",
        lead=["市住房和城乡规划建设局"],
        support=["市发展改革局", "市自然资源局"],
        targets=[Target(value=5, unit="家", comparator=">="), Target(value=None, low=2, high=3, unit="次")],
        deadline=Deadline(date="2024-12-31", text="2024年底前"),
    )
    leaf2 = Item(label="2.", family="arabic_dot", title="建设轨道交通", text="全长约30公里。")
    sub = Item(label="（一）", family="paren_cn", title="加强规划衔接", children=[leaf1, leaf2])
    top1 = Item(label="一、", family="cn_dun", title="重点任务", children=[sub])
    top2 = Item(
        label="二、",
        family="cn_dun",
        title="保障措施",
        lead=["市发展改革局"],
        targets=[Target(value=157000, unit="亩", kind="actual")],
    )
    meta = Meta(
        title=title, issuer="惠州市人民政府办公室", doc_number="惠府办函〔2017〕100号", date="2017-06-01"
    )
    return Plan(meta=meta, items=[top1, top2], text="", source=source)


# ---------------------------------------------------------------- JSON


def test_json_is_the_scorer_shape_in_readable_chinese():
    text = to_json(make_plan())
    data = json.loads(text)
    assert {"meta", "items"} <= data.keys()
    assert data["items"][0]["label"] == "一、"
    assert data["items"][0]["children"][0]["children"][0]["lead"] == ["市住房和城乡规划建设局"]
    assert "惠州市" in text  # not \uXXXX escapes


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, "5"),
        (5.0, "5"),
        (42.7, "42.7"),
        (6000, "6000"),
        (38000, "3.8万"),
        (157000, "15.7万"),
        (12345, "12345"),
        (108800000000, "1088亿"),
        (0.5, "0.5"),
        (None, "?"),
    ],
)
def test_figures_are_written_as_a_plan_writes_them(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([Target(value=5, unit="家", comparator=">=")], "≥5家"),
        ([Target(value=None, low=2, high=3, unit="次")], "2—3次"),
        (
            [Target(value=5, unit="家", comparator=">="), Target(value=None, low=2, high=3, unit="次")],
            "≥5家；2—3次",
        ),
        ([Target(value=1088e8, unit="元", comparator="~")], "约1088亿元"),
        ([Target(value=157000, unit="亩", kind="actual")], "已达15.7万亩"),
        ([Target(value=None, low=10, unit="个")], "≥10个"),
        ([], ""),
    ],
)
def test_targets_read_like_a_ledger_cell(targets, expected):
    assert format_targets(targets) == expected


# ---------------------------------------------------------------- tree


def test_tree_shows_the_outline_with_owners_targets_and_deadline():
    lines = to_tree(make_plan()).splitlines()
    assert lines[0] == "惠州市全面对接深圳工作方案"
    assert "文号: 惠府办函〔2017〕100号" in lines[1]
    assert lines[2] == "├─ 一、重点任务"
    assert lines[3] == "│  └─ （一）加强规划衔接"
    assert lines[4] == (
        "│     ├─ 1.推动规划对接  [牵头: 市住房和城乡规划建设局; 配合: 市发展改革局、市自然资源局]"
        "  目标: ≥5家；2—3次  时限: 2024-12-31"
    )
    assert lines[5] == "│     └─ 2.建设轨道交通"
    assert lines[6] == "└─ 二、保障措施  [牵头: 市发展改革局]  目标: 已达15.7万亩"
    assert len(lines) == 7


def test_tree_of_an_empty_plan_says_nothing_was_found():
    text = to_tree(Plan(meta=Meta(), items=[], text="", source="x.txt"))
    assert text.splitlines()[0] == "x"
    assert "未识别到条目" in text


def test_tree_puts_a_multiline_title_on_one_line():
    plan = Plan(meta=Meta(title="t"), items=[Item(label="一、", family="f", title="甲\n乙")], text="")
    assert "└─ 一、甲 乙" in to_tree(plan)


# ---------------------------------------------------------------- xlsx


def test_ledger_has_title_header_and_one_row_per_item_in_tree_order(tmp_path):
    path = tmp_path / "ledger.xlsx"
    to_xlsx(make_plan(), path)
    ws = load_workbook(path)["台账"]
    assert ws["A1"].value == "惠州市全面对接深圳工作方案"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[:6] == HEADER
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == ["一、", "（一）", "1.", "2.", "二、"]
    assert rows[2][1:6] == [
        "推动规划对接",
        "市住房和城乡规划建设局",
        "市发展改革局、市自然资源局",
        "≥5家；2—3次",
        "2024-12-31",
    ]
    assert rows[4][4] == "已达15.7万亩"


def test_ledger_indents_tasks_by_depth_and_wraps_text(tmp_path):
    path = tmp_path / "ledger.xlsx"
    to_xlsx(make_plan(), path)
    ws = load_workbook(path)["台账"]
    indents = [ws.cell(r, 2).alignment.indent for r in range(3, 8)]
    assert indents == [0, 2, 4, 4, 0]
    assert ws.cell(5, 8).alignment.wrap_text
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_ledger_title_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "ledger.xlsx"
    to_xlsx(make_plan(title=None, source="pingshan-2024.txt"), path)
    assert load_workbook(path)["台账"]["A1"].value == "pingshan-2024"


def test_ledger_cells_are_text_never_formulas(tmp_path):
    plan = Plan(
        meta=Meta(title="=HYPERLINK(1)"), items=[Item(label="一、", family="f", title="=1+1\x07")], text=""
    )
    path = tmp_path / "ledger.xlsx"
    to_xlsx(plan, path)
    ws = load_workbook(path)["台账"]
    assert ws["A1"].data_type == "s"
    assert ws["B3"].value == "=1+1"
    assert ws["B3"].data_type == "s"
    assert formula_cells(path.read_bytes()) == []


def test_several_plans_get_one_sheet_each_with_valid_unique_names(tmp_path):
    long = "关于印发" + "很长" * 30 + ".txt"
    sources = ["a[1]:*?.txt", "a[1]:*?.txt", long, long, "b/c.txt"]
    plans = [make_plan(source=s) for s in sources]
    path = tmp_path / "ledgers.xlsx"
    to_xlsx(plans, path)
    names = load_workbook(path).sheetnames
    assert len(names) == len(plans)
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_an_empty_list_of_plans_still_makes_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    to_xlsx([], path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]][:6] == HEADER
