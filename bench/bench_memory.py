"""Peak memory of the pages that read many tasks, with one big plan imported.

    .venv/bin/python bench/bench_memory.py            # a 4,000-item plan, ~290,000 characters
    .venv/bin/python bench/bench_memory.py --items 1000
    .venv/bin/python bench/bench_memory.py --parse [--compare OTHER/src] [--sizes 1,5,10]

1. Make a throw-away instance (SQLite in a temporary folder), import a generated plan of
   ``--items`` items through the same upload and commit as the import page; one unit leads
   every item and another supports every item, so their reporters see all of them.
2. For each page, in this process through Django's test client: reset the kernel's peak
   resident size (``/proc/self/clear_refs``), note the resident size, ask for the page, then
   read the peak (``VmHWM``) and, after a garbage collection, the resident size again. Growth is
   peak minus before; "kept" is after minus before (memory the page did not give back).
3. A CPU reference is printed before and after, as in bench_ledger.py: figures of two runs
   compare only when it is alike.

The target is under 100 MB of growth per page. Linux only (it reads /proc).

``--parse`` measures the text engine's command instead: ``luoshi parse FILE --format json -o OUT``
on files of ``--sizes`` MB of two kinds (bench_parse's (e): the dev documents end to end, which
read as few items, and a plan of many items made of their bodies), each measured in two fresh
processes after a warm-up parse of a small file: one reads tracemalloc's peak (what Python
allocates: not moved by the machine's load), the other the growth of the peak resident size
(``VmHWM`` after ``/proc/self/clear_refs``). Both are printed as MB and as MB per MB of file.
``--compare SRC`` measures another source tree (say main's ``src`` from ``git archive``) beside
this one in the same run, the two trees alternated file by file.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import cpu_reference  # noqa: E402

SECTIONS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
            "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"]  # fmt: skip
TARGET_MB = 100


def plan_text(items: int) -> str:
    """A plan of about ``items`` items (一、 → （一） → 1.), each item about seventy characters long."""
    per = max(1, items // (len(SECTIONS) * 10))
    lines = ["某市都市圈同城化发展年度工作方案", "各牵头单位每月报送1次工作进展。"]
    for a, name in enumerate(SECTIONS):
        lines.append(f"{name}、推进第{a + 1}方面重点工作")
        for b, sub in enumerate(SECTIONS[:10]):
            lines.append(f"（{sub}）落实第{a + 1}方面第{b + 1}组任务")
            lines += [
                f"{k}.完成第{a + 1}方面第{b + 1}组第{k}项任务，年底前新增项目{k}个以上，形成可复制推广经验，按月报送进展。"
                f"（牵头单位：市发展改革局；配合单位：市统计局）"
                for k in range(1, per + 1)
            ]
    return "\n".join(lines) + "\n"


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def measure(label: str, fetch) -> tuple[float, float, float]:
    """(growth MB, kept MB, seconds) of one request made by ``fetch``."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")  # resets VmHWM to the current resident size
    before = _status()["VmRSS"]
    t0 = time.perf_counter()
    response = fetch()
    seconds = time.perf_counter() - t0
    peak = _status()["VmHWM"]
    size = len(response.content)
    response_status = response.status_code
    del response
    gc.collect()
    after = _status()["VmRSS"]
    growth, kept = (peak - before) / 2**20, (after - before) / 2**20
    label = f"{label} [{response_status}]"
    verdict = "ok" if growth < TARGET_MB else f"OVER {TARGET_MB} MB"
    print(
        f"  {label:<26} before {before / 2**20:6.0f} MB  peak +{growth:7.1f} MB  kept +{kept:6.1f} MB  "
        f"{seconds:6.2f} s  {size / 1024:8.0f} KB  {verdict}"
    )
    return growth, kept, seconds


PAGES = ["export", "mine", "ledger", "task"]
LABELS = {
    "export": "ledger export (.xlsx)",
    "mine": "我的任务 (reporter)",
    "ledger": "ledger page",
    "task": "task page",
}


