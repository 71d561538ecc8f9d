"""Benchmark of the indicator entities and the ledger's links to them.

    .venv/bin/python bench/bench_entities.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_entities.py

1. Entities from the ledger: 50 cities make 50 city entities, 1,225 pairs and the area (first
   sync), then a sync that finds nothing to do (it runs before every table import).
2. A merge of two city entities with 60,000 observations each (500 indicators x 120 months).
3. 500 targets linked to indicators with a figure each: ``measured`` (the task page, the lights).
4. 200 reports with values on linked targets: the report with its observation, per report;
   then 200 more with the feed switched off, to compare.

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database. No
pass/fail: compare figures on the same machine (a CPU reference is printed before and after).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<62} {time.perf_counter() - t0:8.3f} s", flush=True)
    return result


def main() -> None:
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from luoshi.indicators import entities, links, services
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.models import Entity, Indicator, Observation
    from luoshi.ledger.models import City, Plan, ProgressReport, Task, TaskTarget, Unit

    print(f"database: {connection.vendor}  before: {cpu_reference()}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cities = [City.objects.create(name=f"城市{c:02d}") for c in range(50)]
    print("1. entities from the ledger's 50 cities")
    result = timed("first sync: cities, pairs, area", entities.sync_from_ledger)
    print(f"   created {len(result.created):,}; entities {Entity.objects.count():,}")
    timed("second sync (nothing to add)", entities.sync_from_ledger)

    print("2. merge two city entities of 60,000 observations each")
    services.apply_catalogue([IndicatorSpec(f"指标{i:03d}", "个", frequency="month") for i in range(500)])
    indicators = list(Indicator.objects.all())
    keep = Entity.objects.get(city=cities[0], kind="city")
    extra = City.objects.create(name="城市00（重复）")
    dup = entities.create_entity("city", "城市00旧", city=extra)
    months = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]
    for entity in (keep, dup):
        services.record([services.Figure(i, entity, p, 1.0) for i in indicators for p in months])
    merged = timed("merge (every reference moved, one transaction)", entities.merge, keep, dup)
    print(f"   moved {merged.moved:,}, overlapping periods {merged.overlaps:,}")

    print("3. 500 linked targets: their latest figures and progress")
    user = get_user_model().objects.create_user("bench")
    plan = Plan.objects.create(title="基准方案", city=cities[1], year=2024)
    unit = Unit.objects.create(name="市交通运输局", city=cities[1])
    city = Entity.objects.get(city=cities[1], kind="city")
    targets = []
    for n, indicator in enumerate(indicators):
        task = Task.objects.create(plan=plan, title=f"任务{n}", position=n)
        target = TaskTarget.objects.create(task=task, metric=indicator.name, unit="个", value=100, text="")
        links.link_target(target, indicator, by=user)
        targets.append(target)
    services.record([services.Figure(i, city, "2024-06", 50.0) for i in indicators])
    found = timed("measured(500 targets)", links.measured, targets)
    print(f"   measured {sum(m.latest is not None for m in found.values())}")

    print("4. 200 reports with values on linked targets")
    from luoshi.ledger.services import submit_report

    now = timezone.make_aware(dt.datetime(2024, 7, 5, 9))
    t0 = time.perf_counter()
    for target in targets[:200]:
        submit_report(
            target.task,
            user,
            period="2024-06",
            status="推进中",
            narrative="推进",
            values={target.pk: 60},
            now=now,
            as_unit=unit,
        )
    seconds = time.perf_counter() - t0
    print(
        f"  {'200 reports, each with its observation':<62} {seconds:8.3f} s  ({seconds / 200 * 1000:.1f} ms each)"
    )
    print(
        f"   reports {ProgressReport.objects.count()}, observations from the ledger "
        f"{Observation.objects.filter(report_value__isnull=False).count()}"
    )
    from luoshi.indicators.ledger_feed import on_report
    from luoshi.ledger.services import report_values_added

    report_values_added.disconnect(on_report, dispatch_uid="indicators-ledger-feed")
    t0 = time.perf_counter()
    for target in targets[200:400]:
        submit_report(
            target.task,
            user,
            period="2024-06",
            status="推进中",
            narrative="推进",
            values={target.pk: 60},
            now=now,
            as_unit=unit,
        )
    seconds = time.perf_counter() - t0
    print(
        f"  {'200 reports with the feed switched off (for comparison)':<62} {seconds:8.3f} s  ({seconds / 200 * 1000:.1f} ms each)"
    )
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
