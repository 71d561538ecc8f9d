"""The feedback link on the reply letter: the member rates without an account, once a round; a
late rating is kept and marked late; a refused rating keeps the choices; forged, altered, spent,
expired or early links rate nothing and say why."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document

from luoshi.accounts.models import AuditLog
from luoshi.proposals import feedback_link, services
from luoshi.proposals.models import Proposal, ProposalEvent, Rating, Reply

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def replied(people, day):
    p = services.reply(people.assigned(), people.lead, people.ndrc, "B", "已列入明年计划", D(2024, 4, 1))
    day(D(2024, 4, 8))
    return p


def link_on_letter(login, people, p) -> str:
    """The link printed on the newest reply's letter, as the member receives it."""
    r = Reply.objects.filter(proposal=p).latest("id")
    response = login(people.lead).get(f"/proposals/{p.pk}/replies/{r.pk}/letter.docx")
    text = "\n".join(x.text for x in Document(io.BytesIO(response.content)).paragraphs)
    (url,) = re.findall(r"办理情况反馈：请访问 http://testserver(\S+) 对本次办理进行评价。", text)
    return url


def test_the_member_rates_through_the_letters_link_once(people, login, client, replied):
    url = link_on_letter(login, people, replied)
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and "已列入明年计划" not in page.content.decode()  # the letter has it
    assert "十二届五次第125255号" in page.content.decode() and 'id="rate-form"' in page.content.decode()
    done = client.post(url, {"attitude": "满意", "result": "基本满意", "comment": "感谢"})
    assert done.status_code == 200 and 'id="feedback-done"' in done.content.decode()
    (rating,) = Rating.objects.all()
    assert (rating.attitude, rating.result, rating.comment, rating.late) == (
        "满意",
        "基本满意",
        "感谢",
        False,
    )
    replied.refresh_from_db()
    assert replied.state == "rated"
    assert ProposalEvent.objects.filter(proposal=replied, action="rate").count() == 1
    assert AuditLog.objects.filter(event="proposal", detail__contains="rate").exists()
    # Spent: neither the link nor the signed-in form rates again.
    again = client.post(url, {"attitude": "不满意", "result": "不满意", "comment": "x"})
    assert again.status_code == 404 and "已不能使用" in again.content.decode()
    assert Rating.objects.count() == 1


def test_a_late_rating_is_kept_and_marked_late(people, login, client, replied, day):
    url = link_on_letter(login, people, replied)
    day(D(2024, 12, 2))
    client.logout()
    assert client.post(url, {"attitude": "满意", "result": "满意"}).status_code == 200
    assert Rating.objects.get().late is True


def test_a_refused_rating_keeps_the_choices_and_writes_nothing(people, login, client, replied):
    url = link_on_letter(login, people, replied)
    client.logout()
    response = client.post(url, {"attitude": "基本满意", "result": "不满意", "comment": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<option selected>基本满意</option>" in page and "<option selected>不满意</option>" in page
    assert not Rating.objects.exists() and not ProposalEvent.objects.filter(action="rate").exists()


def test_unsatisfied_reopens_and_the_old_link_is_spent(people, login, client, replied):
    url = link_on_letter(login, people, replied)
    client.logout()
    client.post(url, {"attitude": "不满意", "result": "不满意", "comment": "没有解决"})
    replied.refresh_from_db()
    assert replied.state == "rehandling"
    assert client.get(url).status_code == 404
    # The second round's letter carries a link of its own.
    services.reply(replied, people.lead, people.ndrc, "A", "已解决", D(2024, 4, 10))
    second = link_on_letter(login, people, replied)
    client.logout()
    assert second != url and client.get(second).status_code == 200


@pytest.mark.parametrize(
    "bad",
    ["", "x", "abc:def:ghi", "9" * 300, "<script>alert(1)</script>", "%00", "Ｘ", "../../admin"],
)
def test_garbage_links_rate_nothing(people, client, replied, bad):
    response = client.post(f"/proposals/feedback/{bad}/", {"attitude": "满意", "result": "满意"})
    assert response.status_code in (404, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Rating.objects.exists()


def test_forged_altered_early_and_expired_links_rate_nothing(people, client, replied, monkeypatch):
    other = people.assigned("2")  # not replied yet
    good = feedback_link.token(replied.pk, replied.round)
    for token, says in [
        (good[:-2] + ("AA" if not good.endswith("AA") else "BB"), "无效"),  # altered signature
        (feedback_link.token(replied.pk, 2), "已不能使用"),  # another round
        (feedback_link.token(other.pk, 1), "已不能使用"),  # not replied yet
        (feedback_link.token(999999, 1), "无效"),
    ]:
        response = client.post(f"/proposals/feedback/{token}/", {"attitude": "满意", "result": "满意"})
        assert response.status_code == 404 and says in response.content.decode(), token
    monkeypatch.setattr(feedback_link, "MAX_AGE", dt.timedelta(seconds=-1))
    response = client.post(f"/proposals/feedback/{good}/", {"attitude": "满意", "result": "满意"})
    assert response.status_code == 404 and "已过期" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "who, carries",
    [
        ("lead", True),  # the unit that replied sends the letter
        ("member", True),
        ("support", False),
        ("office_a", False),
        ("committee", False),
        ("leader", False),
        ("admin", False),
    ],
)
def test_only_the_sending_unit_and_the_member_get_the_link(people, login, replied, who, carries):
    """Whoever holds the link can rate in the member's name: the other readers' copies lack it."""
    r = Reply.objects.get()
    if who == "leader":
        # A leader reads the letter of a key proposal they lead (领衔督办).
        Proposal.objects.filter(pk=replied.pk).update(key=True, leader="leader")
        services.link_leader(replied, people.office_a, people.leader, r.on)
    response = login(getattr(people, who)).get(f"/proposals/{replied.pk}/replies/{r.pk}/letter.docx")
    assert response.status_code == 200
    text = "\n".join(x.text for x in Document(io.BytesIO(response.content)).paragraphs)
    assert ("/proposals/feedback/" in text) is carries
    assert "答复的函" in text
