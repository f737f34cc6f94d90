"""anjian settings: one module, every difference between machines comes from environment variables.

Defaults are safe and embedded: SQLite (WAL) in the data directory, a generated secret key kept there,
DEBUG off. See README "Configuration" for the variables.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.utils.translation import gettext_lazy as _

# The same formats when no language is active (management commands, code run outside a request).
from config.formats import DATE_FORMAT, DATETIME_FORMAT, SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "anjian"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("ANJIAN_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """ANJIAN_SECRET_KEY, else a key generated once and kept in the data directory (mode 0600)."""
    configured = os.environ.get("ANJIAN_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("ANJIAN_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ANJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("ANJIAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]


def _database(url: str | None) -> dict:
    """Parse ANJIAN_DATABASE_URL: postgresql://user:pass@host:port/name (host may be a socket dir via ?host=)."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "anjian.sqlite3",
            # WAL lets readers go on while one writer commits (architecture: SQLite WAL by default).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": os.environ.get("ANJIAN_TEST_SQLITE_NAME") or None},
        }
    parts = urlparse(url)
    if parts.scheme.startswith("sqlite"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:] if parts.path else "")}
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"ANJIAN_DATABASE_URL: unsupported scheme {parts.scheme!r}")
    query = parse_qs(parts.query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "anjian",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.get("host", [parts.hostname or ""])[0],
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database(os.environ.get("ANJIAN_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "huey.contrib.djhuey",
    "anjian.core",
    "anjian.accounts",
    "anjian.notifications",
    "anjian.regions",
    "anjian.enterprises",
    "anjian.hazards",
    "anjian.hazchem",
    "anjian.risk",
    "anjian.monitoring",
    "anjian.dashboard",
    "anjian.platform",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Cache-Control: no-store (issue 7); before WhiteNoise so static files get the CSP.
    "anjian.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "anjian.core.middleware.LoginRequiredMiddleware",
    # After a password reset by an administrator, every page leads to the password change until it is done.
    "anjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    "anjian.core.middleware.ApiInputGuardMiddleware",
    # axes last: it answers a locked-out login attempt (django-axes docs, "Configuration").
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.core.context_processors.navigation",
                "anjian.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "anjian.accounts.backends.UserModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anjian.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("ANJIAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address behind reverse proxies (anjian.core.network, issue 7 item 8): X-Forwarded-For is believed only
# from these proxies (comma-separated IP addresses or CIDR networks, e.g. "127.0.0.1,10.0.0.0/8"); default none.
ANJIAN_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("ANJIAN_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "anjian.core.network.client_ip"
# API tokens expire this many days after they are issued (anjian.accounts.services).
ANJIAN_API_TOKEN_DAYS = int(os.environ.get("ANJIAN_API_TOKEN_DAYS", "90"))
# Public reports (举报, issue 8 item 6): at most this many an hour from one client address (hazards.services_public).
ANJIAN_PUBLIC_REPORT_LIMIT = int(os.environ.get("ANJIAN_PUBLIC_REPORT_LIMIT", "5"))
# 双重预防 risk assessments (issue 9 item 4): no national thresholds exist (shared standards.md §3), so the LEC
# mapping onto the four levels (D from which a result is 重大, 较大, 一般; default anjian.standards.lec.DEFAULT_MAPPING)
# and the L×S scheme (a key of anjian.standards.risk_matrix.SCHEMES; default DEFAULT_SCHEME) are settings; every
# assessment stores the mapping or scheme that produced it (anjian.risk.services).
ANJIAN_RISK_LEC_BOUNDS = os.environ.get("ANJIAN_RISK_LEC_BOUNDS", "320,160,70")
ANJIAN_RISK_LS_SCHEME = os.environ.get("ANJIAN_RISK_LS_SCHEME", "A")

# One cache for every worker (rate limits count there): a database table by default (created by the accounts
# migrations), Redis when ANJIAN_REDIS_URL is set.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["ANJIAN_REDIS_URL"]}
    if os.environ.get("ANJIAN_REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "anjian_cache"}
}

# Session and CSRF security (issue 2 item 5).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("ANJIAN_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One date format in every language: 2026-12-01 and 2026-12-01 14:30 (config/formats/, read before Django's own).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Project-wide assets (base layout, vendored libraries) live in anjian/static, which is not an app folder.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("ANJIAN_PLAIN_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Attachments and archive files (issue 6 item 6): the data directory's media/ above, or, when ANJIAN_S3_BUCKET is
# set, an S3-compatible object store (MinIO, Ceph, a cloud's OSS) that several app servers share. Files are only
# ever served through the gate views, so objects stay private (no ACL is sent: S3 objects are private unless made
# otherwise, and a bucket with ACLs disabled refuses ACL headers) and no signed URL is ever handed out.
ANJIAN_S3_BUCKET = os.environ.get("ANJIAN_S3_BUCKET", "")
if ANJIAN_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ANJIAN_S3_BUCKET,
            "endpoint_url": os.environ.get("ANJIAN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("ANJIAN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("ANJIAN_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("ANJIAN_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            # An intranet store has no wildcard DNS for bucket subdomains: address buckets by path there.
            "addressing_style": "path" if os.environ.get("ANJIAN_S3_ENDPOINT_URL") else None,
        },
    }

# Uploads: archive documents are at most 20 MB (checked by type and size in anjian.core.uploads).
ANJIAN_UPLOAD_MAX_BYTES = int(os.environ.get("ANJIAN_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Map tiles: an intranet tile server URL template; with none the map draws points on a plain background.
ANJIAN_MAP_TILE_URL = os.environ.get("ANJIAN_MAP_TILE_URL", "")
ANJIAN_MAP_TILE_ATTRIBUTION = os.environ.get("ANJIAN_MAP_TILE_ATTRIBUTION", "")

# Rows one .xlsx export may hold: exports run inside a request (see `anjian serve --timeout`).
ANJIAN_EXPORT_MAX_ROWS = int(os.environ.get("ANJIAN_EXPORT_MAX_ROWS", "50000"))
# Background jobs (issue 7 item 1, anjian.core.jobs): an export run as a job may hold up to this many rows (an .xlsx
# sheet holds 1,048,576); a running job whose worker has not beaten for ANJIAN_JOB_STALE_SECONDS is failed; a finished
# job's files (the export, the error report) are removed after ANJIAN_JOB_FILES_DAYS days.
ANJIAN_EXPORT_JOB_MAX_ROWS = int(os.environ.get("ANJIAN_EXPORT_JOB_MAX_ROWS", "1000000"))
ANJIAN_JOB_STALE_SECONDS = int(os.environ.get("ANJIAN_JOB_STALE_SECONDS", "120"))
ANJIAN_JOB_FILES_DAYS = int(os.environ.get("ANJIAN_JOB_FILES_DAYS", "7"))

# Days before expiry at which licences, insurance and archive documents show a warning (issue 2 item 4).
ANJIAN_EXPIRY_WARNING_DAYS = int(os.environ.get("ANJIAN_EXPIRY_WARNING_DAYS", "30"))

# Notifications (issue 6 item 5). E-mail goes through Django's mail backend; the channel is off until
# ANJIAN_EMAIL_HOST is set. SMS goes to an HTTP gateway (JSON POST signed with HMAC-SHA256 of the body); off until
# ANJIAN_SMS_GATEWAY_URL is set. Failed deliveries are retried after 60 s × 2^(attempt − 1), at most
# ANJIAN_NOTIFY_MAX_ATTEMPTS times. ANJIAN_NOTIFY_SITE_URL (e.g. https://aj.example.gov.cn) makes e-mails carry a link.
ANJIAN_EMAIL_ENABLED = bool(os.environ.get("ANJIAN_EMAIL_HOST"))
EMAIL_HOST = os.environ.get("ANJIAN_EMAIL_HOST") or "localhost"
EMAIL_PORT = int(os.environ.get("ANJIAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ANJIAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ANJIAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ANJIAN_EMAIL_USE_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("ANJIAN_EMAIL_FROM", "anjian@localhost")
ANJIAN_SMS_GATEWAY_URL = os.environ.get("ANJIAN_SMS_GATEWAY_URL", "")
ANJIAN_SMS_GATEWAY_SECRET = os.environ.get("ANJIAN_SMS_GATEWAY_SECRET", "")
ANJIAN_SMS_TIMEOUT = float(os.environ.get("ANJIAN_SMS_TIMEOUT", "10"))
ANJIAN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("ANJIAN_NOTIFY_MAX_ATTEMPTS", "5"))
ANJIAN_NOTIFY_RETRY_SECONDS = int(os.environ.get("ANJIAN_NOTIFY_RETRY_SECONDS", "60"))
ANJIAN_NOTIFY_SITE_URL = os.environ.get("ANJIAN_NOTIFY_SITE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "anjian.accounts.backends.UserTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Issue 7: a yes/no filter refuses values it does not know; JSON bodies have a size and a depth limit; errors
    # reach a browser as a Chinese page with the login link; the schema carries tags, summaries and error answers.
    "DEFAULT_FILTER_BACKENDS": ["anjian.core.api.filters.ApiFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "anjian.core.api.parsers.JSONParser",
        "anjian.core.api.parsers.FormParser",
        "anjian.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "anjian.core.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "anjian.core.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "anjian.core.api.schema.AnjianAutoSchema",
    "EXCEPTION_HANDLER": "anjian.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "anjian 安监 API",
    "DESCRIPTION": "智慧安监平台 REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc assets from the drf-spectacular-sidecar package: the docs work without internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "anjian.core.api.schema.tags_hook"],
}

HUEY = {
    "huey_class": "huey.RedisHuey" if os.environ.get("ANJIAN_REDIS_URL") else "huey.SqliteHuey",
    "name": "anjian",
    "immediate": env_bool("ANJIAN_HUEY_IMMEDIATE"),
    "connection": {"url": os.environ["ANJIAN_REDIS_URL"]} if os.environ.get("ANJIAN_REDIS_URL") else {},
}
if not os.environ.get("ANJIAN_REDIS_URL"):
    HUEY["filename"] = str(DATA_DIR / "huey.sqlite3")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANJIAN_LOG_LEVEL", "WARNING")},
}
