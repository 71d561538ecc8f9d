"""Where uploads, report attachments and bulletins are kept: a folder, or an S3-compatible bucket.

Both backends answer the same two ways when a file cannot be had: ``FileNotFoundError`` when the
store answered that the file is not there, ``StorageUnavailable`` when the store did not answer
(a bucket that is down or refuses our keys, a shared mount gone stale). Callers then fail the one
request with a message that says so (``StorageUnavailableMiddleware``, the upload forms) and
change nothing: a file is written before the row that names it, in the row's transaction.

Downloads go through the application, never to the store's own address: each is checked against
the user's rights and recorded in the audit log as before, and the bucket need not be reachable
from users' browsers. A file read from the bucket is fetched whole on ``open`` (into memory up to
``env.STORAGE_MEMORY_BYTES``, a temporary file beyond), so an outage shows before the response
starts and never as a download cut off half-way.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator

from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

# How long an answer from the object store may take: a store that is down is reported within
# seconds, and a request never waits minutes on retries.
CONNECT_SECONDS = 3
READ_SECONDS = 30
ATTEMPTS = 2
RETRY_AFTER_SECONDS = 60


class StorageUnavailable(Exception):
    """The file store did not answer; nothing was read or written."""

    message = gettext_lazy("文件存储暂时无法访问，请稍后再试；已保存的文件不受影响。")

    def __str__(self) -> str:
        return str(self.message)


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean the store is out of reach (botocore only when it is installed)."""
    found: list[type[BaseException]] = [OSError]
    with contextlib.suppress(ImportError):
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
        from s3transfer.exceptions import RetriesExceededError

        found += [BotoCoreError, ClientError, Boto3Error, RetriesExceededError]
    return tuple(found)


_ERRORS = _unavailable_errors()


def _missing(error: BaseException) -> bool:
    """The store answered that the file is not there (a 404), as opposed to not answering."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None) or {}
    return response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404 or response.get("Error", {}).get(
        "Code"
    ) in {"404", "NoSuchKey", "NotFound"}


@contextlib.contextmanager
def translated_errors(action: str, name: str) -> Iterator[None]:
    """Turn the store's own failures into FileNotFoundError or StorageUnavailable, logged with ``action``."""
    try:
        yield
    except _ERRORS as e:
        if _missing(e):
            raise FileNotFoundError(name) from e
        log.warning("file storage unavailable: %s %s: %s: %s", action, name, type(e).__name__, e)
        raise StorageUnavailable() from e


class _Translating(Storage):
    """The storage operations luoshi uses, with the store's failures translated."""

    def open(self, name, mode="rb"):
        with translated_errors("read" if "r" in mode else "write", name):
            handle = super().open(name, mode)
            if "r" in mode and hasattr(handle, "_get_file"):
                handle._get_file()  # fetch now: an outage fails here, not half-way through a response
            return handle

    def save(self, name, content, max_length=None):
        with translated_errors("write", name or ""):
            return super().save(name, content, max_length)

    def delete(self, name):
        with translated_errors("delete", name):
            return super().delete(name)

    def exists(self, name):
        with translated_errors("look up", name):
            return super().exists(name)

    def size(self, name):
        with translated_errors("look up", name):
            return super().size(name)


class LocalStorage(_Translating, FileSystemStorage):
    """Files under MEDIA_ROOT: the instance folder's ``media/``, or a mount shared by every machine."""


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # pragma: no cover - django-storages is a dependency; kept optional for slim installs
    S3Storage = None


if S3Storage is not None:

    class ObjectStorage(_Translating, S3Storage):
        """An S3-compatible bucket (``LUOSHI_STORAGE_URL``), asked with short timeouts and one retry."""

        def __init__(self, **options):
            from botocore.config import Config

            super().__init__(**options)
            self.client_config = Config(
                s3={"addressing_style": self.addressing_style},
                signature_version=self.signature_version,
                connect_timeout=CONNECT_SECONDS,
                read_timeout=READ_SECONDS,
                retries={"max_attempts": ATTEMPTS, "mode": "standard"},
            )


def read_bytes(field) -> bytes:
    """The whole content of a stored file (a FileField's value)."""
    with field.storage.open(field.name, "rb") as handle, translated_errors("read", field.name):
        return handle.read()


def open_for_download(field):
    """A stored file opened for a streamed response: FileNotFoundError or StorageUnavailable now, not later."""
    return field.storage.open(field.name, "rb")


def forget(names: Iterable[str], storage: Storage | None = None) -> None:
    """Delete files written for a record that was then not kept; a store that is down keeps them
    (an orphan no row names costs space, never a wrong file)."""
    storage = storage or default_storage
    for name in names:
        with contextlib.suppress(StorageUnavailable, FileNotFoundError):
            storage.delete(name)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with the reason in the user's language: JSON for the API, a page for people."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": str(StorageUnavailable())}, status=503)
    else:
        response = render(request, "503.html", {"message": str(StorageUnavailable())}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class StorageUnavailableMiddleware:
    """A view that could not reach the file store answers 503 with a message, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, StorageUnavailable):
            return unavailable_response(request)
        return None

