"""Checks on uploaded files: size, type by content (magic bytes), zip bombs, safe names."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from luoshi.zipsafe import ZipRefused, zip_names

# kind → (extension used when storing, content type)
KINDS = {
    "pdf": (".pdf", "application/pdf"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": (".html", "text/html"),
    "text": (".txt", "text/plain"),
    "png": (".png", "image/png"),
    "jpeg": (".jpg", "image/jpeg"),
}
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "html", "text"})
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "text", "png", "jpeg"})
MAX_UNZIPPED = 200 * 1024 * 1024
# One part (word/document.xml, a sheet): a 4,000-item plan's document.xml is a few megabytes, and
# the readers hold a part and its parsed tree in memory at once.
MAX_PART = 32 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5_000


class UploadRejected(ValueError):
    """The upload is refused; the message says why, in words a user understands."""


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    kind: str
    content_type: str
    display_name: str  # the user's file name made safe, for showing only
    storage_name: str  # a fresh name the server chooses: never the user's

    @property
    def extension(self) -> str:
        return KINDS[self.kind][0]


def safe_display_name(name: str) -> str:
    """The last path component without control characters or leading dots: ../../etc/passwd → passwd."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").replace("\x00", "")
    base = PurePosixPath(name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip().lstrip(".").strip()
    return base[:120] or "file"


def sniff(head: bytes, data: bytes) -> str | None:
    """The kind of file by its first bytes, or None for anything not accepted."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary of some other kind (executables, old .doc, archives)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and any(t in lowered for t in (b"<html", b"<!doctype html", b"<body")):
        return "html"
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            data.decode(encoding)
            return "text"
        except UnicodeDecodeError:
            continue
    return None


def _zip_kind(data: bytes) -> str:
    try:
        names = zip_names(
            data, max_unzipped=MAX_UNZIPPED, max_members=MAX_MEMBERS, max_part=MAX_PART, max_ratio=MAX_RATIO
        )
    except ZipRefused as e:
        if e.reason == "damaged":
            raise UploadRejected(_("文件已损坏：zip 结构不完整")) from None
        if e.reason == "ratio":
            raise UploadRejected(_("文件压缩比异常，疑似 zip 炸弹")) from None
        raise UploadRejected(_("文件解压后过大，疑似 zip 炸弹")) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UploadRejected(_("不支持的文件类型：zip 中没有 Word 或 Excel 文档"))


def check_upload(upload: UploadedFile | None, allowed: frozenset[str]) -> CheckedUpload:
    """Accept ``upload`` only if it is non-empty, within the size limit and of an allowed kind by content."""
    if upload is None:
        raise UploadRejected(_("请选择文件"))
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise UploadRejected(_("文件为空"))
    if upload.size > limit:
        raise UploadRejected(_("文件过大（上限 %(mb)d MB）") % {"mb": limit // (1024 * 1024)})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    kind = sniff(data[:1024], data)
    if kind is None or kind not in allowed:
        raise UploadRejected(_("不支持的文件类型（按文件内容判断）"))
    ext, content_type = KINDS[kind]
    return CheckedUpload(kind, content_type, safe_display_name(upload.name or ""), uuid.uuid4().hex + ext)
