"""deploy/: the Docker Compose project agrees with itself and with luoshi.

Docker is not run here; the files are read and checked for what would break a first start: a
setting luoshi does not know (silently ignored), nginx sending to a container that does not exist,
data kept in a container instead of a volume, a value the example env file does not provide.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is a dev dependency (pip install -e .[dev])")

from luoshi.notify import conf as notify_conf  # noqa: E402
from luoshi.supervision_web import conf as supervision_conf  # noqa: E402
from luoshi.web import env  # noqa: E402

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
# Read by boto3 (the bucket's keys), not by luoshi's settings.
CREDENTIALS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def known_settings() -> set[str]:
    return {s.name for group in (env.SETTINGS, supervision_conf.SETTINGS, notify_conf.SETTINGS) for s in group}


def luoshi_services(services: dict) -> dict:
    """The services that run luoshi: built from the project's Dockerfile."""
    return {name: s for name, s in services.items() if "build" in s}


def command(service: dict) -> list[str]:
    return service.get("command") or []


def app_servers(services: dict) -> dict:
    return {n: s for n, s in luoshi_services(services).items() if command(s)[:2] == ["luoshi", "serve"]}


def value(service: dict, name: str) -> str:
    """The variable as the container sees it, with ``${NAME…}`` filled in from a sample .env."""
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda m: f"sample{m.group(1).lower()}", str(service["environment"][name]))


def test_the_project_has_every_part(services):
    apps = app_servers(services)
    assert len(apps) >= 2
    assert {"postgres", "redis", "minio", "minio-init", "nginx"} <= set(services)
    assert [n for n, s in luoshi_services(services).items() if command(s)[:2] == ["luoshi", "worker"]]


def test_every_setting_given_to_luoshi_is_one_it_reads(services):
    known = known_settings() | CREDENTIALS
    for name, service in luoshi_services(services).items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name}: luoshi does not read {sorted(unknown)}"


def test_the_shared_services_are_named_by_the_apps_urls(services):
    for name, service in luoshi_services(services).items():
        database = urlsplit(value(service, "DATABASE_URL"))
        assert database.scheme == "postgres" and database.hostname in services, name
        assert database.path.lstrip("/") == services["postgres"]["environment"]["POSTGRES_DB"]
        assert database.username == services["postgres"]["environment"]["POSTGRES_USER"]
        cache = urlsplit(value(service, "LUOSHI_CACHE_URL"))
        assert cache.scheme == "redis" and cache.hostname == "redis", name
        storage = urlsplit(value(service, "LUOSHI_STORAGE_URL"))
        assert storage.scheme == "s3" and urlsplit(parse_qs(storage.query)["endpoint"][0]).hostname == "minio"
        # The settings parse as luoshi would parse them.
        env.caches(value(service, "LUOSHI_CACHE_URL"), Path("/nowhere"))


def test_the_bucket_the_apps_use_is_the_one_the_init_creates(services):
    buckets = {urlsplit(value(s, "LUOSHI_STORAGE_URL")).hostname for s in luoshi_services(services).values()}
    assert len(buckets) == 1
    init = " ".join(command(services["minio-init"]))
    assert f"mb --ignore-existing store/{buckets.pop()}" in init


def test_nginx_sends_to_every_app_server_and_to_nothing_else(services):
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream\s+luoshi\s*\{(.*?)\}", conf, re.S).group(1)
    targets = set(re.findall(r"^\s*server\s+([\w.-]+:\d+)", upstream, re.M))
    apps = app_servers(services)
    expected = {f"{name}:{command(s)[command(s).index('--port') + 1]}" for name, s in apps.items()}
    assert targets == expected
    assert all(command(s)[command(s).index("--host") + 1] == "0.0.0.0" for s in apps.values())
    assert "proxy_pass http://luoshi;" in conf
    assert set(services["nginx"]["depends_on"]) == set(apps)


def test_nginx_terminates_tls_with_the_mounted_certificates(services):
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"listen 443 ssl;", conf) and "return 301 https://" in conf
    mounts = dict(v.split(":")[:2][::-1] for v in services["nginx"]["volumes"])
    certs = re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", conf)
    assert len(certs) == 2 and all(any(c.startswith(m + "/") for m in mounts) for c in certs)
    assert mounts["/etc/nginx/nginx.conf"] == "./nginx.conf"
    # The app servers publish no port: only nginx reaches them, which LUOSHI_TRUSTED_PROXY=* assumes.
    assert all("ports" not in s for s in luoshi_services(services).values())
    # The upload limit nginx lets through covers luoshi's own.
    body = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert body > int(env.get("LUOSHI_MAX_UPLOAD_MB"))


@pytest.mark.parametrize(("service", "folder"), [("postgres", "/var/lib/postgresql/data"), ("minio", "/data")])
def test_the_data_of_postgres_and_minio_is_kept_in_named_volumes(compose, services, service, folder):
    mounts = {v.split(":")[1]: v.split(":")[0] for v in services[service]["volumes"]}
    assert folder in mounts and mounts[folder] in compose["volumes"]
    if service == "minio":
        assert folder in command(services[service])  # the folder the server keeps its objects in


def test_every_service_a_service_waits_for_exists(services):
    for name, service in services.items():
        for needed in service.get("depends_on") or ():
            assert needed in services, f"{name} waits for {needed}"


def test_migrations_run_once_before_the_app_servers_and_the_worker(services):
    assert command(services["migrate"])[:3] == ["luoshi", "manage", "migrate"]
    for name, service in luoshi_services(services).items():
        if name != "migrate":
            assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_value_compose_asks_for_is_in_the_example_env_file():
    asked = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text(encoding="utf-8")))
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    given = set(re.findall(r"^(\w+)=", example, re.M))
    assert asked == given


def test_the_image_installs_the_project_and_serves_it():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install [^\n]*\s\.", dockerfile)
    assert 'CMD ["luoshi", "serve"' in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump for `luoshi manage backup`
    assert re.search(r"^USER luoshi$", dockerfile, re.M)  # not root
