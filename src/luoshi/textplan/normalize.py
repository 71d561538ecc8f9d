"""Normalisation: traditional → simplified, scraped pinyin junk out, widths folded, offsets kept."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Pages scraped from some sites carry the reading after every polyphonic character:
# 發(fā)展 → 发展. A tone mark is required so that real parentheses such as (3+2) survive.
_PINYIN_JUNK = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)）]")
# Once a page is known to carry such junk, neutral-tone readings (們(men)) go too.
_TONELESS_JUNK = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü]{1,6}[)）]")
_ALL_JUNK = re.compile(f"{_PINYIN_JUNK.pattern}|{_TONELESS_JUNK.pattern}")
_JUNK_EVIDENCE = 3
_JUNK_SAMPLE = 200_000  # characters read for that evidence

# Full-width ASCII letters, digits and a few signs become half-width; Chinese punctuation
# (，。：；（）) stays, since the rules read it. Every mapping is one character to one,
# so positions do not move.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: 0x20,  # zero-width space, kept one-for-one as a plain space
        0xFEFF: 0x20,
        0x0009: 0x20,
        0x000D: 0x0A,  # lone CR; CRLF becomes two newlines, harmless for the line-based rules
        0x000B: 0x0A,
        0x000C: 0x0A,
        0x2028: 0x0A,
        0x2029: 0x0A,
        0xFF0E: ord("．"),
        # the small forms some converters write for punctuation (1﹒全省生产总值…, 省财政厅﹑…)
        0xFE50: ord("，"),
        0xFE51: ord("、"),
        0xFE52: ord("．"),
        0xFE54: ord("；"),
        0xFE55: ord("："),
        0xFE59: ord("（"),
        0xFE5A: ord("）"),
        0xFF05: ord("%"),
        0xFF0B: ord("+"),
        0xFF0D: ord("-"),
        0xFF0F: ord("/"),
    }
)
_WIDTH_TABLE = str.maketrans(_WIDTH)
_FOLDED = re.compile("[" + re.escape("".join(map(chr, _WIDTH))) + "]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s)."""
    return _t2s().convert(text)


@dataclass(slots=True)
class Normalised:
    """Normalised text and a map from its positions back to the original text.

    The map is one pair of offsets per kept segment (a stretch between two cuts of pinyin
    junk), in two ``array`` columns of machine integers: 16 bytes a segment, where Python
    lists of ints took about 80. The original text itself is not kept, only its length, so
    that a parse holds one normalised copy of a large document, not two."""

    text: str
    original_length: int
    _norm_starts: array[int]
    _orig_starts: array[int]

    def to_original(self, pos: int) -> int:
        """Offset in the original text of the character at ``pos`` of the normalised text."""
        i = bisect_right(self._norm_starts, pos) - 1
        if i < 0:
            return pos
        moved = self._orig_starts[i] - self._norm_starts[i]
        if moved == 0 and pos <= self.original_length:
            return pos  # the same int object: a plan's spans share the outline's, not copies
        return min(pos + moved, self.original_length)


# Text is folded a block of lines at a time, so that a large document is never held in
# several full copies at once (the pieces of a block, its conversion, its widths).
_BLOCK = 1 << 16


def normalise(original: str) -> Normalised:
    """Fold the document's text into the form the rules read, remembering where each piece came from."""
    return normalise_taking([original])


def normalise_taking(holder: list[str]) -> Normalised:
    """As ``normalise``, for a text handed over as a list that nothing else refers to, emptied
    here: one string, or pieces cut after newlines (see ``pieces``). A single text is let go as
    soon as its last block is folded, before the blocks are joined; pieces are let go one by one
    as the folded text grows in place, so a large document is held as the original or as the
    normalised text, with a block or two beside it, never as both texts at once."""
    if len(holder) != 1:
        return _normalise_pieces(holder)
    original = holder.pop()
    junk = _junk_pattern(original)
    n = len(original)
    if junk.search(original) is None and not _looks_traditional(original):
        # nothing moves: the text is the original (no copy) or its widths folded (one copy)
        text = original.translate(_WIDTH_TABLE) if _FOLDED.search(original) else original
        return Normalised(text, n, array("q", [0]), array("q", [0]))
    norm_starts: array[int] = array("q")
    orig_starts: array[int] = array("q")
    blocks: list[str] = []
    out = 0
    pos = 0
    while pos < n or not blocks:
        end = _block_end(original, pos)
        block, out = _fold_block(original[pos:end], pos, junk, out, norm_starts, orig_starts)
        blocks.append(block)
        pos = end
        if pos >= n:
            break
    del original  # the last reference when the text was handed over: freed before the join
    text = blocks[0] if len(blocks) == 1 else "".join(blocks)
    return Normalised(text, n, norm_starts, orig_starts)


