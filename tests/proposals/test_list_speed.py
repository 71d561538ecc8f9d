"""What keeps the proposal list fast without showing stale or wrong rows: a fixed number of queries
whatever the rows, the filters' rows as the plain rules say, and cached pages that follow each step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.proposals import listing, services
from luoshi.proposals.models import Proposal

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _page_cache(settings):
    """A cache of the test's own, so a page kept by another test is never served here."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "proposal-list"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def table(response) -> str:
    """The list's table of proposals."""
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('id="proposals"', 1)[1].split("</tbody>", 1)[0]


def numbers(response) -> list[str]:
    """The 案号 of the rows shown, in their order."""
    return re.findall(r"<tr><td>[^\n]*?</td><td>[^<]*</td><td>(\d+)", table(response))


def many(people, n: int, start: int = 1000) -> list[Proposal]:
    """`n` proposals registered in bulk, every other one assigned (reply due three months on)."""
    rows = [
        {
            "number": str(start + i),
            "session": "十二届五次" if i % 3 else "十二届四次",
            "kind": "proposal",
            "title": f"关于第{i}项协同发展工作的提案",
            "proposer": "王五" if i % 4 == 0 else "赵六",
            "cosigners": [],
            "group": "民盟",
            "category": "经济发展",
            "text": "案由……",
        }
        for i in range(n)
    ]
    made = services.register_all(rows, people.committee, on=D(2024, 1, 2), city=people.city_a)
    for i, p in enumerate(made):
        if i % 2 == 0:
            on = D(2024, 1, 2) if i % 4 == 0 else D(2024, 3, 29)
            services.assign(p, people.office_a, on, [people.ndrc], [people.transport])
    return made


def test_list_queries_do_not_grow_with_rows(people, login, day):
    day(D(2024, 6, 20))
    many(people, 3)
    client = login(people.office_a)
    with CaptureQueriesContext(connection) as few:
        assert len(numbers(client.get("/proposals/"))) == 3
    many(people, 70, start=2000)
    listing.clear_cache()
    with CaptureQueriesContext(connection) as full:
        assert len(numbers(client.get("/proposals/"))) == listing.PAGE_SIZE
    # The same queries for 3 rows and for 50 (each with its units): only the count of the rows
    # past the page is added when there is a next page. Session, user, profile, the header's
    # stamp and counts, the office's cities, the rows, their units, the filters' choices.
    assert len(full.captured_queries) <= len(few.captured_queries) + 1
    assert len(full.captured_queries) <= 20
    with CaptureQueriesContext(connection) as unit_filtered:
        assert len(numbers(client.get(f"/proposals/?unit={people.ndrc.pk}&page=2"))) == 50 - 13
    assert len(unit_filtered.captured_queries) <= len(full.captured_queries)


QUERIES = (
    "",
    "session=十二届四次",
    "state=assigned",
    "state=registered",
    "kind=suggestion",
    "unit={ndrc}",
    "unit={police}",
    "light=red",
    "light=yellow",
    "light=red&session=十二届五次",
    "q=王五",
    "q=第1",
    "q=1007",
    "page=2",
    "state=assigned&page=9",
)


