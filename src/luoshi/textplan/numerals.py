"""Chinese and Arabic numerals to numbers."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(s: str) -> int | None:
    """一百二十三 → 123, 二〇二三 → 2023 (digit by digit); None when ``s`` is not a numeral."""
    if not s:
        return None
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = section = number = 0
    seen = False
    for ch in s:
        if ch in _DIGITS:
            number = _DIGITS[ch]
            seen = True
        elif ch in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[ch]
            number = 0
            seen = True
        elif ch in _BIG_UNITS:
            section += number
            total += (section or 1) * _BIG_UNITS[ch]
            section = number = 0
            seen = True
        else:
            return None
    return total + section + number if seen else None


def label_value(numeral: str, kind: str) -> int | None:
    """The ordinal value of an enumerator's numeral."""
    if kind == "arabic":
        return int(numeral) if numeral.isdigit() else None
    if kind == "circled":
        i = CIRCLED.find(numeral)
        return i + 1 if i >= 0 else None
    return cn_to_int(numeral)


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五: the numeral a label of that value is written with."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[max(n, 0)]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out = ""
    zero = False
    for value, name in ((100_000_000, "亿"), (10_000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q, n = divmod(n, value)
        if q:
            if zero and out:
                out += "零"
            out += (int_to_cn(q) if q >= 10 else digits[q]) + name
            zero = False
        elif out:
            zero = True
    return out
