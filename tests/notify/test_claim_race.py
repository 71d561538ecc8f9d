"""Workers racing for the same waiting messages on a real PostgreSQL server: each message reaches
the robot exactly once, whichever worker wins it.

Each worker is a thread with a database connection of its own (Django keeps one per thread), so
their conditional UPDATEs meet in PostgreSQL's row locks as two ``luoshi schedule`` processes'
would. SQLite serialises every writer on the whole file, so the race is only run on PostgreSQL
(``scripts/test`` runs this folder against it).
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from luoshi.ledger.models import City, Unit
from luoshi.notify import core, delivery
from luoshi.notify.models import Attempt, Channel, Message

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
MESSAGES = 40


def race(workers: int, work) -> list:
    """Run ``work()`` in ``workers`` threads released at the same moment; their results."""
    gate = threading.Barrier(workers)
    results: list = [None] * workers
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            gate.wait(timeout=30)
            results[i] = work()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def wecom(robots) -> Channel:
    if connection.vendor != "postgresql":
        pytest.skip("the claim race needs PostgreSQL (DATABASE_URL=postgres://…)")
    unit = Unit.objects.create(name="市交通运输局", city=City.objects.create(name="甲市"))
    row = Channel(unit=unit, kind=core.WECOM, name="交通局企业微信群")
    delivery.set_secrets(row, url=robots.wecom_url)
    row.save()
    return row


def sent_texts(robots) -> Counter:
    return Counter(x.json["text"]["content"].split("\n")[0] for x in robots.received)


def test_workers_passing_over_the_same_waiting_messages_send_each_once(robots, wecom):
    for i in range(MESSAGES):
        delivery.queue(wecom.unit_id, f"notice:race-{i}", f"【督办】第{i}号", "请回复")
    outcomes = race(WORKERS, delivery.deliver_due)

    texts = sent_texts(robots)
    assert len(texts) == MESSAGES and set(texts.values()) == {1}, texts.most_common(3)
    assert sum(len(o.sent) for o in outcomes) == MESSAGES
    assert sorted(m for o in outcomes for m in o.sent) == sorted(Message.objects.values_list("pk", flat=True))
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert Attempt.objects.count() == MESSAGES
    # No worker sent what another had claimed: what each sent, none of the others did.
    sent = [set(o.sent) for o in outcomes]
    assert sum(len(s) for s in sent) == len(set().union(*sent))


def test_workers_claiming_one_message_at_the_same_moment_leave_one_winner(robots, wecom):
    rounds = 15
    for i in range(rounds):
        (message,) = delivery.queue(wecom.unit_id, f"reminder:race-{i}", f"【提醒】第{i}轮", "请报送")
        tokens = race(WORKERS, lambda pk=message.pk: delivery.claim(pk))
        winners = [t for t in tokens if t]
        assert len(winners) == 1, tokens
        row = Message.objects.select_related("channel").get(pk=message.pk)
        assert row.claimed_by == winners[0] and row.attempts == 1
        assert delivery.attempt(row, winners[0]) == "sent"
    assert len(robots.received) == rounds and set(sent_texts(robots).values()) == {1}


def test_a_failed_message_due_again_is_retried_by_one_worker_only(robots, wecom):
    import datetime as dt

    from django.utils import timezone

    robots.fail_next = MESSAGES  # every first try fails: all wait for their retry
    for i in range(MESSAGES):
        delivery.queue(wecom.unit_id, f"notice:retry-{i}", f"【督办】重试{i}", "请回复")
    first = delivery.deliver_due()
    assert len(first.failed) == MESSAGES
    later = timezone.now() + dt.timedelta(minutes=2)
    outcomes = race(WORKERS, lambda: delivery.deliver_due(now=later))
    assert sum(len(o.sent) for o in outcomes) == MESSAGES
    ok = [x for x in robots.received if x.answer.get("errcode") == 0]
    assert len(ok) == MESSAGES and len({x.json["text"]["content"] for x in ok}) == MESSAGES
    assert set(Message.objects.values_list("status", "attempts")) == {("sent", 2)}
