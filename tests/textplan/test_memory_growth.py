"""How much memory a large plan costs beyond the plan itself: a text file is read a chunk at a
time, never held as bytes and text at once, and JSON and trees are written as they are encoded,
never built whole.
Peaks are read with tracemalloc, which counts what Python allocates, so they do not depend on
timing or on the machine; each bound was broken by the code before these changes."""

from __future__ import annotations

import io
import json
import pickle
import random
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from luoshi.cli import main
from luoshi.textplan import parse_file, parse_text, readers
from luoshi.textplan.errors import ReadError
from luoshi.textplan.export import to_json, to_tree, write_json, write_json_line, write_tree
from luoshi.textplan.flattables import unflatten

# Prose as long plans have it: paragraphs between the items, a flattened table, full-width
# digits (folded by the normaliser), Windows line ends (folded by the reader).
PARAGRAPH = (
    "近年来，我市深入推进区域一体化合作，主动加强与周边城市在合作机制、空间布局、基础设施、"
    "产业发展、公共服务等方面的对接，以ＰＰＰ模式引入社会资本，取得了积极成效。\r\n"
)
SECTION = (
    "{n}、推进交通基础设施互联互通\r\n"
    + PARAGRAPH * 12
    + "（一）加快建设城际轨道。力争年内新增线路２条以上。（牵头单位：市交通运输局；配合单位：市发展改革局）\r\n"
    "（二）完善公交网络，优化线路布局，提升服务水平，群众出行更加便捷。\r\n"
)
TABLE = "序号 | 工作任务 | 牵头单位 | 完成时限\r\n1 | 编制规划 | 市发展改革局 | 2024年6月底前\r\n"
NUMBERS = "一二三四五六七八九"


def _plan_text(size: int) -> str:
    """A plan of about ``size`` bytes of UTF-8: sections numbered again after each date line."""
    parts, total, k = ["某市推进都市圈建设工作方案\r\n"], 0, 0
    while total < size:
        k += 1
        block = f"\r\n2024年{k % 12 + 1}月{k % 28 + 1}日\r\n\r\n" + TABLE
        block += "".join(SECTION.format(n=n) for n in NUMBERS)
        parts.append(block)
        total += len(block.encode("utf-8"))
    return "".join(parts)


