"""Errors the text engine raises; each names the file and says what is wrong in one line."""

from __future__ import annotations


class ParseError(Exception):
    """The input cannot be turned into a plan."""


class ReadError(ParseError):
    """A file cannot be read: missing, too large, corrupted, or not a document."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class InternalError(ReadError):
    """Reading failed in luoshi's own code, not because of the file: a defect to report.

    A ReadError still, so callers that handle unreadable files handle this too, but its reason
    says that the program failed and that the details were logged, never that the file is corrupt.
    """
