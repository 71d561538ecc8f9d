"""Benchmark of the indicators app: importing a 100,000-row statistics table.

    .venv/bin/python bench/bench_indicators.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_indicators.py

1. A catalogue of 500 indicators and 50 cities.
2. A 100,000-row sheet, one row per observation (500 indicators x 50 cities x 4 years), as
   .xlsx and as CSV: read and checked for review, then committed (target < 10 s together).
3. The same sheet again: read, and a commit that finds every figure already known (no vintage).
4. The integration index of the 50 cities over the 500 indicators for 2023, with sub-indices by
   area and the ±20% sensitivity of every weight (1,000 recomputations), stored with its inputs
   (target < 5 s), then recomputed from the database (reproduce).
5. Pages under load (skip with --no-pages): a scorecard of one city for 2023 drafted from the
   figures (all 500 indicators in one area: the worst case, a 500-row table with its 500 target
   fields), then ``luoshi serve`` (2 processes x 2 threads) in a child process and 20 concurrent
   clients (wrk when installed, else Python threads, as bench_ledger's loader) on the scorecard
   page, a scorecard of the published ones' size (seven keywords of six figures), and the
   indicator pages (the comparison of the 50 cities over the periods, as known now, with its
   chart): any of the 500 indicators, the 20 most read, a page built every time on today's table
   (an as-of day no other request asks for, after the latest figure) and, at the full scale, a
   page and its figure table built every time (as known on one of the days between the setup's
   figures, recorded 30 days back, and the sheet's); the city comparison of two of the 50 cities
   on any of the 500; p50/p95/p99 against the target of p95 < 150 ms.

``--scale full``: the issue's scale, 500 indicators x 50 cities x 120 months (3,000,000
observations). The catalogue is monthly; 2014-01 to 2023-08 (2,900,000 rows) are loaded first
as setup, through the statement the import commits with (``services._insert``, in batches of
100,000, timed apart and not part of any target); then the 100,000-row sheet brings 2023-09 to
2023-12 and is timed as at the default scale, the index is of 2023-12, and the pages read
indicators of 6,000 figures each (50 cities x 120 months).

``--keep DIR``: the database as step 1 (and the full scale's setup) leaves it is saved (SQLite: a
copy of the file in DIR; PostgreSQL: a template database named after the scratch one) and a later
run with the same DIR and scale starts from it instead of building it again (42 s at the full scale),
migrated to this tree's models. To compare with a tree whose migrations are older, build the saved
database with that tree (``PYTHONPATH=../before/src``), which then uses it as it is.

``--compare SRC``: another tree's ``src`` (for example ``mkdir -p ../before && git archive main
src | tar -x -C ../before``, then ``--compare ../before/src``) imports the same sheets first, in a
child process on the same database as setup left it (restored again for this tree's import), and
serves the pages from a second server on the same data and emptied caches, loaded kind by kind in
turn with this tree's, so the figures before and after a change come from one run on a shared
machine. Comparing the import needs ``--keep``.

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402

ROWS: list[tuple[str, str, str]] = []
N_INDICATORS, N_CITIES, YEARS = 500, 50, (2020, 2021, 2022, 2023)


class Scale:
    """What is built: the default (yearly, 4 years: 100,000 observations) or the issue's full
    scale (monthly, 120 months: 3,000,000)."""

    def __init__(self, full: bool) -> None:
        self.full = full
        self.frequency = "month" if full else "year"
        if full:
            months = [f"{y}-{m:02d}" for y in range(2014, 2024) for m in range(1, 13)]
            self.setup_periods, self.sheet_periods = months[:-4], months[-4:]
        else:
            self.setup_periods, self.sheet_periods = [], [str(y) for y in YEARS]
        self.index_period = self.sheet_periods[-1]

    @staticmethod
    def sheet_label(period: str) -> str:
        """2023-09 as a Chinese table writes it (2023年9月); 2023 as 2023年."""
        year, _, month = period.partition("-")
        return f"{year}年{int(month)}月" if month else f"{year}年"


def timed(label: str, target: float | None, fn, *args, **kwargs):
    """Run fn, print and keep its time against the target, with this process's CPU time beside
    it (on SQLite all of the work; on PostgreSQL the server's is not in it): on a shared machine
    the wall time follows the other load, the CPU time much less."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    verdict = "" if target is None else ("ok" if seconds < target else f"OVER {target:g} s")
    ROWS.append((label, f"{seconds:.2f} s", f"cpu {cpu:5.2f} s  {verdict}"))
    print(f"  {label:<58} {seconds:8.2f} s  cpu {cpu:5.2f} s  {verdict}", flush=True)
    return result


def sheet_rows(scale: Scale) -> list[list]:
    rnd = random.Random(7)
    rows = [["指标名称", "地区", "时间", "数值", "计量单位"]]
    labels = [scale.sheet_label(p) for p in scale.sheet_periods]
    for i in range(N_INDICATORS):
        for c in range(N_CITIES):
            for label in labels:
                rows.append([f"指标{i:03d}", f"城市{c:02d}", label, round(rnd.uniform(1, 5000), 2), "亿元"])
    return rows


def bulk_load(scale: Scale) -> None:
    """Setup of the full scale: the months before the sheet's, written with the statement the
    import commits with (``services._insert``), 100,000 rows a transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from luoshi.indicators import services
    from luoshi.indicators.models import Entity, Indicator

    rnd = random.Random(3)
    indicators = list(Indicator.objects.order_by("name").values_list("pk", flat=True))
    cities = list(Entity.objects.filter(kind="city").order_by("name").values_list("pk", flat=True))
    at = timezone.now() - dt.timedelta(days=30)
    stamp = connection.ops.adapt_datetimefield_value(at)
    rows: list[tuple] = []
    for i in indicators:
        for c in cities:
            for p in scale.setup_periods:
                rows.append((i, c, p, round(rnd.uniform(1, 5000), 2), "bench", "", None, stamp, None))
            if len(rows) >= 100_000:
                with transaction.atomic():
                    services._insert(rows)
                rows = []
    with transaction.atomic():
        services._insert(rows)


def as_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_csv(rows: list[list]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("gb18030")


def saved_name(keep: Path, scale: Scale) -> str:
    """Where the database as setup left it is kept: a file in ``keep`` (SQLite), a template
    database (PostgreSQL)."""
    from django.db import connection

    label = "full" if scale.full else "default"
    if connection.vendor == "sqlite":
        return str(keep / f"indicators-setup-{label}.sqlite3")
    return f"{connection.settings_dict['NAME']}_setup_{label}"


def _pg_admin(sql: str) -> None:
    """Run ``sql`` on the server's maintenance database (CREATE/DROP DATABASE cannot run inside
    the scratch database itself)."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    connection.close()
    params = {"dbname": "postgres", "user": s["USER"], "password": s["PASSWORD"], "host": s["HOST"]}
    params = {k: v for k, v in params.items() if v} | ({"port": s["PORT"]} if s["PORT"] else {})
    with psycopg.connect(autocommit=True, **params) as admin:
        admin.execute(sql)


