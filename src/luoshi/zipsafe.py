"""One check, for every reader of .docx and .xlsx uploads, that a zip is whole and no zip bomb.

Framework-free: the text engine, the ledger's upload check and the proposal and indicator
importers all call it, each with its own limits and each wording the refusal for its users
from ``ZipRefused.reason``.
"""

from __future__ import annotations

import io
import zipfile

# A member this large that inflates more than `max_ratio` times is refused; small members
# (styles, relations) compress far better than that without being dangerous.
BIG_MEMBER = 1024 * 1024


class ZipRefused(ValueError):
    """Why a zip is not opened: ``reason`` is damaged, members, too_big or ratio; the message says it in Chinese."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def zip_names(
    data: bytes,
    *,
    max_unzipped: int,
    max_members: int = 10_000,
    max_part: int | None = None,
    max_ratio: int = 100,
) -> set[str]:
    """The member names of a zip that is whole and within the limits; ZipRefused otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        raise ZipRefused("damaged", f"文件已损坏（zip 结构不完整：{e}）") from None
    if len(infos) > max_members:
        raise ZipRefused("members", f"zip 成员过多（{len(infos)} 个），疑似 zip 炸弹")
    total = sum(i.file_size for i in infos)
    if total > max_unzipped:
        raise ZipRefused("too_big", f"解压后过大（{total} 字节），疑似 zip 炸弹")
    for info in infos:
        if max_part is not None and info.file_size > max_part:
            raise ZipRefused("too_big", f"解压后过大（{info.filename}：{info.file_size} 字节），疑似 zip 炸弹")
        if info.file_size > BIG_MEMBER and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ZipRefused("ratio", f"压缩比异常（{info.filename}），疑似 zip 炸弹")
    return {i.filename for i in infos}
