"""A reminder backend for the worker tests: appends one line per message to the file in LUOSHI_TEST_RECORD.

With LUOSHI_TEST_SLOW=N it first writes "start …" and sleeps N seconds, so a test can kill the worker mid-send.
"""

from __future__ import annotations

import os
import time


def _append(line: str) -> None:
    # One short write in append mode: lines from several processes never interleave.
    with open(os.environ["LUOSHI_TEST_RECORD"], "a", encoding="utf-8") as f:
        f.write(line + "\n")


class FileBackend:
    """Records each send as a line "sent <subject>"."""

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Record the message (after a pause when asked for one)."""
        slow = float(os.environ.get("LUOSHI_TEST_SLOW", "0"))
        if slow:
            _append(f"start {subject}")
            time.sleep(slow)
        _append(f"sent {subject}")
