"""Backups: ``luoshi manage backup`` and ``restore`` as an operator runs them, on real PostgreSQL.

An instance is filled through the app's own functions (plans imported from uploads, users,
units), backed up, and restored into a newly created database and an empty instance folder;
every row of every table and every stored file must come back equal, and the copy must work
(a new row gets a fresh id). Restores that cannot be done must refuse before changing anything.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from luoshi.web import backup
from tests.web.services import port_open
from tests.web.test_serve import environment, luoshi

PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
NAME, CONTENT = "reports/2026/12/a.txt", "附件".encode()
FILL = """
from tests.web.world import World
World()
"""
# What an instance stores, read through the app: each plan's source file, by the plan's id.
SOURCES = """
import hashlib, json
from luoshi.ledger.models import Plan
print(json.dumps({p.pk: hashlib.sha256(p.source.read()).hexdigest() for p in Plan.objects.all()}))
"""
ADD_USER = """
from django.contrib.auth import get_user_model
print(get_user_model().objects.create_user("after-restore", password="Correct-Horse-42").pk)
"""


def postgres() -> str:
    """An administrator's URL of the PostgreSQL the tests use (DATABASE_URL's server, else local)."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = PG_URL
    parts = urlsplit(url)
    if not port_open(parts.hostname or "127.0.0.1", parts.port or 5432):
        pytest.skip(f"no PostgreSQL on {parts.hostname}:{parts.port or 5432}")
    return urlunsplit(parts._replace(path="/postgres"))