def _peak_growth(fn: Callable[[], object]) -> int:
    """Bytes allocated at the peak of ``fn()`` beyond what was held when it began."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_the_command_needs_little_beyond_the_plan_it_reads(tmp_path: Path) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(_plan_text(20_000), "utf-8")
    big.write_text(_plan_text(1_000_000), "utf-8")
    out = tmp_path / "out.json"
    # loads the engine, its rule tables and its regular expressions before measuring
    assert main(["parse", str(small), "--format", "json", "-o", str(out)]) == 0
    held: list[object] = []
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        held.append(parse_file(big))
        plan_size = tracemalloc.get_traced_memory()[0] - base  # the items and the text they cite
    finally:
        tracemalloc.stop()
    held.clear()

    peak = _peak_growth(lambda: main(["parse", str(big), "--format", "json", "-o", str(out)]))

    size = big.stat().st_size
    # Beyond the plan, a second copy of the text while it is decoded and folded, at two bytes a
    # character against three in the file. Reading the bytes whole, then building the JSON whole,
    # took five times the file beyond the plan.
    window = peak - plan_size
    assert window < 0.8 * size, f"{window / size:.2f} bytes of memory beyond the plan per byte of file"
    items = list(_walk(json.loads(out.read_text("utf-8"))["items"]))
    assert len(items) > 900
    assert sum(it["lead"] == ["市交通运输局"] for it in items) > 300


# A plan that is nearly all items, each with its text, a target and its units, as task tables
# and long 一是…二是… plans read: the plan the command returns is what its memory is made of.
TASK = (
    "{k}.加快推进第{k}批城市更新项目建设，完成老旧小区改造任务，力争年内新增停车位200个以上。"
    "（牵头单位：市住房城乡建设局；配合单位：市发展改革局）\n"
)


def _many_items_text(size: int) -> str:
    parts, total, k = ["某市城市更新工作方案\n"], 0, 0
    while total < size:
        k += 1
        tasks = "".join(TASK.format(k=i) for i in range(1, 9))
        block = (
            f"\n2024年{k % 12 + 1}月{k % 28 + 1}日\n\n一、推进城市更新\n"
            f"（一）实施老旧小区改造。\n{tasks}（二）完善公共服务设施。\n{tasks}"
        )
        parts.append(block)
        total += len(block.encode("utf-8"))
    return "".join(parts)


def test_a_plan_of_many_items_holds_the_document_once_not_each_items_copy(tmp_path: Path) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(_many_items_text(20_000), "utf-8")
    big.write_text(_many_items_text(1_000_000), "utf-8")
    out = tmp_path / "out.json"
    assert main(["parse", str(small), "--format", "json", "-o", str(out)]) == 0

    peak = _peak_growth(lambda: main(["parse", str(big), "--format", "json", "-o", str(out)]))

    items = list(_walk(json.loads(out.read_text("utf-8"))["items"]))
    assert len(items) > 5000
    tasks = [it for it in items if it["label"].endswith(".")]
    assert all(it["lead"] == ["市住房城乡建设局"] and it["support"] == ["市发展改革局"] for it in tasks)
    assert all(it["text"].startswith(it["title"] + "。（牵头单位：市住房城乡建设局；") for it in tasks)
    assert all(it["targets"][0]["value"] == 200 for it in tasks)
    # 15.8 bytes a byte of file when each item held a copy of its text, its labels and unit names
    # and the outline lived until the next full collection; 11.4 with the whole plan made before
    # it was written. Made and written one top-level item at a time, what is left is the text, held
    # twice while its pieces are joined.
    size = big.stat().st_size
    assert peak < 2.5 * size, f"{peak / size:.1f} bytes of memory per byte of a plan of {len(items)} items"


def test_an_items_text_reads_as_its_stretch_of_the_document() -> None:
    plan = parse_text("一、工作\n（一）做事。 \n 力争完成5项。\n（二）  \n二、保障\n")
    first = plan.items[0].children[0]
    assert first.text == "做事。 \n 力争完成5项。"
    assert plan.items[0].children[1].text == ""
    assert first.to_dict()["text"] == first.text
    again = pickle.loads(pickle.dumps(plan))
    assert again.items[0].children[0].text == first.text
    assert again == plan
    first.text = "改写"
    assert first.text == "改写" and first.to_dict()["text"] == "改写"


def _walk(items: list[dict]):
    for it in items:
        yield it
        yield from _walk(it["children"])


def test_json_is_written_as_it_is_encoded_not_built_whole(tmp_path: Path) -> None:
    plan = parse_text(_plan_text(600_000).replace("\r\n", "\n"))
    expected = to_json(plan)
    out = tmp_path / "plan.json"

    def write() -> None:
        with out.open("w", encoding="utf-8") as f:
            write_json(plan, f)

    peak = _peak_growth(write)

    assert out.read_text("utf-8") == expected
    # the item being written, its parents and a batch of pieces: under a quarter of the JSON text
    # itself, which to_json held whole beside the plan's dictionary
    assert peak < sys.getsizeof(expected) / 4, f"{peak} bytes for {sys.getsizeof(expected)} of JSON"


@pytest.mark.parametrize("text", ["", "一、工作\n（一）做事。", _plan_text(30_000).replace("\r\n", "\n")])
def test_streamed_forms_are_the_whole_forms(text: str) -> None:
    plan = parse_text(text, source="plan.txt")
    for write, whole in [
        (write_json, to_json(plan)),
        (write_tree, to_tree(plan).removesuffix("\n")),
        (write_json_line, json.dumps(plan.to_dict(), ensure_ascii=False, separators=(",", ":"))),
    ]:
        out = io.StringIO()
        write(plan, out)
        assert out.getvalue() == whole


def _whole_read(path: Path) -> str | tuple[str, str]:
    """What reading the file's bytes at once gives: its text, or ("error", reason)."""
    try:
        data = readers._load(path)
        kind = readers.sniff(data)
        text = readers._finish(readers.EXTRACTORS[kind](data))
        if readers._blank(text):
            return ("error", readers._empty_reason(kind))
        return unflatten(text) if kind in readers.FLATTENED_KINDS else text
    except readers._Reject as e:
        return ("error", e.reason)


