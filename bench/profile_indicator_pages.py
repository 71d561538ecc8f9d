"""Where one request of each indicator page spends its time: cold (caches emptied), built again
(the figure table kept, the page not yet), and served from the page cache; in process through the
WSGI handler with its middleware, on the data a ``bench_indicators.py`` run left behind.

    LUOSHI_HOME=$(mktemp -d) .venv/bin/python bench/bench_indicators.py --scale full --no-pages
    LUOSHI_HOME=<same> .venv/bin/python bench/profile_indicator_pages.py [--profile] [--compare ../before/src]

The pages: the 500-row and the 7 x 6 scorecards, an indicator page (50 cities x 120 months at
the full scale), the same page as known on a day after every figure and on a day before the sheet's, and the city comparison of 2 and of 12 cities.
Each row is the median CPU time of ``--runs`` requests (the machine's other jobs do not count). ``--profile`` prints cProfile's heaviest calls for
one request of each page and state. ``--compare SRC`` measures another tree's ``src`` in a child
process on the same data right after this tree's, with a CPU reference before each, so the
before and after figures come from one run.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, session_cookie, setup_django  # noqa: E402

STATES = ("cold", "table kept", "page cached")


def environ(path: str, cookie: str) -> dict:
    """A GET of ``path`` as ``luoshi serve`` hands it to Django."""
    url, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def fetch(handler, path: str, cookie: str) -> tuple[float, int]:
    """The CPU time of one request through the handler (seconds) and the page's size. CPU, not
    wall time: on a shared machine the wall clock counts other jobs' turns on the cores."""
    status: list[str] = []
    t0 = time.process_time()
    body = b"".join(handler(environ(path, cookie), lambda s, _h, _e=None: status.append(s)))
    seconds = time.process_time() - t0
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}")
    return seconds, len(body)


def empty_caches() -> None:
    """Every cache emptied and the page cache's memory of built pages forgotten: a first visit."""
    from django.conf import settings
    from django.core.cache import caches

    from luoshi.ledger import pagecache

    for alias in settings.CACHES:
        caches[alias].clear()
    pagecache.forget_built()


def pages() -> dict[str, list[str]]:
    """Each page kind and the URLs it is measured on (one per run, so a cold run is cold)."""
    from django.utils import timezone

    from luoshi.indicators.models import Entity, Indicator, Scorecard

    big = Scorecard.objects.exclude(title="典型成绩单").order_by("pk").first()
    small = Scorecard.objects.filter(title="典型成绩单").order_by("pk").first()
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    cities = list(Entity.objects.filter(kind="city").order_by("name").values_list("pk", flat=True))
    past = timezone.localdate() - dt.timedelta(days=10)
    kinds = {
        "indicator page": [f"/indicators/{i}/" for i in ids[:40]],
        "indicator page, ?on= a later day": [f"/indicators/{i}/?on=2030-01-01" for i in ids[40:80]],
        # Before the sheet's figures came in (the setup's were recorded a month earlier): a table
        # of its own.
        "indicator page, ?on= a past day": [f"/indicators/{i}/?on={past}" for i in ids[160:200]],
        "compare, 2 cities": [
            f"/indicators/{i}/compare/?entities={cities[0]}&entities={cities[1]}" for i in ids[80:120]
        ],
        "compare, 12 cities": [
            f"/indicators/{i}/compare/?" + "&".join(f"entities={c}" for c in cities[:12])
            for i in ids[120:160]
        ],
    }
    if big is not None:
        kinds["scorecard, 500 rows"] = [f"/indicators/scorecards/{big.pk}/"]
    if small is not None:
        kinds["scorecard, 7 x 6 rows"] = [f"/indicators/scorecards/{small.pk}/"]
    return kinds


def ensure_scorecards() -> None:
    """The bench's two scorecards when its page step was skipped."""
    from bench_indicators import typical_scorecard

    from luoshi.indicators import scorecards
    from luoshi.indicators.models import Entity, Scorecard

    if not Scorecard.objects.exists():
        typical_scorecard(scorecards.draft(Entity.objects.get(name="城市00"), "2023"))


def measure(runs: int, profile: bool) -> dict[tuple[str, str], tuple[float, int]]:
    """Median milliseconds and page size of each page kind in each state."""
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler

    ensure_scorecards()
    user = get_user_model().objects.filter(username="profile-admin").first()
    if user is None:
        user = get_user_model().objects.create_superuser("profile-admin", password="bench-only-not-a-secret")
    cookie = session_cookie(user)
    handler = WSGIHandler()
    results = {}
    fetch(handler, "/indicators/", cookie)  # imports, templates compiled, the session read once
    for kind, urls in pages().items():
        times = {state: [] for state in STATES}
        size = 0
        for n in range(runs):
            url = urls[n % len(urls)]
            empty_caches()
            times["cold"].append(fetch(handler, url, cookie)[0])
            times["table kept"].append(fetch(handler, url, cookie)[0])  # built again, now stored
            seconds, size = fetch(handler, url, cookie)
            times["page cached"].append(seconds)
        for state in STATES:
            results[(kind, state)] = (1000 * statistics.median(times[state]), size)
        if profile:
            for state in STATES:
                url = urls[-1]
                if state == "cold":
                    empty_caches()
                elif state == "page cached":
                    fetch(handler, url, cookie)
                prof = cProfile.Profile()
                prof.enable()
                fetch(handler, url, cookie)
                prof.disable()
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(28)
                print(f"\n===== {kind}, {state}: {url}\n" + out.getvalue().split("\n", 6)[-1], flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="cProfile one request of each page and state")
    ap.add_argument("--compare", type=Path, help="another tree's src, measured right after this one")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if "LUOSHI_HOME" not in os.environ:
        raise SystemExit("set LUOSHI_HOME to the folder a bench_indicators.py run used")
    os.environ.setdefault("LUOSHI_ALLOWED_HOSTS", "127.0.0.1")
    setup_django(Path(os.environ["LUOSHI_HOME"]))
    from django.db import connection

    print(f"database: {connection.vendor}  {cpu_reference()}", flush=True)
    results = measure(args.runs, args.profile and not args.child)
    if args.child:
        for (kind, state), (ms, size) in results.items():
            print(f"ROW\t{kind}\t{state}\t{ms:.2f}\t{size}")
        return
    before = {}
    if args.compare is not None:
        env = dict(os.environ, PYTHONPATH=str(args.compare.resolve()))
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--runs", str(args.runs)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.splitlines():
            if line.startswith("ROW\t"):
                _, kind, state, ms, size = line.split("\t")
                before[(kind, state)] = (float(ms), int(size))
            else:
                print(f"  [{args.compare}] {line}")
    print(
        f"\nmedian CPU time of {args.runs} requests, ms (page size)"
        + (f"; before: {args.compare}" if before else "")
    )
    for (kind, state), (ms, size) in results.items():
        was = before.get((kind, state))
        then = f"   before {was[0]:7.1f} ms" if was else ""
        print(f"  {kind:<28} {state:<12} {ms:7.1f} ms  ({size / 1000:5.0f} KB){then}")
    print(f"  {cpu_reference()}")


if __name__ == "__main__":
    main()
