"""How fast 待办 (the inbox) and the header's count are, on a ledger of an office's size.

Run from the repository root:  .venv/bin/python bench/bench_inbox.py [--tasks N] [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_inbox.py

1. Fill a scratch database with bench_ledger's generator (default 20 plans, 200 units in 10
   cities, 20,000 tasks, 100,000 reports), then give the busiest unit 30 open 督办单, 10 returned
   reports and 10 proposals to answer, and the office 10 replied notices and 10 proposals to 交办.
2. The reporter's and the office's /inbox/ through Django's test client (in process): p50/p95/max.
3. The header's count: gathered (the stamp renewed before each call, as after any change in the
   system) and cached (the stamp unchanged: one query and a cache read).

A CPU reference is printed before and after (see bench_ledger.py). Figures only; no thresholds
fail the run. The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, generate, setup_django  # noqa: E402


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"p50 {statistics.median(s) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {s[-1] * 1000:7.1f} ms  (n={len(s)})"


def timed_calls(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def add_work(world: dict) -> dict:
    """Open notices, returns and proposals for the busiest unit, and items for the office."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count

    from luoshi.accounts.models import Profile, Role
    from luoshi.ledger.models import ProgressReport, ReportStateChange, Task, TaskAssignment, Unit
    from luoshi.proposals.models import AssignedUnit, Assignment, Proposal
    from luoshi.supervision_web.models import NoticeTransition, SupervisionNotice

    User = get_user_model()
    office = world["office"]
    busiest = (
        TaskAssignment.objects.filter(role="lead", task__plan__offices=office)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit = Unit.objects.get(pk=busiest["unit_id"])
    reporter = User.objects.create_user("bench_reporter", password="x")
    Profile.objects.create(user=reporter, role=Role.REPORTER, unit=unit)
    tasks = list(Task.objects.filter(assignments__unit=unit, assignments__role="lead").order_by("id")[:40])
    today = dt.date.today()
    with transaction.atomic():
        for i, t in enumerate(tasks[:40]):
            state = "issued" if i < 30 else "replied"
            n = SupervisionNotice.objects.create(
                number=f"督〔{today.year}〕{i + 1}号",
                plan_id=t.plan_id,
                task=t,
                lead_unit=unit,
                reason="本期进展未报送。",
                issued_on=today - dt.timedelta(days=10),
                reply_due=today + dt.timedelta(days=i % 7 - 3),
                state=state,
                created_by=office,
            )
            NoticeTransition.objects.create(notice=n, to_state="issued", by=office)
        for t in tasks[:10]:
            r = ProgressReport.objects.filter(task=t).order_by("-period", "-version").first()
            ReportStateChange.objects.create(report=r, reason="请补充数据", by=office)
        city = unit.city
        for i in range(20):
            p = Proposal.objects.create(
                number=str(9000 + i),
                number_key=str(9000 + i),
                session="基准届次",
                title=f"关于推进第{i}项工作的提案",
                proposer="张三",
                city=city,
                state="registered" if i >= 10 else "assigned",
                reply_due=today + dt.timedelta(days=30 - i),
            )
            if i < 10:
                a = Assignment.objects.create(
                    proposal=p,
                    on=today - dt.timedelta(days=20),
                    reply_due=p.reply_due,
                    support_due=today + dt.timedelta(days=5),
                    pre_contact_due=today,
                    adjust_until=today,
                )
                AssignedUnit.objects.create(assignment=a, unit=unit, role="lead")
                Proposal.objects.filter(pk=p.pk).update(assignment=a)
    office.profile.cities.add(city)
    return {"reporter": reporter, "unit": unit}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.inbox import counts, items
    from luoshi.ledger import history
    from luoshi.web import clock

    print(f"database: {connection.vendor}  before: {cpu_reference()}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    world = generate(20, 200, args.tasks, args.reports)
    world.update(add_work(world))
    print(
        f"1. generated {args.tasks:,} tasks and {args.reports:,} reports in {time.perf_counter() - t0:.1f} s"
    )

    today = clock.today()
    reporter, office = world["reporter"], world["office"]
    for name, user in (("reporter", reporter), ("office", office)):
        sections = items.for_user(user, today)
        print(f"   {name}'s inbox: " + ", ".join(f"{k} {len(v)}" for k, v in sections.items()))

    for name, user in (("reporter", reporter), ("office", office)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user, backend="luoshi.accounts.backends.LockoutBackend")
        timed_calls(lambda c=client: c.get("/inbox/"), 5)  # warm templates and connection
        samples = timed_calls(lambda c=client: c.get("/inbox/"), args.requests)
        print(f"2. /inbox/ ({name:<8})    {percentiles(samples)}", flush=True)

    for name, user in (("reporter", reporter), ("office", office)):
        cold = []
        for _ in range(args.requests):
            # A history row, as any change in the system writes: the stamp moves, the count is gathered.
            history.record(office, world["unit"], "bench", "", str(time.perf_counter_ns()))
            cold += timed_calls(lambda u=user: counts.for_header(u, today), 1)
        counts.for_header(user, today)
        warm = timed_calls(lambda u=user: counts.for_header(u, today), args.requests)
        print(f"3. header count ({name:<8}) gathered  {percentiles(cold)}")
        print(f"   header count ({name:<8}) cached    {percentiles(warm)}", flush=True)
    cache.clear()
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
