"""Settings read from the environment, declared as data so every one is documented."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable luoshi reads: its name, default and what it does."""

    name: str
    default: str
    help: str


SETTINGS = [
    Setting(
        "LUOSHI_HOME",
        "var",
        "instance folder: database, uploads, secret key (relative to the working folder)",
    ),
    Setting("LUOSHI_SECRET_KEY", "", "Django SECRET_KEY; when empty, read from LUOSHI_HOME/secret_key"),
    Setting("LUOSHI_DEBUG", "false", "Django DEBUG; never true in production"),
    Setting("LUOSHI_ALLOWED_HOSTS", "127.0.0.1,localhost", "comma-separated host names the site answers to"),
    Setting(
        "LUOSHI_CSRF_TRUSTED_ORIGINS", "", "comma-separated origins (https://example.org) behind a proxy"
    ),
    Setting(
        "LUOSHI_MAX_UPLOAD_MB",
        "20",
        "largest upload accepted, in megabytes; `luoshi serve` refuses larger request bodies outright",
    ),
    Setting("LUOSHI_SECURE_COOKIES", "", "force secure cookies + HSTS (default: on when not DEBUG)"),
    Setting(
        "LUOSHI_TRUSTED_PROXY",
        "",
        "address of the HTTPS reverse proxy in front of `luoshi serve` (`*`: any); its X-Forwarded-* "
        "headers then give the client's address and the https scheme; empty: no proxy is trusted",
    ),
    Setting(
        "LUOSHI_TRUSTED_PROXY_HEADERS",
        "x-forwarded-for,x-forwarded-proto,x-forwarded-host",
        "comma-separated headers taken from the trusted proxy (also: x-forwarded-port, x-forwarded-by, forwarded)",
    ),
    Setting("LUOSHI_TRUSTED_PROXY_COUNT", "1", "how many proxies in a row set X-Forwarded-For"),
    Setting(
        "LUOSHI_CONNECTION_LIMIT",
        "100",
        "open connections one `luoshi serve` process holds; more wait in the kernel's queue (128)",
    ),
    Setting("LUOSHI_LOGIN_PER_MINUTE", "60", "password checks a minute for the whole site (login flood guard)"),
    Setting("LUOSHI_LOGIN_PER_MINUTE_PER_IP", "10", "password checks a minute from one client address"),
    Setting("LUOSHI_IMPORT_SECONDS", "120", "time one uploaded plan may take to read, in a worker process"),
    Setting("LUOSHI_IMPORT_MEMORY_MB", "1024", "memory that worker process may take, in megabytes"),
    Setting(
        "LUOSHI_CACHE_URL",
        "",
        "redis://host:6379/0 — sessions, the pages' scope stamp, dashboard figures and whole pages in "
        "Redis, shared by every machine; empty: files under LUOSHI_HOME (one machine only)",
    ),
    Setting(
        "LUOSHI_STORAGE_URL",
        "",
        "s3://BUCKET[/prefix]?endpoint=http://host:9000&region=us-east-1 — uploads, report "
        "attachments and bulletins in S3-compatible object storage (MinIO, Ceph, a cloud's), shared by "
        "every machine; keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; empty: files on disk",
    ),
    Setting(
        "LUOSHI_MEDIA_ROOT",
        "",
        "folder for uploads, attachments and bulletins; a mount every machine shares (NFS) is the "
        "simple way to run several; empty: LUOSHI_HOME/media",
    ),
    Setting(
        "LUOSHI_APP_HOSTS",
        "",
        "comma-separated names of the machines running `luoshi serve` or `luoshi worker` on this "
        "database; with more than one, both refuse to start without LUOSHI_CACHE_URL and shared files "
        "(LUOSHI_STORAGE_URL or LUOSHI_MEDIA_ROOT)",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "postgres://user:pass@host:5432/name for PostgreSQL; SQLite in LUOSHI_HOME when empty",
    ),
]
_BY_NAME = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    """An environment variable holds a value luoshi cannot use."""


def get(name: str) -> str:
    """The variable's value, or its declared default; undeclared names are a programming error."""
    return os.environ.get(name, _BY_NAME[name].default).strip()


def get_bool(name: str) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (empty means the default)."""
    raw = (get(name) or _BY_NAME[name].default).lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"{name}={raw!r}: expected true or false")


def get_int(name: str, minimum: int = 1) -> int:
    """A whole-number setting no smaller than ``minimum``."""
    raw = get(name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise SettingError(f"{name}={value}: must be at least {minimum}")
    return value


def get_list(name: str) -> list[str]:
    """A comma-separated setting as a list without blanks."""
    return [part.strip() for part in get(name).split(",") if part.strip()]


def home() -> Path:
    """The instance folder, created on first use readable by its owner only (it holds the database,
    the uploads and the secret key)."""
    path = Path(get("LUOSHI_HOME")).expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """``path``, created empty and readable by its owner only when it does not exist yet."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return path


