"""Benchmark of the ledger web application: bulk data, pages under concurrent load, a big import.

    .venv/bin/python bench/bench_ledger.py            # 100,000 tasks, 1,000,000 reports
    .venv/bin/python bench/bench_ledger.py --small    # a tenth of that, for a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_ledger.py
    .venv/bin/python bench/bench_ledger.py --home var/bench   # keep the data; later runs reuse it

1. Generate 50 plans, 500 units in 10 cities, 100,000 tasks (2 units each) and 1,000,000
   progress reports with bulk_create in batches, timing each table.
2. Serve the application with `luoshi serve` (waitress) in a child process on 127.0.0.1.
3. 20 concurrent clients, each sending its next request as soon as the last is answered, load
   the filtered ledger page, task pages and the dashboard for a fixed time per kind; print
   p50/p95/p99/max latency and requests per second. The clients are wrk (Debian's package
   `wrk`, a C load generator that leaves the cores to the server) when it is installed, else
   Python threads. Every ledger and task URL is asked for once (the pages' cache is per URL),
   so the figures are those of pages built from the database, not served from the cache.
4. Time importing a generated 1,000-task plan: parse (text engine) and commit (one transaction).

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database. With
``--home DIR`` the instance folder (and the SQLite database in it) is kept, and a later run whose
database already holds the generated data only migrates it and goes straight to the load test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

DOMAINS = ["规划", "交通", "产业", "科创", "生态", "开放", "公共服务", "市场", "其他"]
STATUSES = ["未启动", "推进中", "已完成", "滞后"]
CITIES = ["甲市", "乙市", "丙市", "丁市", "戊市", "己市", "庚市", "辛市", "壬市", "癸市"]
WORDS = ["轨道", "产业园", "创新平台", "生态廊道", "口岸", "医疗", "信用", "规划", "物流", "人才"]


def setup_django(home: Path) -> None:
    os.environ.setdefault("LUOSHI_HOME", str(home))
    os.environ.setdefault("LUOSHI_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("LUOSHI_SECURE_COOKIES", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.web.settings")
    import django

    django.setup()


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<42} {time.perf_counter() - t0:8.1f} s")
    return result


def generate(n_plans: int, n_units: int, n_tasks: int, n_reports: int, batch: int = 5000) -> dict:
    """Fill the database in bulk; returns ids the load test needs."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from luoshi.accounts.models import Profile, Role
    from luoshi.ledger.models import City, Plan, ProgressReport, Task, TaskAssignment, Unit

    rnd = random.Random(42)
    with transaction.atomic():
        cities = City.objects.bulk_create([City(name=c) for c in CITIES])
        units = Unit.objects.bulk_create(
            [Unit(name=f"单位{i:04d}", city=cities[i % len(cities)]) for i in range(n_units)],
            batch_size=batch,
        )
        plans = Plan.objects.bulk_create(
            [
                Plan(
                    title=f"{2020 + i % 5}年第{i}号工作方案",
                    year=2020 + i % 5,
                    city=cities[i % len(cities)],
                    published=i % 3 == 0,
                )
                for i in range(n_plans)
            ]
        )
    per_plan = n_tasks // n_plans
    areas = max(1, per_plan // 50)  # 一、 headings, each with ~49 items
    leaves: list[tuple[int, int, int]] = []  # (task id, lead unit id, plan index)

    def make_tasks():
        for pi, plan in enumerate(plans):
            heads = Task.objects.bulk_create(
                [
                    Task(
                        plan=plan,
                        position=a * 50,
                        depth=0,
                        label=f"{a + 1}、",
                        path=f"{a + 1}、",
                        title=f"推进{WORDS[a % len(WORDS)]}一体化",
                        domain=DOMAINS[a % len(DOMAINS)],
                    )
                    for a in range(areas)
                ]
            )
            items = []
            for a, head in enumerate(heads):
                for k in range(1, per_plan // areas):
                    d = rnd.randrange(0, 900)
                    items.append(
                        Task(
                            plan=plan,
                            parent=head,
                            position=a * 50 + k,
                            depth=1,
                            label=f"{k}.",
                            path=f"{a + 1}、/{k}.",
                            title=f"建设第{k}项{WORDS[(a + k) % len(WORDS)]}工程",
                            domain=head.domain,
                            status=rnd.choice(STATUSES),
                            deadline=dt.date(2023, 1, 1) + dt.timedelta(days=d),
                        )
                    )
            Task.objects.bulk_create(items, batch_size=batch)
            city_units = [u for u in units if u.city_id == plan.city_id]
            rows = []
            for t in items:
                lead, support = rnd.sample(city_units, 2)
                rows.append(TaskAssignment(task=t, unit=lead, role="lead"))
                rows.append(TaskAssignment(task=t, unit=support, role="support"))
                leaves.append((t.id, lead.id, pi))
            TaskAssignment.objects.bulk_create(rows, batch_size=batch)

    timed(f"tasks + assignments ({n_tasks:,})", lambda: transaction.atomic()(make_tasks)())

    def make_reports():
        periods = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
        buf = []
        for i in range(n_reports):
            task_id, unit_id, _pi = leaves[i % len(leaves)]
            round_ = i // len(leaves)
            buf.append(
                ProgressReport(
                    task_id=task_id,
                    unit_id=unit_id,
                    period=periods[round_ % len(periods)],
                    version=1 + round_ // len(periods),
                    status=rnd.choice(STATUSES),
                    narrative="按计划推进，完成年度目标的一部分。",
                )
            )
            if len(buf) >= batch:
                ProgressReport.objects.bulk_create(buf)
                buf = []
        ProgressReport.objects.bulk_create(buf)

    timed(f"reports ({n_reports:,})", lambda: transaction.atomic()(make_reports)())
    User = get_user_model()
    admin = User.objects.create_superuser("bench", password="Bench-Admin-2024!")
    office = User.objects.create_user("office", password="Bench-Office-2024!")
    Profile.objects.create(user=office, role=Role.OFFICE)
    for p in plans[:5]:
        p.offices.add(office)
    with connection.cursor() as c:
        c.execute("ANALYZE")  # fresh statistics, as a live database would have
    return {
        "admin": admin,
        "office": office,
        "task_ids": [t for t, _u, _p in leaves],
        "unit_ids": [u.id for u in units],
        "city_ids": [c.id for c in cities],
    }


def existing() -> dict | None:
    """The ids the load test needs, from data generated by an earlier run; None when there is none."""
    from django.contrib.auth import get_user_model

    from luoshi.ledger.models import City, Task, Unit

    User = get_user_model()
    admin = User.objects.filter(username="bench").first()
    office = User.objects.filter(username="office").first()
    if admin is None or office is None:
        return None
    leaves = Task.objects.filter(depth=1, plan__title__contains="号工作方案").values_list("id", flat=True)
    return {
        "admin": admin,
        "office": office,
        "task_ids": list(leaves),
        "unit_ids": list(Unit.objects.filter(name__startswith="单位").values_list("id", flat=True)),
        "city_ids": list(City.objects.values_list("id", flat=True)),
    }


def session_cookie(user) -> str:
    """A logged-in session created directly, so the load test measures pages, not logins."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "luoshi.accounts.backends.LockoutBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return f"sessionid={s.session_key}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def load(port: int, cookies: list[str], paths: list[str], clients: int, seconds: float) -> list[float]:
    """Python threads: request each path at most once, for ``seconds``; returns latencies in seconds."""
    queue = list(reversed(paths))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.time() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Cookie": cookies[n % len(cookies)], "Accept-Language": "zh-CN"}
        while time.time() < stop_at:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as e:
                ok, response = False, None
                errors.append(str(e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(elapsed)
                elif response is not None:
                    errors.append(f"{response.status} {path}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"    {len(errors)} errors, e.g. {errors[:3]}")
    return latencies


# wrk's threads each take their own slice of the URL list (no URL asked for twice unless a
# slice runs out) and print the figures the benchmark quotes, p95 included.
WRK_SCRIPT = """
local paths, i, counter = {}, 0, 0
setup = function(thread) thread:set("tid", counter); counter = counter + 1 end
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  cookie, threads = args[2], tonumber(args[3])
  i = tid * math.floor(#paths / threads)
end
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i], {["Cookie"] = cookie, ["Accept-Language"] = "zh-CN"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def load_wrk(port: int, cookie: str, paths: list[str], clients: int, seconds: float, home: Path) -> tuple:
    """Run wrk with ``clients`` connections for ``seconds`` over ``paths``; returns its figures
    as ``report`` takes them."""
    script, listing = home / "wrk.lua", home / "wrk-paths.txt"
    script.write_text(WRK_SCRIPT)
    listing.write_text("\n".join(paths) + "\n")
    threads = 2
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
            "--",
            str(listing),
            cookie,
            str(threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, errors, micros, p50, p95, p99, worst = line.split()[1:]
    n = int(n)
    note = "" if n <= len(paths) else f"  (URLs repeated: list of {len(paths)})"
    return n, int(errors), int(micros) / 1e6, float(p50), float(p95), float(p99), float(worst), note


def figures(latencies: list[float], errors: int, wall: float) -> tuple:
    """The Python loader's latencies as ``report`` takes them (milliseconds)."""
    if len(latencies) < 2:
        latencies = latencies * 2 or [0.0, 0.0]
    q = statistics.quantiles(latencies, n=100)
    ms = [1000 * x for x in (statistics.median(latencies), q[94], q[98], max(latencies))]
    return len(latencies), errors, wall, *ms, ""


def report(label: str, n: int, errors: int, wall: float, p50, p95, p99, worst, note: str) -> None:
    print(
        f"  {label:<26} n={n:5d}  p50 {p50:5.0f} ms  p95 {p95:5.0f} ms  p99 {p99:5.0f} ms  "
        f"max {worst:5.0f} ms  {n / wall:6.1f} req/s" + (f"  {errors} errors" if errors else "") + note
    )


def import_timing(user, n_items: int = 1000) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from luoshi.ledger import importing

    names = [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
        "十八",
        "十九",
        "二十",
    ]
    per = n_items // len(names)

    def plan_text(inserted: bool) -> bytes:
        """The plan; ``inserted`` puts a new first item in every section, renumbering the rest."""
        text = []
        for a, name in enumerate(names):
            text.append(f"{name}、第{a + 1}方面工作")
            if inserted:
                text.append(f"1.新增第{a + 1}方面的前置工作。（牵头单位：市单位1局）")
            text += [
                f"{k + inserted}.完成第{k}项任务，新增项目{k}个以上。"
                f"（牵头单位：市单位{k % 30}局；配合单位：市单位{(k + 7) % 30}局）"
                for k in range(1, per)
            ]
        return ("\n".join(text) + "\n").encode()

    t0 = time.perf_counter()
    session = importing.start_import(SimpleUploadedFile("big.txt", plan_text(False)), user)
    t1 = time.perf_counter()
    importing.review(session)
    t2 = time.perf_counter()
    plan = importing.commit_import(session, user)
    t3 = time.perf_counter()
    print(
        f"  import {plan.tasks.count():,}-task plan: parse + session {t1 - t0:.2f} s, "
        f"review {t2 - t1:.2f} s, commit {t3 - t2:.2f} s"
    )
    t0 = time.perf_counter()
    again = importing.start_import(SimpleUploadedFile("big2.txt", plan_text(True)), user, target=plan)
    t1 = time.perf_counter()
    counts = importing.review(again).counts
    t2 = time.perf_counter()
    importing.commit_import(again, user)
    t3 = time.perf_counter()
    print(
        f"  re-import, renumbered: parse {t1 - t0:.2f} s, review {t2 - t1:.2f} s, commit {t3 - t2:.2f} s "
        f"(added {counts['added']}, changed {counts['changed']}, unchanged {counts['unchanged']}, "
        f"withdrawn {counts['removed']})"
    )
    plan.delete()  # a reused database stays as generated


def warm_database() -> str:
    """Bring the data into memory, as on a server that has been up a while: read the SQLite file
    through, or ``pg_prewarm`` PostgreSQL's tables and indexes (when the extension is there)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with open(connection.settings_dict["NAME"], "rb") as f:
            while f.read(1 << 24):
                pass
        return "SQLite file read through"
    with connection.cursor() as c:
        try:
            c.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except Exception as e:  # not installed, or not allowed: measure cold
            return f"pg_prewarm unavailable ({e.__class__.__name__})"
        c.execute(
            "SELECT count(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
        )
        return f"pg_prewarm: {c.fetchone()[0]} tables and indexes"


def page_paths(ids: dict, n: int = 20_000) -> dict[str, list[str]]:
    """Distinct URLs per page kind, shuffled: filtered and sorted ledger views, searches, one
    unit's tasks; task pages; the dashboard (one URL: its figures are cached by design)."""
    rnd = random.Random(1)
    sorts = ["position", "deadline", "-deadline", "status", "title", "plan"]
    ledger = {
        f"/ledger/?domain={d}&status={s}&sort={o}&page={p}"
        for d in DOMAINS
        for s in STATUSES
        for o in sorts
        for p in range(1, 6)
    }
    ledger |= {
        f"/ledger/?city={c}&q={w}" + ("&overdue=on" if overdue else "")
        for c in ids["city_ids"]
        for w in WORDS + ["轨道交通", "产业园区", "第1项"]
        for overdue in (False, True)
    }
    ledger |= {f"/ledger/?unit={u}&sort={o}" for u in ids["unit_ids"] for o in sorts}
    # Undated tasks (the section headings here) go after the dated ones in both directions: the
    # first pages, and the last ones where the two meet, of every view sorted by deadline.
    by_deadline = {
        f"/ledger/?domain={d}&status={s}&sort={o}&page={p}"
        for d in DOMAINS
        for s in STATUSES
        for o in ("deadline", "-deadline")
        for p in range(1, 11)
    }
    both = ("deadline", "-deadline")
    by_deadline |= {f"/ledger/?sort={o}&page={p}" for o in both for p in range(1, 201, 2)}
    by_deadline |= {f"/ledger/?unit={u}&sort={o}" for u in ids["unit_ids"] for o in both}
    tasks = rnd.sample(ids["task_ids"], min(n, len(ids["task_ids"])))
    kinds = {
        "ledger (filtered, sorted)": sorted(ledger),
        "deadline-sorted ledger (both directions)": sorted(by_deadline),
        "task page": [f"/tasks/{t}/" for t in tasks],
        "dashboard": ["/dashboard/"] * n,
    }
    for paths in kinds.values():
        rnd.shuffle(paths)
    return {k: [urllib.parse.quote(p, safe="/?&=%-") for p in v] for k, v in kinds.items()}


def _loop_seconds(_n: int = 0) -> float:
    best = float("inf")
    for _ in range(3):
        t0, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i * i
        best = min(best, time.perf_counter() - t0)
    return best


def cpu_reference() -> str:
    """The time of a fixed pure-Python loop run on every core at once (the slowest core's):
    shared machines vary by a third from hour to hour, so figures of two runs compare only when
    this does too."""
    import multiprocessing

    cores = os.cpu_count() or 1
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        slowest = max(pool.map(_loop_seconds, range(cores)))
    return f"cpu reference: {slowest * 1000:.0f} ms on {cores} cores at once (a fixed loop; lower is faster)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="10,000 tasks and 100,000 reports")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20, help="load time per page kind")
    ap.add_argument("--loader", choices=["wrk", "python"], help="default: wrk when installed")
    ap.add_argument("--home", type=Path, help="instance folder to keep; reused when it holds data")
    ap.add_argument("--workers", type=int, default=2, help="server processes (luoshi serve --workers)")
    # Two threads a process: on two cores, four let more requests fight over the GIL and the
    # database at once, and the ledger's p95 was 10-20% higher.
    ap.add_argument("--threads", type=int, default=2, help="threads per server process")
    ap.add_argument("--no-import", action="store_true", help="skip the 1,000-task import timing")
    ap.add_argument("--only", help="page kinds to load, e.g. ledger,task")
    args = ap.parse_args()
    scale = 10 if args.small else 1
    home = args.home.resolve() if args.home else Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    setup_django(home)
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}  instance: {home}  {cpu_reference()}")
    call_command("migrate", verbosity=0)
    ids = existing() if args.home else None
    if ids and ids["task_ids"]:
        print(f"1. reuse: {len(ids['task_ids']):,} leaf tasks already generated")
    else:
        call_command("flush", interactive=False, verbosity=0)
        print("1. generate")
        ids = generate(50 // scale, 500 // scale, 100_000 // scale, 1_000_000 // scale)

    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:  # pages cached by an earlier run would be served, not built
        caches[alias].clear()
    print(f"   warm: {warm_database()}")
    how = f"luoshi serve --workers {args.workers} --threads {args.threads}"
    print(f"2. serve: {how} ({args.workers} processes x {args.threads} threads)")
    port = free_port()
    env = dict(os.environ)
    server_log = (home / "server.log").open("w")
    # waitress logs "Task queue depth" whenever clients outnumber threads: expected here, so kept out of sight.
    server = subprocess.Popen(
        # --insecure: plain http on loopback with a benchmark's key, which the deploy checks refuse.
        [sys.executable, "-m", "luoshi", *how.split()[1:], "--port", str(port), "--insecure"],
        env=env,
        stdout=server_log,
        stderr=server_log,
    )
    try:
        wait_for(port)
        cookies = [session_cookie(ids["admin"]) for _ in range(args.clients)]
        kinds = {k: v for k, v in page_paths(ids).items() if not args.only or k.split()[0] in args.only}
        loader = args.loader or ("wrk" if shutil.which("wrk") else "python")
        print(f"3. load: {args.clients} concurrent clients ({loader}), {args.seconds:.0f} s per page kind")
        # A server that has been up a while: every process has loaded its code and templates, and
        # holds the dashboard's figures. The warm-up URLs are not asked for again below.
        warm = [paths.pop() for paths in kinds.values() for _ in range(min(len(paths) - 1, args.clients))]
        warm_latencies = load(port, cookies, warm, args.clients, 120)
        print(
            f"  warm-up: {len(warm_latencies)} requests, slowest {max(warm_latencies, default=0) * 1000:.0f} ms"
        )
        for label, paths in kinds.items():
            if loader == "wrk":
                result = load_wrk(port, cookies[0], paths, args.clients, args.seconds, home)
            else:
                t0 = time.perf_counter()
                latencies = load(port, cookies, paths, args.clients, args.seconds)
                result = figures(latencies, 0, time.perf_counter() - t0)
            report(label, *result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"  after the load: {cpu_reference()}")
    if not args.no_import:
        print("4. import")
        import_timing(ids["office"])


if __name__ == "__main__":
    main()
