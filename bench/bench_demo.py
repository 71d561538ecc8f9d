"""How long `luoshi demo` takes to build its instance: import the examples and write six months of history.

    .venv/bin/python bench/bench_demo.py            # one build in a fresh temporary instance
    .venv/bin/python bench/bench_demo.py --runs 3   # the best and the median of three

Each run is `luoshi demo --no-serve` in a fresh child process and a fresh instance folder (SQLite),
as a new user runs it: migrations, the four example plans, the accounts, the reports, notices and
bulletins of `luoshi.web.demo_history`. It prints the wall time and the child's CPU time (target:
the demo serving within a minute of `scripts/demo`), then what the demo holds: reports, notices,
bulletins and the lights. A CPU reference is printed before and after, as in bench_ledger.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = 60.0
SUMMARY = """
from collections import Counter
from luoshi.ledger.models import Plan, ProgressReport
from luoshi.supervision_web import services
from luoshi.supervision_web.models import Bulletin, SupervisionNotice
from luoshi.web import clock
lights = Counter()
for plan in Plan.objects.all():
    lights.update(row.light.colour for row in services.plan_lights(plan, clock.today()))
total = sum(lights.values())
print(f"plans {Plan.objects.count()}  reports {ProgressReport.objects.count()}  "
      f"notices {SupervisionNotice.objects.count()}  bulletins {Bulletin.objects.count()}")
print("lights " + "  ".join(f"{c} {lights[c]} ({lights[c] * 100 / total:.0f}%)" for c in ("green", "yellow", "red")))
"""


def luoshi(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LUOSHI_", "DATABASE_URL"))}
    env["LUOSHI_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    print(f"before: {cpu_reference()}")
    walls, cpus = [], []
    home = None
    for n in range(args.runs):
        home = Path(tempfile.mkdtemp(prefix="luoshi-bench-demo-"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        luoshi(home, "demo", "--no-serve")
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        walls.append(wall)
        cpus.append(cpu)
        verdict = "ok" if wall < TARGET else f"OVER {TARGET:g} s"
        print(f"  run {n + 1}: demo build {wall:6.1f} s wall, {cpu:6.1f} s CPU  {verdict}", flush=True)
    if args.runs > 1:
        print(f"  best {min(walls):.1f} s, median {statistics.median(walls):.1f} s wall")
    shown = luoshi(home, "manage", "shell", "-c", SUMMARY).stdout.splitlines()
    print("\n".join(line for line in shown if line.startswith(("plans", "lights"))))
    print(f"after: {cpu_reference()}")


if __name__ == "__main__":
    main()
