"""``luoshi serve``: the web application behind waitress, configured from the environment.

One waitress process runs Python on one core at a time, so ``--workers N`` forks N processes
that each listen on the same port (SO_REUSEPORT: the kernel spreads connections over them) with
``--threads`` threads each. The parent only starts, restarts and stops them.

Before serving it runs Django's deployment checks and refuses to start on any security warning
(DEBUG on, a short secret key, cookies that are not secure…) unless ``--insecure`` says this is a
demo on one's own machine. Waitress is bounded (``waitress_options``): request bodies no larger
than the upload limit, a limited number of connections, and a request whose client has hung up
while it waited is dropped before it costs anything (``web.middleware.DropGoneClientsMiddleware``).
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
# Room for a form's other fields and the multipart framing around an upload of the largest size.
BODY_MARGIN = 1024 * 1024
# Connections beyond LUOSHI_CONNECTION_LIMIT wait in the kernel's accept queue, this long at most.
BACKLOG = 128
# Requests read ahead on one connection while its first one runs: reading on is what lets waitress
# see that the client has hung up.
LOOKAHEAD = 5


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
    p.add_argument(
        "--insecure",
        action="store_true",
        help="跳过部署安全检查（仅供本机演示）/ serve despite failed deploy checks (local demo only)",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from luoshi.web.commands._django import setup

    setup()
    if refused_for_several_machines("luoshi serve"):
        return 2
    problems = deploy_problems()
    if problems and not args.insecure:
        print("luoshi serve: refusing to serve, the deployment checks failed:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("(fix the settings, or add --insecure for a local demo)", file=sys.stderr)
        return 2
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


def refused_for_several_machines(command: str) -> bool:
    """Print why and return True when LUOSHI_APP_HOSTS names several machines that would not share
    their caches or their files (see env.shared_services_missing)."""
    from luoshi.web import env

    try:
        problems = env.shared_services_missing()
    except env.SettingError as e:
        problems = [str(e)]
    if problems:
        print(f"{command}: refusing to start, the machines would not share what they must:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
    return bool(problems)


def deploy_problems() -> list[str]:
    """Django's deployment checks that fail (errors, and security warnings), one line each."""
    from django.core import checks

    found = checks.run_checks(include_deployment_checks=True)
    return [
        f"{m.id}: {m.msg}"
        for m in found
        if not m.is_silenced() and (m.level >= checks.ERROR or (m.id or "").startswith("security."))
    ]


def waitress_options(threads: int = 8) -> dict:
    """Waitress's settings: the proxy to trust (from the environment) and the bounds on requests."""
    from django.conf import settings

    from luoshi.web import env

    options = {
        "threads": threads,
        "ident": "luoshi",
        "max_request_body_size": settings.MAX_UPLOAD_BYTES + BODY_MARGIN,
        "connection_limit": env.get_int("LUOSHI_CONNECTION_LIMIT"),
        "backlog": BACKLOG,
        "channel_request_lookahead": LOOKAHEAD,
        "expose_tracebacks": False,
        "clear_untrusted_proxy_headers": True,
    }
    proxy = env.get("LUOSHI_TRUSTED_PROXY")
    if proxy:
        options.update(
            trusted_proxy=proxy,
            trusted_proxy_count=env.get_int("LUOSHI_TRUSTED_PROXY_COUNT"),
            trusted_proxy_headers=" ".join(env.get_list("LUOSHI_TRUSTED_PROXY_HEADERS")),
        )
    return options


def serve(host: str, port: int, threads: int = 8, sockets: list[socket.socket] | None = None) -> None:
    """Serve the WSGI application until interrupted."""
    from waitress import serve as waitress_serve

    from luoshi.web.wsgi import application

    _fewer_collections()
    _warm_suggestion()
    where = {"sockets": sockets} if sockets else {"host": host, "port": port}
    with contextlib.suppress(KeyboardInterrupt):
        waitress_serve(application, **waitress_options(threads), **where)


def _warm_suggestion() -> None:
    """Load what the first unit suggestion needs (jieba, scikit-learn, the past proposals' words)
    in a background thread of this process, so start-up does not wait and the first 交办 page does
    not either; a database without assigned proposals loads nothing."""
    from luoshi.proposals import suggesting

    suggesting.warm_up_in_background()


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
