"""Settings for the hub on a laptop (SQLite, the default) or shared (PostgreSQL).

Everything a deployment changes comes from the environment:

- ``HUB_DATABASE_URL``: ``sqlite:///path/hub.sqlite`` (default: ``hub-data/hub.sqlite``) or
  ``postgresql://user:password@host:5432/name``. The collection store lives in the same
  database: ``scorecard collect --store`` given the same path or URL sees the hub's returns.
- ``HUB_DATA_DIR``: where uploaded returns and published workbooks are kept (default ``hub-data``).
- ``HUB_SECRET_KEY``, ``HUB_ALLOWED_HOSTS`` (comma-separated), ``HUB_DEBUG`` (``1`` for a laptop).

`hub.settings_production` adds what a shared deployment behind HTTPS needs (secure cookies,
HSTS, SSL redirect); `python -m hub check --deploy` with it reports nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.collection.guard import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HUB_DATA_DIR", ROOT / "hub-data")).resolve()


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for a sqlite:/// path or a postgresql:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path, as SQLAlchemy writes them
        name = Path(unquote(parts.path[1:]) or DATA_DIR / "hub.sqlite")
        name.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            # WAL lets readers carry on while one upload writes; IMMEDIATE takes the write lock
            # at BEGIN, so two writers queue on the timeout instead of failing mid-transaction.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            "TEST": {"NAME": os.environ.get("HUB_TEST_SQLITE", str(DATA_DIR / "test-hub.sqlite"))},
        }
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"HUB_DATABASE_URL {url!r}: use sqlite:///path or postgresql://...")


SECRET_KEY = os.environ.get("HUB_SECRET_KEY", "insecure-laptop-only-key-set-HUB_SECRET_KEY-when-shared")
DEBUG = os.environ.get("HUB_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("HUB_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "hub.rounds",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "hub.rounds.access.role_context",
    ]},
}]

DATABASES = {"default": database_from_url(
    os.environ.get("HUB_DATABASE_URL", f"sqlite:///{DATA_DIR / 'hub.sqlite'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's standard hasher (PBKDF2) and password rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: cookies never readable by scripts, not sent cross-site, gone after a working day
# or when the browser closes. hub.settings_production makes them (and CSRF's) HTTPS-only.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads: a return may be at most the collection guard's limit (generator.collection.guard);
# hub.rounds.uploads stops reading the request body past it. Files go to disk, never memory.
HUB_MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_file_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_HANDLERS = ["hub.rounds.uploads.LimitedUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
HUB_DATA_DIR = DATA_DIR

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.security": {"handlers": ["console"], "level": "WARNING"}},
}
