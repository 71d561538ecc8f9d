"""``luoshi bulletin``: a plan's bulletin for a period as Word, PDF and Excel files (same as the web button)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi bulletin``."""
    p = subparsers.add_parser(
        "bulletin",
        help="生成通报 / produce a bulletin",
        description="生成一个方案某期的通报（Word、PDF、Excel），与网页上的按钮同一份文件。",
    )
    p.add_argument("--plan", required=True, help="方案编号或标题 / plan id or exact title")
    p.add_argument("--period", required=True, help="期间：2024-03（月）、2024-Q1（季度）、2024-H1（半年）或 2024（年）")
    p.add_argument("-o", "--output", default=".", help="输出目录 / output folder (default: .)")
    p.add_argument("--format", default="docx,pdf,xlsx", help="逗号分隔：docx,pdf,xlsx")
    p.add_argument("--on", help="通报日期（YYYY-MM-DD，默认今天）：只统计当日已到期的报送")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Produce the files, print their paths; one line on stderr and exit 1 when it cannot."""
    from luoshi.web.commands._django import setup

    setup()
    from luoshi.ledger.models import Plan
    from luoshi.supervision_web import bulletins

    try:
        on = dt.date.fromisoformat(args.on) if args.on else None
    except ValueError:
        print(f"luoshi bulletin: 日期“{args.on}”格式不正确，应写作 2024-04-15", file=sys.stderr)
        return 1
    try:
        formats = bulletins.parse_formats(args.format)
        plans = (
            Plan.objects.filter(pk=int(args.plan))
            if args.plan.isdigit()
            else Plan.objects.filter(title=args.plan)
        )
        if plans.count() != 1:
            raise bulletins.BulletinError(
                f"方案“{args.plan}”{'不存在' if not plans.exists() else '有重名，请用编号'}"
            )
        row, files = bulletins.produce(plans.get(), args.period, formats, on=on)
    except bulletins.BulletinError as e:
        print(f"luoshi bulletin: {e}", file=sys.stderr)
        return 1
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for fmt, data in files.items():
        path = out / f"bulletin-{row.plan_id}-{row.period}.{fmt}"
        path.write_bytes(data)
        print(path)
    return 0
