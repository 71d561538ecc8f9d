"""``luoshi manage …``: Django's management commands (migrate, createsuperuser, create_api_token…)."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi manage``."""
    p = subparsers.add_parser(
        "manage",
        help="Django 管理命令 / Django management commands",
        description="把其余参数交给 Django 的 manage.py，例如 luoshi manage migrate。",
        add_help=False,
    )
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from luoshi.web.commands._django import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["luoshi manage", *args.args])
    return 0
