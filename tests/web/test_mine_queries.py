"""我的任务 reads a unit's tasks in a fixed number of queries, however many tasks it has: a unit
that leads hundreds of items must not wait on one query per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.world import import_plan

pytestmark = pytest.mark.django_db


def plan_text(items: int) -> str:
    lines = ["某市2024年重点任务清单", "各牵头单位每月报送1次工作进展。", "一、重点工作"]
    lines += [f"{i}.推进第{i}项工作。（牵头单位：市交通运输局）" for i in range(1, items + 1)]
    return "\n".join(lines) + "\n"


def queries_for_my_tasks(client) -> tuple[int, int]:
    client.get("/mine/")  # the session settles on the first visit: count the second
    with CaptureQueriesContext(connection) as ctx:
        rows = client.get("/mine/").context["rows"]
    return len(ctx.captured_queries), len(rows)


def test_my_tasks_needs_as_many_queries_for_sixty_tasks_as_for_six(world, login, office_day):
    import datetime as dt

    office_day(dt.date(2024, 6, 20))
    client = login(world.reporter_a)
    import_plan(world.office_a, world.city_a, plan_text(6))
    few, shown_few = queries_for_my_tasks(client)
    import_plan(world.office_a, world.city_a, plan_text(54))
    many, shown_many = queries_for_my_tasks(client)
    assert shown_many == shown_few + 54
    assert many == few
