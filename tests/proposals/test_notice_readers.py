"""Who reads a proposal's 督办单: one rule (``rules.notices_of_proposal``) for its page, its Word
file and the API, no wider than the notices page (``proposal_notices_in_scope``) but for the
proposal's own member. The 会办 units are named under 抄送 and read it, exactly those the Word file
prints, and answer none of it; the committee, a unit named nowhere, one relieved by 调整 and a 分办
unit read none of what is not theirs, by any way in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from luoshi.accounts.models import ApiToken, Role
from luoshi.accounts.rules import notices_of_proposal, proposal_notices_in_scope
from luoshi.inbox import items
from luoshi.ledger.models import Unit
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal, ProposalEvent, Reply
from tests.proposals.test_pages import body
from tests.web.world import make_user

pytestmark = pytest.mark.django_db


def _api(client, user, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)[1]}")


def _notices_list(page: str) -> str:
    """The page's list of 督办单 (its history names them too, as every step it records)."""
    start = page.find('id="notices"')
    return page[start : page.index("</ul>", start)] if start >= 0 else ""


def _ways_in(people, login, client, user, p, notice) -> dict[str, bool]:
    """Whether ``user`` sees the notice on the proposal's page, as Word, through the API."""
    page = login(user).get(f"/proposals/{p.pk}/")
    word = login(user).get(f"/proposals/{p.pk}/notices/{notice.pk}/notice.docx")
    api = _api(client, user, f"/api/proposals/{p.pk}/notices")
    return {
        "page": page.status_code == 200 and notice.number in _notices_list(body(page)),
        "word": word.status_code == 200,
        "api": api.status_code == 200 and notice.pk in [n["id"] for n in api.json()],
    }


@pytest.fixture
def issued(people):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    return p, notice


@pytest.mark.parametrize("how", ["leads", "escalated"])
def test_the_leader_who_leads_it_or_was_escalated_it_reads_it_every_way(people, login, client, issued, how):
    p, notice = issued
    if how == "leads":
        # Only a key proposal has a 领衔督办 leader.
        Proposal.objects.filter(pk=p.pk).update(key=True, leader="leader")
        services.link_leader(p, people.office_a, people.leader, notice.issued_on)
    else:
        supervising.escalate(people.office_a, notice, people.leader, notice.issued_on)
    assert _ways_in(people, login, client, people.leader, p, notice) == {
        "page": True,
        "word": True,
        "api": True,
    }
    assert not _ways_in(people, login, client, people.leader_b, p, notice)["page"]


@pytest.mark.parametrize(
    "who, reads",
    [
        ("office_a", True),
        ("admin", True),
        ("leader", False),  # of the city, but neither leading it nor escalated to
        ("lead", True),
        ("member", True),
        ("support", True),  # the 会办 unit, named under 抄送
        ("committee", False),
        ("police_user", False),
        ("office_b", False),
        ("leader_b", False),
        ("lead_b", False),
        ("other_member", False),
    ],
)
def test_every_way_in_follows_one_rule(people, login, client, issued, who, reads):
    p, notice = issued
    user = getattr(people, who)
    assert _ways_in(people, login, client, user, p, notice) == {"page": reads, "word": reads, "api": reads}
    assert notices_of_proposal(user, p).filter(pk=notice.pk).exists() is reads


@pytest.mark.parametrize(
    "who", ["office_a", "admin", "leader", "lead", "support", "committee", "police_user"]
)
def test_no_wider_than_the_notices_page(people, issued, who):
    p, _notice = issued
    user = getattr(people, who)
    on_page = set(proposal_notices_in_scope(user).filter(proposal=p).values_list("pk", flat=True))
    assert set(notices_of_proposal(user, p).values_list("pk", flat=True)) == on_page


def test_each_split_unit_reads_its_own_notice_only(people, login, client):
    p = services.assign(
        people.register(), people.office_a, dt.date(2024, 3, 29), [people.ndrc, people.police], [], True
    )
    late = p.reply_due + dt.timedelta(days=1)
    notices = {n.unit_id: n for n in supervising.issue(people.office_a, [p.pk], late)}
    assert set(notices) == {people.ndrc.pk, people.police.pk}
    mine, theirs = notices[people.ndrc.pk], notices[people.police.pk]
    assert _ways_in(people, login, client, people.lead, p, mine) == {"page": True, "word": True, "api": True}
    assert _ways_in(people, login, client, people.lead, p, theirs) == {
        "page": False,
        "word": False,
        "api": False,
    }


