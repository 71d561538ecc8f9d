"""``parse_file`` in a separate process with a time and a memory limit, for documents from strangers.

A crafted document (a Word file that inflates to hundreds of megabytes, a text of pathological
outline) can hold a core and gigabytes for many minutes. The web import parses each upload here:

1. a child comes from a fork server (as for ``luoshi parse --jobs``: forking the threaded web
   process itself could deadlock the child) that has the text engine loaded and warm
   (``textplan.preload``);
2. the child caps its own address space and CPU time (``resource.setrlimit``), parses, and sends
   its stages and then the plan (or the reading error) back through a pipe;
3. the parent relays the stages to ``progress`` and kills the child when the wall-clock limit
   passes; a child that runs out of memory or CPU time, or dies, is reported as ``LimitExceeded``.

Where ``resource`` or the fork server is missing (not Linux or BSD/macOS), it parses in-process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from luoshi.textplan.errors import ParseError, ReadError
from luoshi.textplan.model import Plan

Progress = Callable[[str, float], None]


class LimitExceeded(Exception):
    """The document took more than its time (``kind == "time"``) or memory (``"memory"``), or the
    parsing process died (``"crash"``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def parse_file_isolated(
    path: str | os.PathLike[str],
    *,
    seconds: float,
    memory_bytes: int,
    progress: Progress | None = None,
) -> Plan:
    """``parse_file(path)`` in a child process limited to ``seconds`` and ``memory_bytes``."""
    try:
        import resource  # noqa: F401 - only to learn whether the limits can be set here

        context = multiprocessing.get_context("forkserver")
    except (ImportError, ValueError):
        from luoshi.textplan import parse_file

        return parse_file(path, progress=progress)
    context.set_forkserver_preload(["luoshi.textplan.preload"])
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(str(Path(path)), seconds, memory_bytes, send), daemon=True, name="luoshi-parse"
    )
    child.start()
    send.close()  # the child holds the only writing end: its death ends the pipe
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LimitExceeded("time")
            if not receive.poll(min(left, 1.0)):
                continue
            try:
                kind, *payload = receive.recv()
            except (EOFError, OSError):
                child.join(5)
                # Past RLIMIT_CPU the kernel stops the child with SIGXCPU.
                raise LimitExceeded("time" if child.exitcode == -signal.SIGXCPU else "crash") from None
            if kind == "stage" and progress is not None:
                progress(*payload)
            elif kind == "plan":
                return payload[0]
            elif kind == "unreadable":
                raise ReadError(*payload)
            elif kind == "limit":
                raise LimitExceeded(payload[0])
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)


def _child(path: str, seconds: float, memory_bytes: int, send) -> None:
    import resource

    from luoshi.textplan import parse_file

    cpu = max(1, int(seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        plan = parse_file(path, progress=lambda stage, fraction: send.send(("stage", stage, fraction)))
        send.send(("plan", plan))
    except ReadError as e:
        send.send(("unreadable", e.path, e.reason))
    except ParseError as e:
        send.send(("unreadable", path, str(e) or type(e).__name__))
    except MemoryError:
        with contextlib.suppress(MemoryError, OSError):
            send.send(("limit", "memory"))
    finally:
        send.close()
