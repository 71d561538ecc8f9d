"""``luoshi serve``: the web application behind waitress, configured from the environment."""

from __future__ import annotations

import argparse
import contextlib


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi serve``."""
    p = subparsers.add_parser(
        "serve",
        help="生产环境启动网站（waitress）/ serve the web application",
        description="用 waitress 启动网站。配置来自环境变量：LUOSHI_SECRET_KEY、DATABASE_URL、"
        "LUOSHI_ALLOWED_HOSTS、LUOSHI_HOME 等（见 src/luoshi/web/env.py）。",
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址 (默认 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="端口 (默认 8000)")
    p.add_argument("--threads", type=int, default=8, help="工作线程数 (默认 8)")
    p.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from luoshi.web.commands._django import setup

    setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False)
    serve(args.host, args.port, threads=args.threads)
    return 0


def serve(host: str, port: int, threads: int = 8) -> None:
    """Serve the WSGI application until interrupted."""
    from waitress import serve as waitress_serve

    from luoshi.web.wsgi import application

    with contextlib.suppress(KeyboardInterrupt):
        waitress_serve(application, host=host, port=port, threads=threads, ident="luoshi")