def test_each_filter_shows_the_rows_the_rules_give(people, login, day):
    today = D(2024, 6, 20)
    day(today)
    made = many(people, 80)
    warn_until = listing.filtered(Proposal.objects.all(), {}, today)[1]
    rows = sorted((Proposal.objects.get(pk=p.pk) for p in made), key=lambda p: (p.session, int(p.number)))
    units = {
        p.pk: set(p.assignment.units.values_list("unit_id", flat=True)) if p.assignment else set()
        for p in rows
    }
    client = login(people.office_a)
    seen = set()
    for query in QUERIES:
        query = query.format(ndrc=people.ndrc.pk, police=people.police.pk)
        q = dict(p.split("=") for p in query.split("&") if p)

        def wanted(p: Proposal, q=q) -> bool:
            shade = listing.light(p.state, p.reply_due, today, warn_until)
            return (
                q.get("session", p.session) == p.session
                and q.get("state", p.state) == p.state
                and q.get("kind", p.kind) == p.kind
                and ("unit" not in q or int(q["unit"]) in units[p.pk])
                and q.get("light", shade) == shade
                and ("q" not in q or any(q["q"] in s for s in (p.title, p.number, p.proposer)))
            )

        expected = [p.number for p in rows if wanted(p)]
        pages = max(1, -(-len(expected) // 50))
        number = min(int(q.get("page", 1)), pages)  # past the end: the last page
        shown = client.get("/proposals/?" + query)
        assert numbers(shown) == expected[(number - 1) * 50 : number * 50], query
        assert f"共 {len(expected)} 件" in shown.content.decode(), query
        seen.add(bool(expected))
    assert seen == {True, False}


def test_a_cached_list_shows_the_next_step_and_new_units(people, login, day):
    p = people.assigned("125255")
    client = login(people.office_a)
    for _ in range(3):  # built twice, then served from the cache
        page = client.get("/proposals/").content.decode()
        assert "已交办" in page and "市公安局" not in page
    services.reply(p, people.lead, people.ndrc, "A", "已解决。", D(2024, 4, 10))
    rows = table(client.get("/proposals/"))
    assert "已答复" in rows and "已交办" not in rows
    q = people.register("125256")
    services.assign(q, people.office_a, D(2024, 3, 29), [people.police], [])
    page = client.get("/proposals/").content.decode()
    assert f'<option value="{people.police.pk}"' in page and "125256" in page


def test_a_cached_list_is_never_shown_to_another_scope(people, login, day):
    people.assigned("125255")
    for _ in range(3):
        assert numbers(login(people.office_a).get("/proposals/")) == ["125255"]
    assert numbers(login(people.office_b).get("/proposals/")) == []
    assert numbers(login(people.police_user).get("/proposals/")) == []
    assert numbers(login(people.lead).get("/proposals/")) == ["125255"]


def test_list_cells_are_escaped(people, login, day):
    people.assigned("125255", title="<script>alert(1)</script>关于&amp;的提案", proposer='"><img src=x>')
    page = login(people.office_a).get("/proposals/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于&amp;amp;的提案" in page


def test_a_leaders_list_reads_only_the_proposals_they_lead_or_were_escalated(people):
    """A leader's few proposals are found by their own indexes, then sorted: no proposal is scanned."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL chooses by its statistics")
    from luoshi.accounts.rules import proposals_in_scope

    many(people, 3)
    rows, _warn = listing.filtered(proposals_in_scope(people.leader), {}, D(2024, 6, 20))
    ordered = rows.order_by("session", "number_key", "id").values_list(*listing.COLUMNS)[:51]
    sql, params = ordered.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "leader_account" in plan and "escalated_to" in plan, plan
    assert "SCAN proposals_proposal" not in plan, plan


@pytest.mark.parametrize("who", ["office_a", "committee"])
def test_the_first_page_walks_the_list_order_instead_of_sorting_every_proposal(people, who):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL weighs the city filter by its statistics")
    from luoshi.accounts.rules import proposals_in_scope

    many(people, 3)
    user = getattr(people, who)
    rows, _warn = listing.filtered(proposals_in_scope(user), {}, D(2024, 6, 20))
    ordered = rows.order_by("session", "number_key", "id").values_list(*listing.COLUMNS)[:51]
    sql, params = ordered.query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "proposal_list_order" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("light", ["yellow", "red"])
def test_lights_across_sessions_are_read_from_the_deadline_index(people, light):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL chooses by its statistics")
    from luoshi.accounts.rules import proposals_in_scope

    many(people, 3)
    rows, _warn = listing.filtered(proposals_in_scope(people.office_a), {"light": light}, D(2024, 6, 20))
    sql, params = rows.order_by().values("id").query.get_compiler(using="default").as_sql()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (" + sql + ")", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "proposal_state_due" in plan, plan


def test_the_filters_show_what_was_chosen_and_escape_the_choices(people, login, day):
    people.assigned("125255")
    people.ndrc.name = '发展<改革>委"'
    people.ndrc.save()
    url = f"/proposals/?session=十二届五次&state=assigned&unit={people.ndrc.pk}&light=red"
    page = login(people.office_a).get(url).content.decode()
    assert '<option value="十二届五次" selected>十二届五次</option>' in page
    assert '<option value="assigned" selected>已交办</option>' in page
    assert f'<option value="{people.ndrc.pk}" selected>' in page
    assert '<option value="registered">已立案</option>' in page
    assert "发展&lt;改革&gt;委&#34;" in page and "发展<改革>" not in page
