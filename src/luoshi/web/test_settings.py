"""Settings for the test suite: a throw-away instance folder and a fast password hasher."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("LUOSHI_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("LUOSHI_HOME", tempfile.mkdtemp(prefix="luoshi-test-"))

from luoshi.web.settings import *  # noqa: E402,F403

# Hashing at full strength would make the permission matrix take minutes.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "luoshi.web.storage.LocalStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The live server's threads must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Each test sees its own data: nothing cached from an earlier test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
