"""How fast the proposal pages, the reply letter and the list import are.

Run from the repository root:  .venv/bin/python bench/bench_proposals.py [--proposals N] [--requests N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_bench .venv/bin/python bench/bench_proposals.py

1. Fill a scratch database with N proposals (default 2,000) over two sessions and 60 units, in
   every state, each with its assignment (one 主办, up to two 会办) and its history's first rows.
2. The office's list page through Django's test client (in process, one client), each request a
   different filter: session, state, unit, overdue (red), words, and pages further down;
   p50/p95/max. Then the detail page of assigned proposals.
3. The reply letter (答复函) as .docx, through the same service the download uses: p50/p95.
4. Reading and registering a 2,000-row committee list (review, then one transaction).
5. The handling statistics of one session (replies and ratings added in bulk to the replied,
   rated and re-handled proposals): figures alone, the statistics page, the Word bulletin, Excel.
6. The suggested 主办 units on the 交办 form: the proposals retitled with the published titles of
   tests/proposals/data/assignments.csv (and a text of ~400 characters, of which the first 100 count), then the first suggestion
   in a process (segmenting every past proposal and fitting), the refit after one more assignment,
   one suggestion once fitted (target < 50 ms), the warm-up `luoshi serve` runs in a thread at start
   and the first suggestion after it, the cold start (the first suggestion in a new process, as
   another web worker or a command has it: fitting there, as every process did before the model
   was shared, then loading the model the previous process kept in the shared cache), and the
   detail page of a registered proposal; then
   the accuracy on the fixture (leave-one-out, and the rows collected after the model was written)
   against naming the unit that led the most (bench_suggest_accuracy.py has the full comparison).
   ``--suggest-only`` skips 2-5.

A CPU reference is printed before and after (see bench_ledger.py). Figures only; no thresholds
fail the run. The database is emptied first: on PostgreSQL point DATABASE_URL at a scratch one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ledger import cpu_reference, setup_django  # noqa: E402

STATES = ("registered", "assigned", "communicated", "replied", "rated", "rehandling", "adjusting")
CATEGORIES = ("经济发展", "城乡建设", "社会事业", "生态环境", "政府建设")
SESSIONS = ("十二届四次", "十二届五次")


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(len(s) * 0.95))]
    return f"p50 {statistics.median(s) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {s[-1] * 1000:7.1f} ms  (n={len(s)})"


def generate(n: int) -> dict:
    """N proposals in bulk, each assigned (unless registered) with its first history rows."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from luoshi.accounts.models import Profile, Role
    from luoshi.ledger.models import City, Unit
    from luoshi.proposals import handling as h
    from luoshi.proposals.models import AssignedUnit, Assignment, Proposal, ProposalEvent

    rnd = random.Random(42)
    User = get_user_model()
    with transaction.atomic():
        city = City.objects.create(name="基准市")
        units = Unit.objects.bulk_create([Unit(name=f"市第{i:02d}局", city=city) for i in range(60)])
        office = User.objects.create_user("bench_office", password="x")
        Profile.objects.create(user=office, role=Role.OFFICE).cities.set([city])
        member = User.objects.create_user("bench_member", password="x")
        Profile.objects.create(user=member, role=Role.MEMBER)
        rows = []
        for i in range(n):
            rows.append(
                Proposal(
                    kind="proposal",
                    number=str(20240000 + i),
                    number_key=str(20240000 + i),
                    session=SESSIONS[i % len(SESSIONS)],
                    title=f"关于推进第{i}项都市圈协同发展工作的提案",
                    proposer=f"委员{i % 300:03d}",
                    cosigners="李四\n王五",
                    group="民盟",
                    text="案由……建议……" * 20,
                    category=rnd.choice(CATEGORIES),
                    city=city,
                    member=member if i % 10 == 0 else None,
                    state=rnd.choice(STATES),
                )
            )
        props = Proposal.objects.bulk_create(rows, batch_size=1000)
        assignments, on_by_prop = [], {}
        for p in props:
            if p.state == "registered":
                continue
            on = dt.date(2024, 1, 2) + dt.timedelta(days=rnd.randrange(0, 200))
            d = h.deadlines(on, h.Rules())
            on_by_prop[p.pk] = d
            assignments.append(
                Assignment(
                    proposal=p,
                    on=on,
                    reply_due=d.reply,
                    support_due=d.support,
                    pre_contact_due=d.pre_contact,
                    adjust_until=d.adjust_until,
                    by=office,
                )
            )
        assignments = Assignment.objects.bulk_create(assignments, batch_size=1000)
        links, events = [], []
        for a in assignments:
            picked = rnd.sample(units, 3)
            links.append(AssignedUnit(assignment=a, unit=picked[0], role="lead", position=0))
            links += [
                AssignedUnit(assignment=a, unit=u, role="support", position=k)
                for k, u in enumerate(picked[1:])
            ]
        AssignedUnit.objects.bulk_create(links, batch_size=2000)
        by_prop = {a.proposal_id: a for a in assignments}
        for p in props:
            a = by_prop.get(p.pk)
            p.assignment = a
            p.reply_due = a.reply_due if a else None
            events.append(
                ProposalEvent(
                    proposal=p, seq=1, on=dt.date(2024, 1, 1), action="register", after="registered"
                )
            )
            if a:
                events.append(
                    ProposalEvent(
                        proposal=p, seq=2, on=a.on, action="assign", before="registered", after=p.state
                    )
                )
        Proposal.objects.bulk_update(props, ["assignment", "reply_due"], batch_size=1000)
        ProposalEvent.objects.bulk_create(events, batch_size=2000)
    return {"office": office, "units": units, "assigned": [a.proposal_id for a in assignments]}


