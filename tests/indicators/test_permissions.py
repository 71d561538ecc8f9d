"""Who may do what with indicators, tried by every persona on every page: the office reads, edits
the catalogue and records figures; leaders only read; reporters, members, users without a
profile and visitors get nothing. Another office's import batch cannot be seen, committed or
discarded."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from luoshi.accounts.rules import can
from luoshi.indicators import services
from luoshi.indicators.models import ImportBatch, Indicator, Observation
from tests.indicators.tables import GDP_CITIES_ACROSS, xlsx

READERS = {"admin", "office", "office_b", "leader"}
WRITERS = {"admin", "office", "office_b"}
PERSONAS = ("admin", "office", "office_b", "leader", "reporter", "member", "nobody", "anonymous")


def client_for(people, login, client, who):
    return client if who == "anonymous" else login(getattr(people, who))


@pytest.mark.parametrize("who", PERSONAS)
def test_reading_pages(area, people, login, client, who):
    c = client_for(people, login, client, who)
    for url in (
        "/indicators/",
        "/indicators/catalogue.xlsx",
        f"/indicators/{area.gdp.pk}/",
        f"/indicators/{area.gdp.pk}/figures.xlsx",
    ):
        response = c.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code == (200 if who in READERS else 403), (who, url)


@pytest.mark.parametrize("who", PERSONAS)
def test_editing_the_catalogue(area, people, login, client, who):
    c = client_for(people, login, client, who)
    before = Indicator.objects.count()
    wb = load_workbook(io.BytesIO(services.export_catalogue()))
    wb.active.append(["偷加的指标", "个"])
    out = io.BytesIO()
    wb.save(out)
    c.post("/indicators/catalogue/upload/", {"file": SimpleUploadedFile("c.xlsx", out.getvalue())})
    assert Indicator.objects.count() == before + (1 if who in WRITERS else 0)


@pytest.mark.parametrize("who", PERSONAS)
def test_uploading_a_table(area, people, login, client, who):
    c = client_for(people, login, client, who)
    response = c.get("/indicators/import/")
    assert response.status_code == (200 if who in WRITERS else 302 if who == "anonymous" else 403)
    c.post("/indicators/import/", {"file": SimpleUploadedFile("t.xlsx", xlsx(GDP_CITIES_ACROSS))})
    assert ImportBatch.objects.count() == (1 if who in WRITERS else 0)


@pytest.mark.parametrize("who", PERSONAS)
def test_another_users_batch_cannot_be_seen_committed_or_discarded(area, people, login, client, who):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx", by=people.office)
    c = client_for(people, login, client, who)
    allowed = who in ("admin", "office")
    assert c.get(f"/indicators/import/{batch.pk}/").status_code == (
        200 if allowed else 302 if who == "anonymous" else 403
    )
    c.post(f"/indicators/import/{batch.pk}/discard/")
    batch.refresh_from_db()
    assert batch.state == ("discarded" if allowed else "review")
    if not allowed:
        c.post(f"/indicators/import/{batch.pk}/commit/")
        assert Observation.objects.count() == 0


def test_get_never_changes_anything(area, people, login):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx", by=people.office)
    c = login(people.office)
    for url in (
        f"/indicators/import/{batch.pk}/commit/",
        f"/indicators/import/{batch.pk}/discard/",
        "/indicators/catalogue/upload/",
    ):
        assert c.get(url).status_code == 405
    batch.refresh_from_db()
    assert batch.state == "review" and Observation.objects.count() == 0


def test_a_batch_that_does_not_exist_is_not_found(area, people, login):
    c = login(people.admin)
    assert c.get("/indicators/import/999999/").status_code == 404
    assert c.get("/indicators/99999999999999999999/").status_code == 404


def test_the_rules_directly(area, people):
    batch = services.start_table_import(xlsx(GDP_CITIES_ACROSS), "gdp.xlsx", by=people.office)
    assert can(people.office, "indicator.record", batch)
    assert not can(people.office_b, "indicator.record", batch)
    assert can(people.admin, "indicator.record", batch)
    assert not can(people.leader, "indicator.record", batch)
    assert can(people.leader, "indicator.view") and not can(people.leader, "indicator.manage")
    assert not can(None, "indicator.view")
