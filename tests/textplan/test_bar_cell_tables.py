"""Tables scraped one cell per line with a bar closing each cell (``序号 |`` / ``教体局 |``, rows
parted by ``|`` or ``||``), from the pages named beside them: read as the same table without
the bars. A task that starts with digits (2024年农村公路…) keeps its own row number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file
from luoshi.textplan.tables import column_role
from tests.textplan.table_pages import CHONGCHUAN

# http://www.jzzrppj.com.cn/yxzf/yxzwgk/zfwj/xzfwj/202404/24ac3dc04d75462894bca43c3c2ec4f1.shtml
YANGXIAN_ROWS = [
    [
        "1",
        "洋县中小学幼儿园基础设施提升改造项目",
        "相关镇 (街道)",
        "2024",
        "对马畅中小、湑水中小、茅坪学校等学校运动场地进行改造。",
        "300",
        "教体局",
    ],
    [
        "2",
        "城北小学门前道路建设项目",
        "纸坊街道",
        "2024",
        "建成唐塔北路延伸段(城北小学门前)道路。",
        "300",
        "住建局",
    ],
    [
        "3",
        "洋县2024年老旧小区改造项目",
        "洋州街道",
        "2024",
        "实施西苑小区、金鑫二小区、宏昌小区三所老旧小区房屋功能改善和周边配套基础设施。",
        "1360",
        "住建局",
    ],
    [
        "4",
        "2024年农村公路生命安全防护工程",
        "槐树关镇龙亭镇",
        "2024",
        "在龙亭镇实施农村公路生命防护工程31.656公里。",
        "3000",
        "交通局",
    ],
]
YANGXIAN_HEAD = [
    "序号",
    "项目名称",
    "建设地点",
    "建设时间",
    "2024年建设内容",
    "年度投资金额 (万元)",
    "责任单位",
]


def _bar_cells(head: list[str], rows: list[list[str]]) -> str:
    lines = ["洋县2024年十大民生实事项目清单 |", "||||||", "|"]
    lines += [f"{c} |" for c in head]
    for r in rows:
        lines += ["|", *[f"{c} |" for c in r]]
    return "\n".join(lines)


def _parse_page(text: str, tmp_path: Path) -> list:
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")  # tables flattened into a page are rebuilt as it is read
    return parse_file(page).items


def test_cells_closed_by_bars_read_as_rows(tmp_path: Path) -> None:
    items = _parse_page(_bar_cells(YANGXIAN_HEAD, YANGXIAN_ROWS), tmp_path)
    assert [(i.label, i.title, i.lead) for i in items] == [
        ("1.", "洋县中小学幼儿园基础设施提升改造项目", ["教体局"]),
        ("2.", "城北小学门前道路建设项目", ["住建局"]),
        ("3.", "洋县2024年老旧小区改造项目", ["住建局"]),
        ("4.", "2024年农村公路生命安全防护工程", ["交通局"]),
    ]


# 崇川's page (``table_pages``) cut inside row 25, after its 是否达序 cell: the row lacks its note.
CHONGCHUAN_CUT = CHONGCHUAN.page[: CHONGCHUAN.page.index("否 |\n") + len("否 |\n")]


def test_a_progress_table_closed_by_bars_keeps_its_row_numbers(tmp_path: Path) -> None:
    items = _parse_page(CHONGCHUAN_CUT, tmp_path)
    assert [(i.label, i.title) for i in items][:2] == [
        ("24.", "优化提升50条背街后巷交通组织"),
        ("25.", "新增四分类“三定一督”达标小区210个"),
    ]


# column header ⇥ role ⇥ source
HEADERS = """
建设时间	deadline	# http://www.jzzrppj.com.cn/yxzf/yxzwgk/zfwj/xzfwj/202404/24ac3dc04d75462894bca43c3c2ec4f1.shtml
是否达序	status	# http://chongchuan.gov.cn/xccqrmzf/msssxm/content/3050375a-7066-4841-b547-49222f1a34fa.html
"""


@pytest.mark.parametrize(
    ("header", "role"), [ln.split("\t#")[0].split("\t") for ln in HEADERS.strip().splitlines()]
)
def test_column_headers_of_other_issuers(header: str, role: str) -> None:
    assert column_role(header) == role
