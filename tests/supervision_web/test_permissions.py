"""Who may see and do what with lights, notices and bulletins — each rule proved by trying to break it."""

from __future__ import annotations

import pytest

from luoshi.accounts.rules import can
from luoshi.supervision_web import services
from luoshi.supervision_web.models import SupervisionNotice
from tests.supervision_web.conftest import ON, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(reported) -> SupervisionNotice:
    """A notice to 市发展改革局 (supporter_a's unit) about plan A's task （二）."""
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    return n


def test_a_reporter_cannot_issue_notices(reported, login):
    client = login(reported.supporter_a)
    url = f"/plans/{reported.plan_a.pk}/notices/propose/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"task": [task(reported.plan_a, "（二）").pk]}).status_code == 403
    assert not SupervisionNotice.objects.exists()


def test_a_reporter_cannot_see_another_units_notice(notice, reported, login):
    client = login(reported.reporter_a)  # 市交通运输局, not the notice's lead unit
    assert client.get(f"/notices/{notice.pk}/").status_code == 403
    assert client.get(f"/notices/{notice.pk}/notice.docx").status_code == 403
    assert notice.number not in client.get("/notices/").content.decode()


def test_the_lead_units_reporter_signs_and_replies_but_cannot_close(notice, reported, login):
    client = login(reported.supporter_a)
    assert notice.number in client.get("/notices/").content.decode()
    client.post(f"/notices/{notice.pk}/move/", {"to": "received"})
    assert SupervisionNotice.objects.get(pk=notice.pk).state == "received"
    assert client.post(f"/notices/{notice.pk}/move/", {"to": "escalated"}).status_code == 403
    client.post(f"/notices/{notice.pk}/reply/", {"text": "已落实"})
    assert SupervisionNotice.objects.get(pk=notice.pk).state == "replied"
    assert client.post(f"/notices/{notice.pk}/move/", {"to": "closed"}).status_code == 403
    assert client.post(f"/notices/{notice.pk}/reply/", {"text": "再回复"}).status_code == 403


def test_the_public_sees_no_notices_lights_or_bulletins(notice, reported, client):
    for url in (
        "/notices/",
        f"/notices/{notice.pk}/",
        f"/plans/{reported.plan_b.pk}/lights/",
        f"/plans/{reported.plan_b.pk}/bulletin/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert not can(None, "notice.view", notice)


def test_a_leader_reads_but_changes_nothing(notice, reported, login):
    client = login(reported.leader)
    assert client.get(f"/plans/{reported.plan_a.pk}/lights/").status_code == 200
    assert client.get(f"/notices/{notice.pk}/").status_code == 200
    assert client.get(f"/plans/{reported.plan_a.pk}/bulletin/?period=2024-03").status_code == 200
    assert client.post(f"/notices/{notice.pk}/move/", {"to": "received"}).status_code == 403
    assert client.post(f"/notices/{notice.pk}/reply/", {"text": "x"}).status_code == 403
    assert client.get(f"/plans/{reported.plan_a.pk}/notices/propose/").status_code == 403
    assert (
        client.post(f"/plans/{reported.plan_a.pk}/bulletin/produce/", {"period": "2024-03"}).status_code
        == 403
    )
    assert SupervisionNotice.objects.get(pk=notice.pk).state == "issued"


def test_a_leader_of_another_city_sees_nothing_of_this_plan(notice, reported, login):
    client = login(reported.leader_b)
    assert client.get(f"/plans/{reported.plan_a.pk}/lights/").status_code == 403
    assert client.get(f"/notices/{notice.pk}/").status_code == 403


def test_another_plans_office_cannot_touch_this_plans_supervision(notice, reported, login):
    client = login(reported.office_b)
    assert client.get(f"/plans/{reported.plan_a.pk}/lights/").status_code == 403
    assert client.get(f"/notices/{notice.pk}/").status_code == 403
    assert client.post(f"/notices/{notice.pk}/move/", {"to": "escalated"}).status_code == 403
    assert (
        client.post(f"/plans/{reported.plan_a.pk}/bulletin/produce/", {"period": "2024-03"}).status_code
        == 403
    )


def test_reporters_see_neither_lights_nor_bulletins(reported, login):
    client = login(reported.reporter_a)
    assert client.get(f"/plans/{reported.plan_a.pk}/lights/").status_code == 403
    assert client.get(f"/plans/{reported.plan_a.pk}/bulletin/").status_code == 403
