"""The demo's proposals: a session of 300 in every state across 60 units, the key proposal linked to
the imported 海绵行动 handling plan, and the member account following its own proposals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.accounts.models import Role
from luoshi.accounts.rules import proposals_in_scope
from luoshi.ledger import importing
from luoshi.ledger.models import City
from luoshi.proposals import handling as h
from luoshi.proposals import reports
from luoshi.proposals.models import Proposal, Reply
from luoshi.web import demo_proposals as dp
from tests.web.world import make_user

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2024, 11, 20)


def test_the_demo_session_covers_every_state_and_links_the_key_proposal(client):
    office = make_user("office", Role.OFFICE)
    path = EXAMPLES / "huizhou-2017-haimian.txt"
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")
    city, _ = City.objects.get_or_create(name="惠州")
    plan = importing.commit_import(importing.start_import(upload, office), office, city=city)
    plan.offices.add(office)

    assert dp.build(office, TODAY) == 301
    session = Proposal.objects.filter(session=dp.SESSION)
    assert session.count() == 300
    assert set(session.values_list("state", flat=True)) == set(h.STATES)
    units = set(Proposal.objects.values_list("assignments__units__unit__name", flat=True)) - {None}
    assert len(units) >= 50 and len(dp.TOPICS) + len(dp.OTHER_UNITS) == 60
    assert set(Reply.objects.values_list("category", flat=True)) == {"A", "B", "C"}
    assert Reply.objects.filter(round=2).exists() and Reply.objects.filter(late=True).exists()
    red = session.filter(state__in=("assigned", "communicated"), reply_due__lt=TODAY)
    assert red.exists()  # reply overdue: red lights and 督办 drafts to show

    key = Proposal.objects.get(session=dp.KEY_SESSION)
    assert key.key and key.plan == plan and key.state == "assigned"
    client.force_login(office, backend="luoshi.accounts.backends.LockoutBackend")
    page = client.get(f"/proposals/{key.pk}/").content.decode()
    assert 'id="handling-plan"' in page and plan.title in page

    member = Proposal.objects.filter(member__username="member")
    assert member.count() == 10 and set(proposals_in_scope(member.first().member)) == set(member)

    s = reports.compute(session)
    assert (
        s.total.assigned == 285
        and s.total.answered == session.filter(state__in=("replied", "rated", "rehandling")).count()
    )
    assert s.total.rehandled == 30 and s.total.rated == 135 and s.total.on_time < s.total.replies

    assert dp.build(office, TODAY) == 0  # a second run adds nothing
    assert Proposal.objects.count() == 301
