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
   fields), then ``luoshi serve`` in a child process and 20 concurrent clients (Python threads, as
   bench_ledger's loader) on the scorecard page and on the indicator pages (the comparison of the
   50 cities over the periods, as known now, with its chart); p50/p95/p99 against the target of
   p95 < 150 ms; and a scorecard of the published ones' size, seven keywords of six figures.

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402

ROWS: list[tuple[str, str, str]] = []
N_INDICATORS, N_CITIES, YEARS = 500, 50, (2020, 2021, 2022, 2023)


def timed(label: str, target: float | None, fn, *args, **kwargs):
    """Run fn, print and keep its time against the target."""
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - t0
    verdict = "" if target is None else ("ok" if seconds < target else f"OVER {target:g} s")
    ROWS.append((label, f"{seconds:.2f} s", verdict))
    print(f"  {label:<58} {seconds:8.2f} s  {verdict}", flush=True)
    return result


def sheet_rows() -> list[list]:
    rnd = random.Random(7)
    rows = [["指标名称", "地区", "时间", "数值", "计量单位"]]
    for i in range(N_INDICATORS):
        for c in range(N_CITIES):
            for year in YEARS:
                rows.append(
                    [f"指标{i:03d}", f"城市{c:02d}", f"{year}年", round(rnd.uniform(1, 5000), 2), "亿元"]
                )
    return rows


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-pages", action="store_true", help="skip the pages under load")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20, help="load time per page kind")
    args = ap.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.core.management import call_command
    from django.db import connection

    from luoshi.indicators import services
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.models import Observation
    from luoshi.ledger.models import City

    print(f"database: {connection.vendor}  {cpu_reference()}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"1. catalogue of {N_INDICATORS} indicators, {N_CITIES} cities")
    services.apply_catalogue([IndicatorSpec(f"指标{i:03d}", "亿元") for i in range(N_INDICATORS)])
    for c in range(N_CITIES):
        services.city_entity(City.objects.create(name=f"城市{c:02d}"))
    rows = sheet_rows()
    xlsx, csv = as_xlsx(rows), as_csv(rows)
    print(f"2. a {len(rows) - 1:,}-row sheet: xlsx {len(xlsx) / 1e6:.1f} MB, CSV {len(csv) / 1e6:.1f} MB")
    t0 = time.perf_counter()
    batch = timed("xlsx: read and check for review", None, services.start_table_import, xlsx, "bench.xlsx")
    assert not batch.problems, batch.problems[:3]
    timed("xlsx: commit 100,000 observations", None, services.commit_table_import, batch)
    total = time.perf_counter() - t0
    ROWS.append(("xlsx: review + commit", f"{total:.2f} s", "ok" if total < 10 else "OVER 10 s"))
    print(f"  {'xlsx: review + commit':<58} {total:8.2f} s  {ROWS[-1][2]}")
    print(f"   observations: {Observation.objects.count():,}")
    print("3. the same figures again, as CSV (GB18030)")
    batch = timed("CSV: read and check for review", None, services.start_table_import, csv, "bench.csv")
    batch = timed("CSV: commit (every figure already known)", None, services.commit_table_import, batch)
    print(f"   new vintages: {batch.recorded}")

    print("4. the integration index: 50 cities x 500 indicators, sensitivity of every weight")
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
        "2023",
    )
    same = timed("reproduce from the database", None, services.reproduce, run)
    print(f"   reproduced exactly: {same == run.results}")

    if not args.no_pages:
        pages(args.clients, args.seconds)

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


def pages(clients: int, seconds: float) -> None:
    """Step 5: the scorecard and indicator pages served to ``clients`` at once."""
    import os
    import subprocess

    from bench_ledger import figures, free_port, load, report, session_cookie, wait_for
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches

    from luoshi.indicators import scorecards
    from luoshi.indicators.models import Entity, Indicator

    print(f"5. pages: {clients} concurrent clients, {seconds:.0f} s per page kind")
    admin = get_user_model().objects.create_superuser("bench-admin", password="bench-only-not-a-secret")
    city = Entity.objects.get(name="城市00")
    row = timed(
        "scorecard of one city for 2023 (500 indicators), drafted", None, scorecards.draft, city, "2023"
    )
    typical = typical_scorecard(row)
    for alias in settings.CACHES:
        caches[alias].clear()
    port = free_port()
    home = Path(os.environ["LUOSHI_HOME"])
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "luoshi",
            "serve",
            "--workers",
            "2",
            "--threads",
            "2",
            "--port",
            str(port),
            "--insecure",
        ],
        env=dict(os.environ),
        stdout=log,
        stderr=log,
    )
    try:
        wait_for(port)
        cookies = [session_cookie(admin) for _ in range(clients)]
        rnd = random.Random(11)
        ids = list(Indicator.objects.values_list("pk", flat=True))
        kinds = {
            "scorecard (500 rows)": [f"/indicators/scorecards/{row.pk}/"] * 20_000,
            "scorecard (7 x 6 rows)": [f"/indicators/scorecards/{typical.pk}/"] * 20_000,
            "indicator comparison": [f"/indicators/{rnd.choice(ids)}/" for _ in range(20_000)],
        }
        warm = [paths[i] for paths in kinds.values() for i in range(clients)]
        load(port, cookies, warm, clients, 60)
        for label, paths in kinds.items():
            t0 = time.perf_counter()
            latencies = load(port, cookies, paths, clients, seconds)
            result = figures(latencies, 0, time.perf_counter() - t0)
            report(label, *result)
            p95 = result[4]
            ROWS.append(
                (f"{label}: p95, {clients} clients", f"{p95:.0f} ms", "ok" if p95 < 150 else "OVER 150 ms")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
