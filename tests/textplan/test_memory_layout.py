"""How a large document is held: one normalised copy, offsets in compact arrays, lines read
from offsets instead of split into strings, a file's text handed over and let go once
normalised. Each must give exactly what the plain forms gave."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from luoshi.textplan import parse_file, parse_text
from luoshi.textplan.export import to_json
from luoshi.textplan.flattables import _Lines, unflatten, unflatten_taking
from luoshi.textplan.normalize import normalise, normalise_taking
from luoshi.textplan.pieces import join_taking, line_aligned

# a page scraped with pinyin after polyphonic characters, long enough to be folded in many blocks
JUNKY_LINE = "一、推進(jìn)深中一體化發(fā)展，力爭(zhēng)新增５家以上abc\n"
JUNKY = JUNKY_LINE * 6000


def test_offsets_are_compact_arrays_and_map_every_block_back() -> None:
    norm = normalise(JUNKY)
    assert isinstance(norm._norm_starts, array) and isinstance(norm._orig_starts, array)
    assert norm.text == "一、推进深中一体化发展，力争新增5家以上abc\n" * 6000
    assert not hasattr(norm, "original")  # the original text is not kept, only its length
    for i in range(0, len(norm.text), 997):
        if norm.text[i] in "abc、，":
            assert JUNKY[norm.to_original(i)] == norm.text[i]
    assert norm.to_original(len(norm.text)) == len(JUNKY)


def test_a_handed_over_text_is_taken_and_folded_alike() -> None:
    holder = [JUNKY]
    norm = normalise_taking(holder)
    assert holder == []
    assert norm.text == normalise(JUNKY).text


@pytest.mark.parametrize("text", ["一、工作\n（一）做事。", "ＡＢＣ１２３", JUNKY_LINE])
def test_short_texts_keep_one_offset_pair_or_their_segments(text: str) -> None:
    norm = normalise(text)
    assert norm.to_original(0) == 0
    assert norm.to_original(len(norm.text)) <= len(text)


def test_a_file_parses_as_its_text_does(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    text = (
        "某市工作方案\n"
        + JUNKY_LINE * 50
        + "（牵头单位：市發(fā)展改革局；配合单位：各县（市、区）人民政府）\n"
    )
    path.write_text(text, "utf-8")
    from_file = to_json(parse_file(path))
    from_text = to_json(parse_text(text, source="plan.txt"))
    assert from_file == from_text


@pytest.mark.parametrize(
    "text",
    ["", "\n", "a", "a\n", "a\nb", "a\nb\n", "\n\nx\n\n", "序号 | 任务\n1 | 做事\n\n2 | 再做"],
)
def test_lines_read_from_offsets_are_the_split_lines(text: str) -> None:
    lines = _Lines([text])
    split = text.split("\n")
    assert len(lines) == len(split)
    assert [lines[i] for i in range(len(lines))] == split
    assert lines[-1] == split[-1]
    assert lines[1:3] == split[1:3]
    assert [lines.start(i) for i in range(len(lines))] == [
        sum(len(s) + 1 for s in split[:i]) for i in range(len(split))
    ]
    with pytest.raises(IndexError):
        lines[len(split)]


def _cut(text: str, size: int) -> list[str]:
    """``text`` in pieces of about ``size`` characters, each cut after a newline as a file is read."""
    return line_aligned([text[i : i + size] for i in range(0, len(text), size)])


TABLE = "序号 | 任务 | 牵头单位 | 配合单位\n1 | 编制规划，年底前完成5项 | 市发展改革局 | 市统计局\n2 | 建设项目 | 市住建局 | 市财政局\n"
PROSE = "（一）推进工作，力争新增５家以上。\n" * 400
# rows whose cells stand behind their column's name
LABELLED = (
    "1.推进轨道交通建设\n牵头领导：林静国 责任单位：市公安局 实际完成情况：新辟线路6条\n"
    "2.整治城市道路\n牵头领导：王仁洲 责任单位：市城管局 实际完成情况：已完成\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "a\nb\n",
        PROSE,
        PROSE + TABLE + PROSE,
        PROSE + TABLE,  # the text ends with a table
        PROSE + TABLE.rstrip("\n"),
        TABLE + TABLE + PROSE,  # tables at the start, one after the other
        (PROSE + "\n" + TABLE + "\n") * 5,
        JUNKY + TABLE + JUNKY_LINE * 10,
        PROSE + "\n" + LABELLED + "\n" + PROSE + TABLE,
        LABELLED,
    ],
)
@pytest.mark.parametrize("size", [7, 1000, 1 << 16])
def test_a_text_in_pieces_is_read_folded_and_normalised_as_whole(text: str, size: int) -> None:
    pieces = _cut(text, size)
    assert "".join(pieces) == text
    assert all(p.endswith("\n") for p in pieces[:-1])
    rebuilt = unflatten_taking(pieces)
    assert pieces == []  # handed over: the list is emptied, its pieces let go
    assert join_taking(list(rebuilt)) == unflatten(text)
    norm, whole = normalise_taking(rebuilt), normalise(unflatten(text))
    assert rebuilt == []
    assert norm.text == whole.text
    assert norm.original_length == whole.original_length
    assert [norm.to_original(i) for i in range(0, len(norm.text) + 1, 13)] == [
        whole.to_original(i) for i in range(0, len(whole.text) + 1, 13)
    ]


def test_pieces_without_a_table_come_back_as_they_were() -> None:
    pieces = _cut(PROSE * 10, 1000)
    given = list(pieces)
    out = unflatten_taking(pieces)
    assert len(out) == len(given) and all(a is b for a, b in zip(out, given, strict=True))


def test_a_line_longer_than_a_piece_is_one_piece() -> None:
    line = "推进工作" * 5000
    pieces = _cut(f"a\n{line}\nb", 100)
    assert pieces == ["a\n", f"{line}\n", "b"]


def test_a_large_file_is_not_held_twice_while_read_and_normalised(tmp_path: Path) -> None:
    import tracemalloc

    from luoshi.textplan.readers import read_pieces

    path = tmp_path / "plan.txt"
    # 4 MB of file, 1.5 million characters; three blank lines end each table
    path.write_text((PROSE + "\n" + TABLE + "\n\n\n") * 200, "utf-8")
    normalise_taking(read_pieces(path))  # warm: the rule tables and converters are loaded
    tracemalloc.start()
    try:
        norm = normalise_taking(read_pieces(path))
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    text_bytes = 2 * len(norm.text)  # Chinese text: two bytes a character
    assert held >= text_bytes
    # joining the pieces, then folding the widths, each held the text twice for a moment
    assert peak < 1.4 * text_bytes
