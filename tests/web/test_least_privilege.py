"""A profile grants no more than it names: a reporter without a unit, a leader without cities and an
office outside its cities get nothing of what they were not given."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import Profile, Role
from luoshi.accounts.rules import can, plans_in_scope, tasks_in_scope
from luoshi.ledger.models import City, Unit, UnitAlias
from luoshi.supervision_web.models import SupervisionNotice
from tests.web.world import make_user

pytestmark = pytest.mark.django_db


def test_a_reporter_whose_profile_has_no_unit_sees_no_plan(world, login):
    nobody = make_user("reporter_without_unit", Role.REPORTER)
    assert not plans_in_scope(nobody).exists()
    assert not tasks_in_scope(nobody).exists()
    assert not can(nobody, "plan.view", world.plan_a)
    heading = world.plan_a.tasks.filter(assignments__isnull=True).first()
    assert heading is not None and not can(nobody, "task.view", heading)
    client = login(nobody)
    assert "同城化" not in client.get("/plans/").content.decode()
    assert client.get(f"/plans/{world.plan_a.pk}/").status_code == 403


def test_a_leader_with_an_empty_city_list_sees_nothing(world, login):
    nowhere = make_user("leader_of_nowhere", Role.LEADER)
    assert not plans_in_scope(nowhere).exists()
    assert not can(nowhere, "plan.view", world.plan_a)
    assert not can(nowhere, "lights.view", world.plan_a)
    client = login(nowhere)
    assert client.get(f"/plans/{world.plan_a.pk}/").status_code == 403
    assert "加快轨道交通建设" not in client.get("/ledger/").content.decode()


def test_a_leader_of_every_city_is_said_so_explicitly(world):
    assert Profile.objects.get(user=world.leader).all_cities
    assert set(plans_in_scope(world.leader)) == {world.plan_a, world.plan_b}
    assert set(plans_in_scope(world.leader_b)) == {world.plan_b}


@pytest.fixture
def office(world, login):
    return login(world.office_a)


def test_an_office_renames_aliases_and_merges_only_units_of_its_own_cities(world, office):
    other = world.transport_b  # 乙市's unit: office_a manages no plan there
    before = (other.name, other.city_id, UnitAlias.objects.count(), Unit.objects.count())
    assert office.post(f"/units/{other.pk}/", {"name": "改名局", "city": world.city_b.pk}).status_code == 403
    assert office.post(f"/units/{other.pk}/", {"name": "改名局", "city": world.city_a.pk}).status_code == 403
    assert office.post(f"/units/{other.pk}/aliases/", {"name": "乙交通"}).status_code == 403
    assert office.post(f"/units/{other.pk}/merge/", {"into": world.transport_a.pk, "confirm": "1"}).status_code == 403
    own = world.ndrc_a
    assert office.post(f"/units/{own.pk}/merge/", {"into": other.pk, "confirm": "1"}).status_code == 403
    assert office.post("/units/new/", {"name": "乙市新局", "city": world.city_b.pk}).status_code == 403
    assert office.post(f"/units/{own.pk}/", {"name": own.name, "city": world.city_b.pk}).status_code == 403
    other.refresh_from_db()
    assert (other.name, other.city_id, UnitAlias.objects.count(), Unit.objects.count()) == before
    assert not can(world.office_a, "unit.manage", other) and can(world.office_b, "unit.manage", other)


def test_an_office_still_keeps_its_own_units_and_units_only_its_plans_name(world, office):
    own = world.ndrc_a
    assert office.post(f"/units/{own.pk}/", {"name": "市发展和改革委员会", "city": world.city_a.pk}).status_code == 302
    assert office.post(f"/units/{own.pk}/aliases/", {"name": "甲发改"}).status_code == 302
    loose = Unit.objects.create(name="不属城市的局")
    assert can(world.office_a, "unit.manage", loose)
    world.task_b.assignments.create(unit=loose, role="support")
    assert not can(world.office_a, "unit.manage", loose)  # 乙市's plan names it too
    assert can(world.admin, "unit.manage", loose)
    newcomer = City.objects.create(name="丙市")
    Profile.objects.get(user=world.office_a).cities.add(newcomer)
    assert office.post("/units/new/", {"name": "丙市新局", "city": newcomer.pk}).status_code == 302


def test_escalation_offers_and_accepts_only_leaders_who_can_read_the_plan(world, login):
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a,
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    client = login(world.office_a)
    body = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f'value="{world.leader.pk}"' in body
    assert f'value="{world.leader_b.pk}"' not in body  # 乙市's leader cannot read 甲市's plan
    client.post(f"/notices/{notice.pk}/move/", {"to": "escalated", "leader": world.leader_b.pk})
    notice.refresh_from_db()
    assert notice.state == "issued" and notice.escalated_to is None
    client.post(f"/notices/{notice.pk}/move/", {"to": "escalated", "leader": world.leader.pk})
    notice.refresh_from_db()
    assert notice.state == "escalated" and notice.escalated_to == world.leader
