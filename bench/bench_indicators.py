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
    ap.parse_args()
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

    print(f"\nsummary (after: {cpu_reference()})")
    for label, seconds, verdict in ROWS:
        print(f"  {label:<58} {seconds:>9}  {verdict}")


if __name__ == "__main__":
    main()
