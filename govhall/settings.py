"""The one settings module: everything deployment-specific comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from govhall.envconf import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GOVHALL_VAR_DIR") or BASE_DIR / "var")

# "development" (the default for a source checkout) or "production", which requires SECRET_KEY
# and ALLOWED_HOSTS and turns DEBUG off unless asked.
GOVHALL_ENV = env_str("GOVHALL_ENV") or "development"
if GOVHALL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"GOVHALL_ENV must be development or production, got {GOVHALL_ENV!r}"
    )
DEBUG = env_bool("GOVHALL_DEBUG", default=GOVHALL_ENV == "development")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if GOVHALL_ENV == "production":
        raise ImproperlyConfigured("SECRET_KEY must be set when GOVHALL_ENV is production")
    # Development only: a key kept outside the repository so sessions survive restarts.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if GOVHALL_ENV == "development" else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if GOVHALL_ENV == "production" and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when GOVHALL_ENV is production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # layer 1
    "govhall.core",
    "govhall.workdays",
    # layer 2
    "govhall.org",
    "govhall.catalog",
    # layer 3
    "govhall.cases",
    "govhall.staffing",
    "govhall.frontdesk",
    # faces
    "govhall.portal",
    "govhall.workbench",
    "govhall.api",
    "govhall.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "govhall.urls"
WSGI_APPLICATION = "govhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "govhall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "govhall.workbench.context_processors.workbench",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'govhall.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE makes writers queue up instead of
    # failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT compilation costs more than it saves on the case lists
    # (measured by bench/cases.py at 1,000,000 cases). PGOPTIONS can still override it.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "workbench:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "govhall" / "locale"]
TIME_ZONE = env_str("TIME_ZONE") or "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
# Third-party front-end code comes from npm (package.json), never copied into the repo.
STATICFILES_DIRS = [
    BASE_DIR / "govhall" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Uploads (catalog spreadsheets): bigger files are refused with a clear message.
GOVHALL_MAX_UPLOAD_BYTES = env_int("GOVHALL_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# Background work runs in-process by default ("thread"); "eager" runs it inline (tests).
GOVHALL_TASK_MODE = env_str("GOVHALL_TASK_MODE") or "thread"
if GOVHALL_TASK_MODE not in {"thread", "eager"}:
    raise ImproperlyConfigured(
        f"GOVHALL_TASK_MODE must be thread or eager, got {GOVHALL_TASK_MODE!r}"
    )
# How often a process re-reads the calendar revision to pick up changes made by another process.
GOVHALL_CALENDAR_REFRESH_SECONDS = env_int("GOVHALL_CALENDAR_REFRESH_SECONDS", 5, minimum=0)
# Notification adapter (SPEC §2): dotted path of the backend class; the default stores messages
# in the outbox (database and log) and sends nothing.
GOVHALL_NOTIFY_BACKEND = env_str("GOVHALL_NOTIFY_BACKEND") or "govhall.core.notify.OutboxBackend"
# Public base URL printed in notices' QR codes (the progress page); empty: the request's host.
GOVHALL_PUBLIC_URL = (env_str("GOVHALL_PUBLIC_URL") or "").rstrip("/")
# Cases (SPEC §4, §6): extension limit, §32 notice window, escalation forwarding days,
# progress-inquiry rate limits (failures per client / per case number in the window).
GOVHALL_EXTENSION_MAX_DAYS = env_int("GOVHALL_EXTENSION_MAX_DAYS", 10, minimum=1)
GOVHALL_SUPPLEMENT_NOTICE_DAYS = env_int("GOVHALL_SUPPLEMENT_NOTICE_DAYS", 5, minimum=1)
GOVHALL_ESCALATION_FORWARD_DAYS = env_int("GOVHALL_ESCALATION_FORWARD_DAYS", 2, minimum=0)
GOVHALL_PROGRESS_WINDOW_MINUTES = env_int("GOVHALL_PROGRESS_WINDOW_MINUTES", 15, minimum=1)
GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT = env_int(
    "GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT", 10, minimum=1
)
GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE = env_int(
    "GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE", 5, minimum=1
)

# Front desk (SPEC §7): queue recalls, the near-turn SMS, the display board's stream; appointment
# rules (days ahead, cancelling, no-shows), off-hours overtime; first-inquiry follow-up time.
# Tickets only on the center's working days and before closing (off for a 24-hour self-service
# room, and in browser tests that run at any hour).
GOVHALL_QUEUE_ENFORCE_HOURS = env_bool("GOVHALL_QUEUE_ENFORCE_HOURS", default=True)
GOVHALL_QUEUE_RECALL_MAX = env_int("GOVHALL_QUEUE_RECALL_MAX", 3, minimum=0)
GOVHALL_QUEUE_NOTIFY_AHEAD = env_int("GOVHALL_QUEUE_NOTIFY_AHEAD", 3, minimum=0)
GOVHALL_BOARD_STREAM_SECONDS = env_int("GOVHALL_BOARD_STREAM_SECONDS", 30, minimum=1)
GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD = env_int("GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD", 1, minimum=0)
GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD = env_int(
    "GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD", 5, minimum=1
)
GOVHALL_APPOINTMENT_CANCEL_HOURS = env_int("GOVHALL_APPOINTMENT_CANCEL_HOURS", 2, minimum=0)
GOVHALL_APPOINTMENT_NO_SHOW_LIMIT = env_int("GOVHALL_APPOINTMENT_NO_SHOW_LIMIT", 3, minimum=1)
GOVHALL_APPOINTMENT_NO_SHOW_DAYS = env_int("GOVHALL_APPOINTMENT_NO_SHOW_DAYS", 90, minimum=1)
GOVHALL_APPOINTMENT_BLOCK_DAYS = env_int("GOVHALL_APPOINTMENT_BLOCK_DAYS", 30, minimum=1)
GOVHALL_APPOINTMENT_CHECKIN_EARLY_MINUTES = env_int(
    "GOVHALL_APPOINTMENT_CHECKIN_EARLY_MINUTES", 60, minimum=0
)
GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES = env_int(
    "GOVHALL_APPOINTMENT_OFF_HOURS_MINUTES", 60, minimum=5
)
GOVHALL_INQUIRY_FOLLOW_UP_DAYS = env_int("GOVHALL_INQUIRY_FOLLOW_UP_DAYS", 3, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
