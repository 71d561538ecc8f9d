"""The 跨城通办 pages, tried by every persona and with hostile input: the office reads and changes
the list; leaders read it; reporters, members, profile-less users and visitors get nothing; one
office's upload cannot be seen, committed or discarded by another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.accounts.rules import can
from luoshi.indicators import crosscity
from luoshi.indicators.core import crosscity as core
from luoshi.indicators.models import Observation, ServiceImport, ServiceItem, ServiceItemChange
from tests.indicators.tables import csv, xlsx

READERS = {"admin", "office", "office_b", "leader"}
WRITERS = {"admin", "office", "office_b"}
PERSONAS = ("admin", "office", "office_b", "leader", "reporter", "member", "nobody", "anonymous")
LIST = [
    ["事项名称", "主管部门", "类别", "成都市", "德阳市"],
    ["住房公积金异地转移", "公积金中心", "住房", "2023-07-01", "是"],
]


def client_for(people, login, client, who):
    return client if who == "anonymous" else login(getattr(people, who))


@pytest.fixture
def item(area, people):
    crosscity.save_item(
        core.ItemSpec("社保卡申领", "市人社局", "社会保障", "", (("成都市", dt.date(2022, 1, 1)),)),
        by=people.office,
    )
    return ServiceItem.objects.get(name="社保卡申领")


def expected_status(who: str, allowed: set[str]) -> int:
    return 302 if who == "anonymous" else 200 if who in allowed else 403


@pytest.mark.parametrize("who", PERSONAS)
def test_reading_the_list(item, people, login, client, who):
    c = client_for(people, login, client, who)
    for url in (
        "/indicators/services/",
        f"/indicators/services/{item.pk}/",
        "/indicators/services/items.xlsx",
    ):
        assert c.get(url).status_code == expected_status(who, READERS), (who, url)


def test_the_list_shows_counts_per_city_and_the_chart(item, area, people, login):
    page = login(people.leader).get("/indicators/services/").content.decode()
    assert "社保卡申领" in page and "成都市（2022-01-01）" in page
    assert 'id="chart-crosscity"' in page and "crosscity.js" in page
    assert '<tr><th>成都市</th><td class="num">1</td></tr>' in page
    assert '<tr><th>德阳市</th><td class="num">0</td></tr>' in page
    assert "跨城通办事项" in page and "都市圈跨城通办事项" in page  # links to the indicators
    assert 'id="crosscity-new"' not in page and 'id="crosscity-upload"' not in page  # a leader reads only
    office = login(people.office).get("/indicators/services/").content.decode()
    assert 'id="crosscity-new"' in office and 'id="crosscity-upload"' in office


def test_a_category_filter_and_an_empty_list(area, people, login, item):
    c = login(people.office)
    assert "社保卡申领" not in c.get("/indicators/services/?category=户籍").content.decode()
    assert "社保卡申领" in c.get("/indicators/services/?category=社会保障").content.decode()
    ServiceItemChange.objects.all().delete()
    ServiceItem.objects.all().delete()
    assert "清单中还没有事项" in c.get("/indicators/services/").content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_adding_an_item(area, people, login, client, who):
    c = client_for(people, login, client, who)
    c.post(
        "/indicators/services/new/",
        {
            "name": "户口迁移",
            "department": "市公安局",
            "city": [area.entity["德阳"].pk],
            f"since-{area.entity['德阳'].pk}": "2024-03-01",
        },
    )
    added = ServiceItem.objects.filter(name="户口迁移").first()
    assert (added is not None) == (who in WRITERS)
    if added:
        assert added.cities.get().since == dt.date(2024, 3, 1)
        assert added.changes.get().by == getattr(people, who)
        assert Observation.objects.filter(indicator__name="跨城通办事项", entity=area.entity["德阳"]).exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_editing_an_item(item, area, people, login, client, who):
    c = client_for(people, login, client, who)
    c.post(f"/indicators/services/{item.pk}/", {"name": "社保卡申领", "department": "改过的", "city": []})
    item.refresh_from_db()
    assert (item.department == "改过的") == (who in WRITERS)
    assert (item.cities.count() == 0) == (who in WRITERS)


def test_the_edit_form_shows_the_cities_and_the_history(item, area, people, login):
    c = login(people.office)
    c.post(
        f"/indicators/services/{item.pk}/",
        {
            "name": "社保卡申领",
            "department": "市人社局",
            "category": "社会保障",
            "city": [area.entity["成都"].pk, area.entity["眉山"].pk],
            f"since-{area.entity['成都'].pk}": "2022-01-01",
            f"since-{area.entity['眉山'].pk}": "2024-09-01",
        },
    )
    page = c.get(f"/indicators/services/{item.pk}/").content.decode()
    assert "眉山市（2024-09-01起）" in page
    assert "成都市 2022-01-01<br>眉山市 2024-09-01" in page  # the new cities in the history
    assert "修改" in page and "新增" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "事项名称不能为空"),
        ({"name": "x" * 5000}, "输入过长"),
        ({"name": "户口迁移", "city": ["999999"]}, "所选城市未登记或已停用"),
        ({"name": "户口迁移", "city": ["abc"]}, "所选城市未登记或已停用"),
        ({"name": "户口迁移", "city": ["-1"]}, "所选城市未登记或已停用"),
        ({"name": "户口迁移", "city": ["CITY"], "since-CITY": "2024-02-30"}, "开通日期格式"),
        ({"name": "户口迁移", "city": ["CITY"], "since-CITY": "'; DROP TABLE x;--"}, "开通日期格式"),
        ({"name": "户口迁移", "city": ["CITY"], "since-CITY": "1800-01-01"}, "开通日期超出范围"),
        ({"name": "社保卡申领"}, "已在清单中"),
        ({"name": "户口迁移\x00"}, ""),
    ],
)
def test_hostile_forms_change_nothing(item, area, people, login, data, message):
    pk = str(area.entity["成都"].pk)
    data = {
        k.replace("CITY", pk): [v.replace("CITY", pk) for v in vs] if isinstance(vs, list) else vs
        for k, vs in data.items()
    }
    before = ServiceItem.objects.count()
    response = login(people.office).post("/indicators/services/new/", data, follow=True)
    assert response.status_code in (200, 400)
    assert ServiceItem.objects.count() == before
    if message:
        assert message in response.content.decode()


def test_a_get_cannot_add_or_sync(area, people, login):
    c = login(people.office)
    assert c.get("/indicators/services/new/?name=户口迁移").status_code == 405
    assert c.get("/indicators/services/sync/").status_code == 405
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_syncing(item, people, login, client, who):
    c = client_for(people, login, client, who)
    before = Observation.objects.count()
    response = c.post("/indicators/services/sync/")
    assert response.status_code == (302 if who in WRITERS or who == "anonymous" else 403)
    if who in WRITERS:
        assert response["Location"] == "/indicators/services/"
    # The fixture's item fed the quarters up to today when it was added: a sync finds nothing new.
    assert Observation.objects.count() == before


def upload(c, data: bytes, name: str = "list.xlsx"):
    return c.post("/indicators/services/import/", {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("who", PERSONAS)
def test_uploading_and_committing(area, people, login, client, who):
    c = client_for(people, login, client, who)
    response = upload(c, xlsx(LIST))
    if who not in WRITERS:
        assert response.status_code in (302, 403) and not ServiceImport.objects.exists()
        return
    batch = ServiceImport.objects.get()
    assert response["Location"] == f"/indicators/services/import/{batch.pk}/"
    page = c.get(response["Location"]).content.decode()
    assert "住房公积金异地转移" in page and "成都市（2023-07-01）" in page and 'id="commit"' in page
    assert not ServiceItem.objects.exists()
    c.post(f"/indicators/services/import/{batch.pk}/commit/")
    assert ServiceItem.objects.get().cities.count() == 2
    c.post(f"/indicators/services/import/{batch.pk}/commit/")  # a second commit changes nothing
    assert ServiceItemChange.objects.count() == 1


def test_another_offices_upload_is_closed_to_it(area, people, login):
    upload(login(people.office), xlsx(LIST))
    batch = ServiceImport.objects.get()
    other = login(people.office_b)
    assert other.get(f"/indicators/services/import/{batch.pk}/").status_code == 403
    assert other.post(f"/indicators/services/import/{batch.pk}/commit/").status_code == 403
    assert other.post(f"/indicators/services/import/{batch.pk}/discard/").status_code == 403
    assert not ServiceItem.objects.exists() and ServiceImport.objects.get().state == "review"
    assert not can(people.office_b, "crosscity.manage", batch)
    assert can(people.office, "crosscity.manage", batch) and can(people.admin, "crosscity.manage", batch)
    assert not can(people.leader, "crosscity.manage", batch)
    assert login(people.admin).post(f"/indicators/services/import/{batch.pk}/discard/").status_code == 302
    assert ServiceImport.objects.get().state == "discarded"


def test_an_upload_with_problems_shows_them_and_cannot_be_committed(area, people, login):
    c = login(people.office)
    rows = [["事项名称", "成都市", "广州市"], ["户口迁移", "明年", "是"]]
    response = upload(c, xlsx(rows))
    page = c.get(response["Location"]).content.decode()
    assert "第1行「广州市」：不是事项字段，也不是登记的城市" in page
    assert 'id="crosscity-blocked"' in page and 'id="commit"' not in page
    batch = ServiceImport.objects.get()
    c.post(f"/indicators/services/import/{batch.pk}/commit/")
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.xlsx"),
        (csv(LIST), "list.xlsx"),  # a CSV called .xlsx
        (csv(LIST, "gb18030"), "list.csv"),
        ("事项名称".encode("utf-16"), "list.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 1000, "list.xlsx"),
        (b"<script>alert(1)</script>", "<script>.xlsx"),
    ],
)
def test_files_that_are_not_lists_apply_nothing(area, people, login, data, name):
    c = login(people.office)
    response = upload(c, data, name)
    assert response.status_code == 302
    batch = ServiceImport.objects.first()
    if batch is not None:
        page = c.get(f"/indicators/services/import/{batch.pk}/").content.decode()
        assert batch.problems and 'id="commit"' not in page and "<script>alert" not in page
    assert not ServiceItem.objects.exists()


def test_a_huge_list_is_listed_in_part(area, people, login):
    c = login(people.office)
    rows = [LIST[0]] + [[f"事项{i}", "", "", "是", ""] for i in range(crosscity.REVIEW_ROWS + 50)]
    page = c.get(upload(c, xlsx(rows))["Location"]).content.decode()
    assert "另有 50 个事项未列出" in page


def test_the_export_reads_back(item, people, login):
    from luoshi.indicators.core.crosscity import read_items

    data = login(people.leader).get("/indicators/services/items.xlsx").content
    read = read_items(data, crosscity.city_spellings())
    assert [s.name for _r, s in read.items] == ["社保卡申领"]
    assert read.items[0][1].cities == (("成都市", dt.date(2022, 1, 1)),)


def test_unknown_pages_are_not_found(area, people, login):
    c = login(people.office)
    assert c.get("/indicators/services/999999/").status_code == 404
    assert c.get("/indicators/services/import/999999/").status_code == 404
    assert c.get("/indicators/services/0/").status_code == 404


def test_the_pages_speak_english_on_request(item, people, login):
    c = login(people.office)
    body = c.get("/indicators/services/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in body
    assert "Items each city can handle" in body and "Add an item" in body and "各城市可办事项数" not in body
    body = c.get(f"/indicators/services/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Change the item" in body and "修改事项" not in body
    body = c.get("/indicators/services/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "各城市可办事项数" in body and "Items each city can handle" not in body


def test_the_first_item_brings_its_indicators_into_the_catalogue_and_their_figures_show(area, people, login):
    c = login(people.office)
    assert "都市圈跨城通办事项" not in c.get("/indicators/").content.decode()  # and the page is cached
    c.post(
        "/indicators/services/new/",
        {
            "name": "户口迁移",
            "city": [area.entity["德阳"].pk],
            f"since-{area.entity['德阳'].pk}": "2024-03-01",
        },
    )
    catalogue = c.get("/indicators/").content.decode()
    assert "跨城通办事项" in catalogue and "都市圈跨城通办事项" in catalogue
    from luoshi.indicators.models import Indicator

    indicator = Indicator.objects.get(name="跨城通办事项")
    page = c.get(f"/indicators/{indicator.pk}/").content.decode()
    assert "德阳市" in page and "跨城通办事项清单" in page
