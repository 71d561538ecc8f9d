"""Read a plan file (.txt/.html/.docx/.xlsx/.pdf) into text, refusing hostile or broken input."""

from __future__ import annotations

import codecs
import contextlib
import datetime
import functools
import io
import logging
import math
import os
import re
import stat
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from luoshi.textplan.errors import InternalError, ReadError
from luoshi.textplan.flattables import unflatten, unflatten_taking
from luoshi.textplan.htmltext import declared_encoding, html_to_text
from luoshi.textplan.pieces import join_taking, line_aligned
from luoshi.textplan.tables import table_lines
from luoshi.zipsafe import ZipRefused, zip_names

MAX_BYTES = 32 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
SMALL_XLSX = 5 * 1024 * 1024
MAX_COLUMNS = 256
MAX_MERGE_CELLS = 100_000
MAX_GRID_SPAN = 64
SNIFF_BYTES = 4096
SCORE_SAMPLE = 256 * 1024
MAX_REASON = 200
MIN_HAN_FOR_RATIO = 50
COMMON_SHARE = 0.85

PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
logger = logging.getLogger(__name__)

FLATTENED_KINDS = ("text", "html")
KIND_NAMES = {"pdf": "PDF ", "docx": "Word ", "xlsx": "Excel ", "html": "网页", "text": "文本"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control characters (other than tab, newlines, form feed), replacement characters and
# private-use code points are what a wrong guess or a binary file decodes to.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
NEWLINES = re.compile(r"\r\n?|\x0c")
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# PDF text layers space out characters that the layout spread apart; Chinese has no such spaces.
CJK_GAP = re.compile(f"(?<=[{CJK}]) +(?=[{CJK}])")


class _Reject(Exception):
    """Internal: the input is refused for the reason given."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def max_bytes() -> int:
    """The size limit in bytes: LUOSHI_MAX_BYTES when set to a positive integer, else MAX_BYTES."""
    raw = os.environ.get("LUOSHI_MAX_BYTES", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return MAX_BYTES


def read_document(path: Path) -> str:
    """Decoded text of a document, ready for the parser; raises ReadError and nothing else."""
    return join_taking(read_pieces(path))


def read_pieces(path: Path) -> list[str]:
    """As ``read_document``, the text as pieces cut after newlines (see ``pieces``): a large plain
    text is never whole in memory until the normaliser makes it, and then only once."""
    kind = "text"
    try:
        pieces = _streamed_text(Path(path))
        if pieces is None:
            data = _load(Path(path))
            kind = sniff(data)
            pieces = [_finish(EXTRACTORS[kind](data))]
            del data  # the file's bytes are not needed once decoded: a large file is not held twice
        if all(map(_blank, pieces)):
            raise _Reject(_empty_reason(kind))
        if kind not in FLATTENED_KINDS:
            return pieces
        # Word and Excel tables arrive as tables; in text and web pages a table may be flattened
        # (PDF tables are rebuilt while reading, before their cells' spacing is removed). The
        # pieces are handed over and let go as the rebuilt ones are made.
        return unflatten_taking(pieces)
    except _Reject as e:
        raise ReadError(path, e.reason) from None
    except MemoryError:
        raise ReadError(path, "内存不足，文件过大或结构异常") from None
    except RecursionError:
        raise ReadError(path, f"{KIND_NAMES[kind]}文件结构嵌套过深") from None
    except Exception as e:  # libraries raise anything on broken files; the caller wants one error type
        if raised_by_luoshi(e):
            # Our defect, not the user's file: say so, and keep the traceback for the report.
            logger.exception("internal error while reading %s", path)
            reason = (
                f"内部错误：读取{KIND_NAMES[kind]}文件时程序出错（{type(e).__name__}: {e}），详情已记入日志"
            )
            raise InternalError(path, _one_line(reason)) from e
        raise ReadError(
            path, _one_line(f"{KIND_NAMES[kind]}文件损坏或无法解析（{type(e).__name__}: {e}）")
        ) from e


def raised_by_luoshi(error: BaseException) -> bool:
    """Whether an exception was raised in luoshi's own code rather than inside a library."""
    tb = error.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return str(Path(tb.tb_frame.f_code.co_filename).resolve()).startswith(PACKAGE_DIR + os.sep)


def decode_bytes(data: bytes) -> str:
    """Decode the bytes of a text file, detecting UTF-8/UTF-16/GB18030/Big5; raises ReadError."""
    try:
        return _decode_text(data)
    except _Reject as e:
        raise ReadError("<bytes>", e.reason) from None


def _one_line(reason: str) -> str:
    line = " ".join(reason.split())
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 1] + "…"


