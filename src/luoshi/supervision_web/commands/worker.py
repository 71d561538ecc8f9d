"""``luoshi worker``: run queued background jobs (LUOSHI_TASKS=database) from the shared database."""

from __future__ import annotations

import argparse
import multiprocessing


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi worker``."""
    p = subparsers.add_parser(
        "worker",
        help="后台任务进程 / background job worker",
        description="从数据库队列领取并执行后台任务（催办、亮灯、通报）。可在多台机器上同时运行。",
    )
    p.add_argument("--queue", default="default,reminders,bulletins", help="逗号分隔的队列名，* 表示全部")
    p.add_argument("--processes", type=int, default=1, help="本机启动的工作进程数")
    p.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")
    p.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
    p.add_argument(
        "--requeue-after",
        type=float,
        default=1800,
        help="启动时把运行超过此秒数的任务重新排队（其工作进程已中断）",
    )
    p.set_defaults(func=run)
    return p


def _work(queue: str, batch: bool, interval: float) -> None:
    """One worker process: Django's db_worker command of django-tasks-db."""
    from luoshi.web.commands._django import setup

    setup()
    from django.core.management import call_command

    opts = ["--queue-name", queue, "--interval", str(interval), "--no-startup-delay", "--no-reload"]
    call_command("db_worker", *opts, *(["--batch"] if batch else []))


def run(args: argparse.Namespace) -> int:
    """Re-queue jobs of dead workers, then start `--processes` workers and wait for them."""
    import datetime as dt

    from luoshi.web.commands._django import setup

    setup()
    from luoshi.supervision_web.tasks import requeue_stale
    from luoshi.web.commands.serve import refused_for_several_machines

    # A worker on another machine writes bulletins and changes what pages show: it needs the same
    # shared cache and file store as the app servers.
    if refused_for_several_machines("luoshi worker"):
        return 2

    if n := requeue_stale(dt.timedelta(seconds=args.requeue_after)):
        print(f"luoshi worker: {n} 个中断的任务已重新排队", flush=True)
    if args.processes <= 1:
        _work(args.queue, args.batch, args.interval)
        return 0
    procs = [
        multiprocessing.get_context("spawn").Process(
            target=_work, args=(args.queue, args.batch, args.interval)
        )
        for _ in range(args.processes)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return max((p.exitcode or 0) for p in procs)
