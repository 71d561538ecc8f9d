"""``POST /api/proposals/N/leader``: link a key proposal's 领衔督办 leader to a leader's account (or
unlink it) through the API, by the page's rule (``proposal.link_leader``), with its history and
audit line; everyone else, every wrong leader and every bad body is refused and changes nothing.

The proposal is 甲市's key proposal 125255 whose leader is written 某领导 (no account bears that
name, so nothing is linked at registration); it is assigned to 市发展改革委 (主办) with
市交通运输局 (会办), so their reporters and its member read it. ``leader`` leads in 甲市,
``leader_b`` in 乙市.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from luoshi.accounts.models import ApiToken, AuditLog
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal, ProposalEvent

pytestmark = pytest.mark.django_db


def post(client, user, url, body=None, token=None):
    if token is None and user is not None:
        token = ApiToken.issue(user)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers)


def get(client, user, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)[1]}")


def url(p) -> str:
    return f"/api/proposals/{p.pk}/leader"


@pytest.fixture
def key(people):
    return people.assigned(key=True, leader="某领导")


def linked_to(p):
    return Proposal.objects.get(pk=p.pk).leader_account


def leader_events(p) -> list[str]:
    return list(ProposalEvent.objects.filter(proposal=p, action="leader").values_list("detail", flat=True))


def unchanged(p, account=None) -> None:
    """The link as it was (``account``, linked before the test's refusals), and no more history
    or audit lines of a link than that one."""
    assert linked_to(p) == account
    want = [] if account is None else [f"关联督办领导账号：{account.get_username()}"]
    assert leader_events(p) == want
    assert AuditLog.objects.filter(event="proposal", detail__startswith=f"{p.pk} leader ").count() == len(
        want
    )


@pytest.mark.parametrize("who", ["office_a", "committee", "admin"])
def test_the_office_of_its_city_the_committee_and_admins_link_a_leader_of_the_city(people, client, key, who):
    user = getattr(people, who)
    assert get(client, people.leader, f"/api/proposals/{key.pk}").status_code == 403
    response = post(client, user, url(key), {"leader": people.leader.pk})
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["id"] == key.pk
    assert (got["leader"], got["leader_account_id"], got["leader_account"]) == (
        "某领导",
        people.leader.pk,
        "leader",
    )
    assert got["history"][-1]["action"] == "leader"
    assert got["history"][-1]["detail"] == "关联督办领导账号：leader"
    assert got["history"][-1]["by"] == user.get_username()
    assert linked_to(key) == people.leader
    assert leader_events(key) == ["关联督办领导账号：leader"]
    log = AuditLog.objects.get(event="proposal", detail__contains=" leader ")
    assert log.user == user and "关联督办领导账号：leader" in log.detail
    # The link is what lets the leader open the proposal.
    assert get(client, people.leader, f"/api/proposals/{key.pk}").status_code == 200


def test_null_unlinks_and_the_leader_no_longer_reads_it(people, client, key):
    assert post(client, people.office_a, url(key), {"leader": people.leader.pk}).status_code == 200
    response = post(client, people.office_a, url(key), {"leader": None})
    assert response.status_code == 200, response.content
    got = response.json()
    assert (got["leader"], got["leader_account_id"], got["leader_account"]) == ("某领导", None, None)
    assert linked_to(key) is None
    assert leader_events(key) == ["关联督办领导账号：leader", "取消关联督办领导账号：leader"]
    lines = AuditLog.objects.filter(event="proposal", detail__contains=" leader ").order_by("id")
    assert [line.detail.split(" ", 3)[-1] for line in lines] == [
        "关联督办领导账号：leader",
        "取消关联督办领导账号：leader",
    ]
    assert get(client, people.leader, f"/api/proposals/{key.pk}").status_code == 403


def test_the_detail_shows_the_linked_leader_to_its_readers(people, client, key):
    services.link_leader(key, people.office_a, people.leader, dt.date(2024, 4, 1))
    for who in ("member", "lead", "office_a", "leader"):
        got = get(client, getattr(people, who), f"/api/proposals/{key.pk}").json()
        assert (got["leader"], got["leader_account_id"], got["leader_account"]) == (
            "某领导",
            people.leader.pk,
            "leader",
        ), who


def test_a_proposal_that_is_not_key_gets_no_leader(people, client):
    p = people.assigned()
    response = post(client, people.office_a, url(p), {"leader": people.leader.pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "十二届五次第125255号提案不是重点提案，没有领衔督办领导"
    unchanged(p)


@pytest.mark.parametrize("who", ["leader_b", "office_a", "lead", "member", "committee", "admin"])
def test_only_a_leader_of_its_city_may_be_linked(people, client, key, who):
    response = post(client, people.office_a, url(key), {"leader": getattr(people, who).pk})
    assert response.status_code == 400
    assert response.json()["detail"] == "所选账号不是该市的领导"
    unchanged(key)


def test_an_inactive_leader_or_an_id_that_is_no_user_is_refused(people, client, key):
    people.leader.is_active = False
    people.leader.save()
    for leader in (people.leader.pk, 999999, 2**40):
        response = post(client, people.office_a, url(key), {"leader": leader})
        assert response.status_code == 400, leader
        assert response.json()["detail"] == "所选账号不是该市的领导"
    unchanged(key)


def test_linking_the_same_account_twice_or_unlinking_nothing_is_refused(people, client, key):
    response = post(client, people.office_a, url(key), {"leader": None})
    assert response.status_code == 400
    assert "未关联督办领导账号" in response.json()["detail"]
    unchanged(key)
    assert post(client, people.office_a, url(key), {"leader": people.leader.pk}).status_code == 200
    response = post(client, people.committee, url(key), {"leader": people.leader.pk})
    assert response.status_code == 400
    assert "已关联该督办领导账号" in response.json()["detail"]
    unchanged(key, people.leader)


@pytest.mark.parametrize(
    "who", ["lead", "support", "police_user", "lead_b", "office_b", "member", "other_member", "leader_b"]
)
def test_no_one_else_links_or_unlinks(people, client, key, who):
    services.link_leader(key, people.office_a, people.leader, dt.date(2024, 4, 1))
    user = getattr(people, who)
    for body in ({"leader": None}, {"leader": people.leader.pk}):
        response = post(client, user, url(key), body)
        assert response.status_code == 403, (who, body, response.status_code)
        assert "某领导" not in response.content.decode()
    unchanged(key, people.leader)
    assert AuditLog.objects.filter(event="permission_denied", user=user).count() == 2


def test_a_leader_never_links_or_unlinks_itself(people, client, key, day):
    """It reads the proposal (escalated to it, or led by it), as on the page, and may not link it."""
    late = key.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [key.pk], late)
    supervising.escalate(people.office_a, notice, people.leader, late)
    assert get(client, people.leader, f"/api/proposals/{key.pk}").status_code == 200
    assert post(client, people.leader, url(key), {"leader": people.leader.pk}).status_code == 403
    unchanged(key)
    services.link_leader(key, people.office_a, people.leader, late)
    assert post(client, people.leader, url(key), {"leader": None}).status_code == 403
    unchanged(key, people.leader)


@pytest.mark.parametrize(
    "who",
    [
        "admin",
        "office_a",
        "office_b",
        "committee",
        "member",
        "lead",
        "support",
        "lead_b",
        "leader",
        "leader_b",
    ],
)
def test_the_page_and_the_api_refuse_the_same_people(people, client, key, who):
    """One rule for both ways in: whoever the page refuses (403), the API refuses."""
    services.link_leader(key, people.office_a, people.leader, dt.date(2024, 4, 1))
    user = getattr(people, who)
    api = post(client, user, url(key), {"leader": None})
    assert api.status_code in (200, 403), api.status_code
    if api.status_code == 200:
        services.link_leader(key, people.office_a, people.leader, dt.date(2024, 4, 2))
    page = Client()
    page.force_login(user, backend="luoshi.accounts.backends.LockoutBackend")
    page_refuses = page.post(f"/proposals/{key.pk}/leader/", {"leader": ""}).status_code == 403
    assert (api.status_code == 403) == page_refuses, who
    # Those allowed are the committee, the office of its city and admins.
    assert page_refuses == (who not in ("admin", "office_a", "committee"))


def test_without_a_valid_token_nothing_is_done(people, client, key):
    for token in (None, "", "nonsense", "x" * 10_000, ApiToken.issue(people.office_a)[1] + "x"):
        response = post(client, None, url(key), {"leader": people.leader.pk}, token=token)
        assert response.status_code == 401, (token and token[:20], response.status_code)
    unchanged(key)


def test_a_deleted_token_or_an_inactive_office_does_nothing(people, client, key):
    token, secret = ApiToken.issue(people.office_a)
    token.delete()
    assert post(client, None, url(key), {"leader": people.leader.pk}, token=secret).status_code == 401
    secret = ApiToken.issue(people.office_a)[1]
    people.office_a.is_active = False
    people.office_a.save()
    assert post(client, None, url(key), {"leader": people.leader.pk}, token=secret).status_code == 401
    unchanged(key)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"leader": "abc"},
        {"leader": ""},
        {"leader": "1"},
        {"leader": True},
        {"leader": 0},
        {"leader": -1},
        {"leader": 1.5},
        {"leader": 2.0},
        {"leader": "9" * 40},
        {"leader": 9 * 10**30},
        {"leader": 2**63},
        {"leader": [1]},
        {"leader": {"id": 1}},
        {"leader": "<script>"},
        {"leader_account": 1},
        "",
        "null",
        "not json",
        "[]",
        "x" * 100_000,
        json.dumps({"leader": "字" * 100_000}),
    ],
)
def test_a_bad_body_links_nothing(people, client, key, body):
    response = post(client, people.office_a, url(key), body)
    assert response.status_code in (400, 422), (body if len(str(body)) < 50 else "long", response.status_code)
    assert "<script>" not in response.content.decode()
    unchanged(key)


@pytest.mark.parametrize("bad", ["999999", "0", "-1", "abc", "9" * 40, "1.5", "%00", "１", "<script>"])
def test_bad_proposal_ids_are_refused(people, client, key, bad):
    response = post(client, people.admin, f"/api/proposals/{bad}/leader", {"leader": people.leader.pk})
    assert response.status_code in (400, 404, 422), response.status_code
    assert "<script>" not in response.content.decode()
    unchanged(key)
    # The refusal was about the id: the same request on the proposal's own id is done.
    assert post(client, people.admin, url(key), {"leader": people.leader.pk}).status_code == 200
