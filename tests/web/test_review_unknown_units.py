"""The 未知单位 table: a name the document gives that the register does not know is mapped to a unit
through the same type-ahead as the rows' pickers (names and aliases, any city), or made a new unit;
the page no longer lists the whole register for each name, and a forged choice changes nothing."""

from __future__ import annotations

import pytest

from luoshi.ledger import importing
from luoshi.ledger.models import ImportSession, Plan, TaskAssignment, Unit, UnitAlias
from tests.web.world import upload

pytestmark = pytest.mark.django_db

PLAN = "某市2026年工作方案\n一、工作\n（一）开展研究。（牵头单位：甲市发改委；配合单位：市新设局）\n"


@pytest.fixture
def session(world) -> ImportSession:
    return importing.start_import(upload(PLAN), world.office_a)


def mapping_select(body: str, name: str) -> str:
    start = body.index(f'value="{name}"')
    return body[start : body.index("</select>", start)]


def test_each_unknown_name_gets_a_type_ahead_not_the_whole_register(world, session, login):
    for i in range(300):
        Unit.objects.create(name=f"登记单位{i:03d}", city=world.city_b)
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    select = mapping_select(body, "甲市发改委")
    assert 'class="unit-picker unit-map"' in select
    assert select.count("<option") == 1 and '<option value="new" selected>' in select
    assert "登记单位" not in body
    assert f'data-units-url="/import/{session.pk}/units/"' in body


def test_the_type_ahead_finds_the_unit_by_its_alias_and_the_commit_maps_the_name(world, session, login):
    UnitAlias.objects.create(unit=world.ndrc_a, name="发改")
    client = login(world.office_a)
    found = client.get(f"/import/{session.pk}/units/", {"q": "发改", "city": world.city_b.pk}).json()["results"]
    # The plan's city is 乙市 here, so its 市发展改革局 comes first; the alias finds 甲市's as well.
    assert {"value": str(world.ndrc_a.pk), "text": "市发展改革局（甲市）"} in found
    body = client.get(f"/import/{session.pk}/").content.decode()
    names = {n: body[body.index(f'value="{n}"') - 30 : body.index(f'value="{n}"')] for n in ("甲市发改委", "市新设局")}
    fields = {"commit": "1", "city": world.city_b.pk}
    for name, before in names.items():
        index = before.rsplit("unitname_", 1)[1].split('"', 1)[0]
        fields[f"unitname_{index}"] = name
        fields[f"unitmap_{index}"] = str(world.ndrc_a.pk) if name == "甲市发改委" else "new"
    units_before = Unit.objects.count()
    assert client.post(f"/import/{session.pk}/", fields).status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    lead = TaskAssignment.objects.get(task__plan=plan, role="lead", inherited=False)
    assert lead.unit == world.ndrc_a
    assert UnitAlias.objects.get(name="甲市发改委").unit == world.ndrc_a
    assert Unit.objects.get(name="市新设局").city == world.city_b  # made new, in the plan's city
    assert Unit.objects.count() == units_before + 1


@pytest.mark.parametrize("value", ["999999", "-1", "1.5", "abc", "n:市新设局", "1" * 400, "\x00"])
def test_a_forged_mapping_changes_nothing(world, session, login, value):
    before = (Plan.objects.count(), Unit.objects.count(), UnitAlias.objects.count())
    response = login(world.office_a).post(
        f"/import/{session.pk}/", {"commit": "1", "unitname_0": "甲市发改委", "unitmap_0": value}
    )
    assert response.status_code == 400
    assert (Plan.objects.count(), Unit.objects.count(), UnitAlias.objects.count()) == before
    assert ImportSession.objects.get(pk=session.pk).state == "open"
