"""The 跨城通办 API: the items listed and filtered (city, category, status on a day, words), one item
with its cities and dates, read only by those who read the list on its pages, bad input refused
with a 4xx that says why."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from luoshi.accounts.models import AuditLog
from luoshi.indicators import crosscity
from luoshi.indicators.core.crosscity import ItemSpec
from luoshi.indicators.models import ServiceItem

D = dt.date


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def token_for(user) -> str:
    out = io.StringIO()
    call_command("create_api_token", user.username, stdout=out)
    return out.getvalue().strip()


class Catalogue:
    """养老 (社会保障): 成都 since 2024-02-01, 德阳 since 2024-05-01; 公积金 (住房): 眉山 since
    2025-01-01; 户口 (户籍): no city yet. All added on 2024-01-10."""

    def __init__(self, area, people) -> None:
        specs = [
            ItemSpec(
                "养老保险关系转移接续",
                "市人社局",
                "社会保障",
                "",
                (("成都市", D(2024, 2, 1)), ("德阳市", D(2024, 5, 1))),
            ),
            ItemSpec("住房公积金异地转移", "公积金中心", "住房", "", (("眉山市", D(2025, 1, 1)),)),
            ItemSpec("户口迁移", "公安局", "户籍"),
        ]
        for spec in specs:
            crosscity.save_item(spec, by=people.office, at=at(D(2024, 1, 10)))
        by_name = {i.name: i for i in ServiceItem.objects.all()}
        self.pension = by_name["养老保险关系转移接续"]
        self.fund = by_name["住房公积金异地转移"]
        self.hukou = by_name["户口迁移"]
        self.area = area


@pytest.fixture
def items(area, people) -> Catalogue:
    return Catalogue(area, people)


@pytest.fixture
def get(client, people):
    tokens: dict[str, str] = {}

    def get(url, who="office", **params):
        if who not in tokens:
            tokens[who] = token_for(getattr(people, who))
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")

    return get


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {i["name"] for i in response.json()["items"]}


def test_the_list_gives_every_item_with_its_cities_and_status(items, get):
    body = get("/api/services", on="2024-06-30").json()
    assert body["count"] == 3
    by_name = {i["name"]: i for i in body["items"]}
    pension = by_name["养老保险关系转移接续"]
    assert (pension["department"], pension["category"], pension["status"]) == ("市人社局", "社会保障", "open")
    chengdu, deyang = items.area.entity["成都"].pk, items.area.entity["德阳"].pk
    assert sorted(pension["cities"], key=lambda c: c["since"]) == [
        {"entity_id": chengdu, "city": "成都市", "since": "2024-02-01", "status": "open"},
        {"entity_id": deyang, "city": "德阳市", "since": "2024-05-01", "status": "open"},
    ]
    assert by_name["住房公积金异地转移"]["status"] == "scheduled"
    assert by_name["住房公积金异地转移"]["cities"][0]["status"] == "scheduled"
    assert (by_name["户口迁移"]["status"], by_name["户口迁移"]["cities"]) == ("none", [])


def test_the_status_is_read_on_the_day_asked(items, get):
    city = items.area.entity["德阳"].pk
    assert names(get("/api/services", city=city, status="open", on="2024-04-30")) == set()
    assert names(get("/api/services", city=city, status="scheduled", on="2024-04-30")) == {
        "养老保险关系转移接续"
    }
    assert names(get("/api/services", city=city, status="open", on="2024-05-01")) == {"养老保险关系转移接续"}
    # Without a city: open in at least one city.
    assert names(get("/api/services", status="open", on="2024-01-31")) == set()
    assert names(get("/api/services", status="open", on="2025-01-01")) == {
        "养老保险关系转移接续",
        "住房公积金异地转移",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "成都"}, {"养老保险关系转移接续"}),
        ({"city": "眉山"}, {"住房公积金异地转移"}),
        ({"city": "资阳"}, set()),
        ({"city": "眉山", "status": "none"}, {"养老保险关系转移接续", "户口迁移"}),
        ({"status": "none"}, {"户口迁移"}),
        ({"status": "scheduled", "on": "2024-06-30"}, {"住房公积金异地转移"}),
        ({"category": "住房"}, {"住房公积金异地转移"}),
        ({"category": "交通"}, set()),
        ({"category": ""}, {"养老保险关系转移接续", "住房公积金异地转移", "户口迁移"}),
        ({"q": "公积金"}, {"住房公积金异地转移"}),
        ({"q": "公安"}, {"户口迁移"}),
        (
            {"category": "社会保障", "city": "成都", "status": "open", "on": "2024-03-01"},
            {"养老保险关系转移接续"},
        ),
    ],
)
def test_filters(items, get, params, expected):
    if "city" in params:
        params = {**params, "city": items.area.entity[params["city"]].pk}
    assert names(get("/api/services", **params)) == expected


def test_pages_are_limited_and_counted(items, get):
    first = get("/api/services", limit=2).json()
    rest = get("/api/services", limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 3
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    assert {i["id"] for i in first["items"]} | {i["id"] for i in rest["items"]} == {
        items.pension.pk,
        items.fund.pk,
        items.hukou.pk,
    }
    far = get("/api/services", offset=10**12)
    assert far.status_code == 200 and far.json() == {"items": [], "count": 3}


def test_one_item_with_its_cities_dates_and_history(items, get, people):
    body = get(f"/api/services/{items.pension.pk}", on="2024-03-01").json()
    assert body["name"] == "养老保险关系转移接续" and body["status"] == "open"
    assert {(c["city"], c["since"], c["status"]) for c in body["cities"]} == {
        ("成都市", "2024-02-01", "open"),
        ("德阳市", "2024-05-01", "scheduled"),
    }
    assert body["changes"] == 1 and body["changed_at"].startswith("2024-01-10")
    crosscity.save_item(
        ItemSpec("养老保险关系转移接续", "市人社局", "社会保障", "", (("成都市", D(2024, 2, 1)),)),
        by=people.office,
        item=items.pension,
        at=at(D(2024, 7, 1)),
    )
    body = get(f"/api/services/{items.pension.pk}").json()
    assert [c["city"] for c in body["cities"]] == ["成都市"]
    assert body["changes"] == 2 and body["changed_at"].startswith("2024-07-01")
    assert body["created_at"].startswith("2024-01-10")


READERS = {"admin", "office", "office_b", "leader"}


@pytest.mark.parametrize("who", ["admin", "office", "office_b", "leader", "reporter", "member", "nobody"])
def test_only_those_who_read_the_list_read_it_through_the_api(items, get, people, who):
    listed = get("/api/services", who=who)
    one = get(f"/api/services/{items.pension.pk}", who=who)
    # An id that does not exist answers as one that does: nothing is learnt from a refusal.
    missing = get("/api/services/999999", who=who)
    if who in READERS:
        assert (listed.status_code, one.status_code, missing.status_code) == (200, 200, 404)
        assert AuditLog.objects.filter(event="api_read", user=getattr(people, who)).count() == 2
    else:
        assert (listed.status_code, one.status_code, missing.status_code) == (403, 403, 403)
        assert listed.json() == {"detail": "permission denied"}
        assert AuditLog.objects.filter(event="permission_denied").count() == 3


def test_no_token_or_a_wrong_one_is_refused(items, client, people):
    assert client.get("/api/services").status_code == 401
    wrong = client.get(f"/api/services/{items.pension.pk}", HTTP_AUTHORIZATION="Bearer ls_not_a_token")
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Unauthorized"}
    assert AuditLog.objects.filter(event="api_auth_failed").exists()
    token = token_for(people.office)
    people.office.is_active = False
    people.office.save()
    assert client.get("/api/services", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"city": -1},
        {"city": 0},
        {"city": "成都"},
        {"city": 10**20},
        {"status": "closed"},
        {"on": "2024-13-01"},
        {"on": "yesterday"},
        {"category": "类" * 51},
        {"q": "字" * 101},
        {"limit": 0},
        {"limit": 10**6},
        {"offset": -1},
        {"offset": 10**13},
        {"offset": 10**30},
    ],
)
def test_bad_filters_are_refused(items, get, params):
    response = get("/api/services", **params)
    assert response.status_code == 422, (params, response.status_code)
    assert response.json()["detail"]


def test_a_city_filter_must_name_a_city(items, get):
    for entity in (items.area.area, items.area.pair):
        response = get("/api/services", city=entity.pk)
        assert response.status_code == 400
        assert response.json() == {"detail": f"city {entity.pk}: no city entity has this id"}
    assert get("/api/services", city=999999).status_code == 400


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.5", str(10**19), str(10**40)])
def test_bad_item_ids_are_refused(items, get, bad):
    response = get(f"/api/services/{bad}")
    assert response.status_code in (404, 422), (bad, response.status_code)
    assert response.json()["detail"]


def test_a_bad_day_on_one_item_is_refused(items, get):
    assert get(f"/api/services/{items.pension.pk}", on="2024-02-30").status_code == 422


def test_the_api_changes_nothing(items, client, people):
    token = token_for(people.admin)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for method, url in (
        ("post", "/api/services"),
        ("put", f"/api/services/{items.pension.pk}"),
        ("delete", f"/api/services/{items.pension.pk}"),
    ):
        assert getattr(client, method)(url, {}, content_type="application/json", **auth).status_code == 405
    assert ServiceItem.objects.count() == 3 and items.pension.cities.count() == 2
