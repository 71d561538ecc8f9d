"""Where a flattened table ends: the headings of the prose after it are not its section rows.

A section row heads the rows after it (一、城建类 / 1 | 修路 | …); one-cell lines after the last row
of cells are the text that follows the table (三、保障措施 / （一）加强组织领导), read as the same
text after a Word table is.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from luoshi.textplan import parse_file
from luoshi.textplan.flattables import unflatten
from tests.textplan.table_files import shape, write_docx

TITLE = "某市2024年重点工作任务分工方案"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位"]
ROWS = [
    ["1", "推进第1项重点工程建设，年底前完成1个", "市住建局", "市财政局"],
    ["2", "推进第2项重点工程建设，年底前完成2个", "市住建局", "市财政局"],
]
AFTER = ("三、保障措施", "（一）加强组织领导。各单位要落实责任。", "（二）强化督查考核。")


def _bars(rows: list[list[str]]) -> str:
    return "".join(" | ".join(row) + "\n" for row in rows)


ROW_LINES = (
    "1.推进第1项重点工程建设，年底前完成1个（牵头单位：市住建局；配合单位：市财政局）\n"
    "2.推进第2项重点工程建设，年底前完成2个（牵头单位：市住建局；配合单位：市财政局）\n"
)

# (flattened text, the text it reads as)
CASES = [
    # prose headings after a blank line stay prose after the table's rows
    (_bars([HEADER, *ROWS]) + "\n" + "\n".join(AFTER) + "\n", ROW_LINES + "\n".join(AFTER) + "\n"),
    # and so they do right under the last row, with no blank line
    (_bars([HEADER, *ROWS]) + "\n".join(AFTER) + "\n", ROW_LINES + "\n".join(AFTER) + "\n"),
    # the text ends with one heading
    (_bars([HEADER, *ROWS]) + "\n三、保障措施", ROW_LINES + "三、保障措施"),
    # section rows between rows are the table's, the heading after its last row is not
    (
        _bars([HEADER, ["一、城建类"], ROWS[0], ["二、民生类"], ["（一）教育"], ROWS[1]])
        + "\n三、保障措施\n",
        "一、城建类\n" + ROW_LINES.replace("\n", "\n二、民生类\n（一）教育\n", 1) + "三、保障措施\n",
    ),
    # the headings before another table's header are not the first table's: each table has its columns
    (
        _bars([HEADER, *ROWS])
        + "\n二、民生实事\n"
        + _bars([["序号", "民生实事", "责任单位", "完成时限"], ["1", "新建学校2所", "市教育局", "9月底前"]]),
        ROW_LINES + "二、民生实事\n1.新建学校2所（责任单位：市教育局；完成时限：9月底前）",
    ),
    # a run of headings longer than any table's sections ends the table, even with rows after it
    (
        _bars([HEADER, *ROWS])
        + "".join(f"（{n}）推进工作。\n" for n in "一二三四五六七")
        + "3 | 修路 | 市住建局 | 市财政局\n",
        ROW_LINES
        + "".join(f"（{n}）推进工作。\n" for n in "一二三四五六七")
        + "3 | 修路 | 市住建局 | 市财政局\n",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_table_ends_at_its_last_row_of_cells(text: str, expected: str) -> None:
    assert unflatten(text) == expected


def test_a_table_then_prose_reads_as_the_word_table_then_paragraphs(tmp_path: Path) -> None:
    word = write_docx(tmp_path / "plan.docx", [HEADER, *ROWS], (TITLE,))
    document = docx.Document(str(word))
    for line in AFTER:  # the paragraphs after the Word table
        document.add_paragraph(line)
    document.save(str(word))
    page = tmp_path / "plan.txt"
    page.write_text(f"{TITLE}\n" + _bars([HEADER, *ROWS]) + "\n" + "\n".join(AFTER) + "\n", encoding="utf-8")
    tree = shape(parse_file(page))
    # 三、保障措施 after the rows is the plan's next section, read the same in both forms
    assert [node[0] for node in tree] == ["1", "2", "三"]
    assert tree == shape(parse_file(word))


TABLE = "序号 | 任务 | 牵头单位 | 配合单位\n1 | 编制规划，年底前完成5项 | 市发展改革局 | 市统计局\n2 | 建设项目 | 市住建局 | 市财政局\n"
TABLE_ROWS = "1.编制规划，年底前完成5项（牵头单位：市发展改革局；配合单位：市统计局）\n2.建设项目（牵头单位：市住建局；配合单位：市财政局）\n"


@pytest.mark.parametrize("times", [1, 2, 5])
def test_tables_between_long_prose_are_each_read_on_their_own(times: int) -> None:
    prose = "（一）推进工作，力争新增５家以上。\n" * 40
    out = unflatten((prose + "\n" + TABLE + "\n") * times)
    # every table's rows under its own header, the prose between them left as it is (the text
    # ends with a table: no newline after its last row)
    assert out == ((prose + "\n" + TABLE_ROWS) * times)[:-1]
