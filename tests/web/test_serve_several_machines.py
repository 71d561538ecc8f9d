"""``luoshi serve`` and ``luoshi worker`` refuse to run on several machines (LUOSHI_APP_HOSTS) that
would not share their caches or their files, and say why; one machine, however many processes,
needs neither."""

from __future__ import annotations

import pytest

from luoshi.web import env
from tests.web.services import free_port
from tests.web.test_serve import Server, environment, luoshi

# Its processes make their own databases and ignore DATABASE_URL: one run of it is enough.
pytestmark = pytest.mark.own_instance

SEVERAL = {"LUOSHI_APP_HOSTS": "app1.internal,app2.internal"}


def refusal(command: str, home, **extra: str) -> str:
    """What the command printed when it refused to start (it must, and at once)."""
    args = ("serve", "--port", str(free_port())) if command == "serve" else ("worker", "--batch")
    result = luoshi(*args, env=environment(home, **extra), timeout=120)
    assert result.returncode == 2, (result.stdout, result.stderr)
    return result.stderr


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_several_machines_without_a_shared_cache_or_files_are_refused_saying_why(tmp_path, command):
    said = refusal(command, tmp_path, **SEVERAL)
    assert "refusing to start" in said and "2 machines (app1.internal, app2.internal)" in said
    assert "LUOSHI_CACHE_URL is empty" in said and "a logout or a lock-out on one" in said
    assert "LUOSHI_STORAGE_URL=s3://" in said and "missing on the others" in said


def test_several_machines_with_a_shared_cache_but_files_on_each_disk_are_refused(tmp_path):
    said = refusal("serve", tmp_path, LUOSHI_CACHE_URL="redis://127.0.0.1:6379/5", **SEVERAL)
    assert "LUOSHI_CACHE_URL is empty" not in said
    assert "files are kept in this machine's LUOSHI_HOME/media" in said


def test_several_machines_with_shared_files_but_no_shared_cache_are_refused(tmp_path):
    said = refusal("serve", tmp_path, LUOSHI_MEDIA_ROOT=str(tmp_path / "nfs"), **SEVERAL)
    assert "LUOSHI_CACHE_URL is empty" in said and "LUOSHI_HOME/media" not in said


@pytest.mark.parametrize("hosts", ["app1,app 2", "app1,<script>", "app1,../../etc", "a" * 300 + ",b", "主机1,主机2"])
def test_a_host_list_that_is_not_host_names_is_refused(tmp_path, hosts):
    said = refusal("serve", tmp_path, LUOSHI_APP_HOSTS=hosts)
    assert "LUOSHI_APP_HOSTS" in said and "is not a host name" in said


@pytest.mark.parametrize(
    ("hosts", "cache", "files", "missing"),
    [
        ("", "", "", 0),
        ("app1", "", "", 0),
        ("app1,app1, app1", "", "", 0),  # one machine named three times
        ("app1,app2", "redis://r:6379/0", "s3://luoshi-files", 0),
        ("app1,app2", "redis://r:6379/0", "", 1),
        ("app1,app2", "", "s3://luoshi-files", 1),
        ("app1,app2,app3", "", "", 2),
    ],
)
def test_which_deployments_lack_what(monkeypatch, hosts, cache, files, missing):
    for name, value in {"LUOSHI_APP_HOSTS": hosts, "LUOSHI_CACHE_URL": cache, "LUOSHI_STORAGE_URL": files}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LUOSHI_MEDIA_ROOT", raising=False)
    assert len(env.shared_services_missing()) == missing


def test_several_machines_sharing_redis_and_a_bucket_start_and_serve(tmp_path, redis_url, object_store):
    server = Server(
        tmp_path, "--insecure", LUOSHI_CACHE_URL=redis_url, **object_store.env, **SEVERAL
    )
    try:
        status, _headers, _body = server.request("GET", "/accounts/login/")
        assert status == 200
    finally:
        server.stop()


def test_one_machine_with_several_processes_and_no_redis_starts(tmp_path):
    """Its processes share the instance folder's file caches and media/: nothing to refuse."""
    server = Server(tmp_path, "--insecure", "--workers", "2", LUOSHI_APP_HOSTS="app1")
    try:
        assert server.request("GET", "/accounts/login/")[0] == 200
    finally:
        server.stop()
