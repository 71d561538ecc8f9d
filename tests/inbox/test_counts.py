"""The header's 待办 count costs one query once cached, and the same few queries whether a unit
owes six reports or sixty; any change to an item renews it on the next page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.inbox import counts
from luoshi.ledger import services as ledger
from tests.web.test_mine_queries import plan_text
from tests.web.world import import_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_cache")]
DAY = dt.date(2024, 6, 20)


def counted(user) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as ctx:
        figures = counts.for_header(user, DAY)
    return figures, len(ctx)


def test_the_count_is_gathered_in_as_many_queries_for_sixty_reports_as_for_six(world):
    import_plan(world.office_a, world.city_a, plan_text(6))
    few, few_queries = counted(world.reporter_a)
    import_plan(world.office_a, world.city_a, plan_text(54))
    many, many_queries = counted(world.reporter_a)
    assert many["total"] == few["total"] + 54
    assert many_queries == few_queries


def test_once_gathered_the_count_costs_the_stamp_query_alone(world):
    first, gathered = counted(world.reporter_a)
    again, cached = counted(world.reporter_a)
    assert again == first and cached == 1 < gathered


def test_a_report_anywhere_renews_the_count(world):
    before, _ = counted(world.reporter_a)
    ledger.submit_report(world.task_a, world.reporter_a, period="2024-05", status="推进中", narrative="推进")
    after, queries = counted(world.reporter_a)
    assert after["total"] == before["total"] - 1 and queries > 1


def test_a_changed_unit_renews_the_count(world):
    before, _ = counted(world.reporter_a)
    profile = world.reporter_a.profile
    profile.unit = world.transport_b
    profile.save()  # the scope stamp is renewed
    world.reporter_a.refresh_from_db()
    after, _ = counted(world.reporter_a)
    assert before["total"] == 1 and after["total"] == 1
    assert counts.for_header(world.reporter_a, DAY) == after


def test_a_page_of_a_user_with_nothing_to_do_still_has_the_link(world, login):
    html = login(world.leader).get("/plans/").content.decode()
    assert 'id="inbox-link"' in html and 'class="badge' not in html
