"""The review's unit pickers: the type-ahead endpoint (names and aliases, the plan's city first,
only for those who may review that import, hostile queries answered plainly) and the units a
commit writes from them (a unit picked by id is that unit, whatever the plan's city; a name is
one the document gives; a forged value changes nothing and creates no unit)."""

from __future__ import annotations

import pytest

from luoshi.ledger import importing
from luoshi.ledger.models import ImportSession, Plan, Task, Unit, UnitAlias
from tests.web.world import upload

pytestmark = pytest.mark.django_db

RAIL = 1  # row （一）加快轨道交通建设 of the sample plan: lead 市交通运输局, support 市发展改革局


@pytest.fixture
def session(world) -> ImportSession:
    return importing.start_import(upload(), world.office_a)


def units_url(session: ImportSession, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/import/{session.pk}/units/?{query}"


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [r["text"] for r in response.json()["results"]]


def test_it_finds_units_by_name_with_the_plans_city_first(world, session, login):
    client = login(world.office_a)
    found = texts(client.get(units_url(session, q="交通", city=world.city_a.pk)))
    assert found == ["市交通运输局（甲市）", "市交通运输局（乙市）"]
    found = texts(client.get(units_url(session, q="交通", city=world.city_b.pk)))
    assert found == ["市交通运输局（乙市）", "市交通运输局（甲市）"]


def test_it_finds_units_by_alias(world, session, login):
    UnitAlias.objects.create(unit=world.transport_a, name="甲市交委")
    found = login(world.office_a).get(units_url(session, q="交委")).json()["results"]
    assert found == [{"value": str(world.transport_a.pk), "text": "市交通运输局（甲市）"}]


def test_an_empty_query_lists_units_nearest_first_and_bounded(world, session, login):
    for i in range(40):
        Unit.objects.create(name=f"测试单位{i:02d}", city=world.city_b)
    found = texts(login(world.office_a).get(units_url(session, q="", city=world.city_a.pk)))
    assert len(found) == 30 and found[0].endswith("（甲市）")


@pytest.mark.parametrize("q", ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "\\", "交通%"])
def test_hostile_queries_match_only_their_own_characters(world, session, login, q):
    response = login(world.office_a).get(f"/import/{session.pk}/units/", {"q": q})
    assert response.status_code == 200 and response.json() == {"results": []}


@pytest.mark.parametrize(
    ("params", "why"),
    [({"q": "局" * 51}, "过长"), ({"q": "交通\x01"}, "控制字符"), ({"city": "abc"}, "城市"), ({"city": "99999"}, "城市")],
)
def test_bad_queries_get_a_clear_400(world, session, login, params, why):
    response = login(world.office_a).get(f"/import/{session.pk}/units/", params)
    assert response.status_code == 400 and why in response.json()["error"]


def test_only_those_who_may_review_the_import_get_units(world, session, login, client):
    assert client.get(units_url(session, q="交通")).status_code == 302  # to the sign-in page
    for other in (world.office_b, world.reporter_a, world.leader):
        assert login(other).get(units_url(session, q="交通")).status_code == 403
    assert login(world.admin).get(units_url(session, q="交通")).status_code == 200
    assert login(world.office_a).get("/import/999999/units/?q=交通").status_code == 404
    assert login(world.office_a).post(units_url(session, q="交通")).status_code == 405


def _commit(client, session, world, **rows):
    data = {"commit": "1", "city": world.city_a.pk}
    data.update(rows)
    return client.post(f"/import/{session.pk}/", data)


def _units(plan: Plan, title: str) -> dict[str, list[str]]:
    task = Task.objects.get(plan=plan, title=title)
    out: dict[str, list[str]] = {"lead": [], "support": []}
    for a in task.assignments.filter(inherited=False).order_by("role", "position").select_related("unit__city"):
        out[a.role].append(a.unit.with_city)
    return out


def test_a_unit_picked_by_id_is_that_unit_even_of_another_city(world, session, login):
    response = _commit(
        login(world.office_a),
        session,
        world,
        **{f"units_{RAIL}": "1", f"lead_{RAIL}": [str(world.transport_b.pk), "n:市交通运输局"], f"support_{RAIL}": []},
    )
    assert response.status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    assert _units(plan, "加快轨道交通建设") == {"lead": ["市交通运输局（乙市）", "市交通运输局（甲市）"], "support": []}
    # Rows without pickers on the form keep what the document says.
    assert _units(plan, "织密高速公路网络") == {"lead": ["市发展改革局（甲市）"], "support": []}


def test_pickers_posted_unchanged_write_what_the_document_says(world, session, login):
    rows = {f"units_{RAIL}": "1", f"lead_{RAIL}": ["n:市交通运输局"], f"support_{RAIL}": ["n:市发展改革局"]}
    assert _commit(login(world.office_a), session, world, **rows).status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    assert _units(plan, "加快轨道交通建设") == {"lead": ["市交通运输局（甲市）"], "support": ["市发展改革局（甲市）"]}


def test_emptied_pickers_leave_the_row_without_units(world, session, login):
    assert _commit(login(world.office_a), session, world, **{f"units_{RAIL}": "1"}).status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    assert _units(plan, "加快轨道交通建设") == {"lead": [], "support": []}


@pytest.mark.parametrize(
    "values",
    [["n:不在原文中的单位"], ["999999"], ["abc"], ["-1"], ["n:"], ["n:市交通运输局 "]],
)
def test_forged_unit_values_change_nothing_and_make_no_unit(world, session, login, values):
    units_before = Unit.objects.count()
    plans_before = Plan.objects.count()
    response = _commit(login(world.office_a), session, world, **{f"units_{RAIL}": "1", f"lead_{RAIL}": values})
    assert response.status_code == 400
    assert Unit.objects.count() == units_before and Plan.objects.count() == plans_before
    assert ImportSession.objects.get(pk=session.pk).state == "open"
    # The page shown again keeps the form as sent, without the forged value.
    body = response.content.decode()
    lead = body[body.index(f'name="lead_{RAIL}"') :].split("</select>", 1)[0]
    assert "<option" not in lead
    assert "所选单位不存在" in body or "不在方案原文中" in body


def test_the_review_page_offers_pickers_with_the_documents_units(world, session, login):
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    assert f'name="lead_{RAIL}"' in body and f'name="support_{RAIL}"' in body
    # The sample names no issuer, so no city: the document's name is offered as it stands.
    assert '<option value="n:市交通运输局" selected>未知单位：市交通运输局</option>' in body
    assert f'data-units-url="/import/{session.pk}/units/"' in body
    assert "vendor/tom-select/tom-select.complete.min.js" in body
