"""Whether this tree parses every dev document exactly as another git revision does.

    .venv/bin/python bench/compare_parse.py main            # this tree against main
    .venv/bin/python bench/compare_parse.py HEAD~3 --dev DIR

A refactor that should change nothing proves it here: each tree parses every document of the
folder (.txt, .html, .docx, .xlsx, .pdf) with its own ``luoshi parse --format json``, in a fresh
process that imports the engine from that tree's ``src``, and the plan JSONs are compared
document by document. The revision's sources are taken with ``git archive`` into a temporary
folder, so neither the working tree nor the list of worktrees is touched.

Prints one line per document that differs (with the first differing field) and a summary;
exits 0 when every output is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev"
SUFFIXES = (".txt", ".html", ".htm", ".docx", ".xlsx", ".pdf")


def main(argv: list[str] | None = None) -> int:
    """Parse the folder with both trees and report the documents whose output differs."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("revision", help="a git revision to compare with (main, HEAD~1, a commit)")
    p.add_argument(
        "--dev", type=Path, default=DEFAULT_DEV, help="folder of documents (default ../shared/eval/dev)"
    )
    p.add_argument("--timeout", type=float, default=900, help="seconds allowed per tree (default 900)")
    args = p.parse_args(argv)
    docs = sorted(f for f in args.dev.iterdir() if f.suffix.lower() in SUFFIXES and f.is_file())
    if not docs:
        print(f"no documents in {args.dev}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="luoshi-compare-") as tmp:
        old_tree = Path(tmp) / "rev"
        try:
            _export(args.revision, old_tree)
        except subprocess.CalledProcessError as e:
            print(f"cannot read revision {args.revision!r}: {e.stderr.strip()}", file=sys.stderr)
            return 2
        ours, t_ours = _parse_all(ROOT / "src", docs, Path(tmp) / "out-this", args.timeout)
        theirs, t_theirs = _parse_all(old_tree / "src", docs, Path(tmp) / "out-rev", args.timeout)
    differing = 0
    for doc in docs:
        a, b = ours.get(doc.stem), theirs.get(doc.stem)
        if a == b:
            continue
        differing += 1
        print(f"DIFFERS {doc.name}: {_first_difference(b, a)}")
    print(
        f"{len(docs) - differing} of {len(docs)} documents identical to {args.revision} "
        f"(this tree {t_ours:.1f} s, {args.revision} {t_theirs:.1f} s)"
    )
    return 0 if differing == 0 else 1


def _export(revision: str, dest: Path) -> None:
    """The revision's ``src`` folder, extracted with git archive."""
    dest.mkdir(parents=True)
    archive = dest.with_suffix(".tar")
    with archive.open("wb") as f:
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
            stdout=f,
            stderr=subprocess.PIPE,
            check=True,
            text=False,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()


def _parse_all(src: Path, docs: list[Path], out: Path, timeout: float) -> tuple[dict[str, object], float]:
    """Every document's plan JSON as parsed by the engine in ``src`` (None where it failed)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [
        sys.executable,
        "-m",
        "luoshi",
        "parse",
        *map(str, docs),
        "-o",
        f"{out}{os.sep}",
        "--format",
        "json",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    seconds = time.perf_counter() - t0
    for line in proc.stderr.strip().splitlines():
        print(f"  [{src.parent.name}] {line}", file=sys.stderr)
    plans: dict[str, object] = {}
    for doc in docs:
        f = out / f"{doc.stem}.json"
        plans[doc.stem] = json.loads(f.read_text("utf-8")) if f.exists() else None
    return plans, seconds


def _first_difference(old: object, new: object, path: str = "") -> str:
    """Where two JSON values first differ, as a path and the two values (shortened)."""
    if type(old) is not type(new):
        return f"{path or '/'}: {_short(old)} → {_short(new)}"
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new)):
            if old.get(k) != new.get(k):
                return _first_difference(old.get(k), new.get(k), f"{path}/{k}")
    if isinstance(old, list) and isinstance(new, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            if a != b:
                return _first_difference(a, b, f"{path}/{i}")
        if len(old) != len(new):
            return f"{path}: {len(old)} entries → {len(new)}"
    return f"{path or '/'}: {_short(old)} → {_short(new)}"


def _short(v: object) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


if __name__ == "__main__":
    sys.exit(main())