def secret_key(instance: Path, create: bool = False) -> str:
    """SECRET_KEY from the environment, else from the instance's secret_key file (written when ``create``)."""
    key = get("LUOSHI_SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists() and create:
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    raise SettingError(f"no secret key: set LUOSHI_SECRET_KEY, or run `luoshi demo` once to write {path}")


# WAL lets pages read while a report is written; IMMEDIATE takes the write lock at BEGIN, so two
# writers queue (up to the timeout) instead of failing with "database is locked" half-way.
# A connection lives for many requests (CONN_MAX_AGE) and keeps up to 64 MiB of pages in its own
# memory: a page's reads then come from there rather than from the file, which the OS may have let go.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database(url: str, instance: Path) -> dict:
    """A Django DATABASES entry from DATABASE_URL (postgres:// or sqlite:///), SQLite by default."""
    if not url:
        # Created here, 0600, before SQLite would create it world-readable; SQLite gives its -wal
        # and -shm files the database file's permissions.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(private_file(instance / "luoshi.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": 600,
        }
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        # Server-side parameters let psycopg prepare a statement the fifth time it runs, so the
        # same page's queries are not parsed and planned again on every request.
        options: dict = {"server_side_binding": True, "prepare_threshold": 5}
        options.update(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:", "OPTIONS": SQLITE_OPTIONS}
    raise SettingError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (use postgres:// or sqlite:///)")


# A few seconds of grace: a cache that does not answer in this time is treated as down, and the
# request goes on without it (see web.cache.SharedRedisCache).
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def caches(url: str, instance: Path) -> dict:
    """Django's CACHES: files under the instance folder by default, one Redis server for several machines.

    ``default`` holds sessions, the pages' scope stamp and the dashboard's figures; ``pages`` the
    whole pages (see ledger.pagecache), apart so that culling pages never pushes out a session
    or the stamp. ``template_fragments`` stays in each process: its fragments depend only on the
    language and the role, and reading them from elsewhere would cost what rendering them does.
    """
    fragments = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
    if not url:
        return {
            "default": {
                "BACKEND": "luoshi.web.cache.FileCache",
                "LOCATION": instance / "cache",
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
            "pages": {
                "BACKEND": "luoshi.web.cache.FileCache",
                "LOCATION": instance / "cache-pages",
                "OPTIONS": {"MAX_ENTRIES": 20000},
            },
            "template_fragments": fragments,
        }
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise SettingError(f"LUOSHI_CACHE_URL: unsupported scheme {parts.scheme!r} (use redis:// or rediss://)")
    if parts.scheme != "unix" and not parts.hostname:
        raise SettingError("LUOSHI_CACHE_URL: no host (redis://host:6379/0)")
    redis = {"BACKEND": "luoshi.web.cache.SharedRedisCache", "LOCATION": url, "OPTIONS": dict(REDIS_TIMEOUTS)}
    # Pages live in the same Redis under their own prefix; Redis evicts them by its own policy
    # (deploy/ sets maxmemory with volatile-lru: pages and figures expire, sessions are renewed).
    return {
        "default": {**redis, "KEY_PREFIX": "luoshi"},
        "pages": {**redis, "KEY_PREFIX": "luoshi-pages"},
        "template_fragments": fragments,
    }


# S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens, a letter or digit at each end.
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
REGION_NAME = re.compile(r"[a-z0-9-]{1,40}")
STORAGE_FORMAT = "s3://BUCKET[/prefix]?endpoint=http://host:9000&region=us-east-1"
# Files read from the object store are held in memory up to this size, on disk beyond it (as uploads are).
STORAGE_MEMORY_BYTES = 2_621_440


def media_root(raw: str, instance: Path) -> Path:
    """The folder of uploaded and produced files: ``LUOSHI_MEDIA_ROOT`` (a shared mount) or
    ``instance/media``, created readable by its owner only."""
    path = Path(raw).expanduser().resolve() if raw else instance / "media"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise SettingError(f"LUOSHI_MEDIA_ROOT={raw!r}: cannot create the folder ({e.strerror})") from None
    if not path.is_dir():
        raise SettingError(f"LUOSHI_MEDIA_ROOT={raw!r}: not a folder")
    return path


def file_storage(url: str, media_root_set: bool = False) -> dict:
    """Django's ``STORAGES["default"]``: files under MEDIA_ROOT, or an S3 bucket from LUOSHI_STORAGE_URL.

    Both backends turn an unreachable store into ``luoshi.web.storage.StorageUnavailable`` (see there).
    Names stay unique in the bucket as on disk (no overwriting): a bulletin made again for the
    same period gets a new file and the earlier row keeps its own.
    """
    if not url:
        return {"BACKEND": "luoshi.web.storage.LocalStorage"}
    if media_root_set:
        raise SettingError("LUOSHI_STORAGE_URL and LUOSHI_MEDIA_ROOT are both set: choose one place for the files")
    if not url.isascii() or any(c.isspace() or ord(c) < 32 for c in url):
        raise SettingError(f"LUOSHI_STORAGE_URL: only printable ASCII without spaces ({STORAGE_FORMAT})")
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise SettingError(f"LUOSHI_STORAGE_URL: unsupported scheme {parts.scheme!r} (use {STORAGE_FORMAT})")
    if "@" in parts.netloc:
        raise SettingError(
            "LUOSHI_STORAGE_URL: no keys in the address; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    bucket = parts.netloc
    if not BUCKET_NAME.fullmatch(bucket) or ".." in bucket:
        raise SettingError(
            f"LUOSHI_STORAGE_URL: bucket {bucket!r} is not a valid bucket name "
            f"(3-63 lower-case letters, digits, dots and hyphens; {STORAGE_FORMAT})"
        )
    if parts.fragment:
        raise SettingError(f"LUOSHI_STORAGE_URL: unexpected '#{parts.fragment}' ({STORAGE_FORMAT})")
    segments = [s for s in unquote(parts.path).split("/") if s]
    if any(s in {".", ".."} or "\\" in s for s in segments):
        raise SettingError(f"LUOSHI_STORAGE_URL: prefix {parts.path!r} may not contain '.', '..' or '\\'")
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise SettingError(f"LUOSHI_STORAGE_URL: cannot read {parts.query!r} ({STORAGE_FORMAT})") from None
    params: dict[str, str] = {}
    for key, value in pairs:
        if key not in {"endpoint", "region"}:
            raise SettingError(f"LUOSHI_STORAGE_URL: unknown parameter {key!r} (only endpoint and region)")
        if key in params:
            raise SettingError(f"LUOSHI_STORAGE_URL: {key} given twice")
        params[key] = value
    endpoint = params.get("endpoint", "")
    if "endpoint" in params:
        where = urlsplit(endpoint)
        if where.scheme not in {"http", "https"} or not where.hostname or where.path.strip("/") or where.query:
            raise SettingError(
                f"LUOSHI_STORAGE_URL: endpoint {endpoint!r} must be http(s)://host[:port] (as endpoint=http://minio:9000)"
            )
        try:
            where.port  # noqa: B018 - raises on a port that is not a number 0-65535
        except ValueError:
            raise SettingError(f"LUOSHI_STORAGE_URL: endpoint {endpoint!r} has a bad port") from None
    region = params.get("region", "")
    if "region" in params and not REGION_NAME.fullmatch(region):
        raise SettingError(f"LUOSHI_STORAGE_URL: region {region!r} is not a region name (as us-east-1)")
    return {
        "BACKEND": "luoshi.web.storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": "/".join(segments),
            "endpoint_url": endpoint.rstrip("/") or None,
            "region_name": region or None,
            # MinIO and most self-hosted stores answer on one host name: the bucket goes in the path.
            "addressing_style": "path" if endpoint else None,
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
            "max_memory_size": STORAGE_MEMORY_BYTES,
        },
    }


HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.:_-]{0,252}[A-Za-z0-9])?")


def app_hosts(raw: str) -> list[str]:
    """LUOSHI_APP_HOSTS as a list of distinct host names (or addresses), in the order given."""
    names = [part.strip() for part in raw.split(",") if part.strip()]
    bad = [n for n in names if not HOST_NAME.fullmatch(n)]
    if bad:
        raise SettingError(f"LUOSHI_APP_HOSTS: {bad[0][:80]!r} is not a host name (a comma-separated list: app1,app2)")
    return list(dict.fromkeys(names))


def shared_services_missing() -> list[str]:
    """Why this deployment cannot run on the machines LUOSHI_APP_HOSTS names, one line each (none: it can).

    One machine, however many ``luoshi serve --workers`` processes it runs, shares its instance
    folder's caches and files among them. Several machines each have a folder of their own: without
    one Redis a session logged out on one stays open on the others and their pages go stale, and
    without one store for files an attachment uploaded on one is missing on the others.
    """
    hosts = app_hosts(get("LUOSHI_APP_HOSTS"))
    if len(hosts) < 2:
        return []
    named = f"LUOSHI_APP_HOSTS names {len(hosts)} machines ({', '.join(hosts[:5])}{', …' if len(hosts) > 5 else ''})"
    problems = []
    if not get("LUOSHI_CACHE_URL"):
        problems.append(
            f"{named} but LUOSHI_CACHE_URL is empty: each machine would keep sessions and pages in its "
            "own folder, so a logout or a lock-out on one would not end the session on the others and "
            "their pages would not show changes made elsewhere; set LUOSHI_CACHE_URL=redis://host:6379/0"
        )
    if not get("LUOSHI_STORAGE_URL") and not get("LUOSHI_MEDIA_ROOT"):
        problems.append(
            f"{named} but files are kept in this machine's LUOSHI_HOME/media: an attachment or a bulletin "
            f"stored on one machine would be missing on the others; set LUOSHI_STORAGE_URL={STORAGE_FORMAT} "
            "or LUOSHI_MEDIA_ROOT to a folder every machine mounts"
        )
    return problems
