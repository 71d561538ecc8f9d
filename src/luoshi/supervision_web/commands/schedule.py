"""``luoshi schedule``: enqueue the periodic jobs; run it from cron (e.g. every day at 8:30).

    30 8 * * *  cd /srv/luoshi && .venv/bin/luoshi schedule
    */5 * * * * cd /srv/luoshi && .venv/bin/luoshi schedule --jobs messages

Jobs: recompute lights, send due reminders (tasks' reports and proposals' deadlines), and produce each plan's bulletin for the last period
due once it has not been produced yet (also when nobody reported: it names who did not), dated
the day it runs; ``messages`` sends the channel messages waiting or due for a retry (run it every
few minutes: retries come after 1 and 10 minutes). With LUOSHI_TASKS=immediate they run at once.
"""

from __future__ import annotations

import argparse
import datetime as dt

JOBS = ("lights", "reminders", "bulletins", "messages")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi schedule``."""
    p = subparsers.add_parser(
        "schedule",
        help="排入定时任务 / enqueue periodic jobs",
        description="排入定时任务：亮灯重算、到期催办、月度/季度通报。由 cron 每天运行一次。",
    )
    p.add_argument("--on", help="按此日期运行（YYYY-MM-DD，默认今天）")
    p.add_argument("--jobs", default=",".join(JOBS), help="逗号分隔：lights,reminders,bulletins,messages")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Enqueue the chosen jobs and print what was enqueued."""
    from luoshi.web.commands._django import setup

    setup()
    from luoshi.ledger.models import Plan, Task
    from luoshi.supervision.reporting_calendar import add_working_days, due_date
    from luoshi.supervision_web import services, tasks
    from luoshi.supervision_web.models import Bulletin

    on = dt.date.fromisoformat(args.on) if args.on else services.today()
    jobs = {j.strip() for j in args.jobs.split(",") if j.strip()}
    if "lights" in jobs:
        show("lights", tasks.recompute_lights.enqueue(on.isoformat()))
    if "reminders" in jobs:
        show("reminders", tasks.send_reminders.enqueue(on.isoformat()))
        from luoshi.proposals.tasks import send_reminders as proposal_reminders

        show("proposal reminders", proposal_reminders.enqueue(on.isoformat()))
    if "messages" in jobs:
        from luoshi.notify.tasks import deliver_messages

        show("messages", deliver_messages.enqueue())
    if "bulletins" in jobs:
        for plan in Plan.objects.all():
            period = services.latest_period(plan, on)
            if period is None or Bulletin.objects.filter(plan=plan, period=period).exists():
                continue
            if not Task.objects.chased().filter(plan=plan).exists():
                continue  # a plan without tasks has nothing to report on
            # Bulletins wait for the working day after the due date, when every report should be in.
            if on < add_working_days(due_date(services.cadence_for(plan), period).due, 1)[0]:
                continue
            result = tasks.produce_bulletin.enqueue(plan.pk, period, on=on.isoformat())
            show(f"bulletin {plan.pk} {period}", result)
    return 0


def show(label: str, result) -> None:
    """One line per job: what, its id and its status (finished already with the immediate backend)."""
    print(label, result.id, result.status)
