"""Property-based: random tables never break the table readers, in any form they arrive in."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.textplan import parse_file, parse_text
from luoshi.textplan.flattables import unflatten
from luoshi.textplan.htmltext import html_to_text
from luoshi.textplan.tables import table_lines

CELLS = [
    *("序号", "序  号", "重点任务", "工作任务", "民生实事", "主要内容", "具体举措", "项目名称", "类别"),
    *("牵头单位", "責任單位", "责任单位", "配合单位", "协同责任单位", "指导部门", "实施主体", "责任科室"),
    *("完成时限", "时间节点", "进度安排", "一季度", "第四季度", "目标", "进展情况", "完成情况", "责任领导"),
    *("备注", "承办单位", "责任\n领导", "进展情况", "进展情况"),
    *(
        "1",
        "2",
        "3",
        "7",
        "204",
        "一",
        "二",
        "（一）",
        "一、交通互联",
        "（二）产业协同",
        "1.",
        "3、",
        "一：3",
    ),
    *("市发展改革局", "县水务局\n县住建局", "各区政府", "市交通局、市财政局", "张三", "县残联"),
    *("新建学校2所", "完成棚户区改造2836户。", "建设城际铁路，力争新开工线路2条以上", "（共5项）"),
    *("2024年6月底前", "12月底前", "长期坚持", "已完成80%", "进展比例：20%", "2024-06-30"),
    *("", "", "", " ", "\n", "\t", "|", "——", "x", "😀", "\u3000"),
]
cell = st.sampled_from(CELLS)
grid = st.lists(st.lists(cell, min_size=0, max_size=8), min_size=0, max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid)
def test_any_grid_of_cells_linearises(rows: list[list[str]]) -> None:
    lines = table_lines(rows)
    assert all(isinstance(line, str) and "\n" not in line for line in lines)
    parse_text("\n".join(lines)).to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid, st.sampled_from([" | ", "\t", "   ", " ", "\n\n"]))
def test_any_table_flattened_into_text_reads(rows: list[list[str]], sep: str) -> None:
    if sep == "\n\n":
        text = "\n\n".join(c for row in rows for c in row)
    else:
        text = "\n".join(sep.join(c.replace("\n", " ") for c in row) for row in rows)
    parse_text(unflatten(text)).to_dict()


TASKS = ["新建学校2所", "完成棚户区改造2836户。", "建设城际铁路，力争新开工线路2条以上", "推进医疗资源共享"]
UNITS = ["市发展改革局", "县水务局", "各区政府", "市交通局、市财政局", "县残联"]
DEADLINES = ["2024年6月底前", "12月底前", "长期坚持"]
row_cells = st.tuples(st.sampled_from(TASKS), st.sampled_from(UNITS), st.sampled_from(DEADLINES))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # Two rows at least: a lone row numbered 80 has no next number to show it is a row.
    st.lists(row_cells, min_size=2, max_size=15),
    st.integers(min_value=1, max_value=300),
    st.sampled_from([" | ", "\t", "   ", " "]),
    st.sampled_from(
        [("序号", "工作任务", "牵头单位", "完成时限"), ("序号", "民生实事", "责任单位", "完成时限")]
    ),
)
def test_a_flattened_task_table_gives_one_item_per_row(
    rows: list[tuple[str, str, str]], first: int, sep: str, header: tuple[str, ...]
) -> None:
    lines = [sep.join(header)] + [sep.join((str(first + k), *row)) for k, row in enumerate(rows)]
    once = unflatten("\n".join(lines))
    assert unflatten(once) == once  # rebuilt rows are prose: nothing is read as a table twice
    plan = parse_text(once)
    assert [it.label for it in plan.items] == [f"{first + k}." for k in range(len(rows))]
    assert all(it.lead for it in plan.items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid, st.booleans())
def test_any_html_table_reads(rows: list[list[str]], header_cells: bool) -> None:
    tag = "th" if header_cells else "td"
    body = "".join(
        "<tr>" + "".join(f"<{tag}>{c.replace(chr(10), '<br>')}</{tag}>" for c in row) + "</tr>"
        for row in rows
    )
    html_to_text(f"<html><body><div><p>任务分工</p><table>{body}</table></div></body></html>")


def _docx(rows: list[list[str]]) -> bytes:
    d = docx.Document()
    d.add_paragraph("任务分工方案")
    width = max((len(r) for r in rows), default=0)
    if width:
        table = d.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value.replace("\x00", "")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append([c or None for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid, st.sampled_from(["docx", "xlsx"]))
def test_any_table_in_a_word_or_excel_file_is_read(
    tmp_path_factory, rows: list[list[str]], form: str
) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / f"plan.{form}"
    path.write_bytes(_docx(rows) if form == "docx" else _xlsx(rows))
    if not any(c.strip() for row in rows for c in row) and form == "xlsx":
        return  # an empty sheet is refused as having no text, rightly
    parse_file(path).to_dict()  # a well-formed file is never refused, least of all as corrupt


FIELDS = [
    ("牵头领导", ["林静国", "王仁洲"]),
    ("责任单位", ["市公安局", "市交通委", "市城管局、市财政局"]),
    ("项目责任人", ["尹文德"]),
    ("配合单位", ["各区政府", "市公安局、市城管局,各区政府"]),
    ("实际完成情况", ["已完成年度目标任务的55%", "新辟线路6条", ""]),
    ("进度安排", ["12月底前全部开工", "6月底前"]),
]


@st.composite
def labelled_row(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    fields = [(name, draw(st.sampled_from(values))) for name, values in FIELDS if draw(st.booleans())]
    fields.insert(draw(st.integers(0, len(fields))), ("责任单位", draw(st.sampled_from(UNITS))))
    return draw(st.sampled_from(TASKS)), fields


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(labelled_row(), min_size=2, max_size=8), st.booleans(), st.booleans())
def test_rows_printed_with_each_cell_behind_its_name_read_as_a_table(
    rows: list[tuple[str, list[tuple[str, str]]]], numbered: bool, inline: bool
) -> None:
    lines = []
    for k, (task, fields) in enumerate(rows, start=1):
        cells = [f"{name}:{value}" for name, value in fields]
        head = f"{k}.{task}" if numbered else task
        lines += [" ".join([head, *cells])] if inline else [head, *cells]
    once = unflatten("\n".join(lines))
    assert unflatten(once) == once
    plan = parse_text(once)
    if any(name in ("牵头领导", "项目责任人") for _, fields in rows for name, _ in fields):
        assert [it.label for it in plan.items] == [f"{k}." for k in range(1, len(rows) + 1)]
        assert all(it.lead for it in plan.items)
        assert not {"林静国", "王仁洲", "尹文德"} & {u for it in plan.items for u in (*it.lead, *it.support)}
