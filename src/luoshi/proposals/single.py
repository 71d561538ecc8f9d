"""One proposal from a .docx or .txt file: title, proposer, 案由 and 建议 found in its text, without Django.

1. refuse what is not a proposal file before decoding: empty, too large, a zip that is damaged or a
   zip bomb (`zipsafe`, with limits for one short document), a zip that is not Word, PDF, old .doc;
2. decode with the text engine's reader (`textplan.readers.read_document`: UTF-8, UTF-16,
   GB18030, Big5; Word paragraphs and tables), which refuses binary junk and wrong encodings;
3. find the fields by their labels (提案人：, 联名人：, 界别：, 案号：, 案由：/题目：) and the two
   sections by their headings (案由/理由/问题 and 建议/对策), the title also as the first line
   「关于……的提案/建议」.

The result fills the registration form for the committee to check; nothing is registered here.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.textplan.errors import ReadError
from luoshi.textplan.readers import read_document
from luoshi.zipsafe import ZipRefused, zip_names

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 30 * 1024 * 1024
MAX_TEXT = 100_000

_LABEL = r"[ \t\u3000]*[:：][ \t\u3000]*"
_FIELDS = {
    "number": r"(?:案号|提案号|建议号|编号)",
    "proposer": r"(?:第一提案人|提案人|领衔人|领衔代表|提出人|代表)",
    "cosigners": r"(?:联名人|联名提案人|附议人|联名代表)",
    "group": r"(?:界别|党派|代表团|提案者界别)",
    "category": r"(?:类别|分类|所属类别)",
    "title": r"(?:题目|标题|案由|提案名称|建议名称)",
}
_TITLE_LINE = re.compile(r"^\s*(关于.{2,200}?的(?:提案|建议))\s*$", re.M)
_NUMBER_LINE = re.compile(r"^\s*第\s*(\d{1,10})\s*号\s*$", re.M)
# Section headings, alone on their line or followed by a colon: 一、案由  理由：  【建议】
_HEAD = r"^[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])?[ \t\u3000]*[【\[]?{words}[】\]]?[ \t\u3000]*(?:[:：]|$)"
_REASON_HEAD = re.compile(
    _HEAD.format(words=r"(?:案由|理由|提案理由|问题|存在的问题|现状及问题|背景|情况分析)"), re.M
)
_ADVICE_HEAD = re.compile(
    _HEAD.format(words=r"(?:建议|办法|对策|对策建议|具体建议|意见建议|建议内容|措施建议)"), re.M
)
_SPLIT_NAMES = re.compile(r"[、，,；;\s]+")


class ProposalFileError(ValueError):
    """A file that cannot be read as a proposal; the message says why in Chinese."""


@dataclass
class Found:
    """What was found in the file: the registration's fields, and what is still missing."""

    title: str = ""
    proposer: str = ""
    cosigners: list[str] = field(default_factory=list)
    group: str = ""
    number: str = ""
    category: str = ""
    reason: str = ""
    advice: str = ""
    text: str = ""

    @property
    def missing(self) -> list[str]:
        """The labels of the fields not found, for the review message."""
        names = {
            "title": "案由（题目）",
            "proposer": "提案人",
            "reason": "案由（理由）部分",
            "advice": "建议部分",
        }
        return [label for key, label in names.items() if not getattr(self, key)]


def read(data: bytes, filename: str = "") -> Found:
    """The proposal in a .docx or .txt file's bytes; ProposalFileError for anything else."""
    if not data or not data.strip():
        raise ProposalFileError("文件为空")
    if len(data) > MAX_BYTES:
        raise ProposalFileError(f"文件过大（{len(data)} 字节，上限 {MAX_BYTES} 字节）")
    if data.startswith(b"PK"):
        try:
            names = zip_names(data, max_unzipped=MAX_UNZIPPED, max_members=2000, max_ratio=100)
        except ZipRefused as e:
            raise ProposalFileError(str(e)) from None
        if "word/document.xml" not in names:
            raise ProposalFileError("不是 Word 文档（.docx）")
    elif data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")) or b"%PDF-" in data[:1024]:
        raise ProposalFileError("只能读取 .docx 或 .txt 文件")
    suffix = ".docx" if data.startswith(b"PK") else ".txt"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"proposal{suffix}"
        path.write_bytes(data)
        try:
            text = read_document(path)
        except ReadError as e:
            raise ProposalFileError(e.reason) from None
    return parse(text)


def parse(text: str) -> Found:
    """The fields and sections of a proposal's text."""
    text = text[:MAX_TEXT]
    f = Found(text=text.strip())
    for key, label in _FIELDS.items():
        m = re.search(rf"^[ \t\u3000]*{label}{_LABEL}(.+?)[ \t\u3000]*$", text, re.M)
        if m:
            value = m.group(1).strip()
            if key == "cosigners":
                f.cosigners = [n for n in _SPLIT_NAMES.split(value) if n][:50]
            elif key == "title" and not _TITLE_LINE.match(value) and len(value) < 6:
                continue  # 案由： followed by a word or two is the section, not the title
            else:
                setattr(f, key, value[: 300 if key == "title" else 100])
    if not f.title:
        m = _TITLE_LINE.search(text)
        if m:
            f.title = m.group(1)[:300]
    if not f.number:
        m = _NUMBER_LINE.search(text)
        if m:
            f.number = m.group(1)
    f.proposer = _SPLIT_NAMES.split(f.proposer)[0] if f.proposer else ""
    f.reason = _section(text, _REASON_HEAD, _ADVICE_HEAD)
    f.advice = _section(text, _ADVICE_HEAD, None)
    return f


def _section(text: str, head: re.Pattern, stop: re.Pattern | None) -> str:
    """The text after the first heading `head` up to the next `stop` heading (or the end).

    A heading whose line goes on with a title (案由：关于……的提案) is the title's label, not a section.
    """
    for m in head.finditer(text):
        line_rest = text[m.end() :].split("\n", 1)[0].strip()
        if not _TITLE_LINE.match(line_rest):
            break
    else:
        return ""
    rest = text[m.end() :]
    if stop is not None:
        end = stop.search(rest)
        if end:
            rest = rest[: end.start()]
    return rest.strip()


def registration_text(f: Found) -> str:
    """The proposal's text as stored: 案由 and 建议 when both were found, else the whole document."""
    if f.reason and f.advice:
        return f"案由：\n{f.reason}\n\n建议：\n{f.advice}"
    return f.text
