"""The entity register's pages: office staff and admins list, add, rename, alias, merge and
deactivate; leaders, reporters, members, users without a profile and visitors can do none of it.
Hostile form input changes nothing."""

from __future__ import annotations

import pytest

from luoshi.indicators.models import Entity, EntityChange, Observation
from luoshi.indicators.services import Figure, record
from tests.indicators.test_permissions import PERSONAS, client_for

MANAGERS = {"admin", "office", "office_b"}


@pytest.mark.parametrize("who", PERSONAS)
def test_who_may_use_the_register(area, people, login, client, who):
    c = client_for(people, login, client, who)
    response = c.get("/indicators/entities/")
    expected = 200 if who in MANAGERS else 302 if who == "anonymous" else 403
    assert response.status_code == expected
    assert c.get(f"/indicators/entities/{area.pair.pk}/").status_code == expected
    c.post("/indicators/entities/new/", {"kind": "city", "name": "新城", "city": area.cities["成都市"].pk})
    c.post(f"/indicators/entities/{area.entity['眉山'].pk}/", {"action": "rename", "name": "眉山（改）"})
    c.post(f"/indicators/entities/{area.entity['资阳'].pk}/", {"action": "aliases", "aliases": "资州"})
    c.post(f"/indicators/entities/{area.entity['德阳'].pk}/", {"action": "deactivate"})
    c.post(
        f"/indicators/entities/{area.entity['成都'].pk}/",
        {"action": "merge", "duplicate": area.entity["德阳"].pk},
    )
    changed = EntityChange.objects.exclude(action__in=("created", "members")).count()
    if who in MANAGERS:
        assert Entity.objects.filter(name="眉山（改）").exists()
        assert Entity.objects.get(pk=area.entity["资阳"].pk).alias_list() == ["资州"]
        assert not Entity.objects.get(pk=area.entity["德阳"].pk).active
        assert changed == 3  # the merge is refused: 德阳 was deactivated first
    else:
        assert changed == 0
        assert Entity.objects.filter(active=True, kind="city").count() == 4
        # The list page's sync never ran for them either.
        assert Entity.objects.count() == 6


def test_the_list_shows_the_ledgers_cities_pairs_and_area(area, people, login):
    page = login(people.office).get("/indicators/entities/").content.decode()
    for name in ("成都市", "成德", "成都—眉山", "成德眉资", "资阳市"):
        assert name in page


def test_a_merge_through_the_page(area, people, login):
    from luoshi.ledger.models import City

    dup = Entity.objects.create(kind="city", name="成都旧", city=City.objects.create(name="成都府"))
    record([Figure(area.gdp, dup, "2022", 1.0)])
    c = login(people.office)
    response = c.post(
        f"/indicators/entities/{area.entity['成都'].pk}/",
        {"action": "merge", "duplicate": dup.pk},
        follow=True,
    )
    assert "已并入「成都旧」" in response.content.decode()
    assert Observation.objects.get().entity == area.entity["成都"]
    page = c.get(f"/indicators/entities/{dup.pk}/").content.decode()
    assert "已并入「成都市」" in page and 'id="entity-merge"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "rename"},
        {"action": "rename", "name": ""},
        {"action": "rename", "name": "x" * 100_000},
        {"action": "rename", "name": "成都\x00"},
        {"action": "rename", "name": "<script>alert(1)</script>" * 10},
        {"action": "aliases", "aliases": "\n".join(str(i) for i in range(10_000))},
        {"action": "merge", "duplicate": "abc"},
        {"action": "merge", "duplicate": "99999999999999999999999"},
        {"action": "merge", "duplicate": "-1"},
        {"action": "explode"},
    ],
)
def test_hostile_changes_change_nothing(area, people, login, data):
    c = login(people.office)
    target = area.entity["眉山"]
    response = c.post(f"/indicators/entities/{target.pk}/", data)
    assert response.status_code in (302, 400)  # a NUL is refused before the view
    target.refresh_from_db()
    assert (target.name, target.aliases, target.active) == ("眉山市", "", True)
    assert not EntityChange.objects.filter(entity=target).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "city", "name": "无城市"},
        {"kind": "pair", "name": "缺一", "city": "1"},
        {"kind": "area", "name": "空圈"},
        {"kind": "area", "name": "坏城市", "members": ["x", "0", "-5"]},
        {"kind": "city", "name": "x" * 101, "city": "1"},
        {"kind": "<b>", "name": "类型错"},
        {"kind": "city", "name": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
    ],
)
def test_hostile_additions_add_nothing(area, people, login, data):
    before = Entity.objects.count()
    login(people.office).post("/indicators/entities/new/", data)
    assert Entity.objects.count() == before


def test_names_are_escaped_on_the_pages(area, people, login):
    c = login(people.office)
    c.post(f"/indicators/entities/{area.entity['眉山'].pk}/", {"action": "rename", "name": "<b>眉山</b>"})
    page = c.get("/indicators/entities/").content.decode()
    assert "&lt;b&gt;眉山&lt;/b&gt;" in page and "<b>眉山</b>" not in page