def _empty_reason(kind: str) -> str:
    if kind == "pdf":
        return "PDF 没有文字层（扫描件？）"
    if kind == "text":
        return "文件为空"
    return f"{KIND_NAMES[kind]}文档中没有文字"


def _load(path: Path) -> bytes:
    """The file's bytes, checked for existence, type and size before reading."""
    st, limit = _stat_checked(path)
    try:
        with path.open("rb") as f:
            # read what stat() saw (a buffer of the limit's size would be allocated otherwise),
            # then whatever the file has grown by since, up to the limit
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(limit + 1 - len(data))
    except PermissionError:
        raise _Reject("没有读取权限") from None
    except OSError as e:
        raise _Reject(f"无法读取文件：{e.strerror or e}") from None
    # The file may have grown since stat().
    if len(data) > limit:
        raise _Reject(f"文件过大（超过上限 {limit} 字节）")
    if not data:
        raise _Reject("文件为空")
    return data


def _stat_checked(path: Path) -> tuple[os.stat_result, int]:
    """The file's status and the size limit, once the path is known to be a regular file within it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Reject("文件不存在") from None
    except PermissionError:
        raise _Reject("没有权限访问该文件") from None
    except ValueError:
        raise _Reject("文件路径无效") from None
    except OSError as e:
        raise _Reject(f"无法访问文件：{e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _Reject("是目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise _Reject("不是普通文件")
    limit = max_bytes()
    if st.st_size > limit:
        raise _Reject(f"文件过大（{st.st_size} 字节，上限 {limit} 字节）")
    return st, limit


def sniff(data: bytes) -> str:
    """The format by content: "pdf", "docx", "xlsx", "html" or "text"; refuses formats it cannot read."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"PK\x05\x06"):
        raise _Reject("空的 zip 文件，不是文档")
    if data.startswith(OLE_MAGIC):
        raise _Reject("旧版 Office/WPS 二进制格式（.doc/.xls/.wps）不支持，请另存为 .docx 或 .xlsx")
    if data.startswith(b"{\\rtf"):
        raise _Reject("RTF 格式不支持，请另存为 .docx")
    return "html" if _looks_like_html(data) else "text"


