"""How often the suggested 主办 unit is right, on real published assignments. No Django, no database.

Run from the repository root:  .venv/bin/python bench/bench_suggest_accuracy.py

The fixture is tests/proposals/data/assignments.csv (sources in SOURCES.md beside it); a row's answer
is the kind of department that led it (luoshi.proposals.suggest_eval explains why). Printed:

1. The fixture: rows, source pages, distinct sites, places, and the rows whose kind of unit is not in
   the remit table (no method can name those).
2. Leave-one-out over every row: the model with the default remit weight, similar proposals only,
   the remit table only, and the baseline (the kind that led the most other rows).
3. The fixed 20% holdout (each fifth row): the remit weight tuned by leave-one-out on the other 80%
   only, then every method scored on the 20%.
4. "Fresh": the rows collected after the model, the remit table and the default weight were settled,
   predicted from the rows before, with the weight tuned on those earlier rows only.
5. For reference, the leave-one-out curve of the remit weight over the rows before the fresh ones
   (what the default was chosen on) and over every row (uses the fresh rows: not a test figure).

Accuracy does not depend on the machine; the seconds and the CPU reference are printed beside it
because the run takes a minute or two.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "proposals" / "data"


def sites(sources: Path) -> tuple[int, int]:
    """The source pages and the distinct sites (host names, www. dropped) of the sources table."""
    hosts = re.findall(r"^\| S\d+ \| https?://([^/ |]+)", sources.read_text(encoding="utf-8"), re.M)
    return len(hosts), len({h.lower().removeprefix("www.").removeprefix("m.") for h in hosts})


def main() -> None:
    from luoshi.proposals import suggest
    from luoshi.proposals.suggest_eval import FRESH_FROM, evaluate, kinds, load, tuned, weight_curve

    print(cpu_reference(), flush=True)
    started = time.perf_counter()
    fixture = DATA / "assignments.csv"
    rows = load(fixture)
    pages, hosts = sites(DATA / "SOURCES.md")
    import csv

    with fixture.open(encoding="utf-8", newline="") as f:
        places = {r["city"] for r in csv.DictReader(f) if r["city"]}
    known = set(kinds())
    outside = [r for r in rows if r.unit not in known]
    print(
        f"1. fixture: {len(rows)} rows from {pages} pages on {hosts} sites, {len(places)} places; "
        f"{len(outside)} rows led by a kind of unit outside the remit table; "
        f"rows {FRESH_FROM + 1}-{len(rows)} are the fresh ones; default remit weight {suggest.REMIT_WEIGHT:g}",
        flush=True,
    )
    top = Counter(r.unit for r in rows).most_common(5)
    print("   most frequent kinds: " + ", ".join(f"{k} {n}" for k, n in top), flush=True)
    print("2. leave-one-out over every row", flush=True)
    for s in evaluate(rows, "leave-one-out"):
        print(f"   {s.line()}", flush=True)
    for protocol, label in (("holdout", "3. fixed 20% holdout"), ("fresh", "4. fresh rows")):
        w, scores = tuned(rows, protocol)
        print(f"{label}: remit weight tuned on the training part alone: {w:g}", flush=True)
        for s in scores:
            print(f"   {s.line()}", flush=True)
    print(
        f"5. remit weight, leave-one-out over rows 1-{FRESH_FROM} (the default was chosen here)", flush=True
    )
    for _, s in weight_curve(rows[:FRESH_FROM]):
        print(f"   {s.line()}", flush=True)
    print("   and over every row (includes the fresh rows: for reference only)", flush=True)
    for _, s in weight_curve(rows):
        print(f"   {s.line()}", flush=True)
    print(f"{time.perf_counter() - started:.1f} s; {cpu_reference()}", flush=True)


if __name__ == "__main__":
    main()
