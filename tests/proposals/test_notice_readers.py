"""Who reads a proposal's 督办单: one rule (``rules.notices_of_proposal``) for its page, its Word
file and the API, no wider than the notices page (``proposal_notices_in_scope``) but for the
proposal's own member. A 会办 unit, the committee and a 分办 unit read none of what is not
theirs, by any way in."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import ApiToken
from luoshi.accounts.rules import notices_of_proposal, proposal_notices_in_scope
from luoshi.proposals import services, supervising
from luoshi.proposals.models import Proposal
from tests.proposals.test_pages import body

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
    assert _ways_in(people, login, client, people.leader, p, notice) == {"page": True, "word": True, "api": True}
    assert not _ways_in(people, login, client, people.leader_b, p, notice)["page"]


@pytest.mark.parametrize(
    "who, reads",
    [
        ("office_a", True),
        ("admin", True),
        ("leader", False),  # of the city, but neither leading it nor escalated to
        ("lead", True),
        ("member", True),
        ("support", False),
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
