"""``luoshi parse``: read work plans into task trees, one file or thousands."""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

PROG = "luoshi parse"
SUFFIXES = {"json": ".json", "tree": ".txt", "xlsx": ".xlsx"}
DOCUMENT_SUFFIXES = (".txt", ".htm", ".html", ".docx", ".xlsx", ".pdf")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

DESCRIPTION = """\
把工作方案（.txt .htm .html .docx .xlsx .pdf）解析为任务树。
Read work plans into task trees.

FILE 可以是文件或目录（目录按文件名排序递归读取）。
一个文件且无 -o：输出到标准输出。多个文件：-o 为输出目录，每个文件写 NAME.json / NAME.txt / NAME.xlsx；
--format xlsx 且 -o 以 .xlsx 结尾：所有方案写入同一个工作簿，每个方案一个工作表。
多个文件且无 -o：tree 依次输出，json 每行一个方案（JSON Lines）。
出错的文件在标准错误输出一行说明，其余文件照常处理；退出码 0 全部成功，1 有文件失败，2 用法错误。"""


@dataclass(slots=True, frozen=True)
class Task:
    """One file to parse and where its result goes (None: back to the main process)."""

    path: str
    fmt: str
    dest: str | None


@dataclass(slots=True, frozen=True)
class Outcome:
    """What became of one file: an error message, or the result when the main process needs it."""

    path: str
    error: str | None = None
    payload: object = None  # rendered text, or a Plan when the main process writes a workbook
    streamed: bool = False  # the result went to standard output as it was rendered


class UsageError(Exception):
    """The command line asks for something that cannot be done; exit code 2."""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``luoshi parse`` on the top-level command parser."""
    p = subparsers.add_parser(
        "parse",
        help="解析工作方案为任务树 / parse work plans into task trees",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="文件或目录 / files or folders")
    p.add_argument("-f", "--format", choices=sorted(SUFFIXES), default="json", help="输出格式 (默认 json)")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件或目录 / output file or folder")
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="并行进程数，0 = CPU 核数 (默认 1) / worker processes, 0 = all cores",
    )
    p.set_defaults(func=run)
    return p


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("不能为负数")
    return n or _cpu_count()


def _cpu_count() -> int:
    # The affinity mask is what a container or `taskset` actually grants us.
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def run(args: argparse.Namespace) -> int:
    """Parse every requested file; one stderr line per failure, never a traceback."""
    try:
        return _run(args)
    except UsageError as e:
        _say(str(e))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`luoshi parse … | head`); stop quietly.
        _silence_stdout()
        return EXIT_FAILED
    except Exception as e:  # a bug of ours still gets one line, not a traceback
        _say(f"{PROG}: 内部错误 {type(e).__name__}: {_one_line(e)}")
        return EXIT_FAILED


def _run(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    if args.format == "xlsx" and out is None:
        raise UsageError(f"{PROG}: xlsx 需要 -o 输出文件")
    paths, failures = _expand(args.files, skip_under=out)
    batch = len(args.files) > 1 or any(Path(f).is_dir() for f in args.files)
    combined = (
        args.format == "xlsx"
        and out is not None
        and batch
        and out.suffix.lower() == ".xlsx"
        and not out.is_dir()
    )
    to_folder = out is not None and (batch or out.is_dir() or args.output.endswith(("/", os.sep)))
    tasks = _plan_tasks(paths, args.format, out, to_folder, combined, batch)

    ok = True
    for path, reason in failures:
        ok = _fail(path, reason) and ok
    plans = []
    for outcome in _execute(tasks, args.jobs):
        if outcome.error is not None:
            ok = _fail(outcome.path, outcome.error) and ok
        elif combined:
            plans.append(outcome.payload)
        elif outcome.streamed:
            _end_emitted(args.format, batch)
        elif outcome.payload is not None:
            _emit(outcome.payload, args.format, batch)
    if combined and plans:
        ok = _write_workbook(plans, out) and ok
    return EXIT_OK if ok else EXIT_FAILED


def _expand(args: Iterable[str], skip_under: Path | None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named, and documents inside folders named; paths that are neither are failures."""
    paths: list[Path] = []
    failures: list[tuple[str, str]] = []
    seen: set[Path] = set()
    skip = skip_under.resolve() if skip_under and skip_under.is_dir() else None
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            found = [f for f in _documents_in(p) if not (skip and f.resolve().is_relative_to(skip))]
            if not found:
                failures.append((arg, "目录中没有可解析的文件 (" + " ".join(DOCUMENT_SUFFIXES) + ")"))
        elif p.is_file():
            found = [p]
        elif p.exists():
            failures.append((arg, "不是普通文件"))
            continue
        else:
            failures.append((arg, "文件不存在 / no such file or directory"))
            continue
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                paths.append(f)
    return paths, failures


