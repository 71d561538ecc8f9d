"""Warming the unit suggestion: the past proposals' words ready before the first 交办 page, in a
thread that a suggestion asked meanwhile waits for, and nothing loaded where nothing was assigned."""

from __future__ import annotations

import pytest

from luoshi.ledger.models import Unit
from luoshi.proposals import suggesting
from luoshi.proposals.models import Proposal
from tests.proposals.test_suggest_page import history


@pytest.fixture(autouse=True)
def fresh_models():
    suggesting.forget()
    yield
    suggesting.forget()
    suggesting._warming = None


@pytest.mark.django_db
def test_nothing_is_segmented_where_no_proposal_was_ever_assigned(people):
    people.register("20")
    assert suggesting.warm_up() == 0
    assert suggesting._words == {}


@pytest.mark.django_db
def test_the_assigned_proposals_are_segmented_and_the_suggestion_is_the_same(people, day):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="群众出行不便。")
    assert suggesting.warm_up() == 5
    led = set(Proposal.objects.exclude(pk=p.pk).values_list("pk", flat=True))
    assert set(suggesting._words) == led
    units = list(Unit.objects.filter(city=people.city_a).order_by("name"))
    warm = [(u.name, s.reasons) for u, s in suggesting.for_proposal(p, units)]
    suggesting.forget()
    cold = [(u.name, s.reasons) for u, s in suggesting.for_proposal(p, units)]
    assert warm == cold and warm[0][0] == "市交通运输局"


@pytest.mark.django_db(transaction=True)
def test_a_suggestion_asked_while_warming_waits_for_it_and_gets_the_answer(people, day):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="群众出行不便。")
    units = list(Unit.objects.filter(city=people.city_a).order_by("name"))
    thread = suggesting.warm_up_in_background()
    got = suggesting.for_proposal(p, units)
    assert not thread.is_alive()
    assert got[0][0].name == "市交通运输局"
    assert len(suggesting._words) == 5
