"""``channel.manage``: the office that keeps a unit, and the admin; nobody else."""

from __future__ import annotations

import pytest

from luoshi.accounts.rules import can, units_kept_by
from luoshi.ledger.models import Unit
from luoshi.notify.models import Channel

pytestmark = pytest.mark.django_db


def test_an_office_manages_the_channels_of_its_cities_units_only(world):
    mine = Channel(unit=world.transport_a, kind="email", name="x")
    theirs = Channel(unit=world.transport_b, kind="email", name="y")
    assert can(world.office_a, "channel.manage") and can(world.office_a, "channel.manage", mine)
    assert can(world.office_a, "channel.manage", world.transport_a)
    assert not can(world.office_a, "channel.manage", theirs)
    assert not can(world.office_a, "channel.manage", world.transport_b)
    assert set(units_kept_by(world.office_a)) == set(Unit.objects.filter(city=world.city_a))


def test_a_unit_without_a_city_belongs_to_the_office_whose_plans_alone_name_it(world):
    loose = Unit.objects.create(name="某协会")
    assert can(world.office_a, "channel.manage", loose) and loose in units_kept_by(world.office_a)
    world.task_b.assignments.create(unit=loose, role="support", position=9)
    assert not can(world.office_a, "channel.manage", loose) and loose not in units_kept_by(world.office_a)
    # Now only plan B names it: it is office B's to set up.
    assert can(world.office_b, "channel.manage", loose) and loose in units_kept_by(world.office_b)
    assert can(world.admin, "channel.manage", loose)


@pytest.mark.parametrize("who", ["reporter_a", "supporter_a", "leader", "leader_b"])
def test_no_other_role_manages_channels(world, who):
    user = getattr(world, who)
    assert not can(user, "channel.manage")
    assert not can(user, "channel.manage", world.transport_a)
    assert not units_kept_by(user).exists()
