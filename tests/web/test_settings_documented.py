"""Every environment variable of the site is documented in the README, and a bad one fails at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.web import env

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", env.SETTINGS, ids=lambda s: s.name)
def test_the_setting_is_in_the_readme(setting):
    assert f"`{setting.name}`" in README


@pytest.mark.parametrize(
    ("name", "value", "check"),
    [
        ("LUOSHI_STORAGE_URL", "ftp://files", lambda: env.file_storage(env.get("LUOSHI_STORAGE_URL"))),
        ("LUOSHI_APP_HOSTS", "app1;rm -rf", env.shared_services_missing),
        ("LUOSHI_CACHE_URL", "memcached://c", lambda: env.caches(env.get("LUOSHI_CACHE_URL"), None)),
    ],
)
def test_a_bad_value_names_the_setting(monkeypatch, name, value, check):
    monkeypatch.setenv(name, value)
    with pytest.raises(env.SettingError, match=name):
        check()
