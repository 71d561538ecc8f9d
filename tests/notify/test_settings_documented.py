"""Every setting of the message channels is documented in the app's README and checked on start."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.notify import conf
from luoshi.web.env import SettingError

README = (Path(conf.__file__).parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", conf.SETTINGS, ids=lambda s: s.name)
def test_the_setting_is_in_the_readme_with_its_default(setting):
    assert f"`{setting.name}` | `{setting.default}`" in README


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("LUOSHI_NOTIFY_HOSTS", "https://sms.example.org/send", conf.hosts),
        ("LUOSHI_NOTIFY_CA_FILE", "/no/such/ca.pem", conf.ca_file),
        ("LUOSHI_NOTIFY_TIMEOUT", "soon", conf.timeout),
        ("LUOSHI_NOTIFY_TIMEOUT", "0", conf.timeout),
        ("LUOSHI_NOTIFY_TIMEOUT", "1000", conf.timeout),
    ],
)
def test_a_bad_value_fails_loudly(monkeypatch, name, value, read):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=name):
        read()


def test_hosts_are_read_as_lower_case_names(monkeypatch):
    monkeypatch.setenv("LUOSHI_NOTIFY_HOSTS", " SMS.gov.internal, 127.0.0.1 ,")
    assert conf.hosts() == ["sms.gov.internal", "127.0.0.1"]
