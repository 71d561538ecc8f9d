"""What a page served from the page cache still costs: the machinery every signed-in page shares.

Run from the repository root:
    .venv/bin/python bench/profile_request_overhead.py [--requests N] [--top N] [--compare ../before/src]

Fills a scratch SQLite database with a small world (a ledger, proposals, indicators of a dozen
cities) and signs in an office (a profile with a city and plans it manages, the role whose scope
is the most work to work out). Each page kind -- the proposal list, the city comparison of an
indicator, the ledger -- is asked for twice per URL so the page cache holds it, then ``--requests``
times through the WSGI application ``luoshi serve`` runs (every middleware, sessions read through
the cache, the file cache). Printed: the CPU time per request (process time: neighbours on a
shared machine count less), with cProfile's heaviest functions by own time and by cumulative time;
and the proposal list built for searches asked for once each (a fifth as many requests).

``--compare SRC`` measures another tree's ``src`` and this one in turns, each in child processes on
the same database, with a CPU reference after each turn, so before and after come from one run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, session_cookie, setup_django  # noqa: E402
from wsgi_request import call  # noqa: E402

OFFICE = "overhead-office"


def seed() -> None:
    """A ledger of ten plans, 2,000 proposals and 20 indicators of the ledger's cities over 6 years;
    the office manages half the plans and keeps the proposals' city."""
    import bench_ledger
    import bench_proposals
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from luoshi.accounts.models import Profile, Role
    from luoshi.indicators import services
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.models import Entity, Indicator
    from luoshi.ledger.models import City, Plan

    bench_ledger.generate(10, 200, 2_000, 4_000)
    bench_proposals.generate(2_000)
    office = get_user_model().objects.create_user(OFFICE, password="bench-only-not-a-secret")
    profile = Profile.objects.create(user=office, role=Role.OFFICE)
    profile.cities.set(City.objects.filter(name="基准市"))
    for plan in Plan.objects.order_by("pk")[:5]:
        plan.offices.add(office)
    services.apply_catalogue([IndicatorSpec(f"指标{i:03d}", "亿元") for i in range(20)])
    for city in City.objects.order_by("pk"):
        services.city_entity(city)
    rnd = random.Random(5)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (i, e, str(year), round(rnd.uniform(1, 5000), 2), "bench", "", None, stamp, None)
        for i in Indicator.objects.values_list("pk", flat=True)
        for e in Entity.objects.filter(kind="city").values_list("pk", flat=True)
        for year in range(2018, 2024)
    ]
    services._insert(rows)


def page_urls() -> dict[str, list[str]]:
    """A handful of URLs per page kind (each served from the page cache once stored)."""
    import bench_proposals

    from luoshi.indicators.models import Entity, Indicator
    from luoshi.ledger.models import Unit

    units = list(Unit.objects.filter(city__name="基准市").order_by("pk"))
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    cities = list(Entity.objects.filter(kind="city").order_by("name").values_list("pk", flat=True))
    proposal_urls = bench_proposals.list_urls(units, 20)
    kinds = {
        "proposal list": proposal_urls,
        "indicator compare": [
            f"/indicators/{i}/compare/?" + "&".join(f"entities={c}" for c in cities[: 2 + n % 4])
            for n, i in enumerate(ids[:10])
        ],
        "ledger": [f"/ledger/?page={p}" for p in range(1, 6)]
        + [f"/ledger/?sort=deadline&page={p}" for p in (1, 2)],
    }
    return {k: [quote(u, safe="/?=&") for u in v] for k, v in kinds.items()}


