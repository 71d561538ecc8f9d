"""A plan published as a table reads into the same tree from its page's text, Word, Excel and HTML.

The cases are real pages (``table_pages``): each page's text as it was found, flattened, and the
same table written as a Word table, an Excel sheet and a web page's table. A user importing any of the three forms
gets the same items, units, deadlines and targets, and what the case says the rows hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file
from tests.textplan.table_files import shape, write_docx, write_html, write_xlsx
from tests.textplan.table_pages import (
    MEISHAN_ROWS,
    NINGBO_PAGE,
    RECORD_PAGES,
    TABLE_PAGES,
    RecordPage,
    TablePage,
)


def _forms(case: TablePage, folder: Path) -> dict[str, Path]:
    page = folder / f"{case.name}.txt"
    page.write_text(case.page, encoding="utf-8")
    return {
        "page": page,
        "docx": write_docx(folder / f"{case.name}.docx", case.rows, case.before),
        "xlsx": write_xlsx(folder / f"{case.name}.xlsx", case.rows, tuple((line,) for line in case.before)),
        "html": write_html(folder / f"{case.name}.html", case.rows, case.before),
    }


def _items(plan) -> dict[str, object]:
    return {it.label.rstrip("、.．").strip("()（）"): it for it in plan.walk()}


@pytest.mark.parametrize("case", TABLE_PAGES, ids=lambda c: c.name)
def test_the_page_the_word_table_the_sheet_and_the_web_table_read_alike(
    tmp_path: Path, case: TablePage
) -> None:
    trees = {
        form: shape(parse_file(path), join_cjk_spaces=True) for form, path in _forms(case, tmp_path).items()
    }
    assert trees["page"] == trees["docx"]
    assert trees["page"] == trees["xlsx"]
    assert trees["page"] == trees["html"]


@pytest.mark.parametrize("form", ["page", "docx", "xlsx", "html"])
@pytest.mark.parametrize("case", TABLE_PAGES, ids=lambda c: c.name)
def test_each_row_is_an_item_with_its_units_and_targets(tmp_path: Path, case: TablePage, form: str) -> None:
    plan = parse_file(_forms(case, tmp_path)[form])
    got = _items(plan)
    assert list(got) == [label.strip("()（）") for label in case.labels]
    for label, lead in case.leads.items():
        assert got[label].lead == lead, label
    for label, support in case.supports.items():
        assert got[label].support == support, label
    units = {u for it in got.values() for u in (*it.lead, *it.support)}
    assert not units & set(case.not_units)
    for label, wanted in case.targets.items():
        assert [(t.value, t.unit) for t in got[label].targets] == wanted, label


@pytest.mark.parametrize("case", RECORD_PAGES, ids=lambda c: c.name)
def test_the_sites_record_of_a_document_is_no_table_of_tasks(tmp_path: Path, case: RecordPage) -> None:
    page = tmp_path / f"{case.name}.txt"
    page.write_text(case.page, encoding="utf-8")
    plan = parse_file(page)
    assert [it.label.rstrip("、.．").strip("()（）") for it in plan.walk()] == [
        label.strip("()（）") for label in case.labels
    ]
    assert all(not it.lead and not it.support for it in plan.walk())
    if case.title:
        assert (plan.meta.title or "").replace(" ", "") == case.title.replace(" ", "")


def test_a_report_whose_tasks_name_no_one_keeps_what_it_says_was_done(tmp_path: Path) -> None:
    # 宁波's rows without the columns of people: what is left is a report in prose, whose
    # 实际完成情况 says what was done, not a table whose progress column is set aside.
    page = tmp_path / "宁波.txt"
    page.write_text(
        "\n".join(
            " ".join(part for part in line.split(" ") if not part.startswith(("牵头领导", "项目责任人")))
            for line in NINGBO_PAGE.page.splitlines()
        ),
        encoding="utf-8",
    )
    got = _items(parse_file(page))
    assert got["2"].lead == ["市公安局"] and got["2"].support == ["市城管局", "市财政局"]
    assert (55, "%") in [(t.value, t.unit) for t in got["2"].targets]


@pytest.mark.parametrize("form", ["docx", "xlsx", "html"])
def test_a_unit_name_broken_over_two_lines_of_its_cell_is_one_unit(tmp_path: Path, form: str) -> None:
    write = {"docx": write_docx, "xlsx": write_xlsx, "html": write_html}[form]
    got = _items(parse_file(write(tmp_path / f"眉山.{form}", MEISHAN_ROWS)))
    assert list(got) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert got["1"].lead == ["市人力资源社会保障局"]
    assert got["7"].lead == ["市人力资源社会保障局"]
    assert got["8"].lead == ["市人力资源社会保障局", "市教体局", "团市委"]  # a list broken after its 、
    # the task is the text beside the figure, not the figure
    assert got["1"].title == "城镇新增就业(人)" and got["8"].title.startswith("对创业的在校大学生")
    assert "74.8" not in got["1"].text  # how much was done is no target
