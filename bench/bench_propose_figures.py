"""Proposing observations from an article: the text engine's achieved figures turned into proposals.

Run from the repository root:  .venv/bin/python bench/bench_propose_figures.py [--kb 35] [--runs 9]

The demo's area (成德眉资, its four cities and their pairs) and its catalogue of about forty
indicators in a scratch SQLite database; then an article of --kb kilobytes made of real published
texts, whole paragraphs in turn until the size is reached: the 成德眉资 scorecard (成绩单) in
``examples/scorecards``, the dev set's documents when ``../shared/eval/dev`` exists, and the
bundled examples. Timed, median and slowest of --runs (the target: under 200 ms for 35 KB):

1. ``core.proposals.propose``: the text engine's parse and the matching of each achieved figure
   to an indicator and a city, without Django;
2. ``services.propose_from_document``: the same as the web page does it, the document and its
   proposals written to the database.

A CPU reference is printed before and after. Figures only; no thresholds fail the run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def sources() -> list[Path]:
    """The real texts the article is made of, the scorecard first."""
    dev = ROOT.parent / "shared" / "eval" / "dev"
    found = sorted((ROOT / "examples" / "scorecards").glob("*.txt"))
    found += sorted(dev.glob("*.txt")) if dev.is_dir() else []
    return found + sorted((ROOT / "examples").glob("*.txt"))


def article(kb: int) -> str:
    """Whole paragraphs of the sources in turn until the text holds at least ``kb`` kilobytes (UTF-8)."""
    paragraphs = [p for path in sources() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    size = 0
    while size < kb * 1024:
        for p in paragraphs:
            out.append(p)
            size += len(p.encode()) + 1
            if size >= kb * 1024:
                break
    return "\n".join(out)


def timed(fn, runs: int) -> tuple[float, float, object]:
    """Median and slowest wall time of ``runs`` calls, in ms, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=int, default=35)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from luoshi.accounts.models import Profile, Role
    from luoshi.indicators import services
    from luoshi.indicators.core import proposals
    from luoshi.indicators.models import Entity, Indicator
    from luoshi.web import demo_indicators

    office = get_user_model().objects.create_user("bench-office", password="bench-only-not-a-secret")
    Profile.objects.create(user=office, role=Role.OFFICE)
    area, _cities, _pairs = demo_indicators._entities(office)
    demo_indicators._catalogue()
    text = article(args.kb)
    print(f"before: {cpu_reference()}")
    print(
        f"article: {len(text.encode()) / 1024:.1f} KB, {len(text):,} characters from {len(sources())} texts; "
        f"{Indicator.objects.count()} indicators, {Entity.objects.filter(active=True).count()} entities"
    )
    catalogue = services._catalogue_info()
    entities = {e.name: e.alias_list() for e in Entity.objects.filter(active=True)}
    proposals.propose(text[:2000], catalogue, entities, area.name)  # the engine's tables loaded
    median, slowest, found = timed(lambda: proposals.propose(text, catalogue, entities, area.name), args.runs)
    matched = sum(1 for p in found if p.indicator)
    print(
        f"1. core.proposals.propose              median {median:6.1f} ms  slowest {slowest:6.1f} ms  "
        f"({len(found)} figures, {matched} matched to an indicator)"
    )
    median, slowest, doc = timed(
        lambda: services.propose_from_document(text, "bench.txt", "2020", area, by=office), args.runs
    )
    print(
        f"2. services.propose_from_document      median {median:6.1f} ms  slowest {slowest:6.1f} ms  "
        f"({doc.figures.count()} proposals stored a run)   target < 200 ms"
    )
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