def list_urls(units, k: int) -> list[str]:
    rnd = random.Random(7)
    out = []
    for i in range(k):
        choice = i % 7
        if choice == 0:
            out.append(f"/proposals/?session={SESSIONS[i % len(SESSIONS)]}&page={1 + i % 5}")
        elif choice == 1:
            out.append(f"/proposals/?state={STATES[i % len(STATES)]}")
        elif choice == 2:
            out.append(f"/proposals/?unit={rnd.choice(units).pk}")
        elif choice == 3:
            out.append(f"/proposals/?light=red&session={SESSIONS[i % len(SESSIONS)]}")
        elif choice == 4:
            out.append(f"/proposals/?q=第{rnd.randrange(0, 2000)}项")
        elif choice == 5:
            out.append(f"/proposals/?light=yellow&page={1 + i % 3}")
        else:
            out.append(f"/proposals/?page={1 + i % 40}")
    return out


def time_requests(client, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def committee_list(n: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("一览表")
    ws.append(["序号", "案号", "案由", "提案人", "联名人", "界别", "类别", "提交日期"])
    for i in range(n):
        ws.append(
            [
                i + 1,
                30000 + i,
                f"关于第{i}项工作的提案",
                f"委员{i % 300:03d}",
                "李四、王五",
                "民盟",
                "经济发展",
                "2024-01-20",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proposals", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=200, help="list-page requests")
    ap.add_argument("--letters", type=int, default=50)
    ap.add_argument("--suggestions", type=int, default=200)
    ap.add_argument("--suggest-only", action="store_true", help="only the unit suggestion (6)")
    args = ap.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="luoshi-bench-")))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.proposals import excel, services

    print(f"database: {connection.vendor}  before: {cpu_reference()}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    world = generate(args.proposals)
    print(f"1. generated {args.proposals:,} proposals in {time.perf_counter() - t0:.1f} s", flush=True)

    client = Client(HTTP_HOST="localhost")
    client.force_login(world["office"], backend="luoshi.accounts.backends.LockoutBackend")
    if args.suggest_only:
        bench_suggestions(client, args.suggestions)
        print(f"after: {cpu_reference()}")
        return
    urls = list_urls(world["units"], args.requests)
    time_requests(client, urls[:10])  # warm the templates and the connection
    print(f"2. list page, filtered   {percentiles(time_requests(client, urls))}", flush=True)
    details = [f"/proposals/{pk}/" for pk in world["assigned"][: max(20, args.requests // 4)]]
    print(f"   detail page           {percentiles(time_requests(client, details))}", flush=True)

    time_letter(world, args.letters, "3.")

    # 4. the committee's list of 2,000 rows: review, then register in one transaction.
    data = committee_list(2000)
    t = time.perf_counter()
    read = excel.read_list(data, session="十三届一次", kind="proposal")
    review = time.perf_counter() - t
    assert read.ok, read.problems[:3]
    t = time.perf_counter()
    services.register_all(read.rows, world["office"], on=dt.date(2024, 2, 1))
    commit = time.perf_counter() - t
    print(f"4. 2,000-row list: review {review:.2f} s, register {commit:.2f} s", flush=True)

    add_replies()
    time_statistics(client, SESSIONS[1], "5.")
    bench_suggestions(client, args.suggestions)
    print(f"after: {cpu_reference()}")


def time_letter(world: dict, n: int, step: str) -> None:
    """The reply letter (答复函) as .docx through the service the download uses: a reply of 30
    lines written through the service, then its letter ``n`` times."""
    from luoshi.proposals import services
    from luoshi.proposals.models import Proposal, Reply

    p = Proposal.objects.get(pk=world["assigned"][0])
    Proposal.objects.filter(pk=p.pk).update(state="assigned")
    p.refresh_from_db()
    lead = p.assignment.units.get(role="lead").unit
    services.reply(p, world["office"], lead, "B", "已列入计划。\n" * 30, dt.date(2024, 5, 6), signer="赵六")
    reply = Reply.objects.filter(proposal=p).latest("id")
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        data = services.letter_docx(reply)
        samples.append(time.perf_counter() - t)
    print(f"{step} reply letter .docx    {percentiles(samples)}  ({len(data) / 1024:.0f} KB)", flush=True)


def time_statistics(client, session_name: str, step: str) -> None:
    """The handling statistics of one session: the figures, the page, the Word bulletin, the Excel."""
    from luoshi.proposals import reports
    from luoshi.proposals.models import Proposal

    session = Proposal.objects.filter(session=session_name)
    figures = []
    for _ in range(10):
        t = time.perf_counter()
        stats = reports.compute(session)
        figures.append(time.perf_counter() - t)
    print(
        f"{step} statistics, one session ({session.count():,} proposals) {percentiles(figures)}", flush=True
    )
    page = time_requests(client, [f"/proposals/statistics/?session={session_name}"] * 10)
    print(f"   statistics page       {percentiles(page)}", flush=True)
    for fmt in ("docx", "xlsx"):
        out = []
        for _ in range(5):
            t = time.perf_counter()
            getattr(reports, fmt)(stats, session_name, dt.date(2024, 12, 31))
            out.append(time.perf_counter() - t)
        print(f"   statistics .{fmt}       {percentiles(out)}", flush=True)


def bench_suggestions(client, n: int) -> None:
    """6. The unit suggestion: cold fit, refit, one suggestion warm, the page; then accuracy."""
    import csv

    from django.db import transaction

    from luoshi.ledger.models import Unit
    from luoshi.proposals import suggesting
    from luoshi.proposals.models import AssignedUnit, Proposal
    from luoshi.proposals.suggest_eval import evaluate, load

    fixture = Path(__file__).resolve().parents[1] / "tests" / "proposals" / "data" / "assignments.csv"
    with fixture.open(encoding="utf-8") as f:
        titles = [r["title"] for r in csv.DictReader(f)]
    with transaction.atomic():
        for i, p in enumerate(Proposal.objects.only("pk").order_by("pk")):
            title = titles[i % len(titles)]
            Proposal.objects.filter(pk=p.pk).update(
                title=title, text=(title + "。") * (400 // len(title) + 1)
            )
    # The committee list of step 4 has no city (and no units of its own): the generated ones do.
    registered = list(
        Proposal.objects.filter(state="registered", city__isnull=False).select_related("city")[:n]
    )
    units = list(Unit.objects.filter(city=registered[0].city).order_by("name"))
    past = AssignedUnit.objects.filter(role="lead", unit__in=units).count()
    suggesting.forget(shared=True)
    t = time.perf_counter()
    import sklearn.feature_extraction.text  # noqa: F401

    from luoshi.proposals.suggest import words

    words("加载词典")
    start = time.perf_counter() - t
    t = time.perf_counter()
    suggesting.for_proposal(registered[0], units)
    cold = time.perf_counter() - t
    # One more assignment: a refit that re-weighs, segmenting only the new proposal.
    a = AssignedUnit.objects.filter(role="lead").order_by("-pk").first()
    AssignedUnit.objects.filter(pk=a.pk).update(role="support")
    taken = set(a.assignment.units.values_list("unit_id", flat=True))
    free = next(u for u in units if u.pk not in taken)
    AssignedUnit.objects.create(assignment=a.assignment, unit=free, role="lead", position=9)
    t = time.perf_counter()
    suggesting.for_proposal(registered[0], units)
    refit = time.perf_counter() - t
    print(
        f"6. unit suggestion over {past:,} past proposals, {len(units)} units: loading jieba's "
        f"dictionary and scikit-learn {start:.2f} s, then the first fit in a process {cold:.2f} s, "
        f"a refit after an assignment {refit:.2f} s",
        flush=True,
    )
    warm = []
    for p in registered:
        t = time.perf_counter()
        suggesting.for_proposal(p, units)
        warm.append(time.perf_counter() - t)
    print(f"   one suggestion        {percentiles(warm)}  (target < 50 ms)", flush=True)
    # What `luoshi serve` does at start in a thread: here jieba and scikit-learn are loaded already,
    # so the warm-up in a fresh process is the loading above plus the segmenting and fitting timed
    # here (the shared model dropped, as where no other process fitted it).
    suggesting.forget(shared=True)
    t = time.perf_counter()
    thread = suggesting.warm_up_in_background()
    returned = time.perf_counter() - t
    thread.join()
    segmenting = time.perf_counter() - t
    t = time.perf_counter()
    suggesting.for_proposal(registered[0], units)
    after_warm = time.perf_counter() - t
    print(
        f"   warm-up at start: start-up waits {returned * 1000:.1f} ms; in the background "
        f"{start + segmenting:.2f} s ({start:.2f} s loading, {segmenting:.2f} s segmenting and fitting); "
        f"then the first suggestion {after_warm:.2f} s (cold: {cold:.2f} s plus the loading)",
        flush=True,
    )
    # Cold start in new processes sharing the database and the cache (files under LUOSHI_HOME).
    suggesting.forget(shared=True)
    fitting = cold_start(registered[0].pk)
    loading = cold_start(registered[0].pk)
    print(
        f"   cold start, first suggestion in a new process (Django set up before): fitting there "
        f"{fitting['seconds']:.2f} s ({fitting['how']}, scikit-learn imported: {fitting['sklearn']}); "
        f"loading the shared model {loading['seconds']:.2f} s ({loading['how']}, scikit-learn "
        f"imported: {loading['sklearn']})",
        flush=True,
    )
    pages = time_requests(client, [f"/proposals/{p.pk}/" for p in registered[:50]])
    print(f"   registered detail page {percentiles(pages)}", flush=True)
    rows = load(fixture)
    for protocol in ("leave-one-out", "fresh"):
        for score in evaluate(rows, protocol):
            print(f"   fixture, {protocol:<13} {score.line()}", flush=True)


COLD_START = """
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from bench_ledger import setup_django
setup_django(Path(os.environ["LUOSHI_HOME"]))
t = time.perf_counter()
from luoshi.ledger.models import Unit
from luoshi.proposals import suggesting
from luoshi.proposals.models import Proposal
p = Proposal.objects.get(pk=int(sys.argv[1]))
suggesting.for_proposal(p, list(Unit.objects.filter(city=p.city_id).order_by("name")))
seconds = time.perf_counter() - t
how = "fitted" if suggesting.stats["fitted"] else "loaded"
print(json.dumps({"seconds": seconds, "how": how, "sklearn": "sklearn" in sys.modules}))
"""


def cold_start(proposal_id: int) -> dict:
    """The first suggestion for a proposal in a new Python process (its own imports included),
    against this run's database and cache (the environment ``setup_django`` set)."""
    import json
    import subprocess

    bench = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", COLD_START, str(proposal_id), bench],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def add_replies() -> None:
    """A reply by the lead unit to every replied, rated or re-handled proposal, a rating for the rated."""
    from luoshi.proposals.models import AssignedUnit, Proposal, Rating, Reply

    rnd = random.Random(7)
    leads = dict(AssignedUnit.objects.filter(role="lead").values_list("assignment_id", "unit_id"))
    replies, ratings = [], []
    for p in Proposal.objects.filter(state__in=("replied", "rated", "rehandling")).only(
        "id", "assignment_id", "state"
    ):
        replies.append(
            Reply(
                proposal_id=p.pk,
                unit_id=leads[p.assignment_id],
                category=rnd.choice("AABBC"),
                on=dt.date(2024, 6, 1),
                text="答复",
                late=rnd.random() < 0.1,
            )
        )
        if p.state in ("rated", "rehandling"):
            ratings.append(
                Rating(
                    proposal_id=p.pk,
                    attitude="满意",
                    result=rnd.choice(("满意", "基本满意", "不满意")),
                    on=dt.date(2024, 6, 20),
                )
            )
    Reply.objects.bulk_create(replies, batch_size=2000)
    Rating.objects.bulk_create(ratings, batch_size=2000)


if __name__ == "__main__":
    main()
