"""Benchmark: the ledger page on two machines sharing Redis and one database, against one machine.

1. Fill one database (DATABASE_URL, else a scratch SQLite file) with bench_ledger's generator.
2. In the same run, load the ledger page (distinct filtered URLs, as bench_ledger does) on:
   a. one ``luoshi serve`` process, one instance folder, the file caches (the default);
   b. ``luoshi serve --workers 2`` on one instance folder, the file caches;
   c. two ``luoshi serve`` processes, each with its own instance folder, sharing one Redis
      (LUOSHI_CACHE_URL) — two machines; the clients are split between them.
   Every configuration gets the same URLs with empty caches.
3. Print p50/p95/p99 of each and c's p95 against a's and b's. The target: c within 10% of the
   single-home figure. A CPU reference is printed before and after (see bench_ledger.py).

Figures only; no thresholds fail. Run: ``python bench/bench_cluster.py [--tasks 10000]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import (  # noqa: E402
    cpu_reference,
    figures,
    free_port,
    generate,
    load,
    page_paths,
    report,
    session_cookie,
    setup_django,
    wait_for,
    warm_database,
)


def start(home: Path, port: int, workers: int, threads: int, extra: dict[str, str]) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LUOSHI_HOME": str(home), **extra}
    log = (home / "server.log").open("w")
    # --insecure: plain http on loopback with a benchmark's key, which the deploy checks refuse.
    return subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--port", str(port), "--workers", str(workers),
         "--threads", str(threads), "--insecure"],
        env=env, stdout=log, stderr=log,
    )


def run(label: str, servers: list[tuple[Path, int, dict]], threads: int, paths: list[str], cookies: list[str],
        clients: int, seconds: float) -> float:
    """Start the servers, warm them, load ``paths`` split across them, report; the p95 in ms."""
    ports = [free_port() for _ in servers]
    procs = [start(home, port, workers, threads, extra) for (home, workers, extra), port in zip(servers, ports, strict=True)]
    try:
        for port in ports:
            wait_for(port)
        share = max(1, clients // len(ports))
        for port in ports:  # every process loads its code and templates before the clock starts
            load(port, cookies, ["/dashboard/", "/ledger/"] * share, share, 60)
        results: list[list[float]] = [[] for _ in ports]
        slices = [paths[i :: len(ports)] for i in range(len(ports))]

        def drive(i: int) -> None:
            results[i] = load(ports[i], cookies, slices[i], share, seconds)

        t0 = time.perf_counter()
        workers = [threading.Thread(target=drive, args=(i,)) for i in range(len(ports))]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - t0
        latencies = [x for r in results for x in r]
        figs = figures(latencies, 0, wall)
        report(label, *figs)
        return figs[4]  # p95
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)


def clear_caches(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=10_000, help="tasks to generate (ten reports each)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20, help="load time per configuration")
    ap.add_argument("--threads", type=int, default=2, help="threads per server process")
    ap.add_argument(
        "--cache-url", default=os.environ.get("LUOSHI_BENCH_REDIS", "redis://127.0.0.1:6379/6"),
        help="the shared Redis (its database is flushed before each configuration)",
    )
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="luoshi-cluster-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'shared.sqlite3'}"
    os.environ.setdefault("LUOSHI_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("LUOSHI_SECURE_COOKIES", "false")
    setup_django(scratch / "setup")
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}  redis: {args.cache_url}  {cpu_reference()}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    n = args.tasks
    print("1. generate")
    ids = generate(max(1, n // 2000), max(10, n // 200), n, n * 10)
    print(f"   warm: {warm_database()}")
    cookies = [session_cookie(ids["admin"]) for _ in range(args.clients)]
    paths = page_paths(ids)["ledger (filtered, sorted)"]
    connection.close()
    redis = {"LUOSHI_CACHE_URL": args.cache_url}
    print(f"2. load: ledger page, {args.clients} clients, {args.seconds:.0f} s each, {args.threads} threads a process")
    clear_caches(args.cache_url)
    single = run("a. 1 process, 1 home", [(scratch / "a", 1, {})], args.threads, paths, cookies, args.clients, args.seconds)
    both = run("b. 2 processes, 1 home", [(scratch / "b", 2, {})], args.threads, paths, cookies, args.clients, args.seconds)
    clear_caches(args.cache_url)
    two = run(
        "c. 2 homes + Redis",
        [(scratch / "c1", 1, redis), (scratch / "c2", 1, redis)],
        args.threads, paths, cookies, args.clients, args.seconds,
    )
    print(f"3. p95 two homes + Redis: {100 * (two / single - 1):+.0f}% against a, {100 * (two / both - 1):+.0f}% "
          "against b (target: within +10% of single-home)")
    print(f"  after the load: {cpu_reference()}")


if __name__ == "__main__":
    main()
