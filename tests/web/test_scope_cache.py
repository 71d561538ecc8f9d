"""An office's cities (the units it keeps, the proposals it reads: tests/proposals) are kept in the cache between
requests, and never outlive a change of what they are made of: the office's role or cities, a
plan's offices, a plan's city, a plan deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.accounts.models import Profile, Role
from luoshi.accounts.rules import can
from luoshi.ledger.models import City, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_cache")]


def fresh(user):
    """The user as the next request loads it."""
    return get_user_model().objects.get(pk=user.pk)


def keeps(user, city: City) -> bool:
    return can(fresh(user), "unit.manage", city)


def test_the_cities_are_worked_out_once_and_then_read_from_the_cache(world):
    assert keeps(world.office_a, world.city_a)
    user = fresh(world.office_a)
    user.profile  # noqa: B018 - loaded with the user on a real request
    with CaptureQueriesContext(connection) as ctx:
        assert can(user, "unit.manage", world.city_a)
        assert not can(user, "unit.manage", world.city_b)
    assert len(ctx) == 0


def test_a_city_added_to_or_removed_from_the_profile_shows_at_once(world):
    assert not keeps(world.office_a, world.city_b)
    profile = Profile.objects.get(user=world.office_a)
    profile.cities.add(world.city_b)
    assert keeps(world.office_a, world.city_b)
    profile.cities.remove(world.city_b)
    assert not keeps(world.office_a, world.city_b)


def test_becoming_an_office_of_a_plan_and_leaving_it_show_at_once(world):
    assert not keeps(world.office_a, world.city_b)
    world.plan_b.offices.add(world.office_a)
    assert keeps(world.office_a, world.city_b)
    world.plan_b.offices.remove(world.office_a)
    assert not keeps(world.office_a, world.city_b)


def test_a_plan_moved_to_another_city_moves_its_offices_scope(world):
    elsewhere = City.objects.create(name="丙市")
    assert keeps(world.office_a, world.city_a) and not keeps(world.office_a, elsewhere)
    world.plan_a.city = elsewhere
    world.plan_a.save()
    assert keeps(world.office_a, elsewhere) and not keeps(world.office_a, world.city_a)


def test_a_deleted_plan_no_longer_gives_its_city(world):
    elsewhere = City.objects.create(name="丙市")
    draft = Plan.objects.create(title="丙市工作方案", year=2024, city=elsewhere)
    draft.offices.add(world.office_a)
    assert keeps(world.office_a, elsewhere)
    draft.delete()
    assert not keeps(world.office_a, elsewhere)


def test_a_changed_role_is_not_answered_from_the_kept_cities(world):
    assert keeps(world.office_a, world.city_a)
    profile = Profile.objects.get(user=world.office_a)
    profile.role = Role.LEADER
    profile.save()
    assert not keeps(world.office_a, world.city_a)
    profile.role = Role.OFFICE
    profile.save()
    world.plan_a.offices.remove(world.office_a)
    assert not keeps(world.office_a, world.city_a)  # back as an office, without the plan
