"""``luoshi demo``, ``serve`` and ``manage``: registered lazily, the demo idempotent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Its processes make their own databases and ignore DATABASE_URL: one run of it is enough.
pytestmark = pytest.mark.own_instance

ROOT = Path(__file__).resolve().parents[2]


def luoshi(*args: str, home: Path, timeout: int = 300, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    env["LUOSHI_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        input=stdin,
    )


def test_parse_never_loads_django():
    code = "import sys; from luoshi.cli import build_parser; build_parser(); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_demo_sets_up_an_instance_and_is_idempotent(tmp_path):
    first = luoshi("demo", "--no-serve", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "导入方案 / plans imported this run: 4" in first.stdout
    assert "office" in first.stdout and (tmp_path / "secret_key").exists()
    second = luoshi("demo", "--no-serve", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "plans imported this run: 0" in second.stdout
    counts = luoshi("manage", "shell", "-c", "from luoshi.ledger.models import Plan; print(Plan.objects.count())",
                    home=tmp_path)
    assert counts.stdout.strip().splitlines()[-1] == "4"


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = luoshi("serve", "--port", "1", home=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "secret key" in result.stderr


def test_manage_creates_api_tokens_only_for_known_users(tmp_path):
    assert luoshi("demo", "--no-serve", home=tmp_path).returncode == 0
    ok = luoshi("manage", "create_api_token", "reporter", home=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("ls_")
    bad = luoshi("manage", "create_api_token", "nobody", home=tmp_path)
    assert bad.returncode != 0 and "no such user" in bad.stderr


def test_a_password_reset_on_the_command_line_is_audited(tmp_path):
    assert luoshi("demo", "--no-serve", home=tmp_path).returncode == 0

    def audited() -> int:
        code = ("from luoshi.accounts.models import AuditLog; "
                "print(AuditLog.objects.filter(event='password_changed', username='reporter').count())")
        return int(luoshi("manage", "shell", "-c", code, home=tmp_path).stdout.strip().splitlines()[-1])

    before = audited()
    # Without a terminal, getpass reads the answers to its two prompts from standard input.
    done = luoshi("manage", "changepassword", "reporter", home=tmp_path, stdin="Fresh-Secret-2026!\n" * 2)
    assert done.returncode == 0, done.stderr
    assert audited() == before + 1
    refused = luoshi("manage", "changepassword", "reporter", home=tmp_path, stdin="short\n" * 6)
    assert refused.returncode != 0
    assert audited() == before + 1


def test_the_instance_keeps_its_database_and_uploads_to_its_owner(tmp_path):
    home = tmp_path / "instance"
    assert luoshi("demo", "--no-serve", home=home).returncode == 0
    mode = lambda p: p.stat().st_mode & 0o777  # noqa: E731
    assert mode(home) == 0o700 and mode(home / "luoshi.sqlite3") == 0o600
    media = home / "media"
    stored = [p for p in media.rglob("*")]
    assert mode(media) == 0o700 and stored
    assert {mode(p) for p in stored if p.is_dir()} == {0o700}
    assert {mode(p) for p in stored if p.is_file()} == {0o600}