def setup_django(home: Path) -> None:
    os.environ.update(
        LUOSHI_HOME=str(home),
        LUOSHI_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        LUOSHI_SECURE_COOKIES="false",
        LUOSHI_ALLOWED_HOSTS="testserver",
        LUOSHI_MAX_UPLOAD_MB="50",
        DJANGO_SETTINGS_MODULE="luoshi.web.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(home: Path, items: int) -> None:
    """The instance: an office, the imported plan, a reporter of the unit supporting every item."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from luoshi.accounts.models import Profile
    from luoshi.ledger import importing
    from luoshi.ledger.models import City, Unit

    call_command("migrate", verbosity=0, interactive=False)
    users = get_user_model().objects
    office = users.create_user("office", password="Bench-Memory-42")
    Profile.objects.create(user=office, role="office")
    city = City.objects.create(name="某市")
    text = plan_text(items)
    t0 = time.perf_counter()
    session = importing.start_import(SimpleUploadedFile("big.txt", text.encode()), office)
    plan = importing.commit_import(session, office, city=city)
    print(
        f"imported {plan.tasks.count():,} tasks, {len(text):,} characters of source, "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    reporter = users.create_user("reporter", password="Bench-Memory-42")
    Profile.objects.create(user=reporter, role="reporter", unit=Unit.objects.get(name="市统计局", city=city))


def measure_page(page: str) -> None:
    """In a fresh process: one request for ``page`` after a warm-up on another page."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from luoshi.ledger.models import Task

    users = get_user_model().objects
    client = Client()
    who = "reporter" if page == "mine" else "office"
    client.force_login(users.get(username=who), backend="luoshi.accounts.backends.LockoutBackend")
    task = Task.objects.filter(children__isnull=True).order_by("position").last()
    url = {
        "export": "/ledger/export.xlsx",
        "mine": "/mine/",
        "ledger": "/ledger/",
        "task": f"/tasks/{task.pk}/",
    }[page]
    client.get("/plans/")  # templates, translations and the URL map loaded before measuring
    response = measure(LABELS[page], lambda: client.get(url))
    print(f"RESULT {response[0]:.1f}")


# ---------------------------------------------------------------- --parse: the text engine's command

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"

# In a fresh process: a warm-up parse of a small file (imports, rule tables, regular expressions),
# then the command on the big file, measured one way or the other. Prints "peak_bytes seconds".
_PARSE_CHILD = """
import sys, time
from luoshi.cli import main
how, small, big, out = sys.argv[1:5]
assert main(["parse", small, "--format", "json", "-o", out]) == 0
def status(key):
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(ln.split()[1]) * 1024 for ln in f if ln.startswith(key + ":"))
if how == "tracemalloc":
    import tracemalloc
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
else:
    import gc
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")  # VmHWM starts again from the present resident size
    base = status("VmRSS")
t0 = time.perf_counter()
rc = main(["parse", big, "--format", "json", "-o", out])
seconds = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if how == "tracemalloc" else status("VmHWM")
print(peak - base, seconds)
sys.exit(rc)
"""


def _parse_peak(how: str, src: Path, small: Path, big: Path, out: Path) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", _PARSE_CHILD, how, str(small), str(big), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["?"])[-1])
    peak, seconds = proc.stdout.split()[-2:]
    return int(peak), float(seconds)


def parse_memory(sizes: list[float], compare: Path | None, dev: Path) -> None:
    """The command's peak memory on big files, as MB per MB of file, for this tree (and another)."""
    from bench_parse import MB, _end_to_end, _many_items
    from bench_parse import cpu_reference as parse_cpu_reference

    sys.path.insert(0, str(ROOT / "src"))  # the file generators read with this tree's engine
    texts = [p.read_text("utf-8") for p in sorted(dev.glob("*.txt"))]
    smallest = min(dev.glob("*.txt"), key=lambda p: p.stat().st_size)
    trees = [("this tree", ROOT / "src")] + ([("compared", compare)] if compare else [])
    print(f"luoshi parse FILE --format json -o OUT; documents from {dev}")
    print(f"before: {parse_cpu_reference()}")
    print(f"{'file':<24} {'MB':>5}  {'tree':<10} {'tracemalloc peak':>22} {'VmHWM growth':>20} {'time':>7}")
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-parse-memory-") as tmp:
        for kind, make in (("documents end to end", _end_to_end), ("a plan of many items", _many_items)):
            for mb in sizes:
                big = Path(tmp) / "big.txt"
                big.write_text(make(texts, mb * MB), "utf-8")
                size = big.stat().st_size / 2**20
                for name, src in trees:
                    try:
                        traced, _ = _parse_peak("tracemalloc", src, smallest, big, Path(tmp) / "out.json")
                        rss, seconds = _parse_peak("rss", src, smallest, big, Path(tmp) / "out.json")
                    except RuntimeError as e:
                        print(f"{kind:<24} {mb:>5g}  {name:<10} failed: {e}")
                        continue
                    t, r = traced / 2**20, rss / 2**20
                    print(
                        f"{kind:<24} {mb:>5g}  {name:<10} {t:8.1f} MB ({t / size:5.2f}/MB) "
                        f"{r:7.1f} MB ({r / size:5.2f}/MB) {seconds:6.1f}s"
                    )
    print(f"after: {parse_cpu_reference()}")
    print("MB are 2**20 bytes; per MB is memory per MB of file (UTF-8).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=4000, help="items in the generated plan (default 4000)")
    ap.add_argument(
        "--parse", action="store_true", help="measure `luoshi parse` on big files instead of pages"
    )
    ap.add_argument("--sizes", default="1,5,10", help="with --parse: file sizes in MB (default 1,5,10)")
    ap.add_argument(
        "--compare", type=Path, help="with --parse: another tree's src folder, measured beside this one"
    )
    ap.add_argument(
        "--dev",
        type=Path,
        default=DEV,
        help="with --parse: folder of .txt plans (default ../shared/eval/dev)",
    )
    ap.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--page", choices=PAGES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.parse:
        parse_memory([float(x) for x in args.sizes.split(",") if x.strip()], args.compare, args.dev)
        return
    if args.page:
        setup_django(args.home)
        measure_page(args.page)
        return

    home = Path(tempfile.mkdtemp(prefix="luoshi-bench-memory-"))
    setup_django(home)
    print(f"instance: {home}  {cpu_reference()}")
    build(home, args.items)
    print(f"peak resident-size growth per request, each in a fresh process (target under {TARGET_MB} MB):")
    worst = 0.0
    for page in PAGES:
        out = subprocess.run(
            [sys.executable, __file__, "--home", str(home), "--page", page],
            capture_output=True,
            text=True,
            check=False,
        )
        lines = out.stdout.splitlines()
        for line in lines:
            if line.startswith("RESULT "):
                worst = max(worst, float(line.split()[1]))
            else:
                print(line)
        if out.returncode:
            print(out.stderr[-2000:])
    print(f"worst growth: {worst:.1f} MB  after: {cpu_reference()}")


if __name__ == "__main__":
    main()