def _junk_pattern(head: str) -> re.Pattern[str]:
    """The pinyin junk to cut, judged from the text's first 200,000 characters."""
    if len(_PINYIN_JUNK.findall(head, 0, _JUNK_SAMPLE)) >= _JUNK_EVIDENCE:
        return _ALL_JUNK
    return _PINYIN_JUNK


def _normalise_pieces(pieces: list[str]) -> Normalised:
    """The text of ``pieces`` folded in the blocks a single text is folded in (so that it comes
    out the same), each piece let go as it is cut into blocks and each block as it is folded."""
    n = sum(map(len, pieces))
    # junk does not run over a newline, so the sample's matches are counted piece by piece
    evidence = base = 0
    for p in pieces:
        if base >= _JUNK_SAMPLE:
            break
        evidence += len(_PINYIN_JUNK.findall(p, 0, _JUNK_SAMPLE - base))
        base += len(p)
    junk = _ALL_JUNK if evidence >= _JUNK_EVIDENCE else _PINYIN_JUNK
    norm_starts: array[int] = array("q")
    orig_starts: array[int] = array("q")
    text = ""
    out = 0
    pos = 0
    for block in _blocks(pieces, n):
        folded, out = _fold_block(block, pos, junk, out, norm_starts, orig_starts)
        pos += len(block)
        del block
        text += folded  # in place: see ``pieces``
        del folded
    return Normalised(text, n, norm_starts, orig_starts)


def _blocks(pieces: list[str], n: int) -> Iterator[str]:
    """The text of ``pieces`` (``n`` characters) cut where ``_block_end`` cuts a single text,
    the list emptied as it is read."""
    pieces.reverse()
    left = n
    buf = ""
    while left > 0:
        if left <= _BLOCK:
            while pieces:
                buf += pieces.pop()
            yield buf
            return
        nl = buf.find("\n", _BLOCK)
        while nl < 0 and pieces:
            buf += pieces.pop()
            nl = buf.find("\n", _BLOCK)
        end = len(buf) if nl < 0 else nl + 1
        block, buf = buf[:end], buf[end:]
        left -= end
        yield block
        del block


def _block_end(original: str, pos: int) -> int:
    """The end of the block of whole lines from ``pos``: at a line break after _BLOCK characters."""
    if pos + _BLOCK >= len(original):
        return len(original)
    nl = original.find("\n", pos + _BLOCK)
    return len(original) if nl < 0 else nl + 1


def _fold_block(
    block: str,
    base: int,
    junk: re.Pattern[str],
    out: int,
    norm_starts: array[int],
    orig_starts: array[int],
) -> tuple[str, int]:
    """A block of whole lines (beginning at ``base`` in the original) folded, its kept segments
    recorded; and where the next block begins in the normalised text."""
    # 1. cut pinyin junk, recording the kept segments
    pieces: list[str] = []
    pos = 0
    end = len(block)
    for m in junk.finditer(block):
        if m.start() > pos:
            norm_starts.append(out)
            orig_starts.append(base + pos)
            pieces.append(block[pos : m.start()])
            out += m.start() - pos
        pos = m.end()
    if pos < end or not pieces:
        norm_starts.append(out)
        orig_starts.append(base + pos)
        pieces.append(block[pos:end] if pos else block)
        out += end - pos
    text = "".join(pieces)
    del pieces, block

    # 2. traditional → simplified; OpenCC converts some phrases to a different length,
    # and then the offsets of that stretch are only approximate, which is good enough for
    # pointing a reviewer at the source.
    if _looks_traditional(text):
        converted = to_simplified(text)
        if len(converted) != len(text):
            converted = "\n".join(_same_length_lines(text.split("\n")))
        text = converted

    # 3. widths and odd whitespace, one character for one
    return text.translate(_WIDTH_TABLE), out


# Characters common in traditional text whose simplified forms differ; a quick screen that
# spares the converter on the simplified documents that make up most of the input.
_TRAD_HINT = re.compile(
    "[們這個來為說時會對國發與進關經過還麼將後從區開現實務機當樣體應學點長間問題電動種總產於書門業條]"
)


def _looks_traditional(text: str) -> bool:
    return _TRAD_HINT.search(text) is not None


def _same_length_lines(lines: list[str]) -> list[str]:
    conv = _t2s()
    out = []
    for line in lines:
        c = conv.convert(line)
        if len(c) != len(line):
            # convert character by character so the line keeps its length
            c = "".join(conv.convert(ch) if len(conv.convert(ch)) == 1 else ch for ch in line)
        out.append(c)
    return out
