"""How fast supervision and bulletins are on large synthetic plans.

Run from the repository root:  .venv/bin/python bench/bench_supervision.py [--tasks N] [--seed S]
Measures (a) lights for 100,000 tasks, (b) a bulletin for a 10,000-task plan (figures, Word, PDF,
Excel) and (c) computing and sending reminders for 10,000 missing reports through the console
backend writing to a null stream. Prints figures only; there are no pass/fail thresholds.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from luoshi.bulletins import docx_render, pdf_render, xlsx_render
from luoshi.bulletins.figures import compute
from luoshi.supervision.facts import NoticeFacts, ReportFacts, TargetFacts, TaskFacts
from luoshi.supervision.lights import assess_all
from luoshi.supervision.reminders import ConsoleBackend, GuardedBackend, due_reminders, send_due
from luoshi.supervision.reporting_calendar import Cadence, due_date

DOMAINS = ("交通互联", "产业协作", "科技创新", "公共服务", "生态环保", "营商环境", "规划协同", "开放合作")
CITIES = ("成都", "德阳", "眉山", "资阳", "深圳", "中山", "惠州", "东莞")
UNIT_KINDS = (
    "发展改革委",
    "交通运输局",
    "工业和信息化局",
    "教育局",
    "卫生健康委",
    "生态环境局",
    "商务局",
    "科技局",
)
STATUSES = ("推进中", "推进中", "推进中", "已完成", "滞后", "未启动")
MONTHLY = Cadence("month", 10)


def synthetic(n: int, seed: int) -> tuple[list[TaskFacts], list[ReportFacts], list[NoticeFacts]]:
    """n tasks of a 2024 plan with January to March reports (about 8% missing in March) and a few notices."""
    rng = random.Random(seed)
    tasks, reports, notices = [], [], []
    for i in range(1, n + 1):
        city = rng.choice(CITIES)
        unit = f"{city}市{rng.choice(UNIT_KINDS)}"
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 60))
        deadline = date(2024, rng.choice((3, 6, 9, 12)), 28)
        targets = (TargetFacts("新增项目", "个", goal=rng.randrange(5, 50), achieved=rng.randrange(0, 30)),)
        tasks.append(
            TaskFacts(
                id=str(i),
                label_path=f"{i // 100 + 1}、（{i % 10 + 1}）{i % 7 + 1}.",
                title=f"推进第{i}项重点合作任务",
                plan_title="2024年都市圈建设工作方案",
                domain=rng.choice(DOMAINS),
                city=city,
                lead_unit=unit,
                support_units=(f"{rng.choice(CITIES)}市{rng.choice(UNIT_KINDS)}",),
                start=start,
                deadline=deadline,
                targets=targets if i % 3 == 0 else (),
            )
        )
        for month in (1, 2, 3):
            if month == 3 and rng.random() < 0.08:
                continue
            submitted = datetime(2024, month + 1, rng.randrange(1, 16), 9)
            status = rng.choice(STATUSES)
            pct = None if i % 5 == 0 else float(rng.randrange(0, 101))
            reports.append(
                ReportFacts(
                    f"r{i}-{month}", str(i), f"2024-{month:02d}", unit, submitted, status, pct, "按计划推进"
                )
            )
        if i % 50 == 0:
            notices.append(
                NoticeFacts(f"督办〔2024〕{i // 50}号", str(i), "issued", date(2024, 4, 1), date(2024, 4, 8))
            )
    return tasks, reports, notices


def _timed(fn):
    """(result, seconds)."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    """Measure and print the three figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lights", type=int, default=100_000, help="tasks for the lights run (default 100000)")
    p.add_argument("--bulletin", type=int, default=10_000, help="tasks in the bulletin plan (default 10000)")
    p.add_argument("--reminders", type=int, default=10_000, help="missing reports to remind (default 10000)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    print(f"luoshi supervision benchmark: Python {platform.python_version()}, {os.cpu_count()} cores\n")
    rows: list[tuple[str, str, str]] = []

    (tasks, reports, _), made = _timed(lambda: synthetic(args.lights, args.seed))
    lights, took = _timed(lambda: assess_all(tasks, reports, date(2024, 4, 15), MONTHLY))
    red = sum(1 for light in lights.values() if light.colour == "red")
    rows.append((f"lights, {len(tasks):,} tasks, {len(reports):,} reports", f"{took:.2f} s", "target < 10 s"))
    rows.append(("  (making the synthetic data)", f"{made:.2f} s", f"{red:,} red"))

    tasks, reports, notices = synthetic(args.bulletin, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        bulletin, t_fig = _timed(lambda: compute(tasks, reports, notices, "2024-03", issuer="都市圈办公室"))
        _, t_docx = _timed(lambda: docx_render.render(bulletin, out / "b.docx"))
        try:
            _, t_pdf = _timed(lambda: pdf_render.render(bulletin, out / "b.pdf"))
        except pdf_render.FontNotFound as exc:
            print(exc, file=sys.stderr)
            t_pdf = float("nan")
        _, t_xlsx = _timed(lambda: xlsx_render.render(bulletin, out / "b.xlsx"))
        sizes = {
            ext: (out / f"b.{ext}").stat().st_size // 1000
            for ext in ("docx", "pdf", "xlsx")
            if (out / f"b.{ext}").exists()
        }
    total = t_fig + t_docx + t_pdf + t_xlsx
    rows.append((f"bulletin, {len(tasks):,} tasks: total", f"{total:.2f} s", "target < 5 s"))
    rows.append(("  figures", f"{t_fig:.2f} s", f"{len(bulletin.red_tasks):,} red tasks (body lists 50)"))
    rows.append(("  Word", f"{t_docx:.2f} s", f"{sizes.get('docx', 0):,} KB"))
    rows.append(("  PDF", f"{t_pdf:.2f} s", f"{sizes.get('pdf', 0):,} KB"))
    rows.append(("  Excel", f"{t_xlsx:.2f} s", f"{sizes.get('xlsx', 0):,} KB"))

    tasks, _, _ = synthetic(args.reminders, args.seed)
    due = due_date(MONTHLY, "2024-03")
    with open(os.devnull, "w", encoding="utf-8") as null:
        backend = ConsoleBackend(null)
        reminders, t_due = _timed(lambda: due_reminders(tasks, [], due, date(2024, 4, 15)))
        result, t_send = _timed(lambda: send_due(reminders, backend, set()))
        guarded = GuardedBackend(ConsoleBackend(null), timeout=5)
        result_g, t_guarded = _timed(lambda: send_due(reminders, guarded, set()))
        guarded.close()
    rows.append(
        (f"reminders, {len(reminders):,} due: compute + send", f"{t_due + t_send:.2f} s", "target < 30 s")
    )
    rows.append(("  compute", f"{t_due:.2f} s", ""))
    rows.append(("  send (console to null)", f"{t_send:.2f} s", f"{len(result.sent):,} sent"))
    rows.append(("  send through GuardedBackend", f"{t_guarded:.2f} s", f"{len(result_g.sent):,} sent"))
    _print(rows)
    return 0


def _print(rows: list[tuple[str, str, str]]) -> None:
    """A three-column table."""
    width = max(len(r[0]) for r in rows)
    buf = io.StringIO()
    for name, value, note in rows:
        buf.write(f"{name:<{width}}  {value:>9}  {note}\n")
    print(buf.getvalue(), end="")


if __name__ == "__main__":
    raise SystemExit(main())
