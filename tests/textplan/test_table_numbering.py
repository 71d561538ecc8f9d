"""The rows of a task table keep the numbers the table gives them.

Tables are often excerpts (a page showing rows 6 to 10 of a list), long plans number their rows on
into the hundreds (泾县 243, 滁州 190, 盘锦 146 tasks in one table), and a notice numbered 1. 2. 3.
is often followed, after its issuer and date, by the table it sends out, numbered from 1 again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file
from tests.textplan.table_files import write_docx, write_xlsx
from tests.textplan.test_real_tables import DAZHU

# http://www.dazhu.gov.cn/xxgk-show-947.html — the rows after 序号 6 of the same table.
DAZHU_LATER = [
    ["序号", "民生实事", "责任单位", "完成时限"],
    ["7", "加快推进土地滩水库建设。", "县水务局", "12月底前"],
    ["8", "启动大竹县第十二小学建设,新建中心幼儿园2所。", "县教科局\n县代建中心", "12月底前"],
    ["9", "完成棚户区改造2836户。", "县住建局", "12月底前"],
    ["10", "城区再新建1个农贸市场。", "县商务局", "12月底前"],
]

# http://xyexam.com/html/2509/2021-05-25/content-93597.html — 盘锦市人民政府办公室 (盘政办发〔2021〕1号):
# a notice numbered 1. 2. 3., signed and dated, then the table it sends out.
PANJIN_NOTICE = (
    "盤錦市人民政府辦公室關于印發《2021年市〈政府工作報告〉任務分解和責任分工方案》的通知\n"
    "盤政辦發〔2021〕1號\n"
    "各縣、區人民政府,遼東灣新區、高新技術產業開發區管委會,市政府各部門、直屬機構:\n"
    "現將《2021年市〈政府工作報告〉任務分解和責任分工方案》(以下簡稱《方案》)印發給你們,"
    "并就抓好《方案》確定的146項工作任務落實通知如下:\n"
    "1.明確任務,壓實責任。各牽頭單位要緊密結合工作實際,堅持目標導向和結果導向。\n"
    "2.統籌協調,合力攻堅。各相關單位要加強配合,統籌協調推進各項工作。\n"
    "3.加強督考,狠抓落實。圍繞《方案》的推進實施,市政府督考辦要加大督查考核力度。\n"
    "盤錦市人民政府辦公室\n"
    "2021年1月25日\n"
    "(此件公開發布)\n"
)


def labels(plan) -> list[list[str]]:
    def walk(items, prefix):
        for it in items:
            path = [*prefix, it.label.rstrip("、.．")]
            yield path
            yield from walk(it.children, path)

    return list(walk(plan.items, []))


def test_a_table_excerpt_starting_at_row_seven_keeps_its_rows(tmp_path: Path) -> None:
    plan = parse_file(write_docx(tmp_path / "大竹.docx", DAZHU_LATER))
    assert labels(plan) == [["7"], ["8"], ["9"], ["10"]]
    assert plan.items[1].lead == ["县教科局", "县代建中心"]


def test_rows_numbered_into_the_hundreds_are_items(tmp_path: Path) -> None:
    rows = [DAZHU_LATER[0]] + [[str(int(r[0]) + 200), *r[1:]] for r in DAZHU_LATER[1:]]
    plan = parse_file(write_xlsx(tmp_path / "分解表.xlsx", rows))
    assert labels(plan) == [["207"], ["208"], ["209"], ["210"]]


def test_the_table_after_a_signed_and_dated_notice_is_numbered_from_the_top(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "盘锦.docx", DAZHU, (*PANJIN_NOTICE.splitlines(), "附件", "任務分解表"))
    got = labels(parse_file(path))
    assert got[:3] == [["1"], ["2"], ["3"]]  # the notice's own points
    assert [p for p in got[3:]] == [["1"], ["2"], ["3"], ["4"], ["5"], ["6"]]  # the table's rows


def test_a_flattened_table_after_the_notice_is_numbered_from_the_top(tmp_path: Path) -> None:
    table = "\n".join(" | ".join(c.replace("\n", "、") for c in row) for row in DAZHU)
    page = tmp_path / "盘锦.txt"
    page.write_text(PANJIN_NOTICE + "附件\n任務分解表\n" + table + "\n", encoding="utf-8")
    got = labels(parse_file(page))
    assert got == [["1"], ["2"], ["3"], ["1"], ["2"], ["3"], ["4"], ["5"], ["6"]]


# http://sc.sina.com.cn/news/b/2023-02-22/detail-imyhniys8713517.shtml — 成都市2023年民生实事工作目标:
# the numbers run on through the sections (一、交通出行 ends at 14, 二、市容环境 starts at 15).
CHENGDU = [
    ("10", "推进“照亮回家路”专项行动,解决城市道路照明“有路无灯、有灯不亮”问题2500个。"),
    ("11", "对中心城区信号灯每季度完成1次全覆盖配时优化调整。"),
    ("12", "治理常态性交通堵点30处,打造停车治理示范片区23个,实施片区“微循环”10处。"),
    ("13", "新增交通秩序严格管理路段115条,优化调整不合理停车点位200个。"),
    ("14", "新建电动自行车停放示范场所不少于500处。"),
    ("二、市容环境", None),
    ("15", "实施“碳惠天府”机制建设深化行动,碳普惠用户数达200万个。"),
    ("16", "新建、改扩建“口袋公园”20个。"),
    ("17", "新增绿地面积1800公顷。"),
]


def chengdu_docx(path: Path, first_section: str, second_section: str) -> Path:
    rows = [["序号", "民生实事"], [first_section, first_section]]
    for seq, task in CHENGDU:
        rows.append([second_section, second_section] if task is None else [seq, task])
    return write_docx(path, rows, ("成都市2023年民生实事工作目标",))


def test_numbers_running_on_through_the_sections_stay_under_them(tmp_path: Path) -> None:
    plan = parse_file(chengdu_docx(tmp_path / "成都.docx", "一、交通出行", "二、市容环境"))
    assert labels(plan) == [
        ["一"],
        *(["一", str(n)] for n in range(10, 15)),
        ["二"],
        *(["二", str(n)] for n in range(15, 18)),
    ]


def test_unnumbered_section_rows_invent_no_level_when_the_rows_number_on(tmp_path: Path) -> None:
    plan = parse_file(chengdu_docx(tmp_path / "成都.docx", "交通出行", "市容环境"))
    assert labels(plan) == [[str(n)] for n in range(10, 18)]


# http://niudev.com/html/2023/news/3/344372.html — 绵阳市2023年市级民生实事清单: a section that says how
# many projects it holds.
MIANYANG = [
    ["序号", "项目名称", "主要内容", "责任单位"],
    ["一、城建综合治理类（11件）"] * 4,
    [
        "1",
        "绵阳科技城第二水源开茂水库水厂及配套管网建设项目",
        "建设一座日供水30万吨的绵阳科技城第二水源开茂水库净水厂。",
        "市住房和城乡建设委、水务集团",
    ],
    [
        "2",
        "绵阳火车站站前广场及周边配套设施建设项目(票决项目)",
        "新建临园路下穿通道,总长约1400米,宽50米。",
        "市住房和城乡建设委、交发集团",
    ],
]


def test_a_sections_count_of_its_projects_is_no_target(tmp_path: Path) -> None:
    plan = parse_file(write_xlsx(tmp_path / "绵阳.xlsx", MIANYANG))
    (section,) = plan.items
    assert section.label == "一、" and section.title == "城建综合治理类"
    assert section.targets == []
    leads = [[u.removeprefix("市") for u in c.lead] for c in section.children]  # 市水务集团 or 水务集团
    assert leads == [["住房和城乡建设委", "水务集团"], ["住房和城乡建设委", "交发集团"]]


# http://www.chinaacc.com/qtjjfg/hu1604154336.shtml — 国务院办公厅 (国办函[2016]38号): the notice's points
# 一、二、三、 and the 量化指标任务分工 it sends, laid out as one table (序号 | 工作任务 | 牵头负责部门).
GUOBAN_POINTS = [
    ("一", "各有关部门要高度重视量化指标任务,按照分工抓紧研究制定工作方案,健全工作机制,层层落实责任,抓好督促检查"),
    ("二", "各有关部门要按照办理要求和时间节点,及时将量化指标任务进展情况(包括具体数额、完成比例和分省数据)报送国办督查室和有关秘书局"),
    ("三", "国办将加强跟踪督办,定期梳理汇总落实情况"),
]
GUOBAN_ROWS = [
    ("1", "居民消费价格涨幅3%左右", "发展改革委"),
    ("2", "城镇新增就业1000万人以上", "人力资源社会保障部"),
    ("3", "安排财政赤字2.18万亿元,赤字率提高到3%", "财政部"),
]
# Headings over the rows, as a plan's own table has them (大竹县's rows above).
SECTIONED_POINTS = [("一", "总体要求"), ("二", "重点任务")]


def points_then_rows(points: list[tuple[str, str]]) -> list[list[str]]:
    head = ["序号", "工作任务", "牵头负责部门"]
    return [head, *([seq, text, ""] for seq, text in points), *(list(r) for r in GUOBAN_ROWS)]


@pytest.mark.parametrize("form", ["docx", "xlsx"])
@pytest.mark.parametrize(
    ("points", "expected"),
    [
        # points written in full, nothing under them: the numbered rows are a list of their own
        (GUOBAN_POINTS, [["一"], ["二"], ["三"], ["1"], ["2"], ["3"]]),
        # short headings: the numbered rows sit under the last one
        (SECTIONED_POINTS, [["一"], ["二"], ["二", "1"], ["二", "2"], ["二", "3"]]),
        # one point alone, however long, still heads the rows below it
        (GUOBAN_POINTS[:1], [["一"], ["一", "1"], ["一", "2"], ["一", "3"]]),
    ],
)
def test_numbered_rows_after_a_notices_points_are_not_nested_under_them(
    tmp_path: Path, form: str, points: list[tuple[str, str]], expected: list[list[str]]
) -> None:
    write = write_docx if form == "docx" else write_xlsx
    plan = parse_file(write(tmp_path / f"国办.{form}", points_then_rows(points)))
    assert labels(plan) == expected
    leads = [it.lead for it in plan.walk() if it.label[0].isdigit()]
    assert leads == [["发展改革委"], ["人力资源社会保障部"], ["财政部"]]
    assert all(it.lead == [] and it.support == [] for it in plan.walk() if not it.label[0].isdigit())
