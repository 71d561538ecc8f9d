"""Sorting the ledger by deadline: dated tasks in order, and the undated ones after them either way."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Task

pytestmark = pytest.mark.django_db

DATED = {"（二）": dt.date(2024, 6, 30), "1.": dt.date(2024, 3, 31), "（一）": dt.date(2024, 12, 31)}


@pytest.fixture
def dated(world):
    for label, deadline in DATED.items():
        Task.objects.filter(plan=world.plan_a, label=label).update(deadline=deadline)
    return world


def _deadlines(client, sort: str, **filters) -> list:
    page = client.get("/ledger/", {"sort": sort, "plan": filters.pop("plan"), **filters}).context["page"]
    return [t.deadline for t in page]


@pytest.mark.parametrize(("sort", "reverse"), [("deadline", False), ("-deadline", True)])
def test_undated_tasks_come_last_in_both_directions(dated, client, sort, reverse):
    client.force_login(dated.office_a)
    got = _deadlines(client, sort, plan=dated.plan_a.pk)
    undated = Task.objects.filter(plan=dated.plan_a, deadline__isnull=True).count()
    assert got == sorted(DATED.values(), reverse=reverse) + [None] * undated


@pytest.mark.parametrize("sort", ["deadline", "-deadline"])
def test_a_filtered_view_keeps_undated_tasks_last(dated, client, sort):
    # The domain filter reads its rows off the (domain, status, deadline, …) index.
    client.force_login(dated.office_a)
    got = _deadlines(client, sort, plan=dated.plan_a.pk, domain="交通")
    assert got[:2] == sorted([DATED["（一）"], DATED["（二）"]], reverse=sort.startswith("-"))
    assert got[2:] == [None]  # the section heading 一、推进交通互联


def test_undated_tasks_are_last_across_pages(dated, client, monkeypatch):
    from luoshi.ledger import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(dated.office_a)
    pages = [_deadlines(client, "-deadline", plan=dated.plan_a.pk, page=n) for n in (1, 2, 3)]
    assert pages[0] == [DATED["（一）"], DATED["（二）"]]
    assert pages[1] == [DATED["1."], None]
    assert pages[2] == [None, None]
