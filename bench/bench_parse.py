"""How fast and how lean the text engine is: throughput, latency, memory, batch scaling.

(c) is ``parse_text`` on a text already in memory; (e) is the whole command, ``luoshi parse FILE``,
on a file of the same size: reading, decoding and all.

Run from the repository root:  .venv/bin/python bench/bench_parse.py [--dev DIR]
Prints figures only; there are no pass/fail thresholds. MB means 10^6 bytes of UTF-8.
``--compare SRC`` measures another source tree (say main's ``src`` from ``git archive``)
beside this one in the same run, each in fresh processes, for before/after figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev"
FALLBACKS = [ROOT / "tests" / "data", ROOT / "examples"]
MB = 1_000_000


def main(argv: list[str] | None = None) -> int:
    """Measure and print the four figures."""
    args = _arguments(argv)
    if args.child_big:
        return _child_big(args.child_big)
    if args.child_speed:
        return _child_speed(args.child_speed)
    folder = _corpus_folder(args.dev)
    docs = {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
    if not docs:
        print(f"no .txt documents in {folder}", file=sys.stderr)
        return 1
    size = sum(_nbytes(t) for t in docs.values())
    print(f"luoshi parse benchmark: Python {platform.python_version()}, {_cores()} cores, ", end="")
    print(f"{len(docs)} documents ({size / 1000:.1f} KB) from {_shown(folder)}")
    print(f"before: {cpu_reference()}\n")

    rows: list[tuple[str, str, str]] = []
    if args.compare:
        trees = [("this tree", str(ROOT / "src")), ("compared", str(args.compare))]
        for name, src in trees:
            rows += [(f"[{name}] {a}", b, c) for a, b, c in _speed_in(src, folder, args)]
        for mb in _sizes(args.memory_mb):
            for name, src in trees:
                rows += [(f"[{name}] {a}", b, c) for a, b, c in _big_input(folder, mb, args.timeout, src)]
        for mb in _sizes(args.memory_mb):
            for name, src in trees:
                rows += [
                    (f"[{name}] {a}", b, c) for a, b, c in _command_memory(folder, mb, args.timeout, src)
                ]
    else:
        rows += _throughput(docs, args.repeats)
        rows += _files_throughput(folder, args.repeats)
        rows += _largest(docs, args.samples)
        for mb in _sizes(args.memory_mb):
            rows += _big_input(folder, mb, args.timeout)
        for mb in _sizes(args.memory_mb):
            rows += _command_memory(folder, mb, args.timeout)
        rows += _batch(docs, args.docs, args.jobs, args.timeout)
    _print_table(rows)
    print(f"\nafter: {cpu_reference()}")
    return 0


def _sizes(spec: str) -> list[float]:
    return [float(x) for x in spec.split(",") if x.strip()]


def cpu_reference() -> str:
    """The time of a fixed pure-Python loop: on a shared machine it moves from minute to
    minute, and two runs' figures compare only when it is alike."""
    best = min(_timed(_reference_loop) for _ in range(3))
    return f"cpu reference {best * 1000:.0f} ms (a fixed loop, best of 3; lower is faster)"


def _reference_loop() -> None:
    total = 0
    for i in range(2_000_000):
        total += i * i % 7
    assert total >= 0


