"""Background workers sharing one queue and one database: every job runs once, no reminder goes twice.

These run real `luoshi worker` processes against a file-based SQLite database in a fresh
instance folder (the workers cannot see pytest's in-memory test database) — or, when
DATABASE_URL names a PostgreSQL server, against a scratch database `<name>_workers` made on it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
JOBS = 200

SETUP = """
from luoshi.ledger.models import Plan, Task, TaskAssignment, Unit
from luoshi.supervision_web.tasks import send_reminder
plan = Plan.objects.create(title="并发测试方案", year=2024, cadence="month")
unit = Unit.objects.create(name="市交通运输局")
tasks = Task.objects.bulk_create(
    [Task(plan=plan, position=i, label=f"{i}.", path=f"{i}.", title=f"任务{i}") for i in range(N)]
)
TaskAssignment.objects.bulk_create([TaskAssignment(task=t, unit=unit, role="lead") for t in tasks])
for t in Task.objects.filter(plan=plan):
    send_reminder.enqueue(t.pk, "2024-03", "due", "2024-04-10")
"""

REPORT = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
from luoshi.supervision_web.models import ReminderLog
jobs = list(DBTaskResult.objects.values_list("status", "worker_ids", "return_value"))
logs = list(ReminderLog.objects.values_list("key", "status", "attempts"))
print(json.dumps({
    "statuses": Counter(s for s, _, _ in jobs),
    "runs": [len(w) for _, w, _ in jobs],
    "workers": sorted({w[-1] for _, w, _ in jobs if w}),
    "returns": Counter(r for _, _, r in jobs),
    "keys": len({k for k, _, _ in logs}),
    "logs": len(logs),
    "log_statuses": Counter(s for _, s, _ in logs),
    "attempts": Counter(a for _, _, a in logs),
}))
"""


def scratch_postgres() -> str | None:
    """A fresh database beside the one DATABASE_URL names, when that is PostgreSQL; else None."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'luoshi'}_workers"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def environment(home: Path, record: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    if url := scratch_postgres():
        env["DATABASE_URL"] = url
    env.update(
        LUOSHI_HOME=str(home),
        LUOSHI_SECRET_KEY="test-only",
        LUOSHI_TASKS="database",
        LUOSHI_REMINDER_BACKEND="tests.supervision_web.recording.FileBackend",
        LUOSHI_TEST_RECORD=str(record),
        **extra,
    )
    return env


def luoshi(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result


def worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "luoshi", "worker", "--queue", "reminders", "--interval", "0.05", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def prepare(home: Path, env: dict[str, str], jobs: int) -> None:
    luoshi("manage", "migrate", "-v0", env=env)
    luoshi("manage", "shell", "-c", f"N = {jobs}\n{SETUP}", env=env)


def summary(env: dict[str, str]) -> dict:
    return json.loads(luoshi("manage", "shell", "-c", REPORT, env=env).stdout.strip().splitlines()[-1])


def test_two_workers_on_one_queue_run_every_job_once_and_send_each_reminder_once(tmp_path):
    record = tmp_path / "sent.txt"
    env = environment(tmp_path, record)
    prepare(tmp_path, env, JOBS)
    workers = [worker(env, "--batch") for _ in range(2)]
    for w in workers:
        _out, err = w.communicate(timeout=90)
        assert w.returncode == 0, err
    s = summary(env)
    assert s["statuses"] == {"SUCCESSFUL": JOBS}
    assert set(s["runs"]) == {1}  # no job handed out twice
    assert len(s["workers"]) == 2  # both workers took part
    assert s["returns"] == {"sent": JOBS}
    assert s["keys"] == s["logs"] == JOBS and s["log_statuses"] == {"sent": JOBS}
    lines = record.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == JOBS


def test_a_worker_killed_mid_send_leaves_a_job_that_runs_again_and_sends_once(tmp_path):
    record = tmp_path / "sent.txt"
    env = environment(tmp_path, record)
    prepare(tmp_path, env, 1)
    slow = worker({**env, "LUOSHI_TEST_SLOW": "60", "LUOSHI_REMINDER_TIMEOUT": "120"})
    deadline = time.monotonic() + 60
    while not (record.exists() and record.read_text(encoding="utf-8").startswith("start")):
        assert time.monotonic() < deadline and slow.poll() is None, slow.stderr.read() if slow.stderr else ""
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)  # dies holding the job and the reminder's claim
    slow.wait(timeout=10)
    assert summary(env)["statuses"] == {"RUNNING": 1}

    # Later: the lease on the claim has run out, and a new worker re-queues the abandoned job.
    luoshi(
        "manage",
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; from luoshi.supervision_web.models import ReminderLog;"
        " ReminderLog.objects.update(claimed_at=timezone.now() - dt.timedelta(hours=1))",
        env=env,
    )
    again = worker(env, "--batch", "--requeue-after", "0")
    _out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    s = summary(env)
    assert s["statuses"] == {"SUCCESSFUL": 1} and s["runs"] == [2]
    assert s["log_statuses"] == {"sent": 1} and s["attempts"] == {"2": 1}
    sent = [line for line in record.read_text(encoding="utf-8").splitlines() if line.startswith("sent")]
    assert len(sent) == 1
