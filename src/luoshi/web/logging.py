"""Logging filters for the server console."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Drop the traceback from ``django.request`` records of 4xx answers.

    Django logs a refused request (PermissionDenied, a 404, a bad request) with the exception that
    produced it; that is an ordinary answer, not a fault, and a page of traceback per refusal buries
    the server errors that matter. 5xx records keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
