"""Benchmark of supervision and bulletins read from the database.

    .venv/bin/python bench/bench_supervision_web.py            # 100,000 tasks, 300,000 reports
    .venv/bin/python bench/bench_supervision_web.py --small    # a tenth of the ledger, same 10,000-task plans
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_supervision_web.py

1. Generate the ledger with bench_ledger.generate (50 plans, 100,000 tasks, 300,000 reports).
2. Lights for every task from the database: map rows to facts and assess (target < 10 s), then
   the same with the TaskLight rows stored (the scheduled job).
3. A 10,000-task plan with February and March reports: the bulletin's figures, Word and Excel
   (target < 5 s for figures + Word + Excel), and the PDF on its own.
4. A 10,000-task plan whose March reports are all missing: send the 10,000 reminders due on the
   due date through the console backend (to /dev/null, guarded as in production; target < 30 s),
   then run again to show the second run sends nothing.

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ledger  # noqa: E402  (the ledger benchmark's generator)

ROWS: list[tuple[str, str, str]] = []


def timed(label: str, target: float | None, fn, *args, **kwargs):
    """Run fn, print and keep its time against the target."""
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - t0
    verdict = "" if target is None else ("ok" if seconds < target else f"OVER {target:g} s")
    ROWS.append((label, f"{seconds:.2f} s", verdict))
    print(f"  {label:<58} {seconds:8.2f} s  {verdict}", flush=True)
    return result


def big_plan(title: str, n: int, periods: list[str], unit_ids: list[int], done: bool = True) -> object:
    """A plan of `n` leaf tasks under 20 headings, each reported in `periods` (submitted on time)."""
    from django.db import transaction
    from django.utils import timezone

    from luoshi.ledger.models import Plan, ProgressReport, Task, TaskAssignment

    statuses = ["推进中", "推进中", "已完成", "滞后", "未启动"] if done else ["推进中", "滞后", "未启动"]
    with transaction.atomic():
        plan = Plan.objects.create(title=title, year=2024, issuer="某市推进办")
        heads = Task.objects.bulk_create(
            [
                Task(
                    plan=plan, position=h * 1000, label=f"{h + 1}、", path=f"{h + 1}、", title=f"领域{h + 1}"
                )
                for h in range(20)
            ]
        )
        items = [
            Task(
                plan=plan,
                parent=heads[i % 20],
                position=(i % 20) * 1000 + i // 20 + 1,
                depth=1,
                label=f"{i // 20 + 1}.",
                path=f"{i % 20 + 1}、/{i // 20 + 1}.",
                title=f"重点任务{i}",
                domain=bench_ledger.DOMAINS[i % len(bench_ledger.DOMAINS)],
                deadline=dt.date(2024, 3 * (i % 4 + 1), 28),
            )
            for i in range(n)
        ]
        Task.objects.bulk_create(items, batch_size=5000)
        TaskAssignment.objects.bulk_create(
            [
                TaskAssignment(task=t, unit_id=unit_ids[i % len(unit_ids)], role="lead")
                for i, t in enumerate(items)
            ],
            batch_size=5000,
        )
        reports = []
        for p in periods:
            month = int(p[-2:])
            for i, t in enumerate(items):
                if p == "2024-03" and i % 12 == 0:
                    continue  # about 8% missing in March
                submitted = dt.datetime(2024, month + 1, 1 + i % 12, 9)
                reports.append(
                    ProgressReport(
                        task=t,
                        unit_id=unit_ids[i % len(unit_ids)],
                        period=p,
                        status=statuses[i % len(statuses)],
                        narrative="按计划推进",
                        submitted_at=timezone.make_aware(submitted),
                    )
                )
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
    return plan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="10,000 ledger tasks instead of 100,000")
    args = ap.parse_args()
    scale = 10 if args.small else 1
    home = Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    bench_ledger.setup_django(home)
    from django.core.management import call_command
    from django.db import connection

    from luoshi.ledger.models import Plan, Task, Unit
    from luoshi.supervision import lights as core_lights
    from luoshi.supervision.reminders import ConsoleBackend, GuardedBackend
    from luoshi.supervision_web import bulletins, facts_from_db, reminders, services

    print(f"database: {connection.vendor}  instance: {home}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    n_tasks = 100_000 // scale
    print(f"1. generate {n_tasks:,} tasks, {3 * n_tasks:,} reports")
    bench_ledger.generate(50 // scale, 500 // scale, n_tasks, 3 * n_tasks)
    on = dt.date.today()
    plans = list(Plan.objects.all())
    leaves = Task.objects.filter(children__isnull=True).count()

    print(f"2. lights for every task ({leaves:,} leaf tasks in {len(plans)} plans)")

    def lights_from_db() -> int:
        facts = facts_from_db.load(plans)
        return len(core_lights.assess_all(facts.tasks, facts.reports, on, services.cadence_for(plans[0])))

    timed(f"lights from the database ({leaves:,} tasks)", 10, lights_from_db)
    timed(
        f"lights computed and stored ({leaves:,} TaskLight rows)", None, services.recompute_lights, on, plans
    )

    units = list(Unit.objects.values_list("id", flat=True)[:200])
    print("3. bulletin of a 10,000-task plan")
    plan = big_plan("万项任务方案", 10_000, ["2024-02", "2024-03"], units)
    made = dt.date(2024, 4, 11)  # the working day after the March reports were due
    fig = timed("figures (10,000 tasks, 19,000 reports)", None, bulletins.figures, plan, "2024-03", made)
    timed("Word", None, bulletins.render, fig, "docx")
    timed("Excel", None, bulletins.render, fig, "xlsx")
    formats = ["docx", "xlsx"]
    timed("figures + Word + Excel, stored (produce)", 5, bulletins.produce, plan, "2024-03", formats, on=made)
    try:
        timed("PDF", None, bulletins.render, fig, "pdf")
    except bulletins.BulletinError as e:
        print(f"  PDF skipped: {e}")

    print("4. reminders for 10,000 missing reports (console backend)")
    quiet = big_plan("万项催办方案", 10_000, ["2024-02"], units, done=False)
    due = dt.date(2024, 4, 10)
    with open(os.devnull, "w") as sink:
        backend = GuardedBackend(ConsoleBackend(sink), timeout=10)
        first = timed("send 10,000 reminders", 30, reminders.send_due, due, backend, [quiet])
        second = timed("run again: every one already sent", None, reminders.send_due, due, backend, [quiet])
        backend.close()
    print(f"  first run {first.as_dict()}, second run {second.as_dict()}")

    print("\nsummary")
    for label, seconds, verdict in ROWS:
        print(f"  {label:<58} {seconds:>9}  {verdict}")


if __name__ == "__main__":
    main()
