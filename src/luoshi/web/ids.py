"""Database ids from URLs and forms: whole numbers that fit a 64-bit column, or nothing.

A larger number reaches the database driver as an overflow (SQLite) or an out-of-range error
(PostgreSQL), a 500; no row has such an id, so it is simply not found.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """``raw`` as a positive id, or None when it is not one (text, negative, zero, too large)."""
    text = str(raw if raw is not None else "").strip()
    # More than 19 digits is no id; converting a very long one would itself fail (Python refuses
    # integers of over 4300 digits from text).
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter:
    """The ``<id:pk>`` path converter: like ``<int:pk>``, but a number no row can have does not match."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = parse_id(value)
        if pk is None:
            raise ValueError(value)  # the URL does not match: 404
        return pk

    def to_url(self, value) -> str:
        return str(int(value))