def _looks_like_html(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    for bom, encoding in BOMS:
        if head.startswith(bom) and encoding.startswith(("utf-16", "utf-32")):
            usable = len(head) - len(head) % (4 if encoding.startswith("utf-32") else 2)
            head = head[:usable].decode(encoding, "replace").encode("utf-8")
            break
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if not head.startswith(b"<"):
        return False
    return any(tag in head for tag in (b"<html", b"<!doctype html", b"<body", b"<head"))


def _zip_kind(data: bytes) -> str:
    """docx or xlsx from the zip's member names, after checking it is not a zip bomb."""
    try:
        names = zip_names(data, max_unzipped=MAX_UNZIPPED, max_members=MAX_MEMBERS, max_ratio=MAX_RATIO)
    except ZipRefused as e:
        raise _Reject(str(e)) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names or "content.xml" in names:
        raise _Reject("OpenDocument 格式（.odt/.ods）不支持，请另存为 .docx 或 .xlsx")
    raise _Reject("zip 文件中没有 Word 或 Excel 文档")


def _finish(text: str) -> str:
    """One newline convention and no stray control characters."""
    return STRAY_CONTROLS.sub("", NEWLINES.sub("\n", text.removeprefix("\ufeff")))


# --- plain text -----------------------------------------------------------------------------


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """Characters of GB2312 level 1 and Big5 level 1: the ones real text is mostly made of."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, t]).decode("gb2312", "ignore") for t in range(0xA1, 0xFF))
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for lead in range(0xA4, 0xC7):
        chars.update(bytes([lead, t]).decode("cp950", "ignore") for t in big5_trails)
    chars.discard("")
    return frozenset(chars)


def _score(text: str) -> float:
    """How much a decoding looks like real text: common characters count, rare and broken ones cost."""
    common = _common_hanzi()
    n_common = sum(map(common.__contains__, text))
    n_rare = _han_count(text) - n_common
    return n_common - 2 * n_rare - 10 * len(BAD_CHARS.findall(text))


def _han_count(text: str) -> int:
    # ``len(HAN.findall(text))`` made a string object of some 76 bytes for every character
    return len(text) - len(HAN.sub("", text))


def _too_broken(text: str) -> bool:
    return len(BAD_CHARS.findall(text)) > 2 + len(text) // 100


def _blank(text: str) -> bool:
    """Whether the text is empty or whitespace only (``not text.strip()`` without its copy)."""
    return not text or text.isspace()


_BLANK_BYTES = re.compile(rb"[ \t\n\r\x0b\x0c]*")
CHUNK_BYTES = 1 << 16  # the decoder briefly holds a chunk and twice its size in characters


def _streamed_text(path: Path) -> list[str] | None:
    """A plain-text file read and decoded a chunk at a time, as ``_finish(_decode_text(bytes))``
    would give it, in pieces cut after newlines; None when the file is not plain text or needs its
    bytes whole (NUL bytes).

    The file's bytes are never whole in memory: decoding them at once held the bytes and, while
    decoding, a buffer of as many two-byte characters, three times the text. Here the decoded
    pieces are the most held: they are not joined (that held them and the text at once)."""
    st, limit = _stat_checked(path)
    try:
        with path.open("rb") as f:
            head = f.read(SCORE_SAMPLE)
            if not head:
                raise _Reject("文件为空")
            if head.startswith(b"PK") or sniff(head) != "text":
                return None
            encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
            if encoding is not None:
                return _decoded_stream(f, head, limit, encoding, "replace", nul_ok=True)
            try:
                return _decoded_stream(f, head, limit, "utf-8", "strict")
            except UnicodeDecodeError:
                pass
            f.seek(0)
            head = f.read(SCORE_SAMPLE)
            sample: list[str] = []
            pieces = _decoded_stream(f, head, limit, _guess_encoding(head), "replace", sample=sample)
            if pieces is not None and _mostly_rare("".join(sample)[:SCORE_SAMPLE]):
                raise _Reject("不是文本文件 / binary or undecodable")
            return pieces
    except PermissionError:
        raise _Reject("没有读取权限") from None
    except OSError as e:
        raise _Reject(f"无法读取文件：{e.strerror or e}") from None


def _decoded_stream(
    f: BinaryIO,
    head: bytes,
    limit: int,
    encoding: str,
    errors: str,
    nul_ok: bool = False,
    sample: list[str] | None = None,
) -> list[str] | None:
    """``head`` and the rest of ``f`` decoded piece by piece, each piece finished as ``_finish``
    finishes a whole text, the pieces cut after newlines; None when a NUL byte says the file may
    be UTF-16 without a mark.
    ``sample`` gathers the decoded text's first SCORE_SAMPLE characters as they were decoded."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors)
    except LookupError:
        return None
    pieces: list[str] = []
    size = bad = chars = 0
    blank = True
    carry = ""  # a CR ending a piece, kept for the next in case it opens with LF
    chunk = head
    while True:
        final = not chunk
        if chunk:
            size += len(chunk)
            if size > limit:
                raise _Reject(f"文件过大（超过上限 {limit} 字节）")
            if not nul_ok and b"\x00" in chunk:
                return None
            blank = blank and _BLANK_BYTES.fullmatch(chunk) is not None
        piece = decoder.decode(chunk, final)
        chunk = b""
        if sample is not None and chars < SCORE_SAMPLE:
            sample.append(piece[: SCORE_SAMPLE - chars])
        bad += len(BAD_CHARS.findall(piece))
        chars += len(piece)
        piece = carry + piece
        carry = "\r" if piece.endswith("\r") and not final else ""
        if carry:
            piece = piece[:-1]
        if piece:
            if not pieces:
                piece = piece.removeprefix("\ufeff")
            pieces.append(STRAY_CONTROLS.sub("", NEWLINES.sub("\n", piece)))
        if final:
            break
        chunk = f.read(CHUNK_BYTES)
    if blank:
        raise _Reject("文件为空")
    if bad > 2 + chars // 100:
        raise _Reject("不是文本文件 / binary or undecodable")
    if all(map(_blank, pieces)):
        raise _Reject("文件为空")
    return line_aligned(pieces)


def _decode_text(data: bytes) -> str:
    if _BLANK_BYTES.fullmatch(data):  # ``not data.strip()`` without copying the file
        raise _Reject("文件为空")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, "replace"))
    if b"\x00" in data:
        return _checked(_bomless_utf16(data))
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    text = _checked(data.decode(encoding, "replace"))
    if _mostly_rare(text[:SCORE_SAMPLE]):
        raise _Reject("不是文本文件 / binary or undecodable")
    return text


