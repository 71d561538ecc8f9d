"""The import review looks units up in the plan's city (guessed from the issuer), names the city
beside every unit where several cities' units appear, and warns when the 文号 was imported before."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.ledger import importing
from luoshi.ledger.models import City, ImportSession, Plan, Unit
from luoshi.ledger.units import city_of_document
from tests.web.world import upload

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HUIZHOU = (EXAMPLES / "huizhou-2017-haimian.txt").read_text(encoding="utf-8")


@pytest.fixture
def huizhou(world):
    """惠州 with the plan's units registered, and 深圳 with namesakes of some of them."""
    huizhou = City.objects.create(name="惠州")
    shenzhen = City.objects.create(name="深圳市")
    session = importing.start_import(upload(HUIZHOU, "haimian.txt"), world.office_a)
    plan = importing.commit_import(session, world.office_a, city=huizhou)
    for name in ("市发展改革局", "市交通运输局", "市商务局"):
        Unit.objects.get_or_create(name=name, city=shenzhen)
    return plan


@pytest.mark.parametrize(
    ("meta", "city"),
    [
        ({"issuer": "惠州市人民政府办公室", "title": "关于全面对接深圳的方案"}, "惠州"),
        ({"issuer": "", "title": "深圳市2024年重点工作"}, "深圳市"),
        (
            {"issuer": "", "title": "", "doc_number": "深府办〔2024〕1号"},
            None,
        ),  # 文号 abbreviations say too little
        ({"issuer": "国务院", "title": "促进就业工作的若干意见"}, None),
    ],
)
def test_the_city_comes_from_the_issuer_then_the_title(huizhou, meta, city):
    found = city_of_document(meta)
    assert (found.name if found else None) == city


def test_units_the_city_has_are_not_unknown(world, huizhou):
    session = importing.start_import(upload(HUIZHOU, "haimian-again.txt"), world.office_a)
    review = importing.review(session)
    assert review.unknown_units == []
    assert not [f for r in review.rows for f in r.flags if f.startswith("未知单位")]


def test_the_review_page_defaults_the_city_and_labels_units_with_theirs(world, huizhou, login):
    client = login(world.office_a)
    text = HUIZHOU.replace("(牵头单位:市交通运输局,", "(牵头单位:市交通运输局、市新设协调局,", 1)
    assert text != HUIZHOU
    response = client.post("/import/", {"file": upload(text, "haimian-new-unit.txt")})
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["review"].unknown_units == ["市新设协调局"]
    assert f'<option value="{huizhou.city.pk}" selected>惠州</option>' in html
    assert "新建单位（惠州）" in html
    assert "市发展改革局（惠州）" in html
    # The mapping searches the register as the office types, the plan's city first.
    found = client.get(page.request["PATH_INFO"] + "units/", {"q": "发展改革", "city": huizhou.city.pk}).json()
    texts = [r["text"] for r in found["results"]]
    assert texts[0] == "市发展改革局（惠州）" and "市发展改革局（深圳市）" in texts


def test_the_same_document_number_is_flagged_and_can_become_a_revision(world, huizhou, login):
    client = login(world.office_a)
    response = client.post("/import/", {"file": upload(HUIZHOU, "haimian-twice.txt")})
    review_url = response["Location"]
    page = client.get(review_url)
    assert [p.pk for p in page.context["same_number"]] == [huizhou.pk]
    assert "惠府办函〔2017〕100号" in page.content.decode()
    response = client.post(review_url, {"as_revision": huizhou.pk})
    assert response.status_code == 302
    session = ImportSession.objects.get(pk=int(review_url.rstrip("/").rsplit("/", 1)[1]))
    assert session.target == huizhou
    page = client.get(review_url)
    assert page.context["same_number"] == []
    assert page.context["review"].counts["unchanged"] == Plan.objects.get(pk=huizhou.pk).tasks.count()


def test_another_office_cannot_turn_an_upload_into_a_revision_of_a_plan_it_does_not_manage(
    world, huizhou, login
):
    client = login(world.office_b)
    response = client.post("/import/", {"file": upload(HUIZHOU, "haimian-other.txt")})
    review_url = response["Location"]
    assert client.post(review_url, {"as_revision": huizhou.pk}).status_code == 403
    session = ImportSession.objects.get(pk=int(review_url.rstrip("/").rsplit("/", 1)[1]))
    assert session.target is None


def test_a_commit_takes_the_issuers_city_unless_the_office_picks_another(world, huizhou, login):
    """The issuer (惠州市人民政府办公室) decides the plan's city: the page preselects it, a form
    without the field gets it too, and the city the office picks wins; a unit the document names
    that the city lacks is made in the plan's city."""
    from tests.web.review_page import review_fields

    text = HUIZHOU.replace("(牵头单位:市交通运输局,", "(牵头单位:市交通运输局、市新设协调局,", 1)
    client = login(world.office_a)
    city = huizhou.city
    for posted, expected in (("as shown", city), ("none", city), ("picked", world.city_b)):
        response = client.post("/import/", {"file": upload(text, f"haimian-{posted}.txt")})
        url = response["Location"]
        fields = review_fields(client.get(url).content.decode())
        assert fields["city"] == [str(city.pk)]
        if posted == "none":
            del fields["city"]
        elif posted == "picked":
            fields["city"] = [str(world.city_b.pk)]
        response = client.post(url, {**fields, "commit": "1"})
        assert response.status_code == 302, response.content.decode()[-1500:]
        plan = ImportSession.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1])).plan
        assert plan.city == expected
        assert Unit.objects.filter(name="市新设协调局", city=expected).exists()