def _speed_in(src: str, folder: Path, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(a) and (b) in a fresh process that imports the engine from ``src``."""
    spec = json.dumps({"folder": str(folder), "repeats": args.repeats, "samples": args.samples})
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.run(
        [sys.executable, __file__, "--child-speed", spec],
        capture_output=True,
        text=True,
        timeout=args.timeout,
        env=env,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return [("(a)+(b)", "failed", last[:60])]
    return [tuple(r) for r in json.loads(proc.stdout)]


def _child_speed(spec_json: str) -> int:
    spec = json.loads(spec_json)
    docs = {p.name: p.read_text("utf-8") for p in sorted(Path(spec["folder"]).glob("*.txt"))}
    rows = _throughput(docs, spec["repeats"]) + _largest(docs, spec["samples"])
    print(json.dumps(rows))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dev", type=Path, help=f"folder of .txt plans (default {_shown(DEFAULT_DEV)})")
    p.add_argument("--repeats", type=int, default=5, help="best of N passes for throughput (default 5)")
    p.add_argument("--samples", type=int, default=20, help="timings of the largest document (default 20)")
    p.add_argument(
        "--memory-mb",
        default="1,5,10",
        help="sizes of the concatenated inputs for (c) and (e), MB (default 1,5,10)",
    )
    p.add_argument(
        "--compare", type=Path, help="another source tree (its src folder) to measure beside this one"
    )
    p.add_argument("--docs", type=int, default=1000, help="documents in the batch run (default 1000)")
    p.add_argument("--jobs", default="1,2", help="--jobs values to compare (default 1,2)")
    p.add_argument("--timeout", type=float, default=900, help="seconds allowed per subprocess (default 900)")
    p.add_argument("--child-big", help=argparse.SUPPRESS)
    p.add_argument("--child-speed", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _corpus_folder(explicit: Path | None) -> Path:
    if explicit:
        return explicit
    for folder in [DEFAULT_DEV, *FALLBACKS]:
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    return DEFAULT_DEV


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return str(path)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _nbytes(text: str) -> int:
    return len(text.encode("utf-8"))


# ---------------------------------------------------------------- (a) and (b): in this process


def _throughput(docs: dict[str, str], repeats: int) -> list[tuple[str, str, str]]:
    from luoshi.textplan import parse_text

    size = sum(_nbytes(t) for t in docs.values())
    for text in docs.values():  # warm-up: imports, rule tables, regex compilation
        parse_text(text)
    best = min(_timed(lambda: [parse_text(t) for t in docs.values()]) for _ in range(repeats))
    return [
        (
            "(a) throughput, one process",
            f"{size / MB / best:.2f} MB/s",
            f"best of {repeats}, {size / 1000:.0f} KB",
        ),
    ]


def _files_throughput(folder: Path, repeats: int) -> list[tuple[str, str, str]]:
    """As (a), through ``parse_file``: reading and decoding, rebuilding flattened tables, then parsing."""
    from luoshi.textplan import parse_file

    paths = sorted(folder.glob("*.txt"))
    size = sum(p.stat().st_size for p in paths)
    for p in paths:
        parse_file(p)
    best = min(_timed(lambda: [parse_file(p) for p in paths]) for _ in range(repeats))
    return [("(a) files read and parsed", f"{size / MB / best:.2f} MB/s", f"best of {repeats}, parse_file")]


def _largest(docs: dict[str, str], samples: int) -> list[tuple[str, str, str]]:
    from luoshi.textplan import parse_text

    name, text = max(docs.items(), key=lambda kv: _nbytes(kv[1]))
    parse_text(text)
    times = [_timed(lambda: parse_text(text)) for _ in range(samples)]
    return [
        (
            f"(b) largest document ({_nbytes(text) / 1000:.1f} KB)",
            f"{statistics.median(times) * 1000:.1f} ms",
            f"median of {samples}, {name}",
        )
    ]


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ---------------------------------------------------------------- (c): a fresh process


def _big_input(
    folder: Path, big_mb: float, timeout: float, src: str | None = None
) -> list[tuple[str, str, str]]:
    spec = json.dumps({"folder": str(folder), "bytes": int(big_mb * MB)})
    cmd = [sys.executable, __file__, "--child-big", spec]
    label = f"(c) {big_mb:g} MB input"
    env = {**os.environ, "PYTHONPATH": src} if src else None
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return [(label, "timeout", f"over {timeout:.0f} s")]
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return [(label, "failed", last[:60])]
    r = json.loads(proc.stdout)
    mb_in = r["bytes"] / MB
    growth = r["peak_growth"] / MB
    return [
        (f"{label}: parse time", f"{r['seconds']:.2f} s", f"{mb_in / r['seconds']:.2f} MB/s, {mb_in:.1f} MB"),
        ("    peak memory growth", f"{growth:.0f} MB", f"{growth / mb_in:.1f} MB per MB of input"),
    ]


def _child_big(spec_json: str) -> int:
    """In a fresh process: build the big text, then measure parse time and peak RSS growth."""
    import gc

    from luoshi.textplan import parse_text

    spec = json.loads(spec_json)
    texts = [p.read_text("utf-8") for p in sorted(Path(spec["folder"]).glob("*.txt"))]
    parse_text(texts[0])  # load everything the parser needs before the baseline
    parts, size = [], 0
    while size < spec["bytes"]:
        for t in texts:
            parts.append(t)
            size += _nbytes(t) + 2
    big = "\n\n".join(parts)
    del parts
    gc.collect()
    before = _peak_rss()
    seconds = _timed(lambda: parse_text(big))
    print(json.dumps({"bytes": _nbytes(big), "seconds": seconds, "peak_growth": _peak_rss() - before}))
    return 0


def _peak_rss() -> int:
    """Peak resident set of this process in bytes (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# ---------------------------------------------------------------- (e): the command on one big file


def _command_memory(
    folder: Path, big_mb: float, timeout: float, src: str | None = None
) -> list[tuple[str, str, str]]:
    """Peak resident memory of ``luoshi parse FILE --format json`` on files of ``big_mb`` MB, less
    its peak on the smallest document: what reading, decoding, normalising, parsing and writing a
    large file cost, file and all. Two files: the documents end to end (the concatenation of (c),
    which reads as few items) and a plan of many items made of their bodies."""
    docs = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_size)
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
    rows = []
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-") as tmp:
        for kind, make in (("documents end to end", _end_to_end), ("a plan of many items", _many_items)):
            label = f"(e) luoshi parse, {big_mb:g} MB file, {kind}"
            big = Path(tmp) / "big.txt"
            big.write_text(make(texts, big_mb * MB), "utf-8")
            try:
                small_kb = _command_peak_kb(docs[0], Path(tmp) / "small.json", timeout, src)
                big_kb, seconds = _timed_peak(big, Path(tmp) / "big.json", timeout, src)
            except subprocess.TimeoutExpired:
                rows.append((label, "timeout", f"over {timeout:.0f} s"))
                continue
            except RuntimeError as e:
                rows.append((label, "failed", str(e)[:60]))
                continue
            mb_in = big.stat().st_size / MB
            growth = (big_kb - small_kb) * 1024 / MB
            items = _items_in(Path(tmp) / "big.json")
            rows.append(
                (
                    f"{label}: peak memory growth",
                    f"{growth:.0f} MB",
                    f"{growth / mb_in:.1f} MB per MB, file and all; {items:,} items, {seconds:.1f} s",
                )
            )
    return rows


def _end_to_end(texts: list[str], size: float) -> str:
    """The documents one after another: their page furniture ends the body after the first few,
    so the parse holds the text and few items."""
    parts, total = [], 0
    while total < size:
        for t in texts:
            parts.append(t)
            total += _nbytes(t) + 2
    return "\n\n".join(parts)


def _many_items(texts: list[str], size: float) -> str:
    """The documents' bodies (page furniture cut) over and over, each after a date line alone on
    its line, where the outline numbers again from the top: a plan whose items grow with its size."""
    from luoshi.textplan.normalize import normalise
    from luoshi.textplan.outline import build

    bodies = []
    for t in texts:
        n = normalise(t).text
        o = build(n)
        bodies.append(n[o.body_start : o.body_end].rstrip() + "\n")
    parts, total, k = [texts[0][:200].rsplit("\n", 1)[0] + "\n"], 0, 0
    while total < size:
        for b in bodies:
            k += 1
            block = f"\n{2000 + k % 25}年{k % 12 + 1}月{k % 28 + 1}日\n\n{b}"
            parts.append(block)
            total += _nbytes(block)
    return "".join(parts)


def _timed_peak(path: Path, out: Path, timeout: float, src: str | None) -> tuple[int, float]:
    t0 = time.perf_counter()
    kb = _command_peak_kb(path, out, timeout, src)
    return kb, time.perf_counter() - t0


def _items_in(path: Path) -> int:
    todo = json.loads(path.read_text("utf-8"))["items"]
    count = 0
    while todo:
        item = todo.pop()
        count += 1
        todo.extend(item["children"])
    return count


# Runs the command in this process, then prints the process's own peak resident size. The peak
# is read from /proc (VmHWM, which starts afresh at exec) rather than from rusage, whose maxrss
# a child inherits from the process that spawned it (here, one holding the big text).
_PEAK_WRAPPER = """
import sys
from luoshi.cli import main
rc = main(["parse", sys.argv[1], "--format", "json", "-o", sys.argv[2]])
peak = 0
try:
    with open("/proc/self/status", encoding="ascii") as f:
        peak = next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM:"))
except OSError:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
print(peak)
sys.exit(rc)
"""


def _command_peak_kb(path: Path, out: Path, timeout: float, src: str | None) -> int:
    """The peak resident size (KiB) of one ``luoshi parse`` run in a fresh process."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    cmd = [sys.executable, "-c", _PEAK_WRAPPER, str(path), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["?"])[-1])
    return int(proc.stdout.split()[-1])


# ---------------------------------------------------------------- (d): the command over a folder


def _batch(docs: dict[str, str], count: int, jobs: str, timeout: float) -> list[tuple[str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        texts = list(docs.items())
        for i in range(count):
            name, text = texts[i % len(texts)]
            (folder / f"doc-{i:05}-{name}").write_text(text, "utf-8")
        for j in [s.strip() for s in jobs.split(",") if s.strip()]:
            out = Path(tmp) / f"out-{j}"
            cmd = [sys.executable, "-m", "luoshi", "parse", str(folder), "-o", str(out), "--jobs", j]
            label = f"(d) {count:,} documents, --jobs {j}"
            try:
                seconds = _timed(lambda cmd=cmd: _run_quiet(cmd, timeout))
            except subprocess.TimeoutExpired:
                rows.append((label, "timeout", f"over {timeout:.0f} s"))
                continue
            written = len(list(out.glob("*.json"))) if out.is_dir() else 0
            note = f"{count / seconds:.0f} docs/s" + (
                "" if written == count else f", {count - written} failed"
            )
            rows.append((label, f"{seconds:.2f} s", note))
            shutil.rmtree(out, ignore_errors=True)
    return rows


def _run_quiet(cmd: list[str], timeout: float) -> None:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)


# ---------------------------------------------------------------- table


def _print_table(rows: list[tuple[str, str, str]]) -> None:
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    print(f"{'figure':<{w0}}  {'value':>{w1}}  note")
    print(f"{'-' * w0}  {'-' * w1}  {'-' * 30}")
    for name, value, note in rows:
        print(f"{name:<{w0}}  {value:>{w1}}  {note}")


if __name__ == "__main__":
    sys.exit(main())
