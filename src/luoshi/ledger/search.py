"""Substring search over task label, title and text, served by a trigram index.

Chinese has no spaces between words, so a word index does not help: trigram indexes do.

- SQLite (3.34+): ``ledger_task_fts``, an FTS5 table with the trigram tokenizer over the task
  table's own rows (external content: no second copy of the text), kept in step by triggers.
- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(column)``, the expression Django's ``icontains``
  compares, so a plain ``icontains`` filter uses them.

A trigram needs three characters: shorter queries fall back to ``icontains`` (a scan).
"""

from __future__ import annotations

import logging
import sqlite3

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

log = logging.getLogger(__name__)

FTS_TABLE = "ledger_task_fts"
MIN_TRIGRAM = 3
COLUMNS = ("label", "title", "text")

_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON ledger_task BEGIN
  INSERT INTO {FTS_TABLE}(rowid, label, title, text) VALUES (new.id, new.label, new.title, new.text);
END""",
    f"{FTS_TABLE}_ad": f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON ledger_task BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, label, title, text)
  VALUES ('delete', old.id, old.label, old.title, old.text);
END""",
    f"{FTS_TABLE}_au": f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au
AFTER UPDATE OF label, title, text ON ledger_task BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, label, title, text)
  VALUES ('delete', old.id, old.label, old.title, old.text);
  INSERT INTO {FTS_TABLE}(rowid, label, title, text) VALUES (new.id, new.label, new.title, new.text);
END""",
}

_PG_INDEXES = {
    f"task_{c}_trgm": f"CREATE INDEX IF NOT EXISTS task_{c}_trgm ON ledger_task USING gin (UPPER({c}) gin_trgm_ops)"
    for c in COLUMNS
}


def sqlite_has_trigram() -> bool:
    return sqlite3.sqlite_version_info >= (3, 34, 0)


def install(connection) -> None:
    """Create the search index for ``connection``'s database if missing; idempotent.

    Called by the migration and again after every ``migrate``: on SQLite, Django rebuilds a
    table it alters (new table, copy, drop), which drops the triggers, so they are re-created
    here and the index rebuilt when any was missing.
    """
    if connection.vendor == "sqlite":
        if not sqlite_has_trigram():
            log.warning("SQLite %s has no trigram tokenizer: task search scans", sqlite3.sqlite_version)
            return
        with connection.cursor() as c:
            c.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "label, title, text, content='ledger_task', content_rowid='id', tokenize='trigram')"
            )
            c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_task'")
            present = {row[0] for row in c.fetchall()}
            missing = [sql for name, sql in _SQLITE_TRIGGERS.items() if name not in present]
            for sql in missing:
                c.execute(sql)
            if missing:
                c.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for sql in _PG_INDEXES.values():
                c.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                c.execute(f"DROP TRIGGER IF EXISTS {name}")
            c.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            for name in _PG_INDEXES:
                c.execute(f"DROP INDEX IF EXISTS {name}")


def _fts_phrase(q: str) -> str:
    """``q`` as one FTS5 phrase: any substring match, whatever characters it holds."""
    return '"' + q.replace('"', '""') + '"'


def search(tasks: QuerySet, q: str) -> QuerySet:
    """The tasks whose label, title or text contains ``q`` (case-insensitive)."""
    q = q.strip()
    if not q:
        return tasks
    if tasks.db == "default" and len(q) >= MIN_TRIGRAM:
        from django.db import connections

        connection = connections[tasks.db]
        if connection.vendor == "sqlite" and sqlite_has_trigram():
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            return tasks.filter(id__in=RawSQL(sql, [_fts_phrase(q)]))
    # PostgreSQL: icontains is UPPER(col) LIKE UPPER(%q%), which the pg_trgm indexes serve.
    return tasks.filter(Q(title__icontains=q) | Q(label__icontains=q) | Q(text__icontains=q))
