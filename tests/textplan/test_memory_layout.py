"""How a large document is held: one normalised copy, offsets in compact arrays, lines read
from offsets instead of split into strings, a file's text handed over and let go once
normalised. Each must give exactly what the plain forms gave."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from luoshi.textplan import parse_file, parse_text
from luoshi.textplan.export import to_json
from luoshi.textplan.flattables import _Lines
from luoshi.textplan.normalize import normalise, normalise_taking

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
    lines = _Lines(text)
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
