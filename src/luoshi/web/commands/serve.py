"""``luoshi serve``: the web application behind waitress, configured from the environment.

One waitress process runs Python on one core at a time, so ``--workers N`` forks N processes
that each listen on the same port (SO_REUSEPORT: the kernel spreads connections over them) with
``--threads`` threads each. The parent only starts, restarts and stops them.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import socket
import sys
import time

# Python's default is 700 allocations; see _fewer_collections.
GC_YOUNG_THRESHOLD = 20_000


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
    p.add_argument("--threads", type=int, default=8, help="每个进程的工作线程数 (默认 8)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="工作进程数 (默认 1；多核机器上可设为 CPU 核数) / worker processes",
    )
    p.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from luoshi.web.commands._django import setup

    setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False)
    if args.workers > 1:
        if not hasattr(os, "fork") or not hasattr(socket, "SO_REUSEPORT"):
            print("luoshi serve: --workers needs fork and SO_REUSEPORT (Linux, BSD, macOS)", file=sys.stderr)
            return 2
        return serve_workers(args.host, args.port, workers=args.workers, threads=args.threads)
    serve(args.host, args.port, threads=args.threads)
    return 0


def serve(host: str, port: int, threads: int = 8, sockets: list[socket.socket] | None = None) -> None:
    """Serve the WSGI application until interrupted."""
    from waitress import serve as waitress_serve

    from luoshi.web.wsgi import application

    _fewer_collections()
    where = {"sockets": sockets} if sockets else {"host": host, "port": port}
    with contextlib.suppress(KeyboardInterrupt):
        waitress_serve(application, threads=threads, ident="luoshi", **where)


def _fewer_collections() -> None:
    """Spend less of each request in the cycle collector.

    A page allocates tens of thousands of short-lived objects, and with the default thresholds
    the collector ran dozens of times a page, now and then over the whole heap: the settings,
    URL maps, templates and translations loaded at start, none of which ever becomes garbage.
    ``freeze`` moves those out of its sight; the higher first threshold lets most of a page's
    objects be freed by reference counting before a collection looks at them.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.listen(1024)
    s.setblocking(False)
    return s


def _start_worker(host: str, port: int, threads: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    # The child: its own socket on the shared port, default signal handling, then waitress.
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        serve(host, port, threads=threads, sockets=[_listen(host, port)])
    except BaseException:  # noqa: BLE001 - a worker must never return into the parent's code
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def serve_workers(host: str, port: int, workers: int, threads: int) -> int:
    """Fork ``workers`` waitress processes on one port; restart any that dies; stop all on TERM/INT."""
    from django.db import connections

    connections.close_all()  # no database connection may be shared across fork
    _listen(host, port).close()  # fail here, once, when the port is taken
    children: dict[int, float] = {}
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        children[_start_worker(host, port, threads)] = time.monotonic()
    print(f"luoshi serve: http://{host}:{port}/ {workers} processes x {threads} threads", flush=True)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        if time.monotonic() - started < 5:
            print(f"luoshi serve: worker {pid} exited at start; stopping", file=sys.stderr, flush=True)
            stop(signal.SIGTERM, None)
            return 1
        children[_start_worker(host, port, threads)] = time.monotonic()
    return 0