@pytest.fixture
def two_databases():
    """Two newly created PostgreSQL databases: the instance's, and the one to restore into."""
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    import psycopg

    admin = postgres()
    names = [f"luoshi_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("live", "copy")]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield [urlunsplit(urlsplit(admin)._replace(path=f"/{name}")) for name in names]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["postgresql", "sqlite"])
def instances(request, tmp_path):
    """The live instance and the empty copy to restore into, as environments, with a function that
    reads every row of an instance's database."""
    homes = tmp_path / "live", tmp_path / "copy"
    if request.param == "sqlite":
        envs = [environment(home) for home in homes]
        return envs, [lambda home=home: sqlite_rows(home / "luoshi.sqlite3") for home in homes]
    urls = request.getfixturevalue("two_databases")
    envs = [environment(home, DATABASE_URL=url) for home, url in zip(homes, urls, strict=True)]
    return envs, [lambda url=url: postgres_rows(url) for url in urls]


def run(*args: str, env: dict[str, str]) -> str:
    result = luoshi(*args, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def postgres_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, with values as text so they compare."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: sorted(tuple(map(str, row)) for row in conn.execute(f'SELECT * FROM "{t}"')) for t in tables}


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(tuple(map(str, row)) for row in conn.execute(f'SELECT * FROM "{t}"')) for t in tables}
    finally:
        conn.close()


def files_in(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# Both databases are made here whatever DATABASE_URL names: one run of it is enough.
@pytest.mark.own_instance
def test_a_backup_restored_into_another_database_gives_back_every_row_and_file(tmp_path, instances):
    (live, copy), (live_rows, copy_rows) = instances
    run("manage", "migrate", "-v0", env=live)
    run("manage", "shell", "-c", FILL, env=live)
    stored = files_in(tmp_path / "live" / "media")
    assert stored, "the app stored no file: nothing to prove"

    said = run("manage", "backup", str(tmp_path / "backup"), env=live)
    assert f"{len(stored)} files" in said
    manifest = manifest_of(tmp_path / "backup")
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == stored
    said = run("manage", "restore", str(tmp_path / "backup"), env=copy)
    assert f"{len(stored)} files" in said

    rows = live_rows()
    assert sum(len(r) for r in rows.values()) > 100
    assert copy_rows() == rows
    assert files_in(tmp_path / "copy" / "media") == stored
    sources = json.loads(run("manage", "shell", "-c", SOURCES, env=copy).strip().splitlines()[-1])
    assert sources == json.loads(run("manage", "shell", "-c", SOURCES, env=live).strip().splitlines()[-1])
    assert len(sources) == 2
    # The copy is a working instance: its sequences went along, so a new row gets a new id.
    assert int(run("manage", "shell", "-c", ADD_USER, env=copy).split()[-1]) > len(rows["auth_user"])
    # Restoring twice would mix two states: the second time is refused.
    again = luoshi("manage", "restore", str(tmp_path / "backup"), env=copy)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_backup_into_a_folder_that_holds_files_is_refused(tmp_path, two_databases):
    live = environment(tmp_path / "live", DATABASE_URL=two_databases[0])
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("an older backup")
    result = luoshi("manage", "backup", str(tmp_path / "old"), env=live)
    assert result.returncode != 0 and "not an empty folder" in result.stderr
    assert [p.name for p in (tmp_path / "old").iterdir()] == ["keep.txt"]


# -- restores refused before anything is written (in this process: the test database) ------------


@pytest.fixture
def good_backup(tmp_path, db) -> Path:
    """A well-formed backup folder (of the test database's kind, holding one file) to spoil in each
    test; the real ones are written by the round trips above."""
    from django.db import connection

    folder = tmp_path / "backup"
    (folder / "files" / "reports/2026/12").mkdir(parents=True)
    (folder / backup.DUMPS[connection.vendor]).write_bytes(b"not read: refused before")
    (folder / "files" / NAME).write_bytes(CONTENT)
    entry = {"size": len(CONTENT), "sha256": hashlib.sha256(CONTENT).hexdigest()}
    spoil(folder, {"format": 1, "database": connection.vendor, "files": {NAME: entry}})
    return folder


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def spoil(folder: Path, manifest) -> None:
    data = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode("utf-8")
    (folder / "manifest.json").write_bytes(data)


def refused(folder: str, match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("restore", folder)
    assert not default_storage.exists(NAME)  # nothing was written


def test_a_restore_into_a_database_with_tables_is_refused(good_backup):
    refused(str(good_backup), "not empty")


@pytest.mark.parametrize("folder", ["", "   "])
def test_a_restore_without_a_folder_is_refused(db, folder):
    refused(folder, "no folder")


def test_a_restore_from_a_missing_folder_or_a_plain_file_is_refused(db, tmp_path):
    refused(str(tmp_path / "nowhere"), "not a folder")
    (tmp_path / "file").write_text("x")
    refused(str(tmp_path / "file"), "not a folder")


def test_an_unfinished_backup_without_a_manifest_is_refused(good_backup):
    (good_backup / "manifest.json").unlink()
    refused(str(good_backup), "unfinished")


@pytest.mark.parametrize(
    ("manifest", "match"),
    [
        (b"", "not UTF-8 JSON"),
        (b"{not json", "not UTF-8 JSON"),
        ('{"format": 1, "database": "中"}'.encode("gbk"), "not UTF-8 JSON"),
        (b"[1, 2]", "not a luoshi backup"),
        ({"format": 2, "database": "sqlite", "files": {}}, "not a luoshi backup"),
        ({"format": 1, "database": "oracle", "files": {}}, "unknown database"),
        ({"format": 1, "database": "sqlite", "files": []}, "no list of files"),
        ({"format": 1, "database": "sqlite", "files": {"a.txt": {"size": "1"}}}, "no size and hash"),
    ],
)
def test_a_malformed_manifest_is_refused(good_backup, manifest, match):
    spoil(good_backup, manifest)
    refused(str(good_backup), match)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "a\\..\\b", "a\x00b", "./a"])
def test_a_file_name_that_leaves_the_backup_is_refused(good_backup, name):
    manifest = manifest_of(good_backup)
    manifest["files"] = {name: {"size": 1, "sha256": "0" * 64}}
    spoil(good_backup, manifest)
    refused(str(good_backup), "leaves the backup")


def test_a_damaged_file_is_refused(good_backup):
    (good_backup / "files" / NAME).write_text("篡改", encoding="utf-8")
    refused(str(good_backup), "differs from the manifest")


def test_a_missing_file_or_database_is_refused(good_backup):
    (good_backup / "files" / NAME).unlink()
    refused(str(good_backup), "missing from the backup")
    (good_backup / "database.sqlite3").unlink(missing_ok=True)
    (good_backup / "database.dump").unlink(missing_ok=True)
    refused(str(good_backup), "missing from the backup")


def test_a_huge_manifest_is_refused_unread(good_backup, monkeypatch):
    monkeypatch.setattr(backup, "MANIFEST_MAX_BYTES", 1024)
    spoil(good_backup, b" " * 2048)
    refused(str(good_backup), "larger than")
