"""Settings read from the environment, declared as data so every one is documented."""

from __future__ import annotations

import os
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