def _copied_in_word(login, user, p, notice) -> list[str]:
    """The units the Word file names under 抄送, as ``user`` downloads it."""
    response = login(user).get(f"/proposals/{p.pk}/notices/{notice.pk}/notice.docx")
    assert response.status_code == 200
    lines = [x.text for x in Document(io.BytesIO(response.content)).paragraphs]
    copied = [line.removeprefix("抄送：") for line in lines if line.startswith("抄送：")]
    return copied[0].split("、") if copied else []


def _post_api(client, user, url, data):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.post(url, data, content_type="application/json", **headers)


def test_a_copy_unit_reads_the_notice_but_answers_closes_and_escalates_nothing(people, login, client, day):
    p = people.assigned()
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    assert _ways_in(people, login, client, people.support, p, notice) == {
        "page": True,
        "word": True,
        "api": True,
    }
    web = login(people.support)
    assert web.post(f"/proposals/{p.pk}/reply/", {"category": "A", "text": "已办结"}).status_code == 403
    reply = {"category": "A", "text": "已办结"}
    assert _post_api(client, people.support, f"/api/proposals/{p.pk}/replies", reply).status_code == 403
    # Nor is it in the copy unit's 待办 to answer, as it is in the addressee's until it replies.
    assert [i.title for i in items.for_user(people.lead, late).get("notice_reply", [])] == [
        f"{notice.number} {p.title}"
    ]
    assert items.for_user(people.support, late).get("notice_reply", []) == []
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    for url, data in (("close", {}), ("escalate", {"leader": people.leader.pk})):
        assert web.post(f"/proposals/{p.pk}/notices/{notice.pk}/{url}/", data).status_code == 403
        api = _post_api(client, people.support, f"/api/proposals/{p.pk}/notices/{notice.pk}/{url}", data)
        assert api.status_code == 403
    notice.refresh_from_db()
    assert notice.state == "replied" and notice.escalated_to is None
    assert not Reply.objects.filter(unit=people.transport).exists()
    assert not ProposalEvent.objects.filter(action__in=["supervise_close", "supervise_escalate"]).exists()


def test_the_word_file_and_the_readers_name_the_same_copy_units(people, login, client):
    """Two 会办 units read it, the same units the Word file prints under 抄送; a unit of the same
    name in another city, one the proposal names nowhere, the committee and another member do not,
    while the proposal's own member still does."""
    p = services.assign(
        people.register(),
        people.office_a,
        dt.date(2024, 3, 29),
        [people.ndrc],
        [people.police, people.transport],
    )
    late = p.reply_due + dt.timedelta(days=1)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    namesake = make_user(
        "transport_b", Role.REPORTER, Unit.objects.create(name="市交通运输局", city=people.city_b)
    )
    nowhere = make_user("commerce", Role.REPORTER, Unit.objects.create(name="市商务局", city=people.city_a))
    assert _copied_in_word(login, people.office_a, p, notice) == ["市公安局", "市交通运输局"]
    reporters = [people.lead, people.support, people.police_user, people.lead_b, namesake, nowhere]
    reading = [u.profile.unit for u in reporters if notices_of_proposal(u, p).filter(pk=notice.pk).exists()]
    assert reading == [people.ndrc, people.transport, people.police]
    copies = {u.pk for u in reading} - {notice.unit_id}
    assert sorted(Unit.objects.get(pk=pk).name for pk in copies) == sorted(
        _copied_in_word(login, people.support, p, notice)
    )
    for outsider in (namesake, nowhere, people.lead_b, people.committee, people.other_member):
        assert _ways_in(people, login, client, outsider, p, notice) == {
            "page": False,
            "word": False,
            "api": False,
        }
    assert _ways_in(people, login, client, people.member, p, notice) == {
        "page": True,
        "word": True,
        "api": True,
    }


def test_a_copy_unit_relieved_by_adjustment_reads_nothing_and_its_successor_reads_it(
    people, login, client, day
):
    p = people.assigned()
    p = services.request_adjustment(
        p, people.support, people.transport, "不属于本单位职责", dt.date(2024, 3, 30)
    )
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    (notice,) = supervising.issue(people.office_a, [p.pk], late)
    assert _ways_in(people, login, client, people.support, p, notice)["page"]
    services.decide_adjustment(p, people.office_a, True, late, leads=[people.ndrc], supports=[people.police])
    p.refresh_from_db()
    gone = {"page": False, "word": False, "api": False}
    assert _ways_in(people, login, client, people.support, p, notice) == gone
    assert notice.number not in body(login(people.support).get("/notices/"))
    assert _ways_in(people, login, client, people.police_user, p, notice) == {
        "page": True,
        "word": True,
        "api": True,
    }
    assert _copied_in_word(login, people.police_user, p, notice) == ["市公安局"]
