"""Every setting supervision reads from the environment is documented in the app's README."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.supervision_web import conf
from luoshi.web.env import SettingError

README = (Path(conf.__file__).parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", conf.SETTINGS, ids=lambda s: s.name)
def test_the_setting_is_in_the_readme_with_its_default(setting):
    assert f"`{setting.name}` | `{setting.default}`" in README


@pytest.mark.parametrize(
    ("name", "value"),
    [("LUOSHI_TASKS", "redis"), ("LUOSHI_EMAIL_BACKEND", "pigeon"), ("LUOSHI_REMINDER_TIMEOUT", "-1")],
)
def test_a_bad_value_fails_loudly(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=name):
        {
            "LUOSHI_TASKS": conf.tasks,
            "LUOSHI_EMAIL_BACKEND": conf.email_backend,
            "LUOSHI_REMINDER_TIMEOUT": conf.timeout,
        }[name]()
