"""Normalisation: traditional to simplified, scraped pinyin junk out, widths folded, offsets kept."""

from __future__ import annotations

import pytest

from luoshi.textplan.normalize import normalise


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("發(fā)展和改革局", "发展和改革局"),
        ("政務(wù)公開", "政务公开"),
        ("推進(jìn)深中一體化", "推进深中一体化"),
        ("深莞惠(3+2)區域", "深莞惠(3+2)区域"),
        ("力争新增５家以上", "力争新增5家以上"),
        ("一、總體要求", "一、总体要求"),
    ],
)
def test_text_is_folded_to_the_form_the_rules_read(original: str, expected: str) -> None:
    assert normalise(original).text == expected


def test_positions_map_back_to_the_original_text() -> None:
    original = "市發(fā)展改革局（牵头）"
    norm = normalise(original)
    i = norm.text.index("（")
    assert original[norm.to_original(i)] == "（"
    assert norm.to_original(0) == 0


def test_toneless_junk_goes_only_where_the_page_carries_junk() -> None:
    junky = "發(fā)展(zhǎn)規劃(huà)，我們(men)的目標"
    assert normalise(junky).text == "发展规划，我们的目标"
    assert normalise("采用(abc)方法").text == "采用(abc)方法"
