"""GET /api/proposals/N/suggestion: the three likeliest 主办 units with their reasons, for whoever
may 交办 the proposal (the office of its city, admins) and no one else; bad ids change nothing."""

from __future__ import annotations

import pytest

from luoshi.proposals import suggesting
from luoshi.proposals.models import AssignedUnit
from tests.proposals import test_api
from tests.proposals.test_suggest_page import history

pytestmark = pytest.mark.django_db
call = test_api.call


@pytest.fixture(autouse=True)
def fresh_models():
    suggesting.forget()
    yield
    suggesting.forget()


def test_the_office_gets_the_unit_that_led_similar_proposals_first_with_its_reasons(people, day, call):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="群众出行不便。")
    response = call(people.office_a, "get", f"/api/proposals/{p.pk}/suggestion")
    assert response.status_code == 200, response.content
    units = response.json()["units"]
    assert 1 <= len(units) <= 3
    best = units[0]
    assert (best["id"], best["name"]) == (people.transport.pk, "市交通运输局")
    assert "相似提案：十二届五次第11号《关于优化城区公交线路的建议》由该单位主办" in best["reasons"]
    assert best["similar"]["number"] == "十二届五次第11号" and "公交" in best["remit_words"]
    assert [u["score"] for u in units] == sorted((u["score"] for u in units), reverse=True)
    # Only units the proposal may go to: never 乙市's 发展改革委.
    assert people.ndrc_b.pk not in {u["id"] for u in units}
    # Asking changes nothing.
    assert not AssignedUnit.objects.filter(assignment__proposal=p).exists()


def test_an_admin_may_ask_and_a_proposal_with_no_history_gets_an_answer(people, call):
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    response = call(people.admin, "get", f"/api/proposals/{p.pk}/suggestion")
    assert response.status_code == 200
    assert len(response.json()["units"]) <= 3


@pytest.mark.parametrize(
    "who", ["office_b", "committee", "lead", "support", "police_user", "lead_b", "leader", "member"]
)
def test_no_one_who_may_not_assign_it_gets_a_suggestion(people, day, call, who):
    history(people, day)
    p = people.register("20", title="关于在城东片区增设公交站点的建议", text="")
    assert call(getattr(people, who), "get", f"/api/proposals/{p.pk}/suggestion").status_code == 403


def test_without_a_token_it_is_refused(people, call):
    p = people.register("20")
    assert call(None, "get", f"/api/proposals/{p.pk}/suggestion").status_code == 401


def test_a_huge_or_odd_text_still_gets_at_most_three_units(people, day, call):
    history(people, day)
    odd = ("公交站点" * 25_000, "<script>alert(1)</script>\u202e\ufeff", "\U0001f68c" * 1000)
    for number, text in enumerate(odd, start=30):
        p = people.register(str(number), title="关于公交的建议", text=text)
        response = call(people.office_a, "get", f"/api/proposals/{p.pk}/suggestion")
        assert response.status_code == 200 and len(response.json()["units"]) <= 3


@pytest.mark.parametrize("bad", ["999999", "0", "-1", "abc", "9" * 40, "9" * 10_000, "１", "%00", "%ff", "1.5"])
def test_bad_ids_are_not_found_or_refused(people, call, bad):
    people.register("20")
    response = call(people.admin, "get", f"/api/proposals/{bad}/suggestion")
    assert response.status_code in (404, 422), (bad, response.status_code)
