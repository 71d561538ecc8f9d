"""Benchmark of the city comparison page of an indicator.

    .venv/bin/python bench/bench_compare.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_compare.py

1. 50 cities and 20 monthly indicators over 120 months (120,000 observations), and a revision of
   every tenth figure of the compared indicator as a later vintage.
2. The comparison of 2 and of 12 cities on one indicator over the 120 months, as known now and
   as known on a day before the revisions (the as-of read): ``comparison.compare`` (one query
   and the formulas), the Excel workbook, and the whole page through Django's test client as a
   leader; median of 10 runs each.

The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch database. No
pass/fail: compare figures on the same machine (a CPU reference is printed before and after).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402

RUNS = 10


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from luoshi.accounts.models import Profile, Role
    from luoshi.indicators import comparison, services
    from luoshi.indicators.core.catalogue import IndicatorSpec
    from luoshi.indicators.models import Indicator
    from luoshi.ledger.models import City

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor}  before: {cpu_reference()}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cities = [City.objects.create(name=f"城市{c:02d}") for c in range(50)]
    entities = [services.city_entity(c) for c in cities]
    services.apply_catalogue([IndicatorSpec(f"指标{i:02d}", "亿元", frequency="month") for i in range(20)])
    indicators = list(Indicator.objects.order_by("name"))
    months = [f"{y}-{m:02d}" for y in range(2014, 2024) for m in range(1, 13)]
    first = timezone.make_aware(dt.datetime(2024, 2, 1, 9))
    t0 = time.perf_counter()
    services.record(
        [
            services.Figure(i, e, p, 100.0 + n + k * 0.5)
            for i in indicators
            for n, e in enumerate(entities)
            for k, p in enumerate(months)
        ],
        at=first,
    )
    target = indicators[0]
    services.record(
        [
            services.Figure(target, e, p, 99.0 + k)
            for e in entities
            for k, p in enumerate(months)
            if k % 10 == 0
        ],
        at=first + dt.timedelta(days=30),
    )
    print(
        f"1. 120,000 observations and {len(entities) * 12:,} revisions recorded in {time.perf_counter() - t0:.1f} s"
    )

    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.create_user("bench-leader")
    Profile.objects.create(user=leader, role=Role.LEADER, all_cities=True)
    client = Client()
    client.force_login(leader)
    print(f"2. one indicator over {len(months)} months, median of {RUNS} runs")
    for n in (2, 12):
        chosen = entities[:n]
        query = "&".join(f"entities={e.pk}" for e in chosen)
        for on, label in ((None, "now"), (dt.date(2024, 2, 15), "as known 2024-02-15")):
            page = f"/indicators/{target.pk}/compare/?{query}" + (f"&on={on}" if on else "")
            result = comparison.compare(target, chosen, on)
            assert client.get(page).status_code == 200
            print(
                f"   {n:>2} cities, {label:<20} compare {median_ms(lambda c=chosen, o=on: comparison.compare(target, c, o)):7.1f} ms"
                f"  workbook {median_ms(lambda r=result: comparison.workbook(target, r, dt.date(2024, 3, 1))):7.1f} ms"
                f"  page {median_ms(lambda p=page: client.get(p)):7.1f} ms"
            )
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
