"""A table flattened into a page's text reads into the same tree as the Word table it came from.

The table is 大竹县人民政府办公室's 2016年民生实事目标任务分解表
(http://www.dazhu.gov.cn/xxgk-show-947.html), whose page shows one cell per line; the other forms
are the shapes copied tables take: cells split by bars, tabs, runs of spaces or single spaces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file
from luoshi.textplan.flattables import unflatten
from tests.textplan.table_files import shape, write_docx
from tests.textplan.test_real_tables import DAZHU, DAZHU_TITLE

NOTICE = (
    "大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知\n"
    "竹府办〔2016〕20号\n"
    "各乡镇人民政府、街道办事处,县级各部门:\n"
    "为让人民群众生活得更有保障、更加幸福,根据《2016年政府工作报告》安排部署,现将2016年“民生实事”"
    "目标任务分解下达。\n"
    "附件:2016年民生实事目标任务分解表\n"
    "大竹县人民政府办公室\n"
    "2016年2月26日\n"
    "附件\n"
    f"{DAZHU_TITLE}\n"
)

# The page as published: one cell per line, blank lines between, 序号 5 over two tasks.
CELL_PER_LINE = """序号

民生实事

责任单位

完成时限

1

启动建设东柳河城区段综合治理工程和东湖湿地公园。

县水务局

县住建局

县护城河指挥部

12月底前

2

新建2座人行天桥。

县住建局

9月投入使用

3

启动县图书馆新馆建设。

县文体广新局

县代建中心

12月底前

4

建成县残疾人综合服务中心。

县残联

5月底前动工

5

开工建设县老年养护楼。

县民政局

5月底前动工

开工建设老年大学。

12月底前

6

迁建县政务服务中心。

县政务服务中心

县代建中心

12月底前

分享到:
"""


def _rows_joined(sep: str) -> str:
    lines = []
    for row in DAZHU:
        cells = [c.replace("\n", "、") for c in row]
        lines.append(sep.join(cells))
    return "\n".join(lines) + "\n"


FORMS = {
    "one cell per line": CELL_PER_LINE,
    "bars": _rows_joined(" | "),
    "tabs": _rows_joined("\t"),
    "runs of spaces": _rows_joined("    "),
    "single spaces": _rows_joined(" ").replace("民生实事", "民 生 实 事", 1),
}


@pytest.fixture(scope="module")
def word_tree(tmp_path_factory: pytest.TempPathFactory) -> list:
    path = write_docx(tmp_path_factory.mktemp("word") / "大竹.docx", DAZHU, tuple(NOTICE.splitlines()))
    tree = shape(parse_file(path))
    assert [node[0] for node in tree] == ["1", "2", "3", "4", "5", "6"]
    return tree


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_flattened_table_page_reads_as_the_word_table(tmp_path: Path, word_tree: list, form: str) -> None:
    page = tmp_path / "大竹.txt"
    page.write_text(NOTICE + FORMS[form], encoding="utf-8")
    assert shape(parse_file(page)) == word_tree


def test_a_web_page_showing_one_cell_per_paragraph_reads_as_the_word_table(
    tmp_path: Path, word_tree: list
) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in (NOTICE + CELL_PER_LINE).splitlines() if line)
    page = tmp_path / "大竹.html"
    page.write_text(f"<html><body><div class='content'>{paragraphs}</div></body></html>", encoding="utf-8")
    assert shape(parse_file(page)) == word_tree


def test_the_sub_row_under_one_number_stays_with_it() -> None:
    lines = unflatten(CELL_PER_LINE).splitlines()
    five = lines.index(next(line for line in lines if line.startswith("5.")))
    assert lines[five + 1].startswith("开工建设老年大学。")
    assert lines[-1] == "分享到:"  # the page furniture after the table is not a row


@pytest.mark.parametrize(
    "text",
    [
        "一、工作任务\n各责任单位要按照序号顺序报送。\n",  # prose naming header words
        "序号 姓名 职务\n1 张三 组长\n",  # a roster: no task, no unit column
        "序号\n\n责任单位\n\n1\n\n市教育局\n",  # no text column
    ],
)
def test_text_that_is_no_task_table_is_left_as_it_is(text: str) -> None:
    assert unflatten(text) == text


# http://www.xiangshan.gov.cn/art/2024/8/1/art_1229682896_4417827.html — 象山县泗洲头镇 2024年度重点
# 工作计划二季度执行情况: one cell per line, narrow columns breaking their header over two lines.
XIANGSHAN = """泗洲头镇2024年度重点工作计划二季度执行情况

序号

重点工作

责任

领导

责任

科室

攻坚目标

任务

工作任务安排

第二季度

完成情况

1

白仙山水库工程政策处理

欧乾震

白仙山水库工程政策处理工作领导小组

完成项目政策处理工作,推进大坝、溢洪道、引水隧洞及配套设施建设。

推进坟墓迁移工作。

该工程库区内坟墓迁移进度达60%。

2

现代化美丽城镇

吴宇凡

乡村振兴办

成功创建首批浙江省美丽城镇。

按照时间节点开展项目建设。

本年度总投资6000万元的19个项目完成投资3000万元。
"""


def test_a_header_broken_over_lines_still_names_its_columns(tmp_path: Path) -> None:
    page = tmp_path / "泗洲头镇.txt"
    page.write_text(XIANGSHAN, encoding="utf-8")
    plan = parse_file(page)
    assert [(it.label, it.title, it.lead) for it in plan.items] == [
        ("1.", "白仙山水库工程政策处理", ["白仙山水库工程政策处理工作领导小组"]),
        ("2.", "现代化美丽城镇", ["乡村振兴办"]),
    ]
    # The leaders (欧乾震, 吴宇凡) are people, and the second quarter's figures report progress.
    assert all(it.support == [] and it.targets == [] for it in plan.items)
    assert "60%" not in plan.text and "吴宇凡" not in plan.text


def test_a_table_in_a_pdf_reads_as_the_word_table(tmp_path: Path, word_tree: list) -> None:
    fpdf = pytest.importorskip("fpdf")
    from tests.textplan.test_readers import cjk_font

    font = cjk_font()
    pdf = fpdf.FPDF()
    pdf.add_font("cjk", fname=font)
    pdf.add_font("cjk", style="B", fname=font)  # table headings are set in bold
    pdf.add_page()
    pdf.set_font("cjk", size=10)
    for line in NOTICE.splitlines():
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    # Long cells wrap: the PDF's text gives a row's first line, then its other cells line by line.
    with pdf.table(col_widths=(10, 60, 30, 20)) as table:
        for values in DAZHU:
            row = table.row()
            for value in values:
                row.cell(value)
    path = tmp_path / "大竹.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert shape(parse_file(path)) == word_tree
