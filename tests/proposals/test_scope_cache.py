"""The proposals an office or a unit reads, with the office's cities kept in the cache between
requests: a city given or taken, a role or a unit changed shows on the very next list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from luoshi.accounts.models import Profile, Role
from luoshi.accounts.rules import proposals_in_scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_cache")]


def reads(user) -> set[str]:
    """The numbers of the proposals ``user`` reads, the user loaded afresh as a request would."""
    fresh = get_user_model().objects.get(pk=user.pk)
    return set(proposals_in_scope(fresh).values_list("number", flat=True))


def test_an_office_given_a_city_reads_its_proposals_at_once_and_not_after_it_is_taken(people):
    people.register("1", city=people.city_a)
    people.register("2", city=people.city_b)
    assert reads(people.office_a) == {"1"}
    profile = Profile.objects.get(user=people.office_a)
    profile.cities.add(people.city_b)
    assert reads(people.office_a) == {"1", "2"}
    profile.cities.remove(people.city_a)
    assert reads(people.office_a) == {"2"}


def test_an_office_made_a_leader_reads_by_the_leaders_rule(people):
    people.register("1", city=people.city_a)
    assert reads(people.office_a) == {"1"}
    profile = Profile.objects.get(user=people.office_a)
    profile.role = Role.LEADER
    profile.cities.clear()
    profile.save()
    assert reads(people.office_a) == set()
    profile.role = Role.OFFICE
    profile.save()
    profile.cities.add(people.city_b)
    assert reads(people.office_a) == set()  # back as an office, of the other city only


def test_a_unit_relieved_of_a_proposal_by_a_move_no_longer_reads_it(people):
    people.assigned("1")  # lead: 市发展改革委, support: 市交通运输局
    assert reads(people.lead) == {"1"}
    profile = Profile.objects.get(user=people.lead)
    profile.unit = people.police
    profile.save()
    assert reads(people.lead) == set()
    profile.unit = people.transport
    profile.save()
    assert reads(people.lead) == {"1"}
