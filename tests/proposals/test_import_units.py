"""The committee's list after the 交办 meeting: its 主办 / 会办 / 分办 columns are matched to the
unit register, shown in the review, and on commit each proposal is assigned as on its page.
Unknown, ambiguous and malformed unit cells are problems of the review; nothing half-written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from luoshi.accounts.models import AuditLog
from luoshi.ledger.models import Unit, UnitAlias
from luoshi.proposals import excel, services
from luoshi.proposals.models import AssignedUnit, Assignment, Proposal, ProposalEvent

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 4, 1)  # the ``day`` fixture's default
TITLE = "市政协十二届五次会议提案交办一览表"


def xlsx(header: list, rows: list[list], title: str | None = TITLE) -> bytes:
    """A workbook as openpyxl writes it, checked to read back as written before it is uploaded."""
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a pasted cell may hold
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    back = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert [c for c in back[1 if title else 0] if c is not None] == header
    return data


def row(number, title, leads="", supports="") -> list:
    return [number, title, "张三", leads, supports]


HEADER = ["案号", "案由", "提案人", "主办单位", "会办单位"]
GOOD = [
    row(1, "关于加快深中通道两岸产业协同发展的提案", "市发展改革委", "市交通运输局"),
    row(2, "关于优化跨城通勤公交线路的提案", "市交通运输局"),
    row(3, "关于加强社区警务的提案"),  # not yet assigned: registered only
]


@pytest.fixture
def committee(client, people, day):
    client.force_login(people.committee, backend="luoshi.accounts.backends.LockoutBackend")
    return client


def upload(client, data: bytes, city) -> str:
    f = SimpleUploadedFile("list.xlsx", data)
    payload = {"session": "十二届五次", "kind": "proposal", "city": city.pk if city else "", "file": f}
    return client.post("/proposals/import/", payload).content.decode()


def commit(client) -> str:
    return client.post("/proposals/import/commit/", follow=True).content.decode()


def units_of(p: Proposal) -> tuple:
    rows = AssignedUnit.objects.filter(assignment=p.assignment).order_by("role", "position")
    return tuple((a.role, a.unit.name) for a in rows.select_related("unit"))


@pytest.mark.parametrize(
    "header, field",
    [
        ("主办单位", "leads"),
        ("承办单位", "leads"),
        ("主办", "leads"),
        ("主办（牵头）单位", "leads"),
        ("会办单位", "supports"),
        ("协办单位", "supports"),
        ("会办", "supports"),
        ("分办单位", "split"),
        ("分办", "split"),
    ],
)
def test_unit_headers_map_by_synonyms(header, field):
    assert excel.header_map((header,)) == {0: field}


@pytest.mark.parametrize(
    "cell, names",
    [
        ("市发展改革委、市交通运输局", ["市发展改革委", "市交通运输局"]),
        ("市发展改革委，市交通运输局；市公安局", ["市发展改革委", "市交通运输局", "市公安局"]),
        ("  市发展改革委\n市交通运输局  ", ["市发展改革委", "市交通运输局"]),
        ("市委  办公室", ["市委 办公室"]),
        ("市公安局、市公安局", ["市公安局"]),
        ("、，;", []),
        (None, []),
        (12345.0, ["12345"]),
    ],
)
def test_a_cell_gives_its_unit_names(cell, names):
    assert excel.unit_names(cell) == names


def test_the_review_shows_each_rows_units_and_the_commit_assigns_them_as_the_page_does(committee, people):
    page = upload(committee, xlsx(HEADER, GOOD), people.city_a)
    assert "共 3 件，请核对后确认登记" in page and 'id="assign-note"' in page
    assert '<td class="leads">市发展改革委</td><td class="supports">市交通运输局</td>' in page
    assert '<td class="leads">市交通运输局</td><td class="supports"></td>' in page
    assert Proposal.objects.count() == 0 and Assignment.objects.count() == 0
    assert "已登记 3 件" in commit(committee)
    one, two, three = Proposal.objects.order_by("number_key")
    assert units_of(one) == (("lead", "市发展改革委"), ("support", "市交通运输局"))
    assert units_of(two) == (("lead", "市交通运输局"),)
    assert three.assignment is None and three.state == "registered"
    # The same deadlines, state and history as a 交办 made on the proposal's page today.
    by_hand = services.assign(
        people.register("99"), people.office_a, TODAY, [people.ndrc], [people.transport]
    )
    for p in (one, two):
        assert (p.state, p.reply_due) == ("assigned", by_hand.reply_due)
        a = p.assignment
        assert (a.on, a.support_due, a.pre_contact_due, a.adjust_until) == (
            TODAY,
            by_hand.assignment.support_due,
            by_hand.assignment.pre_contact_due,
            by_hand.assignment.adjust_until,
        )
    assert list(ProposalEvent.objects.filter(proposal=one).values_list("action", "detail")) == [
        ("register", one.title),
        ("assign", "主办：市发展改革委；会办：市交通运输局"),
    ]
    assert AuditLog.objects.filter(event="proposal", detail=f"{one.pk} assign registered→assigned").exists()


def test_names_are_matched_by_alias_and_canonical_spelling(committee, people):
    UnitAlias.objects.create(name="发改委", unit=people.ndrc)
    rows = [row(1, "关于产业协同的提案", "发改委", "市交通运输局")]
    page = upload(committee, xlsx(HEADER, rows), people.city_a)
    assert '<td class="leads">市发展改革委</td>' in page
    commit(committee)
    assert units_of(Proposal.objects.get()) == (("lead", "市发展改革委"), ("support", "市交通运输局"))


def test_a_split_list_assigns_each_unit_to_reply_on_its_own(committee, people):
    header = ["案号", "案由", "提案人", "分办单位"]
    page = upload(
        committee, xlsx(header, [[1, "关于通勤的提案", "张三", "市发展改革委、市交通运输局"]]), people.city_a
    )
    assert "分办：市发展改革委、市交通运输局" in page
    commit(committee)
    p = Proposal.objects.get()
    assert p.assignment.mode == "split"
    assert units_of(p) == (("lead", "市发展改革委"), ("lead", "市交通运输局"))


# what the cells say ⇥ the problem expected on that row (column, fragment of the message)
BAD_UNITS = [
    ("unknown unit", ["市不存在局", ""], ("主办单位", "单位“市不存在局”不在单位名录中")),
    ("unknown support", ["市发展改革委", "市发展改革委、市无名办"], ("会办单位", "“市无名办”不在单位名录中")),
    ("two leads", ["市发展改革委、市交通运输局", ""], ("主办单位", "只能有一个主办单位")),
    ("support without lead", ["", "市交通运输局"], ("会办单位", "未填主办单位")),
    ("lead is support", ["市发展改革委", "市发展改革委"], ("会办单位", "不能既是主办单位又是会办单位")),
    ("a sentence, not a unit", ["由" + "各有关部门" * 30 + "负责", ""], ("主办单位", "单位名称过长")),
    ("a formula as text", ['=HYPERLINK("http://x")', ""], ("主办单位", "不在单位名录中")),
    ("markup", ["<script>alert(1)</script>", ""], ("主办单位", "不在单位名录中")),
    ("another city's unit", ["市公安局乙", ""], ("主办单位", "不在单位名录中")),
]


@pytest.mark.parametrize("why, cells, expected", BAD_UNITS, ids=[b[0] for b in BAD_UNITS])
def test_bad_unit_cells_are_problems_and_nothing_is_registered(committee, people, why, cells, expected):
    Unit.objects.create(name="市公安局乙", city=people.city_b)
    rows = [*GOOD[1:], row(4, "关于某事的提案", *cells)]
    page = upload(committee, xlsx(HEADER, rows), people.city_a)
    assert "本次没有登记任何提案" in page and 'id="commit"' not in page, why
    column, fragment = expected
    problems = page[page.index('id="problems"') :]
    assert f"<td>5</td><td>{column}</td>" in "".join(problems.split()), (
        why
    )  # the title row, the header, 2, 3, 4
    assert fragment in page.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">"), why
    assert "<script>alert" not in page
    commit(committee)
    assert Proposal.objects.count() == 0 and Assignment.objects.count() == 0


def test_every_unknown_unit_is_named_even_in_rows_with_other_problems(committee, people):
    rows = [row(1, "", "市甲局"), row(2, "关于某事的提案", "市乙局")]
    page = upload(committee, xlsx(HEADER, rows), people.city_a)
    assert "“市甲局”不在单位名录中" in page and "“市乙局”不在单位名录中" in page and "案由" in page


def test_a_name_two_units_share_must_be_written_in_full(committee, people):
    """Without a city the list may go to every unit: 市发展改革委 is then 甲市's and 乙市's."""
    page = upload(committee, xlsx(HEADER, GOOD[:1]), None)
    assert "对应多个单位" in page and "市发展改革委（甲市）" in page and "市发展改革委（乙市）" in page
    assert 'id="commit"' not in page


def test_a_units_own_city_wins_over_a_namesake_without_a_city(committee, people):
    Unit.objects.create(name="市发展改革委", city=None)
    upload(committee, xlsx(HEADER, GOOD[:1]), people.city_a)
    commit(committee)
    assert AssignedUnit.objects.get(role="lead").unit == people.ndrc


def test_a_unit_removed_between_review_and_commit_undoes_the_whole_list(committee, people):
    """The list's first rows are assigned before the last one finds its unit gone: all undone."""
    housing = Unit.objects.create(name="市住房城乡建设局", city=people.city_a)
    upload(
        committee, xlsx(HEADER, [*GOOD, row(4, "关于老旧小区改造的提案", "市住房城乡建设局")]), people.city_a
    )
    housing.delete()
    page = commit(committee)
    assert "导入未完成，没有登记任何提案" in page and "请重新上传" in page
    assert Proposal.objects.count() == 0 and ProposalEvent.objects.count() == 0
    assert Assignment.objects.count() == 0 and not AuditLog.objects.filter(event="proposal").exists()


def test_hostile_cells_in_other_columns_do_not_reach_the_units(committee, people):
    """Numbers, dates, booleans and very long text in the unit columns are read as text."""
    rows = [
        [1, "关于甲的提案", "张三", 42, None],
        [2, "关于乙的提案", "李四", dt.datetime(2024, 1, 1), None],
        [3, "关于丙的提案", "王五", True, None],
    ]
    page = upload(committee, xlsx(HEADER, rows), people.city_a)
    assert (
        "“42”不在单位名录中" in page
        and "“2024-01-01”不在单位名录中" in page
        and "“True”不在单位名录中" in page
    )
    assert Proposal.objects.count() == 0


def test_a_list_without_unit_columns_registers_without_assigning(committee, people):
    page = upload(committee, xlsx(["案号", "案由", "提案人"], [[1, "关于甲的提案", "张三"]]), people.city_a)
    assert 'id="assign-note"' not in page and "主办（分办）单位" not in page
    commit(committee)
    assert Proposal.objects.get().state == "registered" and Assignment.objects.count() == 0
