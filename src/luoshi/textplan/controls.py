"""Control characters out of text: what the readers drop from a document, every form and API
write drops too, and what Word and Excel files cannot hold (XML 1.0 forbids them)."""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL; the two non-characters XML refuses.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tabs and line breaks stay)."""
    return CONTROLS.sub("", text)
