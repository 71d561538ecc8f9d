"""Where one request for the proposal list spends its CPU, through the WSGI application `luoshi serve` runs.

Run from the repository root:  .venv/bin/python bench/profile_proposals_list.py [--proposals N] [--requests N]

Fills a scratch database as bench_proposals_load.py does, then calls the WSGI application in
this process with the environ waitress would pass (the same settings: file caches, sessions read
through the cache, every middleware), as the office with a session and a CSRF cookie. Two kinds
of request: a page asked for again (served from the page cache) and a page asked for once (built
from the database). For each: the CPU time per request (process time, so neighbours on a shared
machine count less) and cProfile's top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_proposals as bp  # noqa: E402
from bench_ledger import cpu_reference, session_cookie  # noqa: E402
from proposals_scratch import distinct_urls, scratch_database  # noqa: E402
from wsgi_request import call  # noqa: E402


def run(app, paths: list[str], cookie: str, label: str, top: int) -> None:
    """Time `paths` (CPU and wall) with the time of each SQL statement, then profile them once more."""
    from django.db import connection

    sql: dict[str, list[float]] = {}

    def timer(execute, statement, params, many, context):
        t = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql.setdefault(statement[:90], []).append(time.perf_counter() - t)

    t0, c0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timer):
        codes = [call(app, p, cookie) for p in paths]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    for statement, times in sorted(sql.items(), key=lambda kv: -sum(kv[1]))[:8]:
        print(f"  SQL {sum(times) / len(paths) * 1000:6.2f} ms a request, {len(times):4d}x  {statement}")
    bad = [c for c in codes if c != 200]
    print(
        f"{label}: {len(paths)} requests, CPU {cpu / len(paths) * 1000:.2f} ms each, "
        f"wall {wall / len(paths) * 1000:.2f} ms each" + (f"  ({len(bad)} not 200: {bad[:3]})" if bad else "")
    )
    if top:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for p in paths:
            call(app, p, cookie)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
            print(out.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proposals", type=int, default=20_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--top", type=int, default=35, help="functions shown per profile (0: timings only)")
    args = ap.parse_args()
    scratch_database("luoshi-profile-")
    world = bp.generate(args.proposals)
    from luoshi.web.commands.serve import _fewer_collections
    from luoshi.web.wsgi import application

    _fewer_collections()
    cookie = session_cookie(world["office"])
    # A browser sends back the CSRF cookie it was given: take it from a first page.
    from django.middleware.csrf import _get_new_csrf_string

    cookie = f"{cookie}; csrftoken={_get_new_csrf_string()}"
    repeated = [quote(p, safe="/?=&") for p in bp.list_urls(world["units"], 40)]
    for _ in range(2):  # stored the second time a process builds a page
        for p in repeated:
            call(application, p, cookie)
    # The first request started the unit suggestion's warm-up: let it finish, it is not the list's.
    from luoshi.proposals import suggesting

    suggesting.warm_up_in_background().join()
    hits = (repeated * (args.requests // len(repeated) + 1))[: args.requests]
    once = [quote(p, safe="/?=&") for p in distinct_urls(world["units"], args.proposals)]
    run(application, hits, cookie, "page cache hit", args.top)
    run(application, once[: args.requests], cookie, "page built", 0)
    run(application, once[args.requests : 2 * args.requests], cookie, "page built (profiled)", args.top)
    print(cpu_reference())


if __name__ == "__main__":
    main()