def _mostly_rare(text: str) -> bool:
    # Real Chinese prose is nearly all common characters; bytes decoded by a guess that fits
    # nothing come out as rare ones.
    han = _han_count(text)
    return han >= MIN_HAN_FOR_RATIO and sum(map(_common_hanzi().__contains__, text)) < COMMON_SHARE * han


def _checked(text: str | None) -> str:
    if text is None or _too_broken(text):
        raise _Reject("不是文本文件 / binary or undecodable")
    if _blank(text):
        raise _Reject("文件为空")
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark, recognised by NULs in every other byte; else None."""
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    pairs = len(head) // 2
    if len(data) % 2 or not pairs:
        return None
    even = head[0::2].count(0) / pairs
    odd = head[1::2].count(0) / pairs
    if odd > 0.3 and even < 0.05:
        encoding = "utf-16-le"
    elif even > 0.3 and odd < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess_encoding(data: bytes) -> str:
    """GB18030 or Big5 (or what charset-normalizer proposes), whichever decodes to the most real text."""
    sample = data[:SCORE_SAMPLE]
    # UTF-8 stays a candidate: one stray byte should not turn a UTF-8 file into GB18030 mojibake.
    candidates = ["gb18030", "cp950", "big5hkscs", "utf-8"]
    if (guess := _normalizer_guess(sample)) and guess not in candidates:
        candidates.append(guess)
    scored = []
    for encoding in candidates:
        try:
            scored.append((_score(sample.decode(encoding, "replace")), encoding))
        except LookupError:
            continue
    return max(scored, key=lambda s: s[0])[1]


def _normalizer_guess(sample: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
    except Exception:  # a second opinion only; never worth failing the read
        return None
    return best.encoding if best is not None else None


# --- html -----------------------------------------------------------------------------------


def _read_html(data: bytes) -> str:
    text = None
    if not any(data.startswith(bom) for bom, _ in BOMS) and (encoding := declared_encoding(data)):
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None  # the declaration lies more often than the bytes do
    if text is None:
        text = _decode_text(data)
    return html_to_text(text)


# --- pdf ------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?|\d{1,4})\s*$"
)
EDGE_LINES = 2


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    with _quiet_pypdf():
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # missing crypto backend or a broken encryption dictionary
                opened = 0
            if not opened:
                raise _Reject("PDF 已加密，无法读取")
        pages = [page.extract_text() or "" for page in reader.pages]
    # Tables are rebuilt while their cells are still spaced apart; then the spacing goes.
    text = unflatten("\n".join(line for page in drop_page_furniture(pages) for line in page))
    return "\n".join(CJK_GAP.sub("", line) for line in text.split("\n"))


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's complaints about sloppy files; what matters is whether text comes out."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def drop_page_furniture(pages: list[str]) -> list[list[str]]:
    """Lines of each page without page numbers and running headers/footers repeated on most pages."""
    split = [[line.strip() for line in STRAY_CONTROLS.sub("", p).splitlines()] for p in pages]
    edges = [_edge_indices(lines) for lines in split]
    shape = functools.partial(re.sub, r"\d+", "#")
    counts: Counter[str] = Counter()
    for lines, idx in zip(split, edges, strict=True):
        counts.update({shape(lines[i]) for i in idx})
    threshold = max(3, math.ceil(len(pages) / 2))
    repeated = {k for k, n in counts.items() if n >= threshold} if len(pages) >= 3 else set()
    out = []
    for lines, idx in zip(split, edges, strict=True):
        drop = {i for i in idx if PAGE_NUMBER.match(lines[i]) or shape(lines[i]) in repeated}
        out.append([line for i, line in enumerate(lines) if line and i not in drop])
    return out


# --- docx -----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Wrappers whose children are ordinary body content.
TRANSPARENT = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins"}
SKIPPED = {MC_FALLBACK, W + "del", W + "rPr", W + "pPr", W + "moveFrom", W + "footnoteReference"}


def _read_docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    numbering = WordNumbering(document)
    return "\n".join(_block_lines(document.element.body, numbering))


def _block_lines(container: Any, numbering: WordNumbering) -> Iterator[str]:
    """Lines of paragraphs and tables in body order, descending into content controls."""
    for el in container.iterchildren():
        if el.tag == W + "p":
            yield from _paragraph_lines(el, numbering)
        elif el.tag == W + "tbl":
            yield from table_lines(_docx_grid(el, numbering))
        elif el.tag in TRANSPARENT:
            yield from _block_lines(el, numbering)


def _paragraph_lines(p: Any, numbering: WordNumbering) -> list[str]:
    parts: list[str] = []
    boxes: list[Any] = []
    _run_text(p, parts, boxes)
    text = numbering.prefix(p) + "".join(parts)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for box in boxes:
        lines.extend(_block_lines(box, numbering))
    return lines


def _run_text(el: Any, out: list[str], boxes: list[Any]) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            # Page and column breaks are layout; only line breaks end a line.
            if child.get(W + "type") not in ("page", "column"):
                out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "txbxContent":
            boxes.append(child)
        elif tag == W + "r" and _hidden(child):
            continue
        else:
            _run_text(child, out, boxes)


def _hidden(run: Any) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def _docx_grid(tbl: Any, numbering: WordNumbering) -> list[list[str]]:
    """Cell texts of a Word table on its layout grid, merged cells repeated."""
    grid: list[list[str]] = []
    above: list[str] = []
    for tr in tbl.tr_lst:
        row = [""] * min(tr.grid_before, MAX_GRID_SPAN)
        for tc in tr.tc_lst:
            if len(row) >= MAX_COLUMNS:
                break
            if tc.vMerge == "continue":
                text = above[len(row)] if len(row) < len(above) else ""
            else:
                text = "\n".join(_block_lines(tc, numbering))
            row.extend([text] * max(1, min(tc.grid_span, MAX_GRID_SPAN)))
        grid.append(row)
        above = row
    return grid


CN_COUNT_DIGITS = "零一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese_count(n: int, digits: str = CN_COUNT_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, o = divmod(rest, 10)
    out = digits[h] + hundred if h else ""
    if h and rest and not t:
        out += digits[0]
    if t:
        out += ("" if t == 1 and not h and digits is CN_COUNT_DIGITS else digits[t]) + ten
    return out + (digits[o] if o else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalHalfWidth": str,
    "chineseCounting": _chinese_count,
    "chineseCountingThousand": _chinese_count,
    "japaneseCounting": _chinese_count,
    "taiwaneseCounting": _chinese_count,
    "taiwaneseCountingThousand": _chinese_count,
    "ideographDigital": lambda n: "".join(CN_COUNT_DIGITS[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: _chinese_count(n, LEGAL_DIGITS, "拾", "佰"),
    "ideographTraditional": lambda n: HEAVENLY_STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: EARTHLY_BRANCHES[(n - 1) % 12],
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
    "decimalEnclosedFullstop": lambda n: chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}
LEVEL_REF = re.compile(r"%([1-9])")


class WordNumbering:
    """Renders Word's automatic list numbers (一、 （一） 1.) that python-docx leaves out of the text."""

    def __init__(self, document: Any) -> None:
        # abstractNumId → ilvl → (format, level text, start)
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.style_numbering: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        self._load_numbering(root)
        self._load_styles(document)

    def _load_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iterchildren(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"))] = (
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    _int(_val(lvl, "start"), 1),
                )
            self.levels[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.iterchildren(W + "num"):
            overrides = {
                _int(o.get(W + "ilvl")): _int(_val(o, "startOverride"), 1)
                for o in num.iterchildren(W + "lvlOverride")
                if o.find(W + "startOverride") is not None
            }
            self.nums[num.get(W + "numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def _load_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        based: dict[str, str] = {}
        for style in styles.iterchildren(W + "style"):
            sid = style.get(W + "styleId", "")
            if (parent := _val(style, "basedOn")) is not None:
                based[sid] = parent
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                self.style_numbering[sid] = (_val(numpr, "numId") or "", _int(_val(numpr, "ilvl")))
        # Styles inherit numbering from the style they are based on.
        for sid in list(based):
            seen, cur = set(), sid
            while cur not in self.style_numbering and cur in based and cur not in seen:
                seen.add(cur)
                cur = based[cur]
            if cur in self.style_numbering:
                self.style_numbering.setdefault(sid, self.style_numbering[cur])

    def prefix(self, p: Any) -> str:
        """The list number Word would show in front of a paragraph, or ""."""
        if not self.nums:
            return ""
        num_id, ilvl = self._numpr(p)
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        fmt, pattern, _ = levels[ilvl]
        if fmt in ("bullet", "none") or not pattern:
            return ""
        values = self._count(num_id if overrides else abstract_id, ilvl, levels, overrides)
        return LEVEL_REF.sub(lambda m: self._render(int(m.group(1)) - 1, values, levels), pattern)

    def _numpr(self, p: Any) -> tuple[str, int]:
        numpr = p.find(f"{W}pPr/{W}numPr")
        if numpr is not None and (num_id := _val(numpr, "numId")) is not None:
            return num_id, _int(_val(numpr, "ilvl"))
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None:
            return self.style_numbering.get(style.get(W + "val", ""), ("", 0))
        return "", 0

    def _count(self, key: str, ilvl: int, levels: dict, overrides: dict[int, int]) -> list[int | None]:
        values = self.counters.setdefault(key, [None] * 10)
        start = overrides.get(ilvl, levels[ilvl][2])
        values[ilvl] = start if values[ilvl] is None else values[ilvl] + 1
        for deeper in range(ilvl + 1, len(values)):
            values[deeper] = None
        return values

    def _render(self, level: int, values: list[int | None], levels: dict) -> str:
        fmt, _, start = levels.get(level, ("decimal", "", 1))
        value = values[level] if values[level] is not None else start
        return NUMBER_FORMATS.get(fmt, str)(value)


def _val(el: Any, name: str) -> str | None:
    child = el.find(W + name)
    return child.get(W + "val") if child is not None else None


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


# --- xlsx -----------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> str:
    import openpyxl

    small = len(data) < SMALL_XLSX
    # read_only mode streams big files but does not expose merged ranges.
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=not small, data_only=True)
    try:
        lines: list[str] = []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = _sheet_rows_merged(sheet) if small else _sheet_rows_streamed(sheet)
            lines.extend(table_lines(rows))
        return "\n".join(lines)
    finally:
        workbook.close()


def _cell_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _sheet_rows_merged(sheet: Any) -> list[list[str]]:
    """Rows of a fully loaded sheet, each merged range filled with its top-left value."""
    # The cell dictionary holds only cells that exist, so a stray far-away cell costs nothing.
    cells = getattr(sheet, "_cells", None)
    if cells is None:
        return _sheet_rows_streamed(sheet)
    values = {
        (r, c): _cell_str(cell.value)
        for (r, c), cell in cells.items()
        if c <= MAX_COLUMNS and cell.value is not None
    }
    for merged in sheet.merged_cells.ranges:
        top = values.get((merged.min_row, merged.min_col), "")
        area = (merged.max_row - merged.min_row + 1) * (merged.max_col - merged.min_col + 1)
        if not top or area > MAX_MERGE_CELLS:
            continue
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, min(merged.max_col, MAX_COLUMNS) + 1):
                values[(r, c)] = top
    if not values:
        return []
    width = max(c for _, c in values)
    by_row: dict[int, list[str]] = {}
    for (r, c), text in values.items():
        by_row.setdefault(r, [""] * width)[c - 1] = text
    return [by_row[r] for r in sorted(by_row)]


def _sheet_rows_streamed(sheet: Any) -> list[list[str]]:
    rows = []
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        cells = [_cell_str(v) for v in row]
        if any(cells):
            rows.append(cells)
    return rows


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "text": _decode_text,
    "html": _read_html,
    "pdf": _read_pdf,
    "docx": _read_docx,
    "xlsx": _read_xlsx,
}
