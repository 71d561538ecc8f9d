"""The ``luoshi`` command: a thin dispatcher; each command lives with its domain."""

from __future__ import annotations

import argparse
import importlib
import sys

# Command modules are imported lazily so that `luoshi parse` never loads the web stack.
COMMANDS = {
    "parse": "luoshi.textplan.command",
    "demo": "luoshi.web.commands.demo",
    "serve": "luoshi.web.commands.serve",
    "manage": "luoshi.web.commands.manage",
    "bulletin": "luoshi.supervision_web.commands.bulletin",
    "worker": "luoshi.supervision_web.commands.worker",
    "schedule": "luoshi.supervision_web.commands.schedule",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="luoshi", description="落实: 工作方案解析、台账、督办与通报")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for _name, module in COMMANDS.items():
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
