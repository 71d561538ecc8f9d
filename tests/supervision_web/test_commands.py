"""``luoshi bulletin`` and ``luoshi schedule`` against a real instance folder, as a user runs them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
import datetime as dt
from django.utils import timezone
from luoshi.accounts.models import Profile
from django.contrib.auth import get_user_model
from luoshi.ledger.models import City, Plan, ProgressReport, Task
from tests.web.world import import_plan
office = get_user_model().objects.create_user("office")
Profile.objects.create(user=office, role="office")
plan = import_plan(office, City.objects.create(name="甲市"))
Plan.objects.create(title="空方案", year=2024)
for t in Task.objects.filter(plan=plan, children__isnull=True):
    lead = t.assignments.filter(role="lead").first()
    ProgressReport.objects.create(task=t, unit=lead.unit, period="2024-03", status="推进中", narrative="进展",
        submitted_at=timezone.make_aware(dt.datetime(2024, 4, 8, 9)))
print(plan.pk)
"""


# Its processes make their own databases and ignore DATABASE_URL: one run of it is enough.
pytestmark = pytest.mark.own_instance


def luoshi(*args: str, home: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    env.update(LUOSHI_HOME=str(home), LUOSHI_SECRET_KEY="test-only")
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_instance(home: Path) -> str:
    """Migrate a fresh instance folder and fill it; the plan's id."""
    assert luoshi("manage", "migrate", "-v0", home=home).returncode == 0
    made = luoshi("manage", "shell", "-c", SETUP, home=home)
    assert made.returncode == 0, made.stderr
    return made.stdout.split()[-1]


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("home")
    return home, make_instance(home)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_command_writes_each_format_and_the_same_bytes_every_time(instance, tmp_path):
    home, plan = instance
    first = luoshi(
        "bulletin",
        "--plan",
        plan,
        "--period",
        "2024-03",
        "-o",
        str(tmp_path / "1"),
        "--format",
        "docx,xlsx",
        "--on",
        "2024-04-15",
        home=home,
    )
    assert first.returncode == 0, first.stderr
    again = luoshi(
        "bulletin",
        "--plan",
        "某市2024年同城化工作方案",
        "--period",
        "2024-03",
        "-o",
        str(tmp_path / "2"),
        "--format",
        "docx,xlsx",
        "--on",
        "2024-04-15",
        home=home,
    )
    assert again.returncode == 0, again.stderr
    for fmt in ("docx", "xlsx"):
        name = f"bulletin-{plan}-2024-03.{fmt}"
        assert digest(tmp_path / "1" / name) == digest(tmp_path / "2" / name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2024-3"), "格式不正确"),
        (("--period", "2024-05"), "2024年5月尚未开始"),
        (("--plan", "空方案", "--period", "2024-03"), "《空方案》没有任务"),
        (("--plan", "不存在的方案", "--period", "2024-03"), "不存在"),
        (("--period", "2024-03", "--format", "odt"), "可选 docx,pdf,xlsx"),
    ],
)
def test_a_request_that_cannot_be_met_prints_one_line_and_fails(instance, tmp_path, args, message):
    home, plan = instance
    argv = args if "--plan" in args else ("--plan", plan, *args)
    result = luoshi("bulletin", *argv, "-o", str(tmp_path), "--on", "2024-04-15", home=home)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_schedule_runs_lights_reminders_and_each_due_bulletin_once(tmp_path):
    plan = make_instance(tmp_path)
    first = luoshi("schedule", "--on", "2024-04-15", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "lights" in first.stdout and "reminders" in first.stdout
    assert f"bulletin {plan} 2024-03" in first.stdout
    again = luoshi("schedule", "--on", "2024-04-16", home=tmp_path)
    assert again.returncode == 0 and "bulletin" not in again.stdout


def test_schedule_waits_for_the_working_day_after_the_due_date(tmp_path):
    make_instance(tmp_path)
    early = luoshi("schedule", "--on", "2024-04-10", "--jobs", "bulletins", home=tmp_path)
    assert early.returncode == 0 and "bulletin" not in early.stdout


def test_schedule_produces_the_bulletin_of_a_period_nobody_reported(tmp_path):
    plan = make_instance(tmp_path)  # March reported; April, due 10 May, by nobody
    run = luoshi("schedule", "--on", "2024-05-13", "--jobs", "bulletins", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"bulletin {plan} 2024-04" in run.stdout and "FAILED" not in run.stdout
