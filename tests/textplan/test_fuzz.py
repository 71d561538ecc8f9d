"""Property-based: random and adversarial enumerator soup never breaks the parser."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.textplan import parse_text
from luoshi.textplan.numerals import label_value

PIECES = [
    "一、",
    "二、",
    "三、",
    "十一、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2.",
    "3.",
    "10.",
    "1、",
    "2、",
    "（1）",
    "（2）",
    "①",
    "②",
    "③",
    "一是",
    "二是",
    "三是",
    "第一，",
    "第二，",
    "01 ",
    "02 ",
    "关键词1",
    "关键词2",
    "、",
    "。",
    "；",
    "：",
    "\n",
    "\n\n",
    "（",
    "）",
    "(",
    ")",
    "“",
    "”",
    "《",
    "》",
    "牵头单位：",
    "配合单位：",
    "市发展改革局",
    "、经济和信息化局",
    "负责",
    "牵头",
    "配合",
    "由",
    "会同",
    "力争",
    "新增",
    "5家以上",
    "2—3次",
    "3.8万余人次",
    "约1088亿元",
    "42.7%",
    "19号线",
    "“3+4”",
    "2024年",
    "年底前",
    "6月底前",
    "每月报送1次",
    "第三批",
    "发(fā)展",
    "發展",
    "上一篇",
    "扫一扫",
    "加强规划对接",
    "推进",
    "建设",
    " ",
    "\t",
    "０１２",
    "ｘ",
    "\x00",
    "\ufeff",
    "\u3000",
    "😀",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=120))
def test_enumerator_soup_parses_into_a_consistent_tree(pieces: list[str]) -> None:
    text = "".join(pieces)
    plan = parse_text(text)
    for item in plan.walk():
        assert item.span is not None
        assert 0 <= item.span.start <= item.span.end <= len(text)
        for t in item.targets:
            assert t.kind in ("target", "actual")
            assert t.value is not None or (t.low is not None and t.high is not None)
    _check_sequences(plan.items)
    plan.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    plan = parse_text(text)
    assert isinstance(plan.to_dict()["items"], list)


def _check_sequences(items) -> None:
    """Siblings of one family count up by one: a number in the text never slips in as an item."""
    last: dict[str, int] = {}
    for it in items:
        if it.family in last and it.confidence == 1.0:
            numeral = _numeral(it.label)
            value = label_value(
                numeral, "circled" if it.family == "circled" else "arabic" if numeral.isdigit() else "cn"
            )
            assert value == last[it.family] + 1, [i.label for i in items]
        numeral = _numeral(it.label)
        last[it.family] = (
            label_value(
                numeral, "circled" if it.family == "circled" else "arabic" if numeral.isdigit() else "cn"
            )
            or 0
        )
        _check_sequences(it.children)


def _numeral(label: str) -> str:
    for junk in ("关键词", "（", "）", "(", ")", "、", ".", "．", "是", "第", "，", ",", ":", "："):
        label = label.replace(junk, "")
    return label.strip().lstrip("0") or "0"