def _streamed_read(path: Path) -> str | tuple[str, str]:
    try:
        return readers.read_document(path)
    except ReadError as e:
        return ("error", e.reason)


def _sprinkled(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    b = bytearray(data)
    for _ in range(8):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


_PROSE = "一、推進工作\r\n（一）力争新增５家以上。\r\n序号 | 任务 | 牵头单位\r\n1 | 编制规划 | 市发展改革局\r\n\x01\x0c②abc\r"
FILES = {
    "utf-8": (_PROSE * 40).encode("utf-8"),
    "utf-8 with a mark": (_PROSE * 40).encode("utf-8-sig"),
    "gb18030": (_PROSE * 40).encode("gb18030"),
    "big5": (_PROSE * 40).encode("big5", "ignore"),
    "utf-16 with a mark": (_PROSE * 40).encode("utf-16"),
    "utf-16 without a mark": (_PROSE * 40).encode("utf-16-le"),
    "utf-32": (_PROSE * 40).encode("utf-32"),
    "utf-8, broken bytes": _sprinkled((_PROSE * 40).encode("utf-8"), 1),
    "gb18030, broken bytes": _sprinkled((_PROSE * 40).encode("gb18030"), 2),
    "utf-16, broken bytes": _sprinkled((_PROSE * 40).encode("utf-16"), 3),
    "random bytes": random.Random(4).randbytes(3000),
    "blank": b" \n\t \r\n",
    "vertical tabs": b"\x0b" * 50,
    "NUL bytes": b"abc\x00def" * 30,
    "empty": b"",
    "a mark alone": b"\xef\xbb\xbf",
    "CR then LFs": b"a\r\n\r" + b"\n" * 3 + b"\r",
    "a web page": "<html><body><p>一、工作</p></body></html>".encode(),
    "an empty zip": b"PK\x05\x06" + b"\0" * 18,
    "an old Word file": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
}


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
@pytest.mark.parametrize("name", list(FILES))
def test_a_text_file_read_in_chunks_reads_as_its_bytes_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, chunk: int
) -> None:
    # a head smaller than the files, so that pieces break characters, CR LF pairs and tables
    monkeypatch.setattr(readers, "SCORE_SAMPLE", 4097)
    monkeypatch.setattr(readers, "CHUNK_BYTES", chunk)
    path = tmp_path / "plan.txt"
    path.write_bytes(FILES[name])
    assert _streamed_read(path) == _whole_read(path)


def test_a_file_over_the_limit_is_refused_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(("一、工作\n" * 1000).encode("utf-8"))
    monkeypatch.setenv("LUOSHI_MAX_BYTES", str(path.stat().st_size + 10))
    assert isinstance(_streamed_read(path), str)
    monkeypatch.setenv("LUOSHI_MAX_BYTES", str(path.stat().st_size - 1))
    assert _streamed_read(path) == _whole_read(path)
    assert "文件过大" in _streamed_read(path)[1]


def test_a_large_gb18030_file_parses_as_its_utf8_twin(tmp_path: Path) -> None:
    text = _plan_text(400_000)
    gb, utf = tmp_path / "gb.txt", tmp_path / "utf.txt"
    gb.write_bytes(text.encode("gb18030"))
    utf.write_bytes(text.encode("utf-8"))
    assert to_json(parse_file(gb)).replace('"gb.txt"', '"utf.txt"') == to_json(parse_file(utf))


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    import subprocess

    path = tmp_path / "plan.txt"
    path.write_text(_plan_text(300_000), "utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "parse", str(path), "--format", "tree"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().decode("utf-8").strip() == "某市推进都市圈建设工作方案"
    proc.stdout.close()  # as `luoshi parse … | head -1` does
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) in (0, 1)
    assert stderr == ""
