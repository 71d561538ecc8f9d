"""``luoshi demo``: a ready-to-click ledger on this machine, from the example plans."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi demo``."""
    p = subparsers.add_parser(
        "demo",
        help="演示：建库、导入示例方案并启动网站 / set up a demo instance and serve it",
        description="在实例目录（默认 ./var 或 $LUOSHI_HOME）建立 SQLite 数据库，导入 examples/ 中的方案，"
        "为每种角色建立演示账户并在 127.0.0.1 上启动网站。可重复运行。",
    )
    p.add_argument("--port", type=int, default=8000, help="端口 (默认 8000)")
    p.add_argument("--examples", type=Path, default=None, help="示例方案目录 (默认 examples/)")
    p.add_argument("--no-serve", action="store_true", help="只建库导入，不启动网站 / set up only")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from luoshi.web.commands._django import setup

    setup(create_secret=True, demo=True)
    from django.conf import settings
    from django.core.management import call_command

    from luoshi.web.demo import ACCOUNTS, seed

    call_command("migrate", verbosity=0, interactive=False)
    examples = args.examples or _examples_dir()
    imported = seed(examples)
    print(f"实例目录 / instance: {settings.INSTANCE}")
    print(f"导入方案 / plans imported this run: {imported}")
    print("演示账户（仅供演示）/ demo accounts (demo only):")
    from luoshi.web.demo_proposals import COMMITTEE, MEMBER

    for username, password, label in [*ACCOUNTS, COMMITTEE, MEMBER]:
        print(f"  {label:<12} {username:<10} {password}")
    if args.no_serve:
        return 0
    from luoshi.web.commands.serve import serve

    print(f"打开 / open: http://127.0.0.1:{args.port}/   (Ctrl+C 结束 / to stop)")
    serve("127.0.0.1", args.port, threads=8)
    return 0


def _examples_dir() -> Path:
    here = Path.cwd() / "examples"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[4] / "examples"