def _documents_in(folder: Path) -> list[Path]:
    found = []
    for f in folder.rglob("*"):
        rel = f.relative_to(folder).parts
        # Hidden files and Office lock files (~$name.docx) are never documents.
        if any(part.startswith((".", "~$")) for part in rel):
            continue
        if f.suffix.lower() in DOCUMENT_SUFFIXES and f.is_file():
            found.append(f)
    return sorted(found)


def _plan_tasks(
    paths: list[Path], fmt: str, out: Path | None, to_folder: bool, combined: bool, batch: bool
) -> list[Task]:
    """Where each result goes: stdout, the -o file, a file in the -o folder, or a workbook."""
    if combined:
        return [Task(str(p), "plan", None) for p in paths]
    if out is None:
        # Several documents on stdout as JSON go one compact object per line (JSON Lines).
        stdout_fmt = "jsonl" if batch and fmt == "json" else fmt
        return [Task(str(p), stdout_fmt, None) for p in paths]
    _make_folder(out if to_folder else out.parent)
    if not to_folder:
        return [Task(str(p), fmt, str(out)) for p in paths]
    names = _output_names(paths, SUFFIXES[fmt])
    return [Task(str(p), fmt, str(out / name)) for p, name in zip(paths, names, strict=True)]


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"{PROG}: {folder}: 无法创建输出目录: {e.strerror or e}") from None


def _output_names(paths: list[Path], suffix: str) -> list[str]:
    """NAME + suffix per input; a stem seen before gets -2, -3 … so no result is overwritten."""
    names, used = [], set()
    for p in paths:
        name, n = p.stem + suffix, 1
        while name.casefold() in used:
            n += 1
            name = f"{p.stem}-{n}{suffix}"
        if n > 1:
            _say(f"{PROG}: {p}: 同名文件，输出为 {name}")
        used.add(name.casefold())
        names.append(name)
    return names


# ---------------------------------------------------------------- running


