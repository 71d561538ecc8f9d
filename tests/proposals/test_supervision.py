"""Proposal deadlines through the supervision machinery: reminders, red lights and 督办单.

The proposal is 甲市's 125255, assigned on 29 March 2024 to 市发展改革委 (主办) with 市交通运输局
(会办); its reply is due on `p.reply_due` (three months on, moved to a working day).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from luoshi.accounts.models import AuditLog
from luoshi.proposals import chasing, services, supervising
from luoshi.proposals.models import ProposalEvent, ProposalNotice
from luoshi.supervision_web.models import ReminderLog
from tests.proposals.test_pages import body

pytestmark = pytest.mark.django_db
D = dt.date


class Recording:
    """A delivery backend that keeps what it was given (the real claim-and-log path runs around it)."""

    def __init__(self, fail_for: str = "") -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_for = fail_for

    def send(self, recipient: str, subject: str, body: str) -> None:
        if self.fail_for and self.fail_for in recipient:
            raise OSError("mailbox unavailable")
        self.sent.append((recipient, subject))

    def close(self) -> None:
        pass


def _emails(people):
    for user, email in ((people.lead, "lead@ndrc.example"), (people.support, "support@jt.example")):
        user.email = email
        user.save()
    people.member.email = "zhangsan@example.org"
    people.member.save()


def test_the_reply_deadline_is_reminded_before_on_and_after_the_day_to_the_lead_units_reporters(people):
    _emails(people)
    p = people.assigned()
    due = p.reply_due
    kinds = {}
    for offset in (-2, 0, 3):
        items = [i for i in supervising.reminders_due(due + dt.timedelta(days=offset)) if "-reply-" in i.key]
        kinds[offset] = [(i.reminder.kind, i.recipient) for i in items]
    assert kinds == {
        -2: [("before", "lead@ndrc.example")],
        0: [("due", "lead@ndrc.example")],
        3: [("after", "lead@ndrc.example")],
    }
    late = [i for i in supervising.reminders_due(due + dt.timedelta(days=3)) if "-reply-" in i.key][0]
    assert (
        late.reminder.subject
        == "【催办】十二届五次第125255号提案“关于加快深中通道两岸产业协同发展的提案”的答复已逾期3天"
    )


def test_the_support_units_opinion_and_the_pre_contact_are_chased_too(people):
    _emails(people)
    p = people.assigned()
    a = p.assignment
    on = a.support_due + dt.timedelta(days=5)
    by_what = {i.key.split("-")[1]: i.recipient for i in supervising.reminders_due(on)}
    assert by_what["opinion"] == "support@jt.example"
    assert by_what["contact"] == "lead@ndrc.example"
    # Once the opinion is in, the support unit is no longer chased.
    services.submit_opinion(p, people.support, people.transport, "同意", on)
    assert "opinion" not in {i.key.split("-")[1] for i in supervising.reminders_due(on)}


def test_each_reminder_is_sent_once_and_a_failure_is_logged_for_a_retry(people):
    _emails(people)
    p = people.assigned()
    on = p.reply_due + dt.timedelta(days=3)
    backend = Recording(fail_for="support@")
    first = supervising.send_reminders(on, backend)
    assert [s for _r, s in backend.sent if "答复已逾期" in s]
    assert first.failed and all("-opinion-" in k for k in first.failed)
    failed = ReminderLog.objects.get(key=first.failed[0])
    assert failed.status == "failed" and "mailbox unavailable" in failed.last_error and failed.task is None
    again = supervising.send_reminders(on, Recording())
    # Sent ones are not sent again; the failed one waits for its retry time.
    assert again.sent == [] and set(again.skipped) == set(first.sent) | set(first.failed)


def test_the_member_is_reminded_to_rate_and_nothing_is_chased_once_rated(people):
    _emails(people)
    p = people.assigned()
    services.log_communication(p, people.lead, people.ndrc, "before", "面商", D(2024, 4, 2), "当面沟通")
    services.submit_opinion(p, people.support, people.transport, "同意", D(2024, 4, 3))
    services.reply(p, people.lead, people.ndrc, "A", "已解决", D(2024, 5, 6))
    on = D(2024, 5, 6) + dt.timedelta(days=40)
    items = supervising.reminders_due(on)
    assert [(i.key.split("-")[1], i.recipient, i.unit_id) for i in items] == [
        ("feedback", "zhangsan@example.org", None)
    ]
    services.rate(p, people.member, "满意", "满意", on)
    assert supervising.reminders_due(on) == []


def test_a_reply_overdue_is_a_red_light_in_the_cores_terms(people):
    p = people.assigned()
    light = supervising.lights([p], p.reply_due + dt.timedelta(days=1))[str(p.pk)]
    assert (light.colour, light.rule) == ("red", chasing.RULE_REPLY_OVERDUE)
    assert "答复逾期" in light.reason and "市发展改革委" in light.reason
    assert supervising.lights([p], D(2024, 4, 1))[str(p.pk)].colour == "green"


def test_the_office_issues_a_notice_for_a_red_proposal_once(people, login, day):
    p = people.assigned()
    green = people.assigned("2", on=D(2024, 5, 20))
    late = p.reply_due + dt.timedelta(days=1)
    day(late)
    page = body(login(people.office_a).get("/proposals/supervise/"))
    assert "125255" in page and "市发展改革委" in page and f'value="{green.pk}"' not in page
    response = login(people.office_a).post("/proposals/supervise/", {"proposal": [str(p.pk), str(green.pk)]})
    assert response.status_code == 302
    notice = ProposalNotice.objects.get()
    assert (notice.number, notice.unit, notice.state) == (
        f"提案督办〔{late.year}〕1号",
        people.ndrc,
        "issued",
    )
    assert notice.proposal == p and notice.reply_due > late
    event = ProposalEvent.objects.filter(proposal=p, action="supervise").get()
    assert event.before == event.after == "assigned" and notice.number in event.detail
    assert AuditLog.objects.filter(event="proposal", detail=f"{p.pk} supervise assigned→assigned").exists()
    # An open notice: no second draft, and a second post issues nothing.
    assert f'value="{p.pk}"' not in body(login(people.office_a).get("/proposals/supervise/"))
    login(people.office_a).post("/proposals/supervise/", {"proposal": str(p.pk)})
    assert ProposalNotice.objects.count() == 1
    # The unit's reply answers it.
    services.reply(p, people.lead, people.ndrc, "B", "正在解决", late)
    notice.refresh_from_db()
    assert (notice.state, notice.replied_on) == ("replied", late)


def test_the_word_notice_names_the_proposal_the_unit_and_the_deadline(people, login, day):
    p = people.assigned()
    day(p.reply_due + dt.timedelta(days=1))
    login(people.office_a).post("/proposals/supervise/", {"proposal": str(p.pk)})
    notice = ProposalNotice.objects.get()
    url = f"/proposals/{p.pk}/notices/{notice.pk}/notice.docx"
    response = login(people.lead).get(url)
    assert response.status_code == 200
    text = [x.text for x in Document(io.BytesIO(response.content)).paragraphs]
    assert notice.number in text and "主送：市发展改革委" in text
    assert "十二届五次第125255号提案 关于加快深中通道两岸产业协同发展的提案" in text
    assert any("答复逾期" in t for t in text) and "抄送：市交通运输局" in text
    assert notice.number in body(login(people.member).get(f"/proposals/{p.pk}/"))
    for who in (people.police_user, people.office_b, people.other_member):
        assert login(who).get(url).status_code == 403
    other = people.assigned("2")
    assert (
        login(people.office_a).get(f"/proposals/{other.pk}/notices/{notice.pk}/notice.docx").status_code
        == 404
    )


@pytest.mark.parametrize("who", ["committee", "lead", "support", "member", "leader"])
def test_only_the_office_and_admins_supervise(people, login, day, who):
    p = people.assigned()
    day(p.reply_due + dt.timedelta(days=1))
    client = login(getattr(people, who))
    assert client.get("/proposals/supervise/").status_code == 403
    assert client.post("/proposals/supervise/", {"proposal": str(p.pk)}).status_code == 403
    assert not ProposalNotice.objects.exists()


def test_another_citys_office_cannot_supervise_this_citys_proposals(people, login, day):
    p = people.assigned()
    day(p.reply_due + dt.timedelta(days=1))
    page = body(login(people.office_b).get("/proposals/supervise/"))
    assert "125255" not in page
    login(people.office_b).post("/proposals/supervise/", {"proposal": str(p.pk)})
    assert not ProposalNotice.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"proposal": ""},
        {"proposal": "x" * 100_000},
        {"proposal": "9" * 40},
        {"proposal": "-1"},
        {"proposal": "１"},
    ],
)
def test_bad_choices_issue_nothing(people, login, day, data):
    p = people.assigned()
    day(p.reply_due + dt.timedelta(days=1))
    response = login(people.office_a).post("/proposals/supervise/", data)
    assert response.status_code == 302
    assert not ProposalNotice.objects.exists()
    assert not ProposalEvent.objects.filter(action="supervise").exists()


def test_a_proposal_not_yet_late_gets_no_notice_even_when_posted(people, login, day):
    p = people.assigned()
    day(p.reply_due)
    login(people.office_a).post("/proposals/supervise/", {"proposal": str(p.pk)})
    assert not ProposalNotice.objects.exists()
