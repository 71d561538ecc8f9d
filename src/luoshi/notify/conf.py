"""Settings of the message channels, read from the environment and declared as data.

Imported by luoshi.web.settings, so nothing here may import Django models.
"""

from __future__ import annotations

import os
from pathlib import Path

from luoshi.web.env import Setting, SettingError

SETTINGS = [
    Setting(
        "LUOSHI_NOTIFY_HOSTS",
        "",
        "comma-separated webhook hosts allowed besides qyapi.weixin.qq.com, oapi.dingtalk.com and "
        "open.feishu.cn (an SMS gateway, an intranet proxy); these may be private addresses and any port",
    ),
    Setting(
        "LUOSHI_NOTIFY_CA_FILE", "", "extra CA certificates (PEM) trusted for webhooks, e.g. an intranet CA"
    ),
    Setting("LUOSHI_NOTIFY_TIMEOUT", "10", "seconds one webhook call may take before it counts as failed"),
]
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The variable's value, or its declared default."""
    return os.environ.get(name, _BY_NAME[name].default).strip() or _BY_NAME[name].default


def hosts() -> list[str]:
    """LUOSHI_NOTIFY_HOSTS as lower-case host names; a value with a scheme or a path is refused."""
    out = []
    for raw in get("LUOSHI_NOTIFY_HOSTS").split(","):
        host = raw.strip().lower()
        if not host:
            continue
        if "/" in host or " " in host:
            raise SettingError(f"LUOSHI_NOTIFY_HOSTS={raw!r}: expected host names, not addresses")
        out.append(host.strip("[]"))
    return out


def ca_file() -> str:
    """LUOSHI_NOTIFY_CA_FILE, which must exist when set."""
    path = get("LUOSHI_NOTIFY_CA_FILE")
    if path and not Path(path).is_file():
        raise SettingError(f"LUOSHI_NOTIFY_CA_FILE={path!r}: no such file")
    return path


def timeout() -> float:
    """LUOSHI_NOTIFY_TIMEOUT as seconds."""
    raw = get("LUOSHI_NOTIFY_TIMEOUT")
    try:
        value = float(raw)
    except ValueError:
        raise SettingError(f"LUOSHI_NOTIFY_TIMEOUT={raw!r}: expected seconds") from None
    if not 0 < value <= 120:
        raise SettingError(f"LUOSHI_NOTIFY_TIMEOUT={raw!r}: must be between 0 and 120")
    return value
