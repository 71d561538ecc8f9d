"""What keeps the ledger fast: trigram search, bounded counting, a fixed number of queries,
the dashboard's cache following the data, and ``luoshi serve --workers``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.ledger import search, services
from luoshi.ledger.models import Plan, Task, TaskAssignment, Unit
from luoshi.ledger.queries import Page
from tests.web.test_commands import ROOT

pytestmark = pytest.mark.django_db


def _titles(qs) -> list[str]:
    return sorted(qs.values_list("title", flat=True))


def _trigram_index_used() -> bool:
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and search.sqlite_has_trigram()
    )


# -- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("轨道交通", True),  # 4 characters: trigram index
        ("城际铁", True),  # 3 characters, inside the text rather than the title
        ("园区", True),  # 2 characters: icontains
        ("高铁站", False),
        ("航空", False),
    ],
)
def test_chinese_search_finds_substrings_and_nothing_else(world, q, found):
    hits = _titles(search.search(Task.objects.filter(plan=world.plan_a), q))
    expected = {
        "轨道交通": ["加快轨道交通建设"],
        "城际铁": ["加快轨道交通建设"],
        "园区": ["共建产业园区", "建设合作园区"],
    }
    assert hits == (expected[q] if found else [])


def test_search_index_follows_edits_and_deletes(world):
    task = world.task_a
    services.update_task(
        task, world.office_a, task.version, {"title": "建设跨江隧道工程", "text": "年内开工。"}
    )
    mine = Task.objects.filter(plan=world.plan_a)
    assert _titles(search.search(mine, "跨江隧")) == ["建设跨江隧道工程"]
    assert _titles(search.search(mine, "轨道交通")) == []
    # A task with history is never deleted; one written straight to the table, with none, can be.
    stray = Task.objects.create(plan=world.plan_a, title="临时测试跨江隧道任务", position=99)
    assert sorted(_titles(search.search(mine, "跨江隧"))) == ["临时测试跨江隧道任务", "建设跨江隧道工程"]
    stray.delete()
    assert _titles(search.search(mine, "跨江隧")) == ["建设跨江隧道工程"]


def test_search_uses_the_trigram_index_for_three_characters_or_more(world):
    if not _trigram_index_used():
        pytest.skip("no trigram index on this database")
    with CaptureQueriesContext(connection) as long_query:
        list(search.search(Task.objects.all(), "轨道交"))
    with CaptureQueriesContext(connection) as short_query:
        list(search.search(Task.objects.all(), "轨道"))
    if connection.vendor == "sqlite":
        assert search.FTS_TABLE in long_query[0]["sql"]
        assert search.FTS_TABLE not in short_query[0]["sql"]
    else:
        with connection.cursor() as c:
            c.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_task'")
            names = {row[0] for row in c.fetchall()}
        assert {"task_title_trgm", "task_text_trgm", "task_label_trgm"} <= names


def test_search_treats_fts_syntax_as_text(world):
    mine = Task.objects.filter(plan=world.plan_a)
    for q in ['"轨道', "轨道 OR 园区", "NEAR(轨道)", "a*b", "轨道)"]:
        assert _titles(search.search(mine, q)) == []


def test_ledger_page_search(world, client):
    client.force_login(world.office_a)
    page = client.get("/ledger/", {"q": "轨道交通"}).context["page"]
    assert [t.id for t in page] == [world.task_a.pk]
    assert list(client.get("/ledger/", {"q": "隧道工程"}).context["page"]) == []


# -- pagination --------------------------------------------------------------------------------


@pytest.fixture
def many_tasks(world):
    plan = Plan.objects.create(title="大方案", city=world.city_a)
    plan.offices.add(world.office_a)
    Task.objects.bulk_create(Task(plan=plan, position=i, title=f"任务{i:03d}") for i in range(120))
    return plan


@pytest.mark.parametrize(
    ("number", "shown", "has_next", "count", "capped"),
    [
        (1, 0, True, 50, True),
        ("2", 50, True, 50, True),
        (3, 100, False, 120, False),  # the last page knows the exact count
        (4, 100, False, 120, False),  # past the end: the last page
        ("x", 0, True, 50, True),
        (-1, 0, True, 50, True),
    ],
)
def test_page_counts_at_most_the_cap(many_tasks, number, shown, has_next, count, capped):
    tasks = Task.objects.filter(plan=many_tasks).order_by("position")
    page = Page(tasks, number, size=50, count_cap=50)
    assert page.object_list[0].title == f"任务{shown:03d}"
    assert (page.has_next, page.count, page.count_capped) == (has_next, count, capped)
    assert page.num_pages == (None if capped else 3)


def test_page_exact_sizes():
    tasks = Task.objects.none()
    page = Page(tasks, 1, size=50)
    assert (len(page), page.count, page.has_next, page.has_other_pages, page.num_pages) == (
        0,
        0,
        False,
        False,
        1,
    )


def test_page_of_exactly_one_full_page(many_tasks):
    tasks = Task.objects.filter(plan=many_tasks, position__lt=50).order_by("position")
    page = Page(tasks, 1, size=50, count_cap=1000)
    assert (len(page), page.has_next, page.count, page.count_capped) == (50, False, 50, False)


def test_ledger_page_shows_a_bounded_count(many_tasks, client, world, monkeypatch):
    monkeypatch.setattr("luoshi.ledger.views.LEDGER_COUNT_CAP", 100)
    client.force_login(world.office_a)
    body = client.get("/ledger/", {"plan": many_tasks.pk}).content.decode()
    assert "超过 100 项" in body and "第 1 页" in body and "page=2" in body
    body = client.get("/ledger/", {"plan": many_tasks.pk, "page": 3}).content.decode()
    assert "共 120 项" in body and "第 3 / 3 页" in body and "page=2" in body


def test_paging_one_view_counts_once_and_a_change_counts_again(many_tasks, client, world):
    client.force_login(world.office_a)
    view = {"plan": many_tasks.pk, "sort": "title"}
    with CaptureQueriesContext(connection) as first:
        assert "共 120 项" in client.get("/ledger/", view).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert "共 120 项" in client.get("/ledger/", {**view, "sort": "-deadline", "page": 2}).content.decode()
    counts = [sum("COUNT(" in q["sql"] for q in c.captured_queries) for c in (first, second)]
    assert counts == [1, 0]
    # A new task (every change through the services writes history) is counted on the next page.
    Task.objects.create(plan=many_tasks, position=500, title="新任务")
    task = Task.objects.filter(plan=many_tasks).first()
    services.update_task(task, world.office_a, task.version, {"title": "改名的任务"})
    assert "共 121 项" in client.get("/ledger/", {**view, "page": 2}).content.decode()


# -- query counts ------------------------------------------------------------------------------


def test_ledger_page_queries_do_not_grow_with_rows(many_tasks, world, client, django_assert_max_num_queries):
    units = [Unit.objects.create(name=f"测试单位{i}", city=world.city_a) for i in range(3)]
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task=t, unit=units[i % 3], role="lead") for i, t in enumerate(many_tasks.tasks.all())
    )
    client.force_login(world.office_a)
    # session, user, profile, the ledger's version (the page cache's key), the page (plans in
    # scope as a subquery), its lead units, the bounded count, cities, units, and the session's
    # refresh (savepoint, update, release): twelve, whether the page shows 5 rows or 50; then the
    # header's 待办: its stamp, and on this first visit the office's counts (replied notices, its
    # cities twice, replied proposal notices, proposals to assign, 调整 requests), cached after.
    with django_assert_max_num_queries(19):
        body = client.get("/ledger/", {"plan": many_tasks.pk}).content.decode()
    assert body.count("测试单位") >= 50


def test_task_page_queries_are_bounded(world, client, django_assert_max_num_queries):
    for period in ("2024-01", "2024-02", "2024-03", "2024-04"):
        services.submit_report(
            world.task_a, world.reporter_a, period=period, status="推进中", narrative="推进"
        )
    client.force_login(world.office_a)
    # the office's page also runs the report quality checks, the header's 待办 count and the
    # targets' indicator links: each a fixed handful of queries, however many reports there are
    with django_assert_max_num_queries(31):
        assert client.get(f"/tasks/{world.task_a.pk}/").status_code == 200


# -- dashboard cache ---------------------------------------------------------------------------


def test_dashboard_figures_follow_a_new_report(world, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    client.force_login(world.leader)
    assert client.get("/dashboard/").context["summary"]["done"] == 0
    services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="已完成", narrative="建成"
    )
    assert client.get("/dashboard/").context["summary"]["done"] == 1


# -- luoshi serve --workers --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.own_instance
@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT") or os.name != "posix", reason="needs SO_REUSEPORT")
def test_serve_runs_several_worker_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    env.update(LUOSHI_HOME=str(tmp_path), LUOSHI_SECRET_KEY="test-only-not-a-secret-" + "x" * 40)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "luoshi",
            "serve",
            "--workers",
            "2",
            "--threads",
            "2",
            "--port",
            str(port),
            "--migrate",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 240
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/public/", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=30)
    assert server.returncode == 0, out
    assert "2 processes x 2 threads" in out
