"""Django settings for the luoshi web application; every value comes from ``luoshi.web.env``."""

from __future__ import annotations

from pathlib import Path

import django

from luoshi.web import csp, env

PACKAGE = Path(__file__).resolve().parent.parent
INSTANCE = env.home()

SECRET_KEY = env.secret_key(INSTANCE)
DEBUG = env.get_bool("LUOSHI_DEBUG")
ALLOWED_HOSTS = env.get_list("LUOSHI_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("LUOSHI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "luoshi.web",
    "luoshi.accounts",
    "luoshi.ledger",
    "django_tasks",
    "django_tasks_db",
    "luoshi.supervision_web",
    "luoshi.indicators",
    "luoshi.notify",
    "luoshi.proposals",
    "luoshi.inbox",
]

MIDDLEWARE = [
    "luoshi.web.middleware.DropGoneClientsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luoshi.web.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.web.middleware.RefuseNulMiddleware",
    "luoshi.accounts.middleware.RefreshSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "luoshi.web.storage.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "luoshi.web.urls"
WSGI_APPLICATION = "luoshi.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.accounts.context.role",
                "luoshi.inbox.context.inbox",
                "luoshi.web.csp.nonce",
            ],
        },
    },
    {
        # Pages with thousands of rows (the import review's rows): see luoshi.web.jinja.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "luoshi.web.jinja.environment",
            "extensions": ["jinja2.ext.i18n"],
            "autoescape": True,
        },
    },
]

DATABASES = {"default": env.database(env.get("DATABASE_URL"), INSTANCE)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["luoshi.accounts.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ledger:home"
LOGOUT_REDIRECT_URL = "ledger:public"

# 等保2.0 level 3: strong passwords, lock-out (see accounts.lockout), short idle sessions.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "luoshi.accounts.validators.ComplexityValidator"},
    {"NAME": "luoshi.accounts.validators.AuditPasswordChanges"},
]
LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 15
# Password checks a minute: for the whole site, and from one client address (see accounts.lockout).
LOGIN_PER_MINUTE = env.get_int("LUOSHI_LOGIN_PER_MINUTE")
LOGIN_PER_MINUTE_PER_IP = env.get_int("LUOSHI_LOGIN_PER_MINUTE_PER_IP")

SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The 30 minutes count from the last activity, not from login: see accounts.middleware.
SESSION_SAVE_EVERY_REQUEST = False
# Sessions are read from the shared cache below and written through to the database (cached_db):
# no session query per page, and logout or lock-out still ends a session in every process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Caches shared by the `luoshi serve` processes: files under the instance folder on one machine,
# Redis (LUOSHI_CACHE_URL) on several, so a logout on one machine ends the session on all of them
# and an edit on one is seen on the next page from any other (see env.caches).
CACHES = env.caches(env.get("LUOSHI_CACHE_URL"), INSTANCE)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE = env.get_bool("LUOSHI_SECURE_COOKIES") if env.get("LUOSHI_SECURE_COOKIES") else not DEBUG
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if SECURE:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# No SECURE_PROXY_SSL_HEADER: the scheme and the client's address come from the WSGI server, which
# takes X-Forwarded-* only from the proxy named in LUOSHI_TRUSTED_PROXY (see commands/serve.py);
# trusting the header here would let any client claim https.
# Deployment checks that do not apply: the proxy, not luoshi, redirects http to https, and HSTS
# preloading is the site owner's decision for the whole domain.
SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (luoshi.web.csp): Django 6's own middleware, django-csp on Django 5.2.
if django.VERSION >= (6, 0):
    from django.utils.csp import CSP

    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    )
    SECURE_CSP = csp.directives(CSP.NONCE)
else:  # pragma: no cover - Django 5.2 (Python 3.11)
    from csp.constants import NONCE as CSP_NONCE

    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
    )
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp.directives(CSP_NONCE)}

MAX_UPLOAD_BYTES = env.get_int("LUOSHI_MAX_UPLOAD_MB") * 1024 * 1024
# Reading an uploaded plan happens in a worker process bounded in time and memory (textplan.isolated).
IMPORT_PARSE_SECONDS = env.get_int("LUOSHI_IMPORT_SECONDS")
IMPORT_PARSE_MEMORY_BYTES = env.get_int("LUOSHI_IMPORT_MEMORY_MB", minimum=128) * 1024 * 1024
# The API's pages of plans and tasks: at most this many rows a request.
NINJA_PAGINATION_MAX_LIMIT = 1000
# Larger request bodies go to a temporary file; the size check in ledger.uploads refuses them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The import review page posts one title field per item: Django's default of 1,000 fields refused
# the commit of any plan with more than ~1,000 items (a 3,000-item plan is not unusual).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE / "web" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = INSTANCE / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
# Uploads, report attachments and bulletins: the instance folder's media/ by default, a folder
# every machine mounts (LUOSHI_MEDIA_ROOT) or an S3-compatible bucket (LUOSHI_STORAGE_URL) on
# several machines; they are only ever served through views that check the user's rights.
MEDIA_ROOT = env.media_root(env.get("LUOSHI_MEDIA_ROOT"), INSTANCE)
STORAGES = {
    "default": env.file_storage(env.get("LUOSHI_STORAGE_URL"), bool(env.get("LUOSHI_MEDIA_ROOT"))),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic has not run
# Uploads and produced files hold internal data: readable by the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "/media/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "luoshi.web.logging.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"filters": ["client_errors_in_one_line"]}},
}

# Supervision, reminders and bulletins: background jobs through django-tasks (see supervision_web/conf.py).
from luoshi.supervision_web import conf as supervision_conf  # noqa: E402

TASKS = supervision_conf.tasks()
EMAIL_BACKEND = supervision_conf.email_backend()
DEFAULT_FROM_EMAIL = supervision_conf.get("LUOSHI_DEFAULT_FROM_EMAIL")
LUOSHI_REMINDER_BACKEND = supervision_conf.get("LUOSHI_REMINDER_BACKEND")
LUOSHI_REMINDER_TIMEOUT = supervision_conf.timeout()

# Message channels (企业微信/钉钉/飞书 robots, SMS, e-mail): see notify/conf.py.
from luoshi.notify import conf as notify_conf  # noqa: E402

LUOSHI_NOTIFY_HOSTS = notify_conf.hosts()
LUOSHI_NOTIFY_CA_FILE = notify_conf.ca_file()
LUOSHI_NOTIFY_TIMEOUT = notify_conf.timeout()
