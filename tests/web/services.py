"""Real servers the several-machines tests share: a Redis of their own, a scratch database.

``redis_url`` starts a private ``redis-server`` on a free port (so a test may stop it to make an
outage), or, when the binary is missing, uses the one on 127.0.0.1:6379, database 5; the test is
skipped when neither exists.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

SHARED_REDIS = ("127.0.0.1", 6379)
SHARED_REDIS_DB = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), 0.5).close()
    except OSError:
        return False
    return True


def wait_for_port(port: int, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open("127.0.0.1", port):
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}: {process.stderr and process.stderr.read()}")
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


class RedisServer:
    """A ``redis-server`` of the test's own, without persistence, that can be paused (an outage)."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        wait_for_port(self.port, self.process)
        self.url = f"redis://127.0.0.1:{self.port}/{SHARED_REDIS_DB}"

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Redis stops answering (the process is frozen, its data kept), then answers again."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A Redis to use and throw away: a private server, else database 5 of the shared one, flushed."""
    if shutil.which("redis-server"):
        server = RedisServer(tmp_path_factory.mktemp("redis"))
        yield server.url
        server.stop()
        return
    if not port_open(*SHARED_REDIS):
        pytest.skip("no Redis: neither redis-server nor 127.0.0.1:6379")
    import redis

    url = f"redis://{SHARED_REDIS[0]}:{SHARED_REDIS[1]}/{SHARED_REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def shared_database(tmp_path) -> Iterator[str]:
    """DATABASE_URL for several processes: a scratch PostgreSQL database beside the one DATABASE_URL
    names when that is PostgreSQL, else one SQLite file outside every instance folder."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'luoshi'}_m{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Keys the S3-compatible test server takes (it checks none); the servers under test read them
# from the standard variables, as in production.
S3_KEYS = {"AWS_ACCESS_KEY_ID": "luoshi-test", "AWS_SECRET_ACCESS_KEY": "luoshi-test-secret"}


class ObjectStore:
    """An S3-compatible server of the test's own (moto's standalone server, in this process, on a
    free port) with a fresh bucket; it can be stopped and started again keeping what it holds."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server_class = ThreadedMotoServer
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._start()
        self.bucket = f"luoshi-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=self.bucket)
        self.url = f"s3://{self.bucket}/files?endpoint={self.endpoint}&region=us-east-1"
        self.env = {"LUOSHI_STORAGE_URL": self.url, **S3_KEYS}

    def _start(self) -> None:
        self.server = self._server_class(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_for_port(self.port)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        """The objects in the bucket whose keys start with ``prefix``: key and content."""
        c = self.client()
        listed = c.list_objects_v2(Bucket=self.bucket, Prefix=prefix).get("Contents", [])
        return {o["Key"]: c.get_object(Bucket=self.bucket, Key=o["Key"])["Body"].read() for o in listed}

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """The store stops answering (its content kept), then answers again on the same port."""
        self.server.stop()
        try:
            yield
        finally:
            self._start()

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def object_store() -> Iterator[ObjectStore]:
    pytest.importorskip("moto.server")
    store = ObjectStore()
    yield store
    store.stop()
