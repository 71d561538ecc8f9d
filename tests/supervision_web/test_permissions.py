"""Who may see and do what with lights, notices and bulletins — each rule proved by trying to break it."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from luoshi.accounts.models import Role
from luoshi.accounts.rules import can
from luoshi.inbox import items
from luoshi.ledger.models import TaskAssignment, Unit
from luoshi.supervision_web import services
from luoshi.supervision_web.models import NoticeReply, NoticeTransition, SupervisionNotice
from tests.supervision_web.conftest import ON, task
from tests.web.world import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(reported) -> SupervisionNotice:
    """A notice to 市发展改革局 (supporter_a's unit) about plan A's task （二）."""
    (n,) = services.issue_notices(
        reported.plan_a, [task(reported.plan_a, "（二）").pk], reported.office_a, ON
    )
    return n


@pytest.fixture
def copied(reported) -> SupervisionNotice:
    """A notice to 市发展改革局 about plan A's task （二）, which 市交通运输局 (reporter_a) co-operates
    on: the notice names it under 抄送."""
    t = task(reported.plan_a, "（二）")
    TaskAssignment.objects.create(task=t, unit=reported.transport_a, role="support", position=1)
    (n,) = services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON)
    return n


def _copied_in_word(client, notice) -> list[str]:
    response = client.get(f"/notices/{notice.pk}/notice.docx")
    assert response.status_code == 200
    lines = [x.text for x in Document(io.BytesIO(response.content)).paragraphs]
    copied = [line.removeprefix("抄送：") for line in lines if line.startswith("抄送：")]
    return copied[0].split("、") if copied else []


def _row(page: str, number: str) -> str:
    at = page.index(number)
    return page[page.rfind("<tr", 0, at) : page.index("</tr>", at)]


def test_a_copy_unit_reads_the_notice_but_signs_replies_closes_and_escalates_nothing(copied, reported, login):
    client = login(reported.reporter_a)  # 市交通运输局, named under 抄送
    page = client.get(f"/notices/{copied.pk}/").content.decode()
    assert copied.number in page and 'id="copy"' in page
    assert f"/notices/{copied.pk}/move/" not in page and f"/notices/{copied.pk}/reply/" not in page
    assert _copied_in_word(client, copied) == ["市交通运输局"]
    assert "抄送（只读）" in _row(client.get("/notices/").content.decode(), copied.number)
    assert not items.for_user(reported.reporter_a, ON).get("notice_reply")
    # The lead unit's page and list are not marked, and its 待办 asks it to answer, as before.
    lead = login(reported.supporter_a)
    page = lead.get(f"/notices/{copied.pk}/").content.decode()
    assert 'id="copy"' not in page and f"/notices/{copied.pk}/reply/" in page
    assert "抄送（只读）" not in _row(lead.get("/notices/").content.decode(), copied.number)
    assert [i.title for i in items.for_user(reported.supporter_a, ON)["notice_reply"]] == [
        f"{copied.number} {copied.task.title}"
    ]
    client = login(reported.reporter_a)
    for move in ("received", "escalated"):
        data = {"to": move, "leader": reported.leader.pk}
        assert client.post(f"/notices/{copied.pk}/move/", data).status_code == 403
    assert client.post(f"/notices/{copied.pk}/reply/", {"text": "已落实"}).status_code == 403
    login(reported.supporter_a).post(f"/notices/{copied.pk}/reply/", {"text": "已落实"})
    client = login(reported.reporter_a)
    assert client.post(f"/notices/{copied.pk}/move/", {"to": "closed"}).status_code == 403
    assert SupervisionNotice.objects.get(pk=copied.pk).state == "replied"
    assert list(NoticeReply.objects.values_list("unit_id", flat=True)) == [reported.ndrc_a.pk]
    assert not NoticeTransition.objects.filter(by=reported.reporter_a).exists()


def test_units_named_nowhere_and_namesakes_of_other_cities_read_nothing(copied, reported, login):
    """The copy unit reads it; a unit of 甲市 it does not name, 乙市's 市交通运输局 (the same name), a
    reporter without a unit and another city's leader and office do not, by any way in."""
    assert login(reported.reporter_a).get(f"/notices/{copied.pk}/").status_code == 200
    commerce = commerce_of(reported)
    outsiders = [
        make_user("commerce", Role.REPORTER, commerce),
        make_user("unitless", Role.REPORTER),
        reported.reporter_b,
        reported.leader_b,
        reported.office_b,
    ]
    for user in outsiders:
        client = login(user)
        assert client.get(f"/notices/{copied.pk}/").status_code == 403, user
        assert client.get(f"/notices/{copied.pk}/notice.docx").status_code == 403, user
        assert copied.number not in client.get("/notices/").content.decode(), user
        assert not can(user, "notice.view", copied)


def test_the_copy_is_whom_the_notice_was_sent_to_not_whoever_co_operates_now(copied, reported, login):
    """The task's co-operating units change after the notice went out: the Word file still names
    the unit it was copied to, that unit still reads it, and the newcomer reads nothing."""
    t = copied.task
    t.assignments.filter(unit=reported.transport_a).delete()
    commerce = commerce_of(reported)
    TaskAssignment.objects.create(task=t, unit=commerce, role="support", position=1)
    newcomer = make_user("commerce", Role.REPORTER, commerce)
    assert _copied_in_word(login(reported.office_a), copied) == ["市交通运输局"]
    assert login(reported.reporter_a).get(f"/notices/{copied.pk}/").status_code == 200
    assert login(newcomer).get(f"/notices/{copied.pk}/notice.docx").status_code == 403
    assert copied.number not in login(newcomer).get("/notices/").content.decode()


def test_the_word_file_is_addressed_to_the_unit_the_notice_was_issued_to(copied, reported, login):
    """A re-import gives the task another lead unit after the notice went out: the Word file is
    still 主送 the unit that received it, which alone answers it."""
    t = copied.task
    t.assignments.filter(role="lead").delete()
    TaskAssignment.objects.create(task=t, unit=commerce_of(reported), role="lead", position=0)
    response = login(reported.office_a).get(f"/notices/{copied.pk}/notice.docx")
    lines = [x.text for x in Document(io.BytesIO(response.content)).paragraphs]
    assert f"主送：{copied.lead_unit.name}" in lines
    assert not any(line.startswith("主送：") and commerce_of(reported).name in line for line in lines)


def test_a_units_list_costs_no_query_per_copied_notice(copied, reported, login):
    client = login(reported.reporter_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/notices/").status_code == 200
        return len(seen)

    client.get("/notices/")  # the first request after signing in also saves the session
    one = queries()
    for i, label in enumerate(("（一）", "1.", "2."), start=2):
        n = SupervisionNotice.objects.create(
            number=f"督〔2024〕{i}号",
            plan=reported.plan_a,
            task=task(reported.plan_a, label),
            lead_unit=reported.ndrc_a,
            reason="逾期未报送",
            issued_on=ON,
            reply_due=ON,
        )
        n.copy_units.set([reported.transport_a, commerce_of(reported)])
    page = client.get("/notices/").content.decode()
    assert page.count("抄送（只读）") == 4
    assert queries() == one


def commerce_of(world) -> Unit:
    return Unit.objects.get(name="市商务局", city=world.city_a)


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
