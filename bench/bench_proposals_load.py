"""The proposal list under load: 20 concurrent clients at 20,000 proposals in ten sessions.

Run from the repository root:  .venv/bin/python bench/bench_proposals_load.py [--proposals N] [--clients N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_proposals_load.py

1. Fill a scratch database (emptied first) with N proposals (default 20,000) over ten sessions and
   60 units, in every state, as bench_proposals.py does.
2. Start `luoshi serve` (processes x threads as given) on a free loopback port, warm it (a few
   hundred pages, and the unit suggestion each worker starts fitting at its first request) and
   wait until its processes are idle, so the figures are those of a server in service.
3. 20 clients, signed in as the office, ask for list pages filtered by session, state, unit,
   overdue (red), words and pages further down, for --seconds; the figures are p50/p95/p99/max,
   requests per second and the server's CPU time per request (all its processes, read from
   /proc: what a page costs, whatever else the machine runs). The clients are wrk (a C load
   generator, in its own process, that leaves the cores to the server) when it is installed,
   else Python threads, which take CPU from the server. These URLs repeat (about 2,200 distinct
   ones), so most pages come from the page cache once built twice.
4. The same with every URL asked for once (filters combined with sessions, units and pages, and
   20,000 different words): pages built from the database, never served from the cache.
5. In process: the reply letter (.docx) and the statistics of one session (2,000 proposals at
   the default size) with its page, Word bulletin and Excel.

A CPU reference is printed before and after. Figures only; no thresholds fail the run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_proposals as bp  # noqa: E402
from bench_ledger import (  # noqa: E402
    cpu_reference,
    figures,
    free_port,
    load,
    load_wrk,
    report,
    session_cookie,
    wait_for,
)
from proposals_scratch import SESSIONS, distinct_urls, scratch_database  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process `pid` and of its children, living and reaped (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
            total += sum(int(x) for x in fields[11:15]) / ticks
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, IndexError):
            continue
        pids += [int(c) for c in children]
    return total


def wait_idle(pid: int, most: float = 120) -> float:
    """Wait (at most `most` seconds) until the server's processes use under a tenth of a core; the seconds waited."""
    t0 = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - t0 < most:
        time.sleep(1)
        now = cpu_seconds(pid)
        if now - before < 0.1:
            break
        before = now
    return time.perf_counter() - t0


def timed_load(label: str, port, cookies, paths, args, home, server) -> None:
    """One load run over `paths`: wrk when installed, else Python threads; reported with the
    server's CPU time per request."""
    cpu0 = cpu_seconds(server.pid)
    t0 = time.perf_counter()
    if shutil.which("wrk") and not args.python_clients:
        figs = load_wrk(port, cookies[0], paths, args.clients, args.seconds, home)
    else:
        latencies = load(port, cookies, paths, args.clients, args.seconds)
        figs = figures(latencies, 0, time.perf_counter() - t0)
    cpu = cpu_seconds(server.pid) - cpu0
    n = max(1, figs[0])
    report(label, *figs[:-1], figs[-1] + f"  server CPU {cpu / n * 1000:.1f} ms a request")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proposals", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2, help="server processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per server process")
    ap.add_argument(
        "--python-clients", action="store_true", help="Python threads as clients even when wrk is installed"
    )
    ap.add_argument("--list-only", action="store_true", help="skip step 5 (letter and statistics)")
    args = ap.parse_args()
    home = scratch_database("luoshi-bench-", "before: ")
    from django.db import connection

    t0 = time.perf_counter()
    world = bp.generate(args.proposals)
    print(
        f"1. generated {args.proposals:,} proposals in {len(SESSIONS)} sessions in {time.perf_counter() - t0:.1f} s"
    )
    connection.close()

    port = free_port()
    how = ["serve", "--workers", str(args.workers), "--threads", str(args.threads)]
    print(f"2. luoshi {' '.join(how)}", flush=True)
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        # --insecure: plain http on loopback with a benchmark's key, which the deploy checks refuse.
        [sys.executable, "-m", "luoshi", *how, "--port", str(port), "--insecure"],
        env=dict(os.environ),
        stdout=log,
        stderr=log,
    )
    try:
        wait_for(port)
        # A browser sends back the CSRF cookie of its first page with every later request.
        from django.middleware.csrf import _get_new_csrf_string

        cookies = [
            f"{session_cookie(world['office'])}; csrftoken={_get_new_csrf_string()}"
            for _ in range(args.clients)
        ]
        # Percent-encoded: the loader sends the path as it is, and the filters hold Chinese text.
        paths = [quote(p, safe="/?=&") for p in bp.list_urls(world["units"], 40_000)]
        warm = load(port, cookies, paths[-200:], args.clients, 60)
        waited = wait_idle(server.pid)
        print(
            f"   warm-up: {len(warm)} requests, slowest {max(warm, default=0) * 1000:.0f} ms; "
            f"server idle after {waited:.0f} s more",
            flush=True,
        )
        clients = "wrk" if shutil.which("wrk") and not args.python_clients else "Python threads"
        print(f"3. {args.clients} clients ({clients}), list page filtered, {args.seconds:.0f} s")
        timed_load("list page, filtered", port, cookies, paths[:-200], args, home, server)
        print(f"4. {args.clients} clients ({clients}), list page, each URL once, {args.seconds:.0f} s")
        once = [quote(p, safe="/?=&") for p in distinct_urls(world["units"], args.proposals)]
        timed_load("list page, built", port, cookies, once, args, home, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.list_only:
        print(f"after: {cpu_reference()}")
        return
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(world["office"], backend="luoshi.accounts.backends.LockoutBackend")
    bp.time_letter(world, 50, "5.")
    bp.add_replies()
    bp.time_statistics(client, SESSIONS[0], "  ")
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
