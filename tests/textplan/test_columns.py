"""What a table column holds, read from its header as real plans write it.

One case per line: the header as published, the role the reader gives it, and where it was seen.
"""

from __future__ import annotations

import pytest

from luoshi.textplan.tables import classify_header, column_role

CASES = [
    # http://www.dazhu.gov.cn/xxgk-show-947.html (大竹县 2016年民生实事目标任务分解表)
    ("序号", "seq"),
    ("民生实事", "task"),
    ("责任单位", "responsible"),
    ("完成时限", "deadline"),
    # http://totopco.com/art/2020/9/15/art_1229200393_57587027.html (杭州 民生实事 进展表)
    ("实事内容", "task"),
    ("工作任务", "task"),
    ("进展情况", "status"),
    ("一季度", "q1"),
    ("四季度", "q4"),
    # https://1wenmi.com/doc/507125.html (常州 2021年重大民生实事项目目标任务责任分解表)
    ("项目名称", "task"),
    ("主要内容", "content"),
    ("区政府分管领导", "person"),
    ("牵头单位", "lead"),
    ("配合单位", "support"),
    # http://daily.cnnb.com.cn/nbrb/html/2014-07/22/content_776769.htm (宁波 民生实事 1—6月进展)
    ("牵头领导", "person"),
    ("项目责任人", "person"),
    ("实际完成情况", "status"),
    # http://www.gaotang.gov.cn/site_gtgtxrmzfbgsc/channel_x_5265_6201/doc_660bc75d70ff59102ab2ab7c.html
    # (高唐县 政府工作报告目标任务分工方案: 类别、任务内容、牵头领导、责任单位)
    ("类别", "category"),
    ("任务内容", "task"),
    # http://www.snxx.gov.cn/xxxzf/xxzwgk/xxgknr/zfwj/zfwj/202304/b7c1d474861643ff94f89cf2a3d218a0.shtml
    # (西乡县 任务分解一览表: 包抓责任领导、责任股室、责任人、完成时限)
    ("包抓责任领导", "person"),
    ("责任股室", "responsible"),
    ("责任人", "person"),
    # http://www.cncn.gov.cn/art/2022/12/14/art_1229664772_59047997.html (苍南县 民生实事未完成项目进度表)
    ("当前进度", "status"),
    ("备注", "extra"),
    # https://www.ahhuoshan.gov.cn/public/6598161/37968314.html (霍山县 开发区重点工作及责任清单)
    ("重点工作", "task"),
    ("责任领导", "person"),
    # http://chongchuan.gov.cn/xccqrmzf/msssxm/content/3050375a-7066-4841-b547-49222f1a34fa.html (崇川区)
    ("全年目标任务", "task"),
    ("分管 领导", "person"),
    ("责任主体与协同单位", "support"),
    ("1-11月推进情况", "status"),
    # http://ahjx.gov.cn/OpennessContent/show/2668526.html (泾县: 牵头县领导、牵头责任单位、协同责任单位)
    ("牵头县领导", "person"),
    ("牵头责任单位", "lead"),
    ("协同责任单位", "support"),
    # https://www.ms.gov.cn/info/5565/1083570.htm (眉山 十大民生工程完成情况表: 目标 任务 进度 完成比例(%))
    ("目标", "target"),
    ("进度", "status"),
    ("完成比例(%)", "status"),
    # https://www.ms.gov.cn/info/5565/1006442.htm (眉山 十大民生工程项目实施进度表: 目标任务 进度 完成目标(%))
    ("完成目标(%)", "status"),
    # http://xyexam.com/html/2509/2021-05-25/content-93597.html (盤錦市, traditional characters)
    ("牽頭單位", "lead"),
    ("責任單位", "responsible"),
    ("完成時限", "deadline"),
    ("工作任務", "task"),
    # http://www.elht.gov.cn/mobile/c/2024-04-02/97683.shtml (二连浩特: 牵头单位、配合单位及完成时限)
    ("完成时限", "deadline"),
    # http://www.chengxiang.gov.cn (城厢区 为民办实事 进展: 责任领导 责任人员)
    ("责任领导", "person"),
    # header cells as Word and Excel ledgers split them over two lines or spaced out
    ("牵头\n单位", "lead"),
    ("序  号", "seq"),
    ("完成时限（2024年）", "deadline"),
]


@pytest.mark.parametrize(("header", "role"), CASES)
def test_a_header_names_its_column(header: str, role: str) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    "header",
    [
        "居民消费价格涨幅3%左右",  # a task's text, not a header
        "市发展改革委",  # a unit
        "2024年6月底前",  # a deadline
        "",
    ],
)
def test_cells_that_are_no_header(header: str) -> None:
    assert column_role(header) is None


@pytest.mark.parametrize(
    ("header", "coarse"),
    [("责任单位", "lead"), ("主要内容", "task"), ("责任领导", None), ("进展情况", None), ("备注", None)],
)
def test_the_ledger_check_sees_the_coarse_roles(header: str, coarse: str | None) -> None:
    assert classify_header(header) == coarse


def test_no_header_name_is_given_two_roles() -> None:
    from collections import Counter

    from luoshi.textplan.ruletables import load

    named = Counter(name for spec in load("columns")["roles"].values() for name in spec["names"])
    assert [name for name, n in named.items() if n > 1] == []
