"""Reminders: which are due, and each sent once however often the sender runs."""

from __future__ import annotations

import io
import threading
from datetime import date, datetime

import pytest

from luoshi.supervision.facts import ReportFacts, TaskFacts
from luoshi.supervision.reminders import ConsoleBackend, GuardedBackend, due_reminders, send_due
from luoshi.supervision.reporting_calendar import Cadence, due_date

# March 2024's report, due by the 10th of April: a Wednesday.
DUE = due_date(Cadence("month", 10), "2024-03")


def _task(task_id: str, unit: str = "市发展改革局", **kw) -> TaskFacts:
    base = dict(
        id=task_id,
        label_path="一、（一）1.",
        title="编制都市圈发展规划",
        plan_title="2024年都市圈建设工作方案",
        domain="规划协同",
        city="成都",
        lead_unit=unit,
        start=date(2024, 1, 1),
        deadline=date(2024, 12, 31),
    )
    return TaskFacts(**(base | kw))


TASKS = [_task("1"), _task("2", "市交通运输局"), _task("10", "市商务局")]
REPORTED_2 = [ReportFacts("r", "2", "2024-03", "市交通运输局", datetime(2024, 4, 3, 9), "推进中", 30)]

# date ⇥ kind due (- for none)
WHEN = """
2024-04-06	-
2024-04-07	before
2024-04-09	before
2024-04-10	due
2024-04-11	-
2024-04-12	-
2024-04-13	after
2024-05-20	after
"""


@pytest.mark.parametrize(("on", "kind"), [line.split("\t") for line in WHEN.strip().splitlines()])
def test_which_reminder_is_due(on: str, kind: str) -> None:
    reminders = due_reminders(TASKS, REPORTED_2, DUE, date.fromisoformat(on))
    assert {r.kind for r in reminders} == (set() if kind == "-" else {kind})
    if reminders:
        # Task 2 has reported; the others are reminded in id order.
        assert [r.task_id for r in reminders] == ["1", "10"]


def test_reminders_speak_chinese_and_name_the_unit() -> None:
    (r, _) = due_reminders(TASKS, REPORTED_2, DUE, date(2024, 4, 15))
    assert r.recipient == "市发展改革局"
    assert r.subject == "【催办】“编制都市圈发展规划”2024年3月进展情况已逾期5天未报送"
    assert r.body.startswith("市发展改革局：\n《2024年都市圈建设工作方案》一、（一）1.")
    assert r.key == ("1", "2024-03", "after")


def test_tasks_not_begun_or_already_done_are_not_reminded() -> None:
    later = _task("4", start=date(2024, 5, 1))
    finished = _task("5")
    overdue = _task("6", deadline=date(2024, 2, 1))
    done_in_february = ReportFacts(
        "d", "5", "2024-02", "市发展改革局", datetime(2024, 3, 5, 9), "已完成", 100
    )
    reminders = due_reminders([later, finished, overdue], [done_in_february], DUE, date(2024, 4, 10))
    # An overdue task that is not done still owes its report.
    assert [r.task_id for r in reminders] == ["6"]


def test_running_the_sender_twice_sends_each_reminder_once() -> None:
    stream = io.StringIO()
    reminders = due_reminders(TASKS, [], DUE, date(2024, 4, 10))
    sent: set = set()
    first = send_due(reminders, ConsoleBackend(stream), sent)
    sent |= set(first.sent)
    second = send_due(reminders + reminders, ConsoleBackend(stream), sent)
    assert len(first.sent) == 3 and second.sent == []
    assert len(second.skipped) == 6
    assert stream.getvalue().count("Subject:") == 3


class Flaky:
    """Fails for one recipient, hangs for another."""

    def __init__(self) -> None:
        self.delivered: list[str] = []
        self.release = threading.Event()

    def send(self, recipient: str, subject: str, body: str) -> None:
        if recipient == "市交通运输局":
            raise ConnectionError("SMTP 421 服务暂不可用")
        if recipient == "市商务局":
            self.release.wait(5)
        self.delivered.append(recipient)


def test_failures_and_timeouts_are_recorded_and_the_rest_still_go_out() -> None:
    flaky = Flaky()
    guarded = GuardedBackend(flaky, timeout=0.2)
    reminders = due_reminders([*TASKS, _task("11", "市教育局")], [], DUE, date(2024, 4, 10))
    result = send_due(reminders, guarded, set())
    flaky.release.set()
    guarded.close()
    # The send after the one that hung still goes out.
    assert result.sent == [("1", "2024-03", "due"), ("11", "2024-03", "due")]
    assert [k for k, _ in result.failed] == [("2", "2024-03", "due"), ("10", "2024-03", "due")]
    assert [f.recipient for f in guarded.failures] == ["市交通运输局", "市商务局"]
    assert "SMTP 421" in guarded.failures[0].error
    assert "超时" in guarded.failures[1].error


def test_an_unguarded_failing_backend_does_not_stop_the_run(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def send(self, recipient: str, subject: str, body: str) -> None:
            raise OSError("network unreachable")

    result = send_due(due_reminders(TASKS, [], DUE, date(2024, 4, 10)), Broken(), set())
    assert len(result.failed) == 3 and result.sent == []
    assert "network unreachable" in caplog.text
