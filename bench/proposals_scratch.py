"""The scratch database the proposal list's benchmarks fill: ten sessions of proposals, as
bench_proposals.py generates them, and the list URLs that ask for each page once."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import bench_proposals as bp
from bench_ledger import cpu_reference, setup_django

SESSIONS = tuple(f"十二届{n}次" for n in "一二三四五") + tuple(f"十三届{n}次" for n in "一二三四五")


def scratch_database(prefix: str, before: str = "") -> Path:
    """A new home with Django set up on it and its database migrated and emptied, ready for
    ``bp.generate`` over SESSIONS; prints the database and a CPU reference (after ``before``)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    setup_django(home)
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}  {before}{cpu_reference()}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    bp.SESSIONS = SESSIONS
    return home


def distinct_urls(units, n_proposals: int) -> list[str]:
    """List URLs each built once: the seven kinds of bp.list_urls taken in turn, each kind's
    filters combined with sessions, units and pages so that no URL comes twice."""
    pages = max(1, n_proposals // 50)
    kinds = [
        [f"/proposals/?session={s}&page={p}" for p in range(1, pages // len(SESSIONS) + 1) for s in SESSIONS],
        [f"/proposals/?state={st}&page={p}" for p in range(1, pages // 7 + 1) for st in bp.STATES],
        [f"/proposals/?unit={u.pk}&session={s}" for s in ("", *SESSIONS) for u in units],
        [f"/proposals/?light=red&session={s}&page={p}" for p in range(1, 30) for s in SESSIONS],
        [f"/proposals/?q=第{i}项" for i in random.Random(7).sample(range(n_proposals), n_proposals)],
        [
            f"/proposals/?light=yellow&session={s}&kind={k}"
            for k in ("", "proposal", "suggestion")
            for s in SESSIONS
        ],
        [f"/proposals/?page={p}" for p in range(1, pages + 1)],
    ]
    out: list[str] = []
    while any(kinds):
        for urls in kinds:
            if urls:
                out.append(urls.pop(0))
    return out