def _execute(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    if not tasks:
        return
    jobs = min(jobs, len(tasks))
    if jobs <= 1:
        # in this process, results for standard output are written as they are rendered
        for task in tasks:
            yield _work(task, sys.stdout)
        return
    yield from _execute_pool(tasks, jobs)


def _execute_pool(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Results in input order while at most a few chunks per worker are in flight."""
    # Chunks amortise inter-process overhead for many small files but stay small
    # enough that the pool stays balanced when a few files are large.
    chunksize = max(1, min(32, len(tasks) // (jobs * 8)))
    window = jobs * 3
    # Workers come from a fork server, not a fork of this process: forking a process that runs
    # threads (an embedding web app, a test runner) can deadlock the child.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["luoshi.textplan"])
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, mp_context=context)
    pending: deque[tuple[list[Task], Future]] = deque()
    try:
        for start in range(0, len(tasks), chunksize):
            chunk = tasks[start : start + chunksize]
            pending.append((chunk, _submit(pool, chunk)))
            if len(pending) >= window:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop now: drop queued chunks and end the workers rather than wait for their chunks."""
    # The executor cannot end running work; its private `_processes` (pid → process, stable
    # since Python 3.2) can. Without this, Ctrl-C waits for every running chunk to finish.
    workers = list(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)


def _submit(pool: ProcessPoolExecutor, chunk: list[Task]) -> Future:
    try:
        return pool.submit(_work_chunk, chunk)
    except RuntimeError as e:  # a broken pool refuses new work; report it per file
        f: Future = Future()
        f.set_exception(e)
        return f


def _collect(chunk: list[Task], future: Future) -> list[Outcome]:
    try:
        return future.result()
    except Exception as e:
        # A worker died (out of memory, killed): every file of its chunk is reported.
        reason = f"工作进程异常退出 ({type(e).__name__})"
        return [Outcome(t.path, reason) for t in chunk]


def _init_worker() -> None:
    # Ctrl-C is the main process's to handle; workers just stop with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work_chunk(chunk: list[Task]) -> list[Outcome]:
    return [_work(t) for t in chunk]


def _work(task: Task, stdout: TextIO | None = None) -> Outcome:
    """Parse one file and render it; errors come back as text, never raised.

    A result is written to its file, or to ``stdout`` when given, as it is rendered, and the plan
    is made as it is written: neither a large plan's JSON nor its items are ever held whole.
    Without ``stdout`` (a worker process) it comes back as text."""
    from luoshi import textplan
    from luoshi.textplan.errors import ParseError, ReadError

    try:
        if task.fmt in ("plan", "xlsx"):  # a workbook is written whole
            plan = textplan.parse_file(task.path)
            if task.fmt == "plan":
                return Outcome(task.path, payload=plan)
            _write_atomic(Path(task.dest), lambda tmp: _export().to_xlsx(plan, tmp))
            return Outcome(task.path)
        # JSON and trees are written one top-level item at a time, each let go once written
        plan = textplan.stream_file(task.path)
        if task.dest is None:
            if stdout is None:
                return Outcome(task.path, payload=_render(plan, task.fmt))
            _write_rendered(plan, task.fmt, stdout)
            stdout.write("\n")
            return Outcome(task.path, streamed=True)
        _write_atomic(Path(task.dest), lambda tmp: _write_file(plan, task.fmt, tmp))
        return Outcome(task.path)
    except BrokenPipeError:
        raise  # standard output was closed (`luoshi parse … | head`): the command stops quietly
    except ReadError as e:
        return Outcome(task.path, e.reason)
    except ParseError as e:
        return Outcome(task.path, str(e) or type(e).__name__)
    except OSError as e:
        return Outcome(task.path, f"无法写出结果: {e.strerror or e}")
    except Exception as e:  # last resort: one bad document must not stop a batch
        return Outcome(task.path, f"内部错误 {type(e).__name__}: {e}")


def _export():
    from luoshi.textplan import export

    return export


def _render(plan, fmt: str) -> str:
    out = io.StringIO()
    _write_rendered(plan, fmt, out)
    return out.getvalue()


def _write_rendered(plan, fmt: str, out: TextIO) -> None:
    """The plan as JSON, one JSON line or a tree, without a final newline."""
    export = _export()
    if fmt == "jsonl":
        export.write_json_line(plan, out)
    elif fmt == "json":
        export.write_json(plan, out)
    else:
        export.write_tree(plan, out)


def _write_file(plan, fmt: str, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        _write_rendered(plan, fmt, f)
        f.write("\n")


def _write_atomic(dest: Path, write) -> None:
    """Write through a temporary file so an interrupted run never leaves half a result."""
    tmp = dest.with_name(dest.name + ".part")
    try:
        write(tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _write_workbook(plans: list, out: Path) -> bool:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(out, lambda tmp: _export().to_xlsx(plans, tmp))
    except OSError as e:
        return _fail(str(out), f"无法写出结果: {e.strerror or e}")
    return True


# ---------------------------------------------------------------- output


def _emit(text: str, fmt: str, batch: bool) -> None:
    sys.stdout.write(text)
    sys.stdout.write("\n")
    _end_emitted(fmt, batch)


def _end_emitted(fmt: str, batch: bool) -> None:
    """What follows a result on standard output: a blank line between trees, then a flush."""
    if batch and fmt == "tree":
        sys.stdout.write("\n")
    sys.stdout.flush()


def _fail(path: str, reason: str) -> bool:
    _say(f"{PROG}: {path}: {_one_line(reason)}")
    return False


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
