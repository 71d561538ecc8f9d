"""Reminders and issued 督办单 reach the units' robots too; whatever a robot answers, the reminder
is still logged and mailed and the notice still issued in the app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.notify import core, delivery
from luoshi.notify.models import Channel, Message
from luoshi.supervision_web import reminders, services
from luoshi.supervision_web.models import ReminderLog, SupervisionNotice
from tests.notify import robots as r
from tests.supervision_web.conftest import ON, task

pytestmark = pytest.mark.django_db

DUE = dt.date(2024, 4, 10)  # the March reports are due: a "due" reminder for each of plan A's four tasks


class Recorder:
    """The existing reminder backend's place: keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.sent.append(subject)


def robot(unit, kind=core.WECOM, url="", secret="") -> Channel:
    row = Channel(unit=unit, kind=kind, name="工作群")
    delivery.set_secrets(row, url=url, secret=secret)
    row.save()
    return row


def test_a_due_reminder_reaches_the_lead_units_work_group(robots, world):
    robot(world.transport_a, core.DINGTALK, robots.dingtalk_url, r.DINGTALK_SECRET)
    outcome = reminders.send_due(DUE, Recorder(), [world.plan_a])
    assert len(outcome.sent) == 4  # the reminders themselves, as before
    (got,) = robots.received  # 市交通运输局 leads one of the four tasks
    assert got.answer["errcode"] == 0
    assert got.json["text"]["content"].startswith("【提醒】今天（2024年4月10日）是“加快轨道交通建设")
    message = Message.objects.get()
    t = task(world.plan_a, "（一）")
    assert message.key == f"reminder:{t.pk}:2024-03:due" and message.status == "sent"


def test_running_the_reminders_again_sends_nothing_more_to_the_group(robots, world):
    robot(world.transport_a, core.WECOM, robots.wecom_url)
    reminders.send_due(DUE, Recorder(), [world.plan_a])
    reminders.send_due(DUE, Recorder(), [world.plan_a])
    assert len(robots.received) == 1 and Message.objects.count() == 1


def test_a_robot_that_is_down_loses_no_reminder(robots, world):
    robot(world.transport_a, core.WECOM, robots.wecom_url)
    robots.fail_next = 1
    backend = Recorder()
    outcome = reminders.send_due(DUE, backend, [world.plan_a])
    # The reminder is sent and logged in the app as before; the group's copy waits for its retry.
    assert len(outcome.sent) == 4 and len(backend.sent) == 4
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {"sent"}
    waiting = Message.objects.get()
    assert waiting.status == "failed" and waiting.next_attempt_at > timezone.now()
    later = delivery.deliver_due(now=timezone.now() + dt.timedelta(minutes=2))
    assert later.sent == [waiting.pk] and len(robots.received) == 2


def test_a_failing_reminder_backend_still_reaches_the_group(robots, world):
    class Down:
        def send(self, recipient, subject, body):
            raise ConnectionError("mail server down")

    robot(world.transport_a, core.WECOM, robots.wecom_url)
    outcome = reminders.send_due(DUE, Down(), [world.plan_a])
    assert len(outcome.failed) == 4  # kept for the reminder's own retry
    assert Message.objects.get().status == "sent"


def test_an_issued_notice_reaches_the_lead_units_group(robots, reported):
    robot(reported.ndrc_a, core.FEISHU, robots.feishu_url, r.FEISHU_SECRET)
    t = task(reported.plan_a, "（二）")
    (notice,) = services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON)
    (got,) = robots.received
    assert got.answer["code"] == 0
    text = got.json["content"]["text"]
    assert text.startswith(f"【督办】{notice.number}：“织密高速公路网络")
    assert "市发展改革局：" in text and "前登录系统签收并回复" in text
    assert Message.objects.get().key == f"notice:{notice.number}"


def test_copy_units_get_a_copy(robots, world):
    # （一） is led by 市交通运输局 with 市发展改革局 co-operating; with no reports it is red on 15 April.
    robot(world.transport_a, core.WECOM, robots.wecom_url)
    robot(world.ndrc_a, core.DINGTALK, robots.dingtalk_url, r.DINGTALK_SECRET)
    t = task(world.plan_a, "（一）")
    services.issue_notices(world.plan_a, [t.pk], world.office_a, ON)
    texts = sorted(x.json["text"]["content"] for x in robots.received)
    assert len(texts) == 2 and texts[0].startswith("【抄送】【督办】") and texts[1].startswith("【督办】")


def test_a_robot_that_is_down_does_not_stop_the_notice(robots, reported):
    robot(reported.ndrc_a, core.WECOM, robots.wecom_url)
    robots.fail_next = 1
    t = task(reported.plan_a, "（二）")
    (notice,) = services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON)
    assert SupervisionNotice.objects.get(pk=notice.pk).state == "issued"
    assert Message.objects.get().status == "failed"


def test_a_unit_without_channels_is_served_as_before(robots, reported):
    t = task(reported.plan_a, "（二）")
    services.issue_notices(reported.plan_a, [t.pk], reported.office_a, ON)
    assert robots.received == [] and Message.objects.count() == 0