def saved_exists(name: str) -> bool:
    from django.db import connection

    if connection.vendor == "sqlite":
        return Path(name).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def save_database(name: str) -> None:
    """Keep the database as it is now under ``name`` (see saved_name)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        shutil.copyfile(connection.settings_dict["NAME"], name + ".part")
        os.replace(name + ".part", name)
        return
    scratch = connection.settings_dict["NAME"]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{scratch}"')


def restore_database(name: str) -> None:
    """Make the scratch database again what ``save_database(name)`` kept."""
    from django.db import connection

    connection.close()
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        for extra in ("-wal", "-shm"):
            Path(path + extra).unlink(missing_ok=True)
        shutil.copyfile(name, path)
        return
    scratch = connection.settings_dict["NAME"]
    _pg_admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{scratch}" TEMPLATE "{name}"')


def build(scale: Scale) -> None:
    """Step 1 (and the full scale's setup): the catalogue, the cities and the earlier figures."""
    from django.core.management import call_command

    from luoshi.indicators import services
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.entities import sync_from_ledger
    from luoshi.ledger.models import City

    call_command("flush", interactive=False, verbosity=0)
    print(f"1. catalogue of {N_INDICATORS} indicators, {N_CITIES} cities")
    services.apply_catalogue(
        [IndicatorSpec(f"指标{i:03d}", "亿元", frequency=scale.frequency) for i in range(N_INDICATORS)]
    )
    for c in range(N_CITIES):
        services.city_entity(City.objects.create(name=f"城市{c:02d}"))
    # The 1,225 city pairs and the area, made from the ledger's cities by the first upload's review
    # (once in an instance's life): made here, so that the timed import is any later one.
    sync_from_ledger()
    if scale.full:
        n = N_INDICATORS * N_CITIES * len(scale.setup_periods)
        timed(
            f"setup: {n:,} observations of {scale.setup_periods[0]}..{scale.setup_periods[-1]}",
            None,
            bulk_load,
            scale,
        )


def import_sheets(scale: Scale, suffix: str = "") -> None:
    """Steps 2 and 3: the sheet as .xlsx, read and committed; then again as CSV."""
    from luoshi.indicators import services
    from luoshi.indicators.models import Observation

    rows = sheet_rows(scale)
    xlsx, csv = as_xlsx(rows), as_csv(rows)
    print(
        f"2. a {len(rows) - 1:,}-row sheet{suffix}: xlsx {len(xlsx) / 1e6:.1f} MB, CSV {len(csv) / 1e6:.1f} MB"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    batch = timed(
        f"xlsx: read and check for review{suffix}", None, services.start_table_import, xlsx, "bench.xlsx"
    )
    assert not batch.problems, batch.problems[:3]
    timed(f"xlsx: commit 100,000 observations{suffix}", None, services.commit_table_import, batch)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    label = f"xlsx: review + commit{suffix}"
    ROWS.append((label, f"{total:.2f} s", f"cpu {cpu:5.2f} s  " + ("ok" if total < 10 else "OVER 10 s")))
    print(f"  {label:<58} {total:8.2f} s  {ROWS[-1][2]}")
    print(f"   observations: {Observation.objects.count():,}")
    print(f"3. the same figures again, as CSV (GB18030){suffix}")
    batch = timed(
        f"CSV: read and check for review{suffix}", None, services.start_table_import, csv, "bench.csv"
    )
    batch = timed(
        f"CSV: commit (every figure already known){suffix}", None, services.commit_table_import, batch
    )
    print(f"   new vintages: {batch.recorded}")


def import_by(src: Path, args) -> None:
    """Steps 2 and 3 run by another tree's ``src`` in a child process, on the database as setup
    left it; its figures join this run's summary."""
    from django.db import connection

    connection.close()  # the child replaces the database under it
    out = Path(os.environ["LUOSHI_HOME"]) / "compare-rows.json"
    command = [
        sys.executable,
        __file__,
        "--scale",
        args.scale,
        "--keep",
        str(args.keep),
        "--rows-to",
        str(out),
    ]
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
    subprocess.run(command, env=env, check=True)
    ROWS.extend(
        (f"{label} [{src}]", seconds, verdict) for label, seconds, verdict in json.loads(out.read_text())
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-pages", action="store_true", help="skip the pages under load")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20, help="load time per page kind")
    ap.add_argument(
        "--scale", choices=["default", "full"], default="default", help="full: 3,000,000 observations"
    )
    ap.add_argument("--compare", type=Path, help="another tree's src: the import and step 5 again with it")
    ap.add_argument("--loader", choices=["wrk", "python"], help="default: wrk when installed")
    ap.add_argument("--keep", type=Path, help="folder where the database after setup is kept and reused")
    ap.add_argument("--only", help="step 5: only the page kinds whose label holds this text")
    # The child of --compare: steps 2 and 3 only, its figures written to this file.
    ap.add_argument("--rows-to", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    scale = Scale(args.scale == "full")
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.core.management import call_command
    from django.db import connection

    from luoshi.indicators import services

    if args.rows_to:
        restore_database(saved_name(args.keep.resolve(), scale))
        import_sheets(scale)
        args.rows_to.write_text(json.dumps(ROWS))
        return
    print(f"database: {connection.vendor}  {cpu_reference()}")
    call_command("migrate", verbosity=0)
    saved = None
    if args.keep:
        args.keep = args.keep.resolve()
        args.keep.mkdir(parents=True, exist_ok=True)
        saved = saved_name(args.keep, scale)
    if saved and saved_exists(saved):
        print(f"1. catalogue, cities and setup figures as kept in {saved}")
        restore_database(saved)
        call_command("migrate", verbosity=0)
    else:
        build(scale)
        if saved:
            save_database(saved)
    if args.compare and saved:  # both imports start from the saved database
        import_by(args.compare, args)
        print(f"   {cpu_reference()}")
        restore_database(saved)
        call_command("migrate", verbosity=0)
    import_sheets(scale)

    print(
        f"4. the integration index of {scale.index_period}: 50 cities x 500 indicators, sensitivity of every weight"
    )
    from luoshi.indicators.models import Entity, Indicator

    # The cities: the pairs and the area the import brought in from the ledger have no figures here.
    indicators, entities = list(Indicator.objects.all()), list(Entity.objects.filter(kind="city"))
    run = timed(
        "index + sub-indices + sensitivity, stored",
        5,
        services.compute_index,
        "基准指数",
        indicators,
        entities,
        scale.index_period,
    )
    same = timed("reproduce from the database", None, services.reproduce, run)
    print(f"   reproduced exactly: {same == run.results}")

    if not args.no_pages:
        loader = args.loader or ("wrk" if shutil.which("wrk") else "python")
        pages(args.clients, args.seconds, loader, args.compare, history=scale.full, only=args.only)

    print(f"\nsummary (after: {cpu_reference()})")
    for label, seconds, verdict in ROWS:
        print(f"  {label:<58} {seconds:>9}  {verdict}")


def typical_scorecard(row):
    """A scorecard of the published ones' size (seven keywords of six figures) cut from ``row``,
    stored as a draft would be."""
    from luoshi.indicators.core.scorecard import Section
    from luoshi.indicators.models import Scorecard, ScorecardChange

    card = row.card()
    lines = list(card.lines())
    card.sections = [
        Section(f"领域{k}", f"关键词{k}", "标题语", "正文", lines[k * 6 : (k + 1) * 6]) for k in range(7)
    ]
    small = Scorecard.objects.create(
        title="典型成绩单",
        entity=row.entity,
        period=row.period,
        known_on=row.known_on,
        content=card.to_json(),
    )
    ScorecardChange.objects.create(scorecard=small, action="created")
    return small


def pages(
    clients: int,
    seconds: float,
    loader: str,
    compare: Path | None = None,
    history: bool = False,
    only: str | None = None,
) -> None:
    """Step 5: the scorecard and indicator pages served to ``clients`` at once, by this tree's
    server and then, with ``compare``, by another tree's on the same data. ``history``: the setup's
    figures were recorded a month before the sheet's, so a day in between has a table of its own."""
    from bench_ledger import session_cookie
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from luoshi.indicators import scorecards
    from luoshi.indicators.models import Entity, Indicator

    print(f"5. pages: {clients} concurrent clients ({loader}), {seconds:.0f} s per page kind")
    admin = get_user_model().objects.create_superuser("bench-admin", password="bench-only-not-a-secret")
    city = Entity.objects.get(name="城市00")
    row = timed(
        "scorecard of one city for 2023 (500 indicators), drafted", None, scorecards.draft, city, "2023"
    )
    typical = typical_scorecard(row)
    cookies = [session_cookie(admin) for _ in range(clients)]
    rnd = random.Random(11)
    ids = list(Indicator.objects.values_list("pk", flat=True))
    cities = list(Entity.objects.filter(kind="city").values_list("pk", flat=True))
    days = [dt.date(2030, 1, 1) + dt.timedelta(days=n) for n in range(20_000)]
    today = timezone.localdate()
    rnd.shuffle(days)
    kinds = {
        "scorecard (500 rows)": [f"/indicators/scorecards/{row.pk}/"] * 20_000,
        "scorecard (7 x 6 rows)": [f"/indicators/scorecards/{typical.pk}/"] * 20_000,
        # Any of the 500: in 20 s most are a first visit (the page and its table built).
        "indicator comparison": [f"/indicators/{rnd.choice(ids)}/" for _ in range(20_000)],
        # The headline indicators, read again and again (from the page cache once built).
        "indicator comparison, 20 most read": [f"/indicators/{rnd.choice(ids[:20])}/" for _ in range(20_000)],
        # A later day no other request asks for: its page built every time, on today's table (every
        # figure was recorded by then).
        "indicator comparison, a later day": [f"/indicators/{rnd.choice(ids)}/?on={d}" for d in days],
        # Two of the 50 cities on any of the 500 indicators: nearly every page built.
        "city comparison, 2 cities, any of 500": [
            f"/indicators/{rnd.choice(ids)}/compare/?"
            + "&".join(f"entities={c}" for c in rnd.sample(cities, 2))
            for _ in range(20_000)
        ],
    }
    if history:
        # As known on a day before the sheet's figures came in (any indicator, any of the month's
        # days since setup): that day's own figure table, built for nearly every request.
        kinds["indicator comparison, built each time"] = [
            f"/indicators/{rnd.choice(ids)}/?on={today - dt.timedelta(days=rnd.randrange(1, 29))}"
            for _ in range(20_000)
        ]
    if only:
        kinds = {label: paths for label, paths in kinds.items() if only in label}
    trees = [("", None)] + ([(f" [{compare}]", compare)] if compare else [])
    serve_and_load(kinds, cookies, clients, seconds, loader, trees)


def start_server(src: Path | None, home: Path):
    """``luoshi serve`` (2 processes x 2 threads) from this tree, or from ``src``; returns it and its port."""
    import os
    import subprocess

    from bench_ledger import free_port, wait_for

    port = free_port()
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(Path(src).resolve())
    log = (home / "server.log").open("a")
    command = ["luoshi", "serve", "--workers", "2", "--threads", "2", "--port", str(port), "--insecure"]
    server = subprocess.Popen([sys.executable, "-m", *command], env=env, stdout=log, stderr=log)
    wait_for(port)
    return server, port


def serve_and_load(
    kinds: dict, cookies: list[str], clients: int, seconds: float, loader: str, trees: list[tuple]
) -> None:
    """Start a server for each tree on emptied caches, then load each kind on each server in
    turn (kind by kind, so that a shared machine's changing load falls on both alike)."""
    import os

    from bench_ledger import figures, load, load_wrk, report
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    home = Path(os.environ["LUOSHI_HOME"])
    servers = []
    try:
        for suffix, src in trees:
            server, port = start_server(src, home)
            servers.append((suffix, server, port))
            warm = [paths[i] for paths in kinds.values() for i in range(clients)]
            load(port, cookies, warm, clients, 60)
        for label, paths in kinds.items():
            print(f"  {cpu_reference()}")
            for suffix, _server, port in servers:
                # Both servers share the cache folder: emptied before each load, so neither is
                # served the figure tables the other built for the same URLs.
                for alias in settings.CACHES:
                    caches[alias].clear()
                if loader == "wrk":
                    result = load_wrk(port, cookies[0], paths, clients, seconds, home)
                else:
                    t0 = time.perf_counter()
                    latencies = load(port, cookies, paths, clients, seconds)
                    result = figures(latencies, 0, time.perf_counter() - t0)
                report(label + suffix, *result)
                p50, p95 = result[3], result[4]
                ROWS.append(
                    (
                        f"{label}{suffix}: p50 {p50:.0f} ms, p95, {clients} clients",
                        f"{p95:.0f} ms",
                        "ok" if p95 < 150 else "OVER 150 ms",
                    )
                )
    finally:
        for _suffix, server, _port in servers:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
