"""Office files (.docx, .xlsx) whose bytes depend on their content only, not on the clock."""

from __future__ import annotations

import io
import zipfile
from datetime import date


def restamp(data: bytes, on: date) -> bytes:
    """The zip archive ``data`` with every member dated ``on`` and plain permissions."""
    out = io.BytesIO()
    stamp = (max(on.year, 1980), on.month, on.day, 0, 0, 0)  # zip dates start in 1980
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
