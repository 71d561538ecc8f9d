"""``GET /api/proposals/N/notices``: a proposal's 督办单 for whoever may read them on its page
(``rules.notices_of_proposal``: the notices page's readers and the proposal's member), nobody
else; bad ids are refused without a trace of the notices."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from luoshi.accounts.models import ApiToken
from luoshi.proposals import supervising

pytestmark = pytest.mark.django_db


def get(client, user, url):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"} if user is not None else {}
    return client.get(url, **headers)


@pytest.fixture
def issued(people):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice, late


@pytest.mark.parametrize("who", ["office_a", "admin", "leader", "lead", "support", "member"])
def test_readers_of_the_notices_get_them(people, client, issued, who):
    p, notice, late = issued
    supervising.escalate(people.office_a, notice, people.leader, late)
    response = get(client, getattr(people, who), f"/api/proposals/{p.pk}/notices")
    assert response.status_code == 200, response.content
    (got,) = response.json()
    assert got["id"] == notice.pk and got["number"] == notice.number
    assert got["unit"] == "市发展改革委" and got["unit_id"] == people.ndrc.pk
    assert got["state"] == "escalated" and got["escalated_to"] == "leader"
    assert got["reply_due"] == notice.reply_due.isoformat() and got["replied_on"] is None


@pytest.mark.parametrize("who", ["committee"])
def test_readers_of_the_proposal_who_do_not_supervise_nor_owe_get_none(people, client, issued, who):
    """The committee reads the proposal, not the 督办单 sent to its 主办 (its 会办 unit, named under
    抄送, does: ``test_readers_of_the_notices_get_them``)."""
    p, notice, _late = issued
    response = get(client, getattr(people, who), f"/api/proposals/{p.pk}/notices")
    assert response.status_code == 200 and response.json() == []
    assert notice.number not in response.content.decode()


def test_a_proposal_without_notices_lists_none_and_another_proposals_are_not_mixed_in(people, client, issued):
    other = people.assigned("2")
    response = get(client, people.office_a, f"/api/proposals/{other.pk}/notices")
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("who", ["office_b", "lead_b", "leader_b", "police_user", "other_member"])
def test_no_one_else_reads_them(people, client, issued, who):
    p, notice, _late = issued
    response = get(client, getattr(people, who), f"/api/proposals/{p.pk}/notices")
    assert response.status_code == 403 and notice.number not in response.content.decode()


def test_without_a_token_it_is_refused(people, client, issued):
    p, _notice, _late = issued
    assert get(client, None, f"/api/proposals/{p.pk}/notices").status_code == 401


@pytest.mark.parametrize(
    "bad", ["999999", "0", "-1", "abc", "9" * 40, "1.5", "%00", "１", "<script>", "x" * 5000]
)
def test_bad_ids_are_refused(people, client, issued, bad):
    _p, notice, _late = issued
    response = get(client, people.admin, f"/api/proposals/{bad}/notices")
    assert response.status_code in (400, 404, 422), (bad, response.status_code)
    assert notice.number not in response.content.decode()


def test_each_notice_names_its_copies_as_the_word_file_does(people, client, issued):
    p, notice, late = issued
    response = get(client, people.support, f"/api/proposals/{p.pk}/notices")
    (got,) = response.json()
    assert got["copied_to"] == ["市交通运输局"]
    lines = [x.text for x in Document(io.BytesIO(supervising.notice_docx(notice))).paragraphs]
    assert "抄送：市交通运输局" in lines
    # Closing it answers with the same list.
    supervising.answer(p, "市发展改革委", late)
    closed = client.post(
        f"/api/proposals/{p.pk}/notices/{notice.pk}/close",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(people.office_a)[1]}",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["copied_to"] == ["市交通运输局"]
