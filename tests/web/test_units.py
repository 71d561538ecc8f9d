"""The unit register (组织机构管理): list, add, edit, aliases, merging duplicates, Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from luoshi.accounts.models import AuditLog, Profile
from luoshi.ledger import units
from luoshi.ledger.models import Change, ProgressReport, Role, TaskAssignment, Unit, UnitAlias
from luoshi.ledger.services import RuleError
from luoshi.supervision_web.models import NoticeReply, SupervisionNotice
from tests.web.world import make_user

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(Unit.objects.values_list("pk", "name", "city_id", "parent_id")),
        sorted(UnitAlias.objects.values_list("pk", "name", "unit_id")),
        sorted(TaskAssignment.objects.values_list("task_id", "unit_id", "role", "inherited")),
    )


@pytest.fixture
def office(world, login):
    return login(world.office_a)


@pytest.fixture
def duplicate(world) -> Unit:
    """市交通局: 甲市's transport bureau as one document spelled it, with its own tasks, report, alias and reporter.

    It leads （一） (as 市交通运输局 already does), supports 1. and leads （二）, which the kept unit does not.
    """
    dup = Unit.objects.create(name="市交通局", city=world.city_a)
    UnitAlias.objects.create(name="交通局", unit=dup)
    second = world.task(world.plan_a, "（二）")
    TaskAssignment.objects.create(task=world.task_a, unit=dup, role=Role.LEAD, position=1)
    TaskAssignment.objects.create(task=second, unit=dup, role=Role.LEAD, position=1)
    TaskAssignment.objects.create(task=world.task(world.plan_a, "1."), unit=dup, role=Role.SUPPORT)
    ProgressReport.objects.create(task=second, unit=dup, period="2024-03", status="推进中", narrative="开工")
    make_user("reporter_dup", "reporter", dup)
    return dup


# -- the list ---------------------------------------------------------------------------------


def test_the_list_groups_units_by_city_with_aliases_and_parent(world, office):
    UnitAlias.objects.create(name="市交通委", unit=world.transport_a)
    Unit.objects.filter(pk=world.ndrc_a.pk).update(parent=world.transport_a)
    body = office.get("/units/").content.decode()
    a = body[body.index("<h2>甲市</h2>") :].split("<h2>")[1]
    b = body[body.index("<h2>乙市</h2>") :].split("<h2>")[1]
    assert "市交通委" in a and "市交通委" not in b
    row = a[a.index(f'href="/units/{world.ndrc_a.pk}/"') :]
    assert row.index("市交通运输局") < row.index("</tr>")  # the parent, on the unit's row


@pytest.mark.parametrize(("q", "found"), [("交通委", True), ("商务", True), ("不存在的局", False)])
def test_search_finds_units_by_name_or_alias(world, office, q, found):
    UnitAlias.objects.create(name="市交通委", unit=world.transport_a)
    body = office.get("/units/", {"q": q}).content.decode()
    assert ("没有符合条件的单位" not in body) is found
    if q == "交通委":
        assert f'href="/units/{world.transport_a.pk}/"' in body
        assert f'href="/units/{world.ndrc_a.pk}/"' not in body


# -- adding and editing -----------------------------------------------------------------------


def test_the_office_adds_a_unit_and_the_history_records_it(world, office):
    response = office.post(
        "/units/new/", {"name": " 市数据局 ", "city": world.city_a.pk, "parent": world.ndrc_a.pk}
    )
    unit = Unit.objects.get(name="市数据局")
    assert response.status_code == 302 and response["Location"] == f"/units/{unit.pk}/"
    assert (unit.city, unit.parent) == (world.city_a, world.ndrc_a)
    assert Change.objects.filter(object_type="unit", object_id=unit.pk, field="created").exists()


def test_the_same_name_may_exist_in_another_city(world, office):
    response = office.post("/units/new/", {"name": "市交通运输局", "city": ""})
    assert response.status_code == 302
    assert Unit.objects.filter(name="市交通运输局").count() == 3


def test_editing_renames_and_moves_a_unit(world, office):
    response = office.post(
        f"/units/{world.ndrc_a.pk}/", {"name": "市发展和改革委员会", "city": world.city_a.pk, "parent": ""}
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.ndrc_a.pk).name == "市发展和改革委员会"
    change = Change.objects.get(object_type="unit", object_id=world.ndrc_a.pk, field="name")
    assert (change.before, change.after, change.who) == ("市发展改革局", "市发展和改革委员会", world.office_a)


BAD_UNITS = {
    "empty name": ({"name": "  "}, "请填写名称"),
    "10,000-character name": ({"name": "局" * 10_000}, "名称过长"),
    "name taken in the same city": ({"name": "市商务局"}, "甲市已有单位“市商务局”"),
    "name is another unit's alias": ({"name": "交通局"}, "已是单位“市交通局（甲市）”的别名"),
    "unknown city": ({"name": "市新局", "city": "999999"}, "所选城市不存在"),
    "unknown parent": ({"name": "市新局", "parent": "999999"}, "所选单位不存在"),
    "parent not a number": ({"name": "市新局", "parent": "x"}, "所选单位不存在"),
}


@pytest.mark.parametrize("case", BAD_UNITS, ids=list(BAD_UNITS))
def test_a_bad_new_unit_is_refused_with_a_reason(world, office, duplicate, case):
    data, message = BAD_UNITS[case]
    before = state()
    response = office.post("/units/new/", {"city": world.city_a.pk, "parent": "", **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'role="alert"' in body
    assert state() == before


@pytest.mark.parametrize("case", BAD_UNITS, ids=list(BAD_UNITS))
def test_a_bad_edit_is_refused_with_a_reason(world, office, duplicate, case):
    data, message = BAD_UNITS[case]
    before = state()
    response = office.post(f"/units/{world.ndrc_a.pk}/", {"city": world.city_a.pk, "parent": "", **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert state() == before


def test_a_script_in_a_name_is_stored_as_text_and_escaped_on_every_page(world, office):
    name = "<script>alert(1)</script>局"
    office.post("/units/new/", {"name": name, "city": world.city_a.pk})
    unit = Unit.objects.get(name=name)
    office.post(f"/units/{unit.pk}/aliases/", {"name": "<img src=x onerror=alert(2)>"})
    for url in ("/units/", f"/units/{unit.pk}/", f"/units/{world.ndrc_a.pk}/"):
        body = office.get(url).content.decode()
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in body


def test_a_unit_cannot_become_its_own_parent_or_grandparent(world, office):
    a, b = world.transport_a, world.ndrc_a
    assert (
        office.post(f"/units/{b.pk}/", {"name": b.name, "city": b.city_id, "parent": a.pk}).status_code == 302
    )
    before = state()
    response = office.post(f"/units/{a.pk}/", {"name": a.name, "city": a.city_id, "parent": b.pk})
    assert response.status_code == 400
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    # Its own id is not even offered as a parent.
    response = office.post(f"/units/{a.pk}/", {"name": a.name, "city": a.city_id, "parent": a.pk})
    assert response.status_code == 400 and "所选单位不存在" in response.content.decode()
    assert state() == before
    with pytest.raises(RuleError):
        units.edit_unit(a, world.office_a, a.name, a.city, a)


# -- aliases ----------------------------------------------------------------------------------


def test_an_alias_is_added_and_removed(world, office):
    response = office.post(f"/units/{world.ndrc_a.pk}/aliases/", {"name": "市发改委"})
    assert response.status_code == 302
    alias = UnitAlias.objects.get(name="市发改委")
    assert units.resolve_unit("市发改委", world.city_a) == world.ndrc_a
    response = office.post(f"/units/{world.ndrc_a.pk}/aliases/{alias.pk}/remove/")
    assert response.status_code == 302 and not UnitAlias.objects.filter(name="市发改委").exists()
    assert list(
        Change.objects.filter(object_type="unit", object_id=world.ndrc_a.pk, field="alias").values_list(
            "before", "after"
        )
    ) == [("市发改委", ""), ("", "市发改委")]


BAD_ALIASES = {
    "empty": ("", "请填写名称"),
    "too long": ("局" * 10_000, "名称过长"),
    "the unit's own name": ("市发展改革局", "别名与单位名称相同"),
    "another unit's name": ("市商务局", "已是单位“市商务局（甲市）”的名称"),
    "a namesake in another city": ("市交通运输局", "的名称，不能作为别名"),
    "another unit's alias": ("交通局", "已是单位“市交通局（甲市）”的别名"),
}


@pytest.mark.parametrize("case", BAD_ALIASES, ids=list(BAD_ALIASES))
def test_a_bad_alias_is_refused_with_a_reason(world, office, duplicate, case):
    name, message = BAD_ALIASES[case]
    before = state()
    response = office.post(f"/units/{world.ndrc_a.pk}/aliases/", {"name": name})
    assert response.status_code == 400 and message in response.content.decode()
    assert state() == before


def test_an_alias_of_another_unit_cannot_be_removed_through_this_one(world, office, duplicate):
    alias = UnitAlias.objects.get(name="交通局")
    assert office.post(f"/units/{world.ndrc_a.pk}/aliases/{alias.pk}/remove/").status_code == 404
    assert UnitAlias.objects.filter(pk=alias.pk).exists()


# -- merging ----------------------------------------------------------------------------------


def test_merging_moves_everything_to_the_kept_unit(world, office, duplicate):
    keep = world.transport_a
    second, first_child = world.task(world.plan_a, "（二）"), world.task(world.plan_a, "1.")
    response = office.post(f"/units/{duplicate.pk}/merge/", {"into": keep.pk, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == f"/units/{keep.pk}/"
    assert not Unit.objects.filter(pk=duplicate.pk).exists()
    # Assignments: one row per task and role; the new lead of （二）; the support row of 1. kept.
    assert list(world.task_a.assignments.filter(unit=keep).values_list("role", flat=True)) == [Role.LEAD]
    assert second.assignments.filter(unit=keep, role=Role.LEAD).exists()
    assert first_child.assignments.filter(unit=keep, role=Role.SUPPORT).exists()
    # Reports, people and aliases; the duplicate's name is now an alias, so documents still resolve.
    assert ProgressReport.objects.get(task=second).unit == keep
    assert Profile.objects.get(user__username="reporter_dup").unit == keep
    assert set(keep.aliases.values_list("name", flat=True)) == {"市交通局", "交通局"}
    assert units.resolve_unit("市交通局", world.city_a) == keep
    # History on the unit and on every task it touched; the audit log.
    assert Change.objects.filter(object_type="unit", object_id=keep.pk, field="merged").get().before == (
        "市交通局（甲市）"
    )
    assert set(
        Change.objects.filter(field="units", after="市交通运输局（甲市）").values_list("task", flat=True)
    ) == {
        world.task_a.pk,
        second.pk,
        first_child.pk,
    }
    assert AuditLog.objects.filter(event="unit_merge", username="office_a").exists()


def test_merging_moves_rows_of_other_apps_too(world, duplicate):
    """Notices name units as lead, as copies (a many-to-many table) and as the replying unit."""
    keep = world.transport_a
    notice = SupervisionNotice.objects.create(
        number="督办〔2024〕1号",
        plan=world.plan_a,
        task=world.task_a,
        lead_unit=duplicate,
        reason="逾期未报送",
        issued_on=dt.date(2024, 4, 15),
        reply_due=dt.date(2024, 4, 22),
    )
    notice.copy_units.set([duplicate, keep, world.ndrc_a])
    NoticeReply.objects.create(notice=notice, unit=duplicate, text="已开工")
    units.merge_units(keep, duplicate, world.office_a)
    notice.refresh_from_db()
    assert notice.lead_unit == keep
    assert sorted(notice.copy_units.values_list("pk", flat=True)) == sorted([keep.pk, world.ndrc_a.pk])
    assert NoticeReply.objects.get(notice=notice).unit_id == keep.pk


def test_renaming_a_unit_to_one_of_its_aliases_drops_the_alias(world, office):
    UnitAlias.objects.create(name="市发改局", unit=world.ndrc_a)
    response = office.post(f"/units/{world.ndrc_a.pk}/", {"name": "市发改局", "city": world.city_a.pk})
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.ndrc_a.pk).name == "市发改局"
    assert not UnitAlias.objects.filter(name="市发改局").exists()


def test_the_kept_unit_stays_explicit_and_is_not_both_lead_and_support(world, duplicate):
    keep = world.ndrc_a  # supports （一）, which the duplicate leads
    units.merge_units(keep, duplicate, world.office_a)
    roles = list(world.task_a.assignments.filter(unit=keep).values_list("role", "inherited"))
    assert roles == [(Role.LEAD, False)]


def test_merging_a_parent_into_its_child_leaves_no_loop(world, duplicate):
    child, grandchild = world.transport_a, world.ndrc_a
    Unit.objects.filter(pk=child.pk).update(parent=duplicate)
    Unit.objects.filter(pk=grandchild.pk).update(parent=child)
    units.merge_units(Unit.objects.get(pk=grandchild.pk), duplicate, world.office_a)
    grandchild.refresh_from_db()
    child.refresh_from_db()
    assert (grandchild.parent, child.parent) == (None, grandchild)


def test_a_failed_merge_changes_nothing(world, duplicate, monkeypatch):
    before = state()
    reports = list(ProgressReport.objects.values_list("pk", "unit_id"))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(units.audit, "record", fail)  # the last step of the transaction
    with pytest.raises(RuntimeError):
        units.merge_units(world.transport_a, duplicate, world.office_a)
    assert state() == before
    assert list(ProgressReport.objects.values_list("pk", "unit_id")) == reports


BAD_MERGES = {
    "into itself": ({"into": "{dup}", "confirm": "1"}, "不能把单位合并到它自身"),
    "into a unit that does not exist": ({"into": "999999", "confirm": "1"}, "所选单位不存在"),
    "into nothing": ({"confirm": "1"}, "并入"),
    "without confirming": ({"into": "{keep}"}, "我已核对"),
}


@pytest.mark.parametrize("case", BAD_MERGES, ids=list(BAD_MERGES))
def test_a_bad_merge_is_refused_with_a_reason(world, office, duplicate, case):
    data, message = BAD_MERGES[case]
    data = {k: v.format(dup=duplicate.pk, keep=world.transport_a.pk) for k, v in data.items()}
    before = state()
    response = office.post(f"/units/{duplicate.pk}/merge/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert state() == before
    assert not AuditLog.objects.filter(event="unit_merge").exists()


def test_merging_a_unit_that_does_not_exist_is_not_found(world, office):
    response = office.post("/units/999999/merge/", {"into": world.transport_a.pk, "confirm": "1"})
    assert response.status_code == 404


# -- forms and export -------------------------------------------------------------------------


def test_every_form_carries_the_csrf_token_and_it_is_enforced(world, duplicate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office_a)
    body = client.get(f"/units/{duplicate.pk}/").content.decode()
    assert body.count('method="post"') == body.count('name="csrfmiddlewaretoken"') >= 5
    before = state()
    response = client.post(f"/units/{duplicate.pk}/merge/", {"into": world.transport_a.pk, "confirm": "1"})
    assert response.status_code == 403 and state() == before


def test_the_excel_export_lists_units_with_their_aliases(world, office, duplicate):
    Unit.objects.create(name="=HYPERLINK(1)", city=world.city_b)
    response = office.get("/units/export.xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["城市", "单位", "别名", "上级单位", "任务数"]
    assert ["甲市", "市交通局", "交通局", None, 3] in rows
    assert "=HYPERLINK(1)" in [r[1] for r in rows]  # as typed: text, never a formula
    assert len(rows) == 1 + Unit.objects.count()
    only = load_workbook(io.BytesIO(office.get("/units/export.xlsx", {"q": "交通局"}).content)).active
    assert [c.value for c in only["B"]][1:] == ["市交通局"]
