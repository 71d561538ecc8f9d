"""The committee's Excel list: headers by synonyms, review, all or nothing, and bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from luoshi.proposals import excel
from luoshi.proposals.models import Proposal, ProposalEvent

D = dt.date
HEADER = [
    "序号",
    "案号",
    "案由",
    "提案人",
    "联名人",
    "界别",
    "类别",
    "提交日期",
    "是否重点",
    "督办领导",
    "主办单位",
]
ROWS = [
    [
        1,
        125255,
        "关于加快深中通道两岸产业协同发展的提案",
        "张三",
        "李四、王五",
        "民盟",
        "经济发展",
        D(2024, 1, 20),
        "是",
        "陈副市长",
        "市发展改革委",
    ],
    [
        2,
        "第0126号",
        "关于优化跨城通勤公交线路的提案",
        "赵六",
        "",
        "农工党",
        "城乡建设",
        "2024年1月21日",
        "否",
        "",
        "市交通运输局",
    ],
]


def xlsx(rows, header=HEADER, title: str | None = "市政协十二届五次会议提案交办一览表") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read(data: bytes, existing=()) -> excel.ListRead:
    return excel.read_list(data, session="十二届五次", kind="proposal", existing=tuple(existing))


def test_a_good_list_reads_every_row_with_its_fields():
    r = read(xlsx(ROWS))
    assert r.ok, r.problems
    a, b = r.rows
    assert (a["number"], a["cosigners"], a["submitted"], a["key"], a["leader"]) == (
        "125255",
        ["李四", "王五"],
        D(2024, 1, 20),
        True,
        "陈副市长",
    )
    assert (b["number"], b["submitted"], b["key"], b["group"]) == (
        "第0126号",
        D(2024, 1, 21),
        False,
        "农工党",
    )
    assert r.columns["proposer"] == "提案人"
    assert r.ignored == ["序号"]
    assert [u["leads"] for u in r.units] == [["市发展改革委"], ["市交通运输局"]]


# header variants committees use ⇥ the field it maps to
@pytest.mark.parametrize(
    "header,field",
    [
        ("提案号", "number"),
        ("建议编号", "number"),
        ("案 号", "number"),
        ("标题", "title"),
        ("提案名称", "title"),
        ("建议题目", "title"),
        ("领衔人", "proposer"),
        ("领衔代表", "proposer"),
        ("第一提案人", "proposer"),
        ("附议人", "cosigners"),
        ("联名代表", "cosigners"),
        ("代表团", "group"),
        ("界别（党派）", "group"),
        ("重点提案", "key"),
        ("领衔督办", "leader"),
        ("届次", "session"),
    ],
)
def test_header_synonyms(header, field):
    assert excel.header_map((header,)) == {0: field}


def test_unknown_headers_are_not_mapped():
    assert excel.header_map(("办理情况", "电话", None, 12)) == {}


def test_headers_in_the_first_row_also_work():
    assert read(xlsx(ROWS, title=None)).ok


# what is wrong ⇥ the rows ⇥ the problem expected (row, column, fragment)
BAD = [
    ("empty title", [[1, 1, "", "张三"]], (3, "案由", "案由（标题）不能为空")),
    ("no proposer", [[1, 1, "标题", ""]], (3, "提案人", "提案人不能为空")),
    (
        "duplicate in the list",
        [[1, 7, "甲", "张三"], [2, "第007号", "乙", "李四"]],
        (4, "案号", "与第5行重复"),
    ),
    ("bad date", [[1, 1, "标题", "张三", "", "", "", "下周一"]], (3, "提交日期", "无法识别")),
    ("impossible date", [[1, 1, "标题", "张三", "", "", "", "2024-02-30"]], (3, "提交日期", "无法识别")),
    ("bad key flag", [[1, 1, "标题", "张三", "", "", "", None, "也许"]], (3, "重点", "无法识别")),
    (
        "key without leader",
        [[1, 1, "标题", "张三", "", "", "", None, "是", ""]],
        (3, "督办领导", "领衔督办的领导"),
    ),
    ("title too long", [[1, 1, "长" * 301, "张三"]], (3, "案由", "过长")),
    ("replacement characters", [[1, 1, "乱码\ufffd\ufffd", "张三"]], (3, "案由", "无法识别的字符")),
]


@pytest.mark.parametrize("why,rows,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_rows_are_listed_and_nothing_is_ready(why, rows, expected):
    r = read(xlsx([*ROWS, *[[*x] for x in rows]] if why.startswith("duplicate") else rows))
    assert not r.ok
    row, column, fragment = expected
    if why.startswith("duplicate"):
        row += len(ROWS)
    assert any(p.row == row and p.column == column and fragment in p.message for p in r.problems), r.problems


def test_a_number_already_registered_is_a_problem():
    r = read(xlsx(ROWS), existing=["126"])
    assert [(p.row, p.message) for p in r.problems] == [(4, "十二届五次已登记过案号“第0126号”")]


@pytest.mark.parametrize(
    "data,fragment",
    [
        (b"", "文件为空"),
        ("案号,案由,提案人\n1,标题,张三\n".encode("gb18030"), "不是有效的 Excel"),
        (b"PK\x03\x04" + b"\x00" * 100, "不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 .xls"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, fragment):
    r = read(data)
    assert not r.ok and fragment in r.problems[0].message


def test_a_docx_is_not_a_list():
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    assert "不是 Excel" in read(buffer.getvalue()).problems[0].message


def test_a_sheet_without_the_header_says_which_columns_are_needed():
    r = read(xlsx([["x"]], header=["编号", "名称", "办理单位"]))
    assert "找不到表头（至少需要：案号、案由、提案人）" in r.problems[0].message


def test_a_list_without_rows_is_not_ready():
    assert "没有提案" in read(xlsx([])).problems[0].message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    r = read(xlsx([[i, i, f"标题{i}", "张三"] for i in range(1, 6)]))
    assert not r.ok and not r.rows and "行数超过上限3" in r.problems[-1].message


# --- through the pages -------------------------------------------------------------------------


@pytest.fixture
def committee_client(client, people):
    client.force_login(people.committee, backend="luoshi.accounts.backends.LockoutBackend")
    return client


def upload(client, data: bytes, session="十二届五次", kind="proposal", city=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("list.xlsx", data)
    return client.post("/proposals/import/", {"session": session, "kind": kind, "city": city, "file": f})


@pytest.mark.django_db
def test_review_then_commit_registers_everything_with_history(committee_client, people):
    page = upload(committee_client, xlsx(ROWS), city=people.city_a.pk).content.decode()
    assert "共 2 件，请核对后确认登记" in page and "主办单位" in page
    assert Proposal.objects.count() == 0  # nothing before the review is confirmed
    response = committee_client.post("/proposals/import/commit/", follow=True)
    assert "已登记 2 件" in response.content.decode()
    assert list(Proposal.objects.order_by("number_key").values_list("number", "city__name", "key")) == [
        ("125255", "甲市", True),
        ("第0126号", "甲市", False),
    ]
    assert ProposalEvent.objects.filter(action="register").count() == 2
    from luoshi.accounts.models import AuditLog

    audit = AuditLog.objects.filter(event="proposal", user=people.committee)
    assert audit.filter(detail__endswith=" register").count() == 2
    # The list's 主办单位 column: each proposal assigned as it is registered, one audit line each.
    assert audit.filter(detail__contains=" assign ").count() == 2
    assert Proposal.objects.get(number="125255").cosigner_list == ["李四", "王五"]
    # the review is used once: a second commit registers nothing
    page = committee_client.post("/proposals/import/commit/", follow=True).content.decode()
    assert "没有待确认的导入" in page and Proposal.objects.count() == 2


@pytest.mark.django_db
def test_a_list_with_problems_cannot_be_committed(committee_client, people):
    bad = xlsx([*ROWS, [3, 125255, "重复", "某某"]])
    page = upload(committee_client, bad).content.decode()
    assert "本次没有登记任何提案" in page and 'id="commit"' not in page
    committee_client.post("/proposals/import/commit/")
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_a_number_registered_between_review_and_commit_undoes_the_whole_list(committee_client, people):
    upload(committee_client, xlsx(ROWS), city=people.city_a.pk)
    people.register("126")  # someone registers 第0126号 meanwhile
    page = committee_client.post("/proposals/import/commit/", follow=True).content.decode()
    assert "导入未完成，没有登记任何提案" in page
    assert list(Proposal.objects.values_list("number", flat=True)) == ["126"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office_a", "lead", "member", "leader"])
def test_only_the_committee_and_admins_import(client, people, who):
    client.force_login(getattr(people, who), backend="luoshi.accounts.backends.LockoutBackend")
    assert client.get("/proposals/import/").status_code == 403
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("list.xlsx", xlsx(ROWS))
    assert (
        client.post(
            "/proposals/import/", {"session": "十二届五次", "kind": "proposal", "file": f}
        ).status_code
        == 403
    )
    assert client.post("/proposals/import/commit/").status_code == 403
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_missing_session_or_file_is_a_clear_message(committee_client):
    assert "请填写届次" in upload(committee_client, xlsx(ROWS), session="").content.decode()
    page = committee_client.post(
        "/proposals/import/", {"session": "十二届五次", "kind": "proposal"}
    ).content.decode()
    assert "请选择 Excel 文件" in page


@pytest.mark.django_db
def test_registering_a_list_with_a_repeated_number_registers_nothing(people):
    from luoshi.proposals import services

    rows = read(xlsx(ROWS)).rows
    with pytest.raises(services.HandlingError, match="重复的案号"):
        services.register_all([*rows, rows[0]], people.committee, on=D(2024, 2, 1))
    assert not Proposal.objects.exists()
