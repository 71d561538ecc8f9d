"""Backups: the database and every stored file in one folder, and their restore onto a fresh copy.

A backup folder holds ``database.dump`` (``pg_dump --format=custom``) or ``database.sqlite3``
(SQLite's online backup), ``files/`` (every file in the default storage: the media folder, or
the bucket when LUOSHI_STORAGE_URL is set) and ``manifest.json``, written last, which names
each file with its size and SHA-256. A folder without a manifest is an unfinished backup.

Restore checks everything before it writes anything: the manifest, every file against it, an
empty target database and no clashing file in the target storage. It never restores over data.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Summary:
    """What a backup holds or a restore wrote."""

    database: str
    files: int
    bytes: int


# -- backup -------------------------------------------------------------------------------------


def backup(target: Path) -> Summary:
    """Write a backup of the configured database and storage into ``target`` (new or empty).

    1. the database, first: a file is stored before the row naming it commits (see
       ledger.services), so every file the dump refers to exists by the time files are copied;
    2. every file of the default storage, hashed as it is copied;
    3. the manifest, last, so an interrupted backup is not mistaken for a whole one.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target}: exists and is not an empty folder")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    kind = _kind()
    _dump(kind, target / DUMPS[kind])
    files, total = {}, 0
    for name in _walk(default_storage):
        files[name] = _copy_out(default_storage, name, target / "files" / name)
        total += files[name]["size"]
    manifest = {
        "format": FORMAT,
        "database": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Summary(kind, len(files), total)


def _kind() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"cannot back up a {vendor} database (PostgreSQL or SQLite)")
    return vendor


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, through the Storage API so a bucket is walked like a folder."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub) if folder else sub)


def _copy_out(storage: Storage, name: str, path: Path) -> dict:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, open(path, "xb") as out:
        os.chmod(path, 0o600)  # stored files hold internal data
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _dump(kind: str, path: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as out:
            connection.connection.backup(out)
        out.close()
        os.chmod(path, 0o600)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)])
    os.chmod(path, 0o600)


# -- restore ------------------------------------------------------------------------------------


def restore(source: Path) -> Summary:
    """Restore the backup in ``source`` into the configured database and storage, both empty of it.

    1. the manifest is read and every file checked against it (names, sizes, hashes);
    2. the target database must have no tables, and no file of the backup may exist in the
       target storage: a restore never mixes with or overwrites data;
    3. the database, in one transaction, then the files.
    """
    source = Path(source)
    manifest = read_manifest(source)
    kind = manifest["database"]
    if kind != _kind():
        raise BackupError(f"the backup holds a {kind} database; the target is {connection.vendor}")
    dump = source / DUMPS[kind]
    if not dump.is_file():
        raise BackupError(f"{dump.name} is missing from the backup")
    files = manifest["files"]
    for name, expected in files.items():
        _check_file(source / "files" / name, name, expected)
    if tables := connection.introspection.table_names():
        raise BackupError(
            f"the target database is not empty ({len(tables)} tables): restore into a newly created database"
        )
    if clashes := [name for name in files if default_storage.exists(name)]:
        raise BackupError(f"the target storage already holds {len(clashes)} of the files, e.g. {clashes[0]}")
    _load(kind, dump)
    for name in files:
        with open(source / "files" / name, "rb") as handle:
            stored = default_storage.save(name, File(handle))
        if stored != name:  # a storage that renamed the file would break the rows that name it
            raise BackupError(f"the storage stored {name} as {stored}")
    return Summary(kind, len(files), sum(f["size"] for f in files.values()))


def read_manifest(source: Path) -> dict:
    """The backup's manifest, checked for shape and for file names that stay inside the backup."""
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"{source}: not a folder")
    if not path.is_file():
        raise BackupError(f"{source}: no {MANIFEST} (not a backup, or an unfinished one)")
    if path.stat().st_size > MANIFEST_MAX_BYTES:
        raise BackupError(f"{MANIFEST} is larger than {MANIFEST_MAX_BYTES // 1024 // 1024} MB")
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BackupError(f"{MANIFEST} is not UTF-8 JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST}: not a luoshi backup of format {FORMAT}")
    if manifest.get("database") not in DUMPS:
        raise BackupError(f"{MANIFEST}: unknown database {manifest.get('database')!r}")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError(f"{MANIFEST}: no list of files")
    for name, entry in files.items():
        if not safe_name(name):
            raise BackupError(f"{MANIFEST}: file name {name!r} leaves the backup")
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            raise BackupError(f"{MANIFEST}: no size and hash for {name!r}")
    return manifest


def safe_name(name: str) -> bool:
    """A relative POSIX name without ``..``, empty parts, backslashes or control characters."""
    if not name or len(name) > 1024 or name.startswith("/") or "\\" in name:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return False
    return all(part not in {"", ".", ".."} for part in name.split("/"))


def _check_file(path: Path, name: str, expected: dict) -> None:
    if not path.is_file() or path.is_symlink():
        raise BackupError(f"{name}: missing from the backup")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if path.stat().st_size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"{name}: differs from the manifest (damaged or changed)")


def _load(kind: str, dump: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    # One transaction: a dump that fails half-way leaves the target database as empty as it was.
    name = settings.DATABASES["default"]["NAME"]
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname", name, str(dump)])


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client on the configured database (connection from PG* variables)."""
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