def measure(requests: int, top: int) -> dict[str, float]:
    """CPU milliseconds per request of each page kind, served from the page cache."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.middleware.csrf import _get_new_csrf_string

    from luoshi.ledger import pagecache
    from luoshi.web.commands.serve import _fewer_collections
    from luoshi.web.wsgi import application

    for alias in settings.CACHES:
        caches[alias].clear()
    pagecache.forget_built()
    office = get_user_model().objects.get(username=OFFICE)
    # A browser sends back the CSRF cookie it was given.
    cookie = f"{session_cookie(office)}; csrftoken={_get_new_csrf_string()}"
    kinds = page_urls()
    for urls in kinds.values():
        for _ in range(2):  # a page is stored the second time a process builds it
            for url in urls:
                if (code := call(application, url, cookie)) != 200:
                    raise SystemExit(f"{url}: {code}")
    # The first proposal request starts the unit suggestion's warm-up: its CPU is not the pages'.
    from luoshi.proposals import suggesting

    suggesting.warm_up_in_background().join()
    _fewer_collections()
    results = {}
    for kind, urls in kinds.items():
        paths = (urls * (requests // len(urls) + 1))[:requests]
        samples = []
        for _ in range(3):  # the median of three rounds: a neighbour's burst shows in one at most
            c0 = time.process_time()
            for path in paths:
                call(application, path, cookie)
            samples.append((time.process_time() - c0) / len(paths) * 1000)
        results[kind] = statistics.median(samples)
        if top:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for path in paths:
                call(application, path, cookie)
            profiler.disable()
            print(f"\n===== {kind}: {len(paths)} requests served from the page cache")
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
                print(out.getvalue().split("\n", 6)[-1], flush=True)
    # Searches asked for once each: built every time, never served from the page cache.
    built = [quote(f"/proposals/?q=第{n}项", safe="/?=&") for n in range(3 * (requests // 5))]
    samples = []
    for n in range(3):
        part = built[n::3]
        c0 = time.process_time()
        for path in part:
            call(application, path, cookie)
        samples.append((time.process_time() - c0) / len(part) * 1000)
    results["proposal list, built"] = statistics.median(samples)
    return results


def child_rows(src: Path, home: Path, requests: int) -> dict[str, float]:
    """The figures of one child process measuring the tree ``src`` on the database in ``home``."""
    env = dict(os.environ, PYTHONPATH=str(src.resolve()), LUOSHI_HOME=str(home))
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--requests", str(requests)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = {}
    for line in out.splitlines():
        if line.startswith("ROW\t"):
            _, kind, ms = line.split("\t")
            rows[kind] = float(ms)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300, help="requests per page kind and round")
    ap.add_argument("--top", type=int, default=30, help="functions shown per profile (0: timings only)")
    ap.add_argument("--compare", type=Path, help="another tree's src, measured in turns with this one")
    ap.add_argument("--turns", type=int, default=3, help="child processes per tree with --compare")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        home = Path(os.environ["LUOSHI_HOME"])
    else:
        home = Path(tempfile.mkdtemp(prefix="luoshi-overhead-"))
    setup_django(home)
    if args.child:
        for kind, ms in measure(args.requests, 0).items():
            print(f"ROW\t{kind}\t{ms:.3f}")
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed()
    print(f"database: {home}  {cpu_reference()}", flush=True)
    if args.compare is None:
        results = measure(args.requests, args.top)
        print(f"\nCPU ms per request, from the page cache (median of 3 rounds of {args.requests}) or built")
        for kind, ms in results.items():
            print(f"  {kind:<22} {ms:6.2f} ms")
        print(f"  {cpu_reference()}")
        return
    # The two trees in turns, each in a fresh process: a shared machine's load drifts by half
    # within minutes, and turns spread the drift over both.
    this = Path(__file__).resolve().parent.parent / "src"
    runs: dict[str, dict[str, list[float]]] = {"after": {}, "before": {}}
    trees = [("before", args.compare), ("after", this)]
    for turn in range(args.turns):
        # Which tree goes first alternates: in a trial the second of each pair ran faster, either tree.
        for label, src in trees if turn % 2 == 0 else trees[::-1]:
            for kind, ms in child_rows(src, home, args.requests).items():
                runs[label].setdefault(kind, []).append(ms)
        print(f"  turn {turn + 1}: {cpu_reference()}", flush=True)
    print(
        f"\nCPU ms per request, from the page cache (3 rounds of {args.requests}) or built; median of "
        f"{args.turns} processes per tree taken in turns; before: {args.compare}, after: {this}"
    )
    for kind, after in runs["after"].items():
        before = runs["before"].get(kind, [])
        then = f"{statistics.median(before):6.2f}" if before else "     -"
        print(f"  {kind:<22} before {then} ms   after {statistics.median(after):6.2f} ms")


if __name__ == "__main__":
    main()
