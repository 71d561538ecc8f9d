"""The proposals' JSON API: each user's scope, each step's permission, and bad bodies that change nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from luoshi.accounts.models import ApiToken
from luoshi.proposals.models import Communication, Proposal, ProposalEvent, Rating, Reply

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def call(client):
    """``call(user, method, url, body=None, **query)``: the response, authenticated by a fresh token."""

    def _call(user, method, url, body=None, **query):
        headers = {}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)[1]}"
        if method == "get":
            return client.get(url, query, **headers)
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return client.post(url, data, content_type="application/json", **headers)

    return _call


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["items"]]


def test_each_user_lists_only_its_scope(people, call):
    p = people.assigned()
    other = people.register("2", member=people.other_member)
    assert ids(call(people.office_a, "get", "/api/proposals")) == [p.pk, other.pk]
    assert ids(call(people.lead, "get", "/api/proposals")) == [p.pk]
    assert ids(call(people.member, "get", "/api/proposals")) == [p.pk]
    assert ids(call(people.office_b, "get", "/api/proposals")) == []
    assert ids(call(people.lead_b, "get", "/api/proposals")) == []
    assert call(None, "get", "/api/proposals").status_code == 401


def test_filters_by_session_state_unit_light_and_words(people, call, day):
    p = people.assigned()
    people.register("2", session="十二届四次", title="关于老旧小区改造的提案")
    office = people.office_a
    assert ids(call(office, "get", "/api/proposals", session="十二届四次")) != [p.pk]
    assert ids(call(office, "get", "/api/proposals", state="assigned")) == [p.pk]
    assert ids(call(office, "get", "/api/proposals", unit=people.transport.pk)) == [p.pk]
    assert ids(call(office, "get", "/api/proposals", q="老旧小区")) != [p.pk]
    assert ids(call(office, "get", "/api/proposals", light="red")) == []
    day(p.reply_due + dt.timedelta(days=1))
    assert ids(call(office, "get", "/api/proposals", light="red")) == [p.pk]
    item = call(office, "get", "/api/proposals", light="red").json()["items"][0]
    assert item["leads"] == ["市发展改革委"] and item["supports"] == ["市交通运输局"]


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 10**6},
        {"offset": -1},
        {"unit": -1},
        {"unit": "x"},
        {"light": "blue"},
        {"q": "字" * 101},
    ],
)
def test_bad_queries_are_refused(people, call, query):
    assert call(people.office_a, "get", "/api/proposals", **query).status_code == 422


def test_detail_is_scoped(people, call):
    p = people.assigned()
    detail = call(people.member, "get", f"/api/proposals/{p.pk}").json()
    assert detail["state"] == "assigned" and [e["action"] for e in detail["history"]] == [
        "register",
        "assign",
    ]
    for who in (people.police_user, people.office_b, people.other_member, people.lead_b):
        assert call(who, "get", f"/api/proposals/{p.pk}").status_code == 403
    assert call(people.admin, "get", "/api/proposals/999999").status_code == 404


def test_the_office_assigns(people, call, day):
    p = people.register()
    url = f"/api/proposals/{p.pk}/assign"
    body = {"leads": [people.ndrc.pk], "supports": [people.transport.pk]}
    for who in (people.committee, people.office_b, people.lead, people.member, people.leader):
        assert call(who, "post", url, body).status_code == 403
    response = call(people.office_a, "post", url, body)
    assert response.status_code == 200, response.content
    got = response.json()
    assert (got["state"], got["leads"], got["supports"]) == ("assigned", ["市发展改革委"], ["市交通运输局"])
    again = call(people.office_a, "post", url, body)
    assert again.status_code == 400 and "已交办" in again.json()["detail"]
    assert ProposalEvent.objects.filter(proposal=p, action="assign").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"leads": []},
        {"leads": "1"},
        {"leads": [1] * 21},
        {"leads": ["x"]},
        "{not json",
        "",
        "[]",
    ],
)
def test_bad_assign_bodies_change_nothing(people, call, body):
    p = people.register()
    response = call(people.office_a, "post", f"/api/proposals/{p.pk}/assign", body)
    assert response.status_code in (400, 422)
    p.refresh_from_db()
    assert p.state == "registered" and p.assignment_id is None


def test_units_of_another_city_or_unknown_are_refused(people, call):
    p = people.register()
    for leads in ([people.ndrc_b.pk], [999999]):
        response = call(people.office_a, "post", f"/api/proposals/{p.pk}/assign", {"leads": leads})
        assert response.status_code == 400 and "不在本市范围内" in response.json()["detail"]
    p.refresh_from_db()
    assert p.state == "registered"


def test_a_unit_logs_communication_and_the_lead_replies(people, call, day):
    p = people.assigned()
    url = f"/api/proposals/{p.pk}/communications"
    body = {"stage": "before", "method": "面商", "summary": "当面听取意见"}
    for who in (people.police_user, people.office_a, people.member, people.lead_b):
        assert call(who, "post", url, body).status_code == 403
    assert call(people.lead, "post", url, body).json()["state"] == "communicated"
    bad = call(people.lead, "post", url, {"stage": "before", "method": "飞鸽", "summary": "x"})
    assert bad.status_code == 400 and Communication.objects.count() == 1
    assert call(people.lead, "post", url, {"stage": "before"}).status_code == 422

    rurl = f"/api/proposals/{p.pk}/replies"
    reply = {"category": "B", "text": "已列入计划", "signer": "赵六"}
    assert call(people.support, "post", rurl, reply).status_code == 403
    assert call(people.lead, "post", rurl, {"category": "D", "text": "x"}).status_code == 400
    assert call(people.lead, "post", rurl, {"text": "没有类别"}).status_code == 422
    assert call(people.lead, "post", rurl, {"category": "A", "text": "字" * 100_001}).status_code == 422
    assert not Reply.objects.exists()
    assert call(people.lead, "post", rurl, reply).json()["state"] == "replied"


def test_the_member_rates_once(people, call, day):
    p = people.assigned()
    call(people.lead, "post", f"/api/proposals/{p.pk}/replies", {"category": "A", "text": "已解决"})
    url = f"/api/proposals/{p.pk}/rating"
    body = {"attitude": "满意", "result": "满意"}
    for who in (people.other_member, people.lead, people.office_a):
        assert call(who, "post", url, body).status_code == 403
    assert call(people.member, "post", url, {"attitude": "很好", "result": "满意"}).status_code == 400
    assert call(people.member, "post", url, {"attitude": "满意"}).status_code == 422
    assert not Rating.objects.exists()
    assert call(people.member, "post", url, body).json()["state"] == "rated"
    second = call(people.member, "post", url, body)
    assert second.status_code == 400 and "不能重复评价" in second.json()["detail"]
    assert Rating.objects.count() == 1 and Proposal.objects.get().state == "rated"
