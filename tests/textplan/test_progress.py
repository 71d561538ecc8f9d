"""The progress callback: a few calls per document, fractions rising to 1, results unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi.textplan import parse_file, parse_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LONG = "".join(
    f"{s}、第{s}部分\n"
    + "".join(
        f"{i}.推进第{i}项工作，2024年底前新增企业{i}家以上。（牵头单位：市商务局）\n" for i in range(1, 60)
    )
    for s in "一二三四五六七八九十"
)


def listen():
    heard: list[tuple[str, float]] = []
    return heard, lambda stage, fraction: heard.append((stage, fraction))


def as_json(plan) -> str:
    return json.dumps({**plan.to_dict(), "text": plan.text}, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_it_reports_rising_fractions_from_reading_to_done_and_changes_nothing(path):
    heard, progress = listen()
    with_progress = parse_file(path, progress=progress)
    fractions = [f for _stage, f in heard]
    assert heard[0] == ("read", 0.0)
    assert heard[-1] == ("done", 1.0)
    assert fractions == sorted(set(fractions))  # strictly rising
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert [s for s, _f in heard if s != "targets"] == ["read", "normalize", "outline", "units", "done"]
    assert as_json(with_progress) == as_json(parse_file(path))


def test_a_long_plan_costs_no_more_calls_than_a_short_one():
    short, progress = listen()
    parse_text("一、工作\n（一）开展研究。（牵头单位：市发展改革局）\n", progress=progress)
    long, progress = listen()
    plan = parse_text(LONG, progress=progress)
    assert sum(1 for _ in plan.walk()) == 600
    assert len(short) <= len(long) <= 8
    assert [s for s, _f in long].count("targets") == 4  # the start and each quarter of the items
    assert as_json(plan) == as_json(parse_text(LONG))


def test_text_without_items_still_ends_done():
    heard, progress = listen()
    parse_text("", progress=progress)
    assert heard[-1] == ("done", 1.0)


def test_the_engine_still_runs_without_django():
    code = (
        "import sys, luoshi.textplan as t; "
        "t.parse_text('一、工作\\n（一）开展研究。', progress=lambda s, f: None); "
        "sys.exit('django' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
