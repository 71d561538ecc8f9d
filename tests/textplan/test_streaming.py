"""A plan read one top-level item at a time (``stream_file``, what ``luoshi parse`` writes from):
the same plan as ``parse_file`` gives whole, made from the outline's parts and from statements
and deadlines read in windows that follow them, and let go item by item as it is written."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from luoshi.textplan import parse_file, stream_file
from luoshi.textplan.export import to_json, to_tree, write_json, write_json_line, write_tree
from luoshi.textplan.normalize import normalise
from luoshi.textplan.outline import build
from luoshi.textplan.responsibility import StatementStream, find_statements

from .test_memory_growth import _many_items_text, _plan_text

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))

# 责任单位 beside a named lead: the responsible units support the lead, unless a statement of the
# document (here, a later one) names them as leads
NAMED_LATER = (
    "某市工作方案\n一、甲工作\n（一）做好甲事（牵头单位：市发展改革局）。\n责任单位：市财政局、市统计局\n"
    "（二）做好乙事。\n二、乙工作\n（一）做好丙事。（牵头单位：市财政局）\n"
)
TEXTS = {
    "one item": "一、工作\n（一）做事。",
    "no items": "某市关于做好统计工作的通知\n各单位：请按时报送。\n",
    "named later": NAMED_LATER,
    "named nowhere": NAMED_LATER.split("二、")[0],
    # labelled lines, one run over two lines, the next item's label ending a value
    "labelled lines": "一、工作\n（一）做事。\n牵头单位：市发展改革局\n\n配合单位：市财政局\n（二）再做。牵头单位：市统计局（二）",
    # the end of the text cuts a statement off
    "cut off": "一、工作\n（一）做事，力争新增5家以上。（牵头单位：市卫健委；责任单位：市协",
    # a page run into one line: its items and statements on one line
    "flat": "某市方案 "
    + "".join(f"{n}、推进第{n}项工作，年底前完成。（牵头单位：市商务局） " for n in "一二三四五六七八九十")
    * 20,
    "deadlines and rhythms": "一、工作\n（一）做事，2024年6月底前完成，每月报送1次。\n（二）再做，年底前完成。\n二、保障\n",
    "prose": _plan_text(40_000).replace("\r\n", "\n"),
    "many items": _many_items_text(40_000),
}


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("name", list(TEXTS))
def test_a_streamed_plan_is_written_as_the_whole_plan(tmp_path: Path, name: str) -> None:
    path = _file(tmp_path, TEXTS[name])
    plan = parse_file(path)
    for write, whole in [
        (write_json, to_json(plan)),
        (write_tree, to_tree(plan).removesuffix("\n")),
        (write_json_line, json.dumps(plan.to_dict(), ensure_ascii=False, separators=(",", ":"))),
    ]:
        out = io.StringIO()
        write(stream_file(path), out)
        assert out.getvalue() == whole


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_streams_as_it_parses(path: Path) -> None:
    out = io.StringIO()
    write_json(stream_file(path), out)
    assert out.getvalue() == to_json(parse_file(path))


def test_a_unit_a_later_statement_names_as_lead_stays_a_lead(tmp_path: Path) -> None:
    later = [(it.label, it.lead, it.support) for it in parse_file(_file(tmp_path, NAMED_LATER)).walk()]
    assert later[1] == ("（一）", ["市发展改革局", "市财政局"], ["市统计局"])
    nowhere = [
        (it.label, it.lead, it.support) for it in parse_file(_file(tmp_path, TEXTS["named nowhere"])).walk()
    ]
    assert nowhere[1] == ("（一）", ["市发展改革局"], ["市财政局", "市统计局"])


@pytest.mark.parametrize("name", ["labelled lines", "cut off", "flat", "named later", "prose", "many items"])
def test_statements_read_in_windows_are_the_statements_read_at_once(name: str) -> None:
    text = normalise(TEXTS[name]).text
    outline = build(text)
    starts = outline.starts
    whole = find_statements(text, outline.body_start, outline.body_end, starts)
    assert whole

    def next_stop(pos: int) -> int | None:
        later = [s for s in starts if s > pos]
        return later[0] if later else None

    stream = StatementStream(text, outline.body_start, outline.body_end, next_stop)
    windows = [stream.take(s) for s in [*starts[1:], outline.body_end]]
    assert [st for w in windows for st in w] == whole
    assert all(
        starts[i] <= st.start < end
        for i, (w, end) in enumerate(zip(windows, [*starts[1:], outline.body_end], strict=True))
        for st in w
    )


def _writing_growth(path: Path) -> int:
    """Bytes allocated at the peak of writing a streamed plan, beyond what it held before."""
    stream = stream_file(path)
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        with (path.parent / "out.json").open("w", encoding="utf-8") as f:
            write_json(stream, f)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_writing_a_streamed_plan_holds_a_part_of_it_not_the_plan(tmp_path: Path) -> None:
    small, big = tmp_path / "small" / "plan.txt", tmp_path / "big" / "plan.txt"
    for path, size in ((small, 250_000), (big, 1_000_000)):
        path.parent.mkdir()
        path.write_text(_many_items_text(size), "utf-8")
    _writing_growth(small)  # rule tables and regular expressions loaded before measuring
    grew_small, grew_big = _writing_growth(small), _writing_growth(big)
    items = json.loads((big.parent / "out.json").read_text("utf-8"))["items"]
    assert len(items) > 250
    # made whole, the items of this plan took 3 bytes a byte of file, four times as much for a
    # file four times as large; made and let go one top-level item at a time, the same for both
    size = big.stat().st_size
    assert grew_big < 0.4 * size, f"{grew_big / size:.2f} bytes a byte of file while written"
    assert grew_big < 2 * grew_small, f"{grew_big} bytes for 1 MB against {grew_small} for 250 KB"
