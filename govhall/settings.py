"""The one settings module: everything deployment-specific comes from the environment."""

from __future__ import annotations

import datetime
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
    # security (issue 12): login lockout, TOTP second factor, Content-Security-Policy
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # layer 1
    "govhall.core",
    "govhall.workdays",
    # layer 2
    "govhall.org",
    "govhall.catalog",
    # layer 3
    "govhall.cases",
    "govhall.staffing",
    # joint meetings of the stationed departments and emergencies (issue 21 item 4)
    "govhall.hallops",
    "govhall.frontdesk",
    "govhall.online",
    # layer 4
    "govhall.supervision",
    "govhall.assessment",
    "govhall.feedback",
    "govhall.stats",
    # faces
    "govhall.portal",
    "govhall.workbench",
    "govhall.api",
    "govhall.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database or broker outage answers a clean 503 with Retry-After (issue 20).
    "govhall.core.outage.OutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL bytes refused (400) and oversized bodies (413) before any view (issue 12 item 4).
    "govhall.core.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The online hall's own sign-in (issue 19): request.online_account, never request.user.
    "govhall.portal.online.session.OnlineSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Second factor and password expiry gate every signed-in request (issue 12 item 8).
    "govhall.workbench.account.middleware.AccountSecurityMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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

if GOVHALL_ENV == "production" and not env_str("DATABASE_URL"):
    # Production never falls back to a SQLite file in the checkout (issue 20).
    raise ImproperlyConfigured("DATABASE_URL must be set when GOVHALL_ENV is production")
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
# A connection pool per application process (issue 20: the load test ran PostgreSQL out of
# connections, one per request in flight under the ASGI server). GOVHALL_DB_POOL_MAX_SIZE > 0
# turns it on: at most that many connections per process, a request waiting at most
# GOVHALL_DB_POOL_TIMEOUT seconds for one (then a clean 503). Keep processes × size below
# PostgreSQL's max_connections. 0 (the default, and in tests): one connection per thread.
GOVHALL_DB_POOL_MAX_SIZE = env_int("GOVHALL_DB_POOL_MAX_SIZE", 0, minimum=0)
GOVHALL_DB_POOL_TIMEOUT = env_int("GOVHALL_DB_POOL_TIMEOUT", 10, minimum=1)
if GOVHALL_DB_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": min(2, GOVHALL_DB_POOL_MAX_SIZE),
        "max_size": GOVHALL_DB_POOL_MAX_SIZE,
        "timeout": GOVHALL_DB_POOL_TIMEOUT,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django refuses both
# Optional read replica (issue 20): GOVHALL_REPLICA_DATABASE_URL names a PostgreSQL streaming
# replica of DATABASE_URL. When set, reads of the apps in GOVHALL_REPLICA_APPS (default "stats":
# case rollups and period reports) outside a transaction go to it (govhall/core/dbrouter.py), so
# a province's statistics never take the windows' database time; writes and everything else stay
# on DATABASE_URL. Empty (the default): one database, no router.
GOVHALL_REPLICA_DATABASE_URL = env_str("GOVHALL_REPLICA_DATABASE_URL") or ""
GOVHALL_REPLICA_APPS = env_list("GOVHALL_REPLICA_APPS", ["stats"])
DATABASE_ROUTERS: list[str] = []
if GOVHALL_REPLICA_DATABASE_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(GOVHALL_REPLICA_DATABASE_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"GOVHALL_REPLICA_DATABASE_URL is not a valid database URL: {exc}"
        ) from None
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {})
        DATABASES["replica"]["OPTIONS"].setdefault("options", "-c jit=off")
    # Tests see the replica as the default database itself (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["govhall.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "workbench:login"
# Password rules (issue 12 item 8, 等保 2.0 level 3): at least GOVHALL_PASSWORD_MIN_LENGTH
# characters (default 10) of at least GOVHALL_PASSWORD_MIN_CLASSES kinds (default 3 of upper case,
# lower case, digits, other), not like or containing the user's name, not a common password, not
# all digits. Passwords expire after GOVHALL_PASSWORD_MAX_AGE_DAYS (default 90; 0: never), and
# the person is sent to the change page after login.
GOVHALL_PASSWORD_MIN_LENGTH = env_int("GOVHALL_PASSWORD_MIN_LENGTH", 10, minimum=8)
GOVHALL_PASSWORD_MIN_CLASSES = env_int("GOVHALL_PASSWORD_MIN_CLASSES", 3, minimum=1)
GOVHALL_PASSWORD_MAX_AGE_DAYS = env_int("GOVHALL_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "phone", "email"]},
    },
    {
        "NAME": "govhall.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": GOVHALL_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govhall.core.passwords.NotContainingUsernameValidator"},
    {
        "NAME": "govhall.core.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": GOVHALL_PASSWORD_MIN_CLASSES},
    },
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
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Outside production the static files are looked up when asked for, not listed up front: the
# list walks node_modules (~30 ms), once per handler, so once per test client in the tests.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Backups (issue 20 item 8, `govhall backup`): where dated archives go, and how many days of them
# `govhall backup` (the govhall-backup timer) keeps; 0 keeps every one.
GOVHALL_BACKUP_DIR = Path(env_str("GOVHALL_BACKUP_DIR") or VAR_DIR / "backups")
GOVHALL_BACKUP_KEEP_DAYS = env_int("GOVHALL_BACKUP_KEEP_DAYS", 14, minimum=0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=GOVHALL_ENV == "production")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The CSRF token reaches htmx through the page (hx-headers), never through script reading cookies.
CSRF_COOKIE_HTTPONLY = True
# An expired or foreign form answers our own Chinese page, not Django's English one (issue 17
# item 11; the other error pages are handlers in govhall/urls.py).
CSRF_FAILURE_VIEW = "govhall.core.errors.csrf_failure"
# While the database or the broker is unreachable, requests answer 503 with this Retry-After
# (seconds) and a Chinese message, never a traceback (govhall/core/outage.py, issue 20).
GOVHALL_OUTAGE_RETRY_AFTER_SECONDS = env_int("GOVHALL_OUTAGE_RETRY_AFTER_SECONDS", 30, minimum=1)

# --- Sessions, login lockout, second factor, headers (issue 12 items 3, 8, 9) ----------------
# A staff session ends after GOVHALL_SESSION_IDLE_MINUTES without a request (default 30): every
# request pushes the expiry forward (at most once a minute, by AccountSecurityMiddleware, so a
# page does not write its session on every request). The public pages (portal, kiosk, board)
# keep no session.
GOVHALL_SESSION_IDLE_MINUTES = env_int("GOVHALL_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = GOVHALL_SESSION_IDLE_MINUTES * 60

# The online hall's sign-in (issue 19 item 1): its own cookie and session table, never Django's
# staff session, so a citizen's sign-in can never reach a staff page and the other way round.
GOVHALL_ONLINE_COOKIE_NAME = env_str("GOVHALL_ONLINE_COOKIE_NAME") or "govhall_online"
GOVHALL_ONLINE_SESSION_IDLE_MINUTES = env_int("GOVHALL_ONLINE_SESSION_IDLE_MINUTES", 30, minimum=1)
GOVHALL_ONLINE_SESSION_MAX_HOURS = env_int("GOVHALL_ONLINE_SESSION_MAX_HOURS", 12, minimum=1)
# Online hall accounts (issue 19 item 1): an SMS code (6 random digits, only its hash kept) lasts
# GOVHALL_ONLINE_SMS_CODE_MINUTES and allows GOVHALL_ONLINE_SMS_CODE_ATTEMPTS tries; one code per
# phone every GOVHALL_ONLINE_SMS_RESEND_SECONDS, at most GOVHALL_ONLINE_SMS_PER_PHONE_DAY a day
# and GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR per client address. GOVHALL_ONLINE_LOGIN_FAILURES wrong
# passwords in a row lock the account for GOVHALL_ONLINE_LOCK_MINUTES; sign-in attempts and
# registrations are limited per client address and hour.
GOVHALL_ONLINE_SMS_CODE_MINUTES = env_int("GOVHALL_ONLINE_SMS_CODE_MINUTES", 5, minimum=1)
GOVHALL_ONLINE_SMS_CODE_ATTEMPTS = env_int("GOVHALL_ONLINE_SMS_CODE_ATTEMPTS", 5, minimum=1)
GOVHALL_ONLINE_SMS_RESEND_SECONDS = env_int("GOVHALL_ONLINE_SMS_RESEND_SECONDS", 60, minimum=1)
GOVHALL_ONLINE_SMS_PER_PHONE_DAY = env_int("GOVHALL_ONLINE_SMS_PER_PHONE_DAY", 10, minimum=1)
GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR = env_int("GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR", 30, minimum=1)
GOVHALL_ONLINE_LOGIN_FAILURES = env_int("GOVHALL_ONLINE_LOGIN_FAILURES", 5, minimum=1)
GOVHALL_ONLINE_LOCK_MINUTES = env_int("GOVHALL_ONLINE_LOCK_MINUTES", 30, minimum=1)
GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR", 60, minimum=1
)
GOVHALL_ONLINE_REGISTER_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_ONLINE_REGISTER_PER_ADDRESS_HOUR", 20, minimum=1
)
# My page (issue 19 item 3): an applicant's electronic licence valid until within
# GOVHALL_LICENCE_EXPIRY_REMINDER_DAYS days is a reminder on their page. The daily worker task
# (online-reminders, every GOVHALL_MY_REMINDER_SCAN_SECONDS) sends an SMS per reminder (a
# supplement asked, green-channel materials due, a licence expiring) at most once per thing every
# GOVHALL_MY_REMINDER_SMS_EVERY_DAYS days (1: daily). The page lists the latest
# GOVHALL_MY_PAGE_MAX_ROWS cases, messages and feedback of each section.
GOVHALL_LICENCE_EXPIRY_REMINDER_DAYS = env_int(
    "GOVHALL_LICENCE_EXPIRY_REMINDER_DAYS", 30, minimum=1
)
GOVHALL_MY_REMINDER_SMS_EVERY_DAYS = env_int("GOVHALL_MY_REMINDER_SMS_EVERY_DAYS", 7, minimum=1)
GOVHALL_MY_REMINDER_SCAN_SECONDS = env_int("GOVHALL_MY_REMINDER_SCAN_SECONDS", 3600, minimum=5)
GOVHALL_MY_PAGE_MAX_ROWS = env_int("GOVHALL_MY_PAGE_MAX_ROWS", 50, minimum=1)
# 代办 (issue 19 item 6): the agent's list "Cases I carry" shows at most this many open cases.
GOVHALL_AGENCY_LIST_MAX_ROWS = env_int("GOVHALL_AGENCY_LIST_MAX_ROWS", 200, minimum=1)
# Login lockout by django-axes, for the staff login and /admin/ alike: after
# GOVHALL_LOGIN_FAILURE_LIMIT failures (default 5) for one username, or from one address, further
# attempts for it are refused for GOVHALL_LOGIN_COOLOFF_MINUTES (default 30). A success resets
# the count. The address is REMOTE_ADDR: behind a reverse proxy, set it from X-Forwarded-For
# in the proxy, or every client shares the proxy's address. A hall whose staff all reach the
# server from one NAT address may set GOVHALL_LOGIN_LOCK_BY_ADDRESS=false (per account only).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
GOVHALL_LOGIN_FAILURE_LIMIT = env_int("GOVHALL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
GOVHALL_LOGIN_COOLOFF_MINUTES = env_int("GOVHALL_LOGIN_COOLOFF_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = GOVHALL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=GOVHALL_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS: list[str] = ["username"]
if env_bool("GOVHALL_LOGIN_LOCK_BY_ADDRESS", default=True):
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failed logins show in the person's login history
AXES_LOCKOUT_CALLABLE = "govhall.workbench.account.views.login_locked"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "govhall.core.accounts.login_username"
# Second factor (TOTP, django-otp): required for the roles in GOVHALL_OTP_REQUIRED_ROLES
# (comma-separated role names; default "admin,director" in production, none in development so
# the demo logins stay one step); anyone may enroll, and whoever has enrolled is asked for it.
GOVHALL_OTP_REQUIRED_ROLES = env_list(
    "GOVHALL_OTP_REQUIRED_ROLES", ["admin", "director"] if GOVHALL_ENV == "production" else []
)
OTP_TOTP_ISSUER = env_str("GOVHALL_OTP_ISSUER") or "govhall"
# HTTPS in production: HSTS (GOVHALL_HSTS_SECONDS, default one year), redirect to HTTPS (off with
# GOVHALL_SSL_REDIRECT=false when a proxy does it), secure cookies (above). A proxy that ends TLS
# must send X-Forwarded-Proto: SECURE_PROXY_SSL_HEADER is set when GOVHALL_TRUST_X_FORWARDED_PROTO.
SECURE_HSTS_SECONDS = env_int(
    "GOVHALL_HSTS_SECONDS", 31536000 if GOVHALL_ENV == "production" else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GOVHALL_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("GOVHALL_HSTS_PRELOAD", default=True)
SECURE_SSL_REDIRECT = env_bool("GOVHALL_SSL_REDIRECT", default=GOVHALL_ENV == "production")
if env_bool("GOVHALL_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script
# or eval. Inline style attributes remain in a few templates (and htmx and ECharts set styles),
# so style-src allows 'unsafe-inline'. QR codes are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads (catalog spreadsheets): bigger files are refused with a clear message.
GOVHALL_MAX_UPLOAD_BYTES = env_int("GOVHALL_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# Patrol photos (issue 14 item 6): JPEG or PNG by content, at most this many bytes each; kept
# under MEDIA_ROOT/patrol/ and served only through the workbench's access-checked view.
GOVHALL_PATROL_PHOTO_MAX_BYTES = env_int(
    "GOVHALL_PATROL_PHOTO_MAX_BYTES", 5 * 1024 * 1024, minimum=1024
)
# The patrol-missing scan looks back this many days on a full scan (the first scan starts today).
GOVHALL_PATROL_SCAN_DAYS = env_int("GOVHALL_PATROL_SCAN_DAYS", 7, minimum=1)
# Blank forms and filled-in samples of materials (issue 18 item 5): PDF, Word, Excel, JPEG or
# PNG judged by content, at most this many bytes each; kept under MEDIA_ROOT/catalog/ and
# downloaded publicly only while the item is published (portal guide page). The zip of files
# that may come with a catalog workbook is at most GOVHALL_MATERIAL_FILES_ZIP_MAX_BYTES.
GOVHALL_MATERIAL_FILE_MAX_BYTES = env_int(
    "GOVHALL_MATERIAL_FILE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
# Online applications (issue 19 item 2): what an applicant uploads is a PDF, JPEG or PNG judged
# by content (govhall/core/files.py), at most GOVHALL_ONLINE_UPLOAD_MAX_BYTES each (a bigger
# request is refused by its Content-Length before it is read); images at most
# GOVHALL_ONLINE_IMAGE_MAX_SIDE pixels wide and high. Kept under MEDIA_ROOT/online/ with random
# names and served only through access-checked views (the owner account, staff of the case).
GOVHALL_ONLINE_UPLOAD_MAX_BYTES = env_int(
    "GOVHALL_ONLINE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
GOVHALL_ONLINE_IMAGE_MAX_SIDE = env_int("GOVHALL_ONLINE_IMAGE_MAX_SIDE", 10000, minimum=100)
# Files one online account may upload per hour (429-like refusal on the page beyond).
GOVHALL_ONLINE_UPLOADS_PER_HOUR = env_int("GOVHALL_ONLINE_UPLOADS_PER_HOUR", 60, minimum=1)
GOVHALL_MATERIAL_FILES_ZIP_MAX_BYTES = env_int(
    "GOVHALL_MATERIAL_FILES_ZIP_MAX_BYTES", 200 * 1024 * 1024, minimum=1024
)
# Public downloads of those files per client address and hour (429 beyond).
GOVHALL_GUIDE_FILES_PER_HOUR = env_int("GOVHALL_GUIDE_FILES_PER_HOUR", 300, minimum=1)
# Input limits (issue 12 item 4): a request body above DATA_UPLOAD_MAX_MEMORY_SIZE (uploads:
# GOVHALL_MAX_UPLOAD_BYTES) is answered 413; API lists give GOVHALL_API_PAGE_SIZE items unless
# `limit` asks for another number, never more than GOVHALL_API_MAX_PAGE_SIZE.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
GOVHALL_API_PAGE_SIZE = env_int("GOVHALL_API_PAGE_SIZE", 50, minimum=1)
GOVHALL_API_MAX_PAGE_SIZE = env_int("GOVHALL_API_MAX_PAGE_SIZE", 200, minimum=1)
# Spreadsheet imports (catalog, calendar schedule; issue 12 item 7), checked by
# govhall/core/spreadsheets.py: the .xlsx zip's central directory before parsing (total
# uncompressed size, per-member compression ratio, member count), then while reading (cells
# per workbook, columns per row, characters per cell). Over a limit: refused, nothing changes.
GOVHALL_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "GOVHALL_IMPORT_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024, minimum=1024
)
GOVHALL_IMPORT_MAX_COMPRESSION_RATIO = env_int(
    "GOVHALL_IMPORT_MAX_COMPRESSION_RATIO", 200, minimum=2
)
GOVHALL_IMPORT_MAX_ZIP_MEMBERS = env_int("GOVHALL_IMPORT_MAX_ZIP_MEMBERS", 1000, minimum=4)
GOVHALL_IMPORT_MAX_CELLS = env_int("GOVHALL_IMPORT_MAX_CELLS", 5_000_000, minimum=1)
GOVHALL_IMPORT_MAX_COLUMNS = env_int("GOVHALL_IMPORT_MAX_COLUMNS", 256, minimum=1)
GOVHALL_IMPORT_MAX_CELL_CHARS = env_int("GOVHALL_IMPORT_MAX_CELL_CHARS", 32_767, minimum=1)
# Background work runs in-process by default ("thread"); "eager" runs it inline (tests).
GOVHALL_TASK_MODE = env_str("GOVHALL_TASK_MODE") or "thread"
if GOVHALL_TASK_MODE not in {"thread", "eager"}:
    raise ImproperlyConfigured(
        f"GOVHALL_TASK_MODE must be thread or eager, got {GOVHALL_TASK_MODE!r}"
    )
# Background jobs on Celery (issue 14). GOVHALL_BROKER_URL names the Redis broker
# (redis://host:port/db); empty, the default, means no broker: tasks run in the calling process
# (task_always_eager) and `govhall worker` runs the periodic rounds itself, so the demo hall
# needs nothing more. With a broker, `govhall worker` is a Celery worker with the beat scheduler
# (one per deployment; extra workers take --no-beat).
GOVHALL_BROKER_URL = env_str("GOVHALL_BROKER_URL") or ""
CELERY_BROKER_URL = GOVHALL_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not GOVHALL_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Results live in the database (Job rows, alerts), never in the broker.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A late-acknowledged task whose worker died is handed to another worker (Redis: after this).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("GOVHALL_TASK_VISIBILITY_SECONDS", 3600, minimum=60)
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic work, in seconds between runs (the same rounds `govhall worker` runs without a
# broker, where --interval sets one period for all of them).
GOVHALL_VACANCY_SCAN_SECONDS = env_int("GOVHALL_VACANCY_SCAN_SECONDS", 60, minimum=5)
# A/B cover and sign-in (issue 16 item 3; staffing/queries/cover.py): during service hours, a
# person who has not signed in by a session's opening plus this many minutes is away and the
# cover serves. 10: staff are due 10 minutes before opening (seeds/000…, 002…), so by 10 minutes
# after it they are 20 minutes late and citizens should not wait longer for B. A hall without
# sign-in terminals turns GOVHALL_COVER_NEEDS_SIGN_IN off (else every post would show empty).
GOVHALL_SIGN_IN_GRACE_MINUTES = env_int("GOVHALL_SIGN_IN_GRACE_MINUTES", 10, minimum=0)
GOVHALL_COVER_NEEDS_SIGN_IN = env_bool("GOVHALL_COVER_NEEDS_SIGN_IN", default=True)
GOVHALL_APPOINTMENT_SCAN_SECONDS = env_int("GOVHALL_APPOINTMENT_SCAN_SECONDS", 60, minimum=5)
GOVHALL_PRUNE_SECONDS = env_int("GOVHALL_PRUNE_SECONDS", 600, minimum=5)
GOVHALL_SUPERVISION_SCAN_SECONDS = env_int("GOVHALL_SUPERVISION_SCAN_SECONDS", 300, minimum=5)
# Statistics (issue 18 items 1, 6): how often the worker brings the daily case rollups up to
# date with the cases changed since its last run (figures lag the cases by at most this).
GOVHALL_STATS_REFRESH_SECONDS = env_int("GOVHALL_STATS_REFRESH_SECONDS", 60, minimum=5)
# The case-event rules scan (supervision/services/case_rules_scan.py) re-reads the events of
# this many seconds before its last run, for transactions that committed late.
GOVHALL_SUPERVISION_EVENT_OVERLAP_SECONDS = env_int(
    "GOVHALL_SUPERVISION_EVENT_OVERLAP_SECONDS", 300, minimum=0
)
# The public summary of on-time rates by department (portal /on-time/, issue 14 item 5): how
# long one center's figures are cached (0: computed on every request).
GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS = env_int("GOVHALL_PUBLIC_ONTIME_CACHE_SECONDS", 600, minimum=0)
# Public disclosure (政务公开, issue 18 item 5, helper S-E): the 办件公示 list shows the cases
# received in the last GOVHALL_PUBLIC_CASES_DAYS days, GOVHALL_PUBLIC_CASES_PAGE per page; each
# client address may open GOVHALL_PUBLIC_CASES_PER_MINUTE pages of it a minute (429 beyond);
# at most GOVHALL_PUBLIC_NOTICES_MAX hall notices are shown (disclosure page, board ticker).
GOVHALL_PUBLIC_CASES_DAYS = env_int("GOVHALL_PUBLIC_CASES_DAYS", 90, minimum=1)
GOVHALL_PUBLIC_CASES_PAGE = env_int("GOVHALL_PUBLIC_CASES_PAGE", 20, minimum=1)
GOVHALL_PUBLIC_CASES_PER_MINUTE = env_int("GOVHALL_PUBLIC_CASES_PER_MINUTE", 30, minimum=1)
GOVHALL_PUBLIC_NOTICES_MAX = env_int("GOVHALL_PUBLIC_NOTICES_MAX", 20, minimum=1)
# The public disclosure API (issue 18 item 5, /api/v1/disclosure/ and the current hall notices):
# each client address may make GOVHALL_PUBLIC_API_PER_MINUTE reads a minute of the centers,
# phones, posts, on-time rates, rankings and notices (429 beyond); the 办件公示 list counts
# against GOVHALL_PUBLIC_CASES_PER_MINUTE together with the portal page.
GOVHALL_PUBLIC_API_PER_MINUTE = env_int("GOVHALL_PUBLIC_API_PER_MINUTE", 60, minimum=1)
# Assessment (issue 14 item 7): how often the month's score sheets are filled from the alerts
# (the current month, and the previous one during its first days); the largest manual deduction
# or bonus; how many windows are red-flag windows and staff service stars each month (ties at the
# last place all count).
GOVHALL_ASSESSMENT_FILL_SECONDS = env_int("GOVHALL_ASSESSMENT_FILL_SECONDS", 600, minimum=5)
GOVHALL_ASSESSMENT_PREVIOUS_MONTH_DAYS = env_int(
    "GOVHALL_ASSESSMENT_PREVIOUS_MONTH_DAYS", 5, minimum=0
)
GOVHALL_ASSESSMENT_MAX_POINTS = env_int("GOVHALL_ASSESSMENT_MAX_POINTS", 20, minimum=1)
GOVHALL_ASSESSMENT_RED_FLAG_WINDOWS = env_int("GOVHALL_ASSESSMENT_RED_FLAG_WINDOWS", 1, minimum=0)
GOVHALL_ASSESSMENT_SERVICE_STARS = env_int("GOVHALL_ASSESSMENT_SERVICE_STARS", 3, minimum=0)
# The annual assessment (issue 21 item 1b): verified complaints in the year that withhold the grade
# excellent (seeds/000… 篇5: 受到群众投诉较多的,年度考评不能评为先进; "较多" is not a number).
GOVHALL_ANNUAL_COMPLAINTS_NO_EXCELLENT = env_int(
    "GOVHALL_ANNUAL_COMPLAINTS_NO_EXCELLENT", 2, minimum=1
)
# Study sessions (集中学习, issue 21 item 2; seeds/001… 中心组学习制度 (三)3): "原则上每两周一次集中
# 学习,每次学习不少于2小时,假期时间不少于每月一次". The seeds do not name the holiday months: the
# default is the winter and summer holidays (January, February, July, August).
GOVHALL_STUDY_MIN_HOURS = env_int("GOVHALL_STUDY_MIN_HOURS", 2, minimum=1)
GOVHALL_STUDY_INTERVAL_DAYS = env_int("GOVHALL_STUDY_INTERVAL_DAYS", 14, minimum=1)
GOVHALL_STUDY_HOLIDAY_MONTHS = sorted(
    {int(m) for m in env_list("GOVHALL_STUDY_HOLIDAY_MONTHS", ["1", "2", "7", "8"]) if m}
)
if not all(1 <= m <= 12 for m in GOVHALL_STUDY_HOLIDAY_MONTHS):
    raise ImproperlyConfigured("GOVHALL_STUDY_HOLIDAY_MONTHS must be months 1-12")
# Alerts counting as violations within 12 months that make a window staff member due for return
# to their department (a return-to-department warning, beside the staffing facts).
GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN = env_int(
    "GOVHALL_ASSESSMENT_VIOLATIONS_FOR_RETURN", 3, minimum=1
)
# Citizens' voice (issue 15; SPEC §9). Ratings (好差评, 国办发〔2019〕51号): the rating screen
# offers its buttons this many seconds after a ticket is finished or a case delivered at its
# window; an unrated delivered case gets one SMS invitation after N working days; a late
# (supplementary) rating is taken for N calendar days; a bad rating is called back and verified
# within N working days and rectified within N working days (some places use 15).
GOVHALL_RATING_SCREEN_SECONDS = env_int("GOVHALL_RATING_SCREEN_SECONDS", 120, minimum=10)
GOVHALL_RATING_INVITATION_WORKDAYS = env_int("GOVHALL_RATING_INVITATION_WORKDAYS", 1, minimum=0)
GOVHALL_RATING_SUPPLEMENT_DAYS = env_int("GOVHALL_RATING_SUPPLEMENT_DAYS", 7, minimum=1)
GOVHALL_RATING_CALL_BACK_WORKDAYS = env_int("GOVHALL_RATING_CALL_BACK_WORKDAYS", 1, minimum=1)
GOVHALL_RATING_RECTIFY_WORKDAYS = env_int("GOVHALL_RATING_RECTIFY_WORKDAYS", 5, minimum=1)
# Ratings through links (QR code, SMS, progress page): how often the SMS invitations are sent
# (seconds between rounds), and the public rating page's posts per client address per hour
# (429 beyond).
GOVHALL_RATING_INVITATION_SECONDS = env_int("GOVHALL_RATING_INVITATION_SECONDS", 900, minimum=5)
GOVHALL_RATE_RATING_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_RATING_PER_ADDRESS_HOUR", 20, minimum=1
)
# Rating screens (评价器): a pairing code is valid N minutes and used once; pairing attempts per
# client address per hour and ratings per screen per hour (public doors, 429 beyond); the
# display board's monthly rankings strip is computed at most once per N seconds per center.
GOVHALL_RATING_SCREEN_PAIRING_MINUTES = env_int(
    "GOVHALL_RATING_SCREEN_PAIRING_MINUTES", 10, minimum=1
)
GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR", 10, minimum=1
)
GOVHALL_RATE_SCREEN_RATINGS_PER_HOUR = env_int(
    "GOVHALL_RATE_SCREEN_RATINGS_PER_HOUR", 120, minimum=1
)
GOVHALL_BOARD_RANKINGS_SECONDS = env_int("GOVHALL_BOARD_RANKINGS_SECONDS", 60, minimum=1)
# Complaints (seeds/000… 篇5 投诉): a simple one is answered by the end of the next working day
# (0 would mean the same day), a complex one within N working days (the seeds' "one week").
GOVHALL_COMPLAINT_SIMPLE_WORKDAYS = env_int("GOVHALL_COMPLAINT_SIMPLE_WORKDAYS", 1, minimum=0)
GOVHALL_COMPLAINT_COMPLEX_WORKDAYS = env_int("GOVHALL_COMPLAINT_COMPLEX_WORKDAYS", 5, minimum=1)
# Verified complaints within 12 months that make a staff member due for return (SPEC §8).
GOVHALL_COMPLAINTS_FOR_RETURN = env_int("GOVHALL_COMPLAINTS_FOR_RETURN", 2, minimum=1)
# Issue 16 item 4 (posts): a cover (B staff) with N criticism notices or verified complaints
# (together) since their assignment began is flagged for replacement (seeds/001… AB岗 五5: 两次).
GOVHALL_COVER_FAULTS_FOR_REPLACEMENT = env_int("GOVHALL_COVER_FAULTS_FOR_REPLACEMENT", 2, minimum=1)
# Window staff changes: seeds/002… says "一般在每年一月", seeds/001… "原则上在每年上半年". Default
# False keeps January (the narrower rule, and what was built); True allows January to June.
GOVHALL_ASSIGNMENT_CHANGES_FIRST_HALF = env_bool("GOVHALL_ASSIGNMENT_CHANGES_FIRST_HALF", False)
# Issue 21 item 1 (window staff selection): the age limits (周岁 on the nomination day; exactly
# the limit passes) — seeds/002… 二1 window staff ≤ 40, window heads ≤ 50; seeds/001… 调整办法
# 三(三) ≤ 45 for posts needing long experience.
GOVHALL_SELECTION_MAX_AGE = env_int("GOVHALL_SELECTION_MAX_AGE", 40, minimum=18)
GOVHALL_SELECTION_MAX_AGE_SPECIAL = env_int("GOVHALL_SELECTION_MAX_AGE_SPECIAL", 45, minimum=18)
GOVHALL_SELECTION_MAX_AGE_HEAD = env_int("GOVHALL_SELECTION_MAX_AGE_HEAD", 50, minimum=18)
# The portal's complaint form (a public door): at most N complaints per client address and per
# phone number an hour.
GOVHALL_RATE_COMPLAINT_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_COMPLAINT_PER_ADDRESS_HOUR", 5, minimum=1
)
GOVHALL_RATE_COMPLAINT_PER_PHONE_HOUR = env_int(
    "GOVHALL_RATE_COMPLAINT_PER_PHONE_HOUR", 3, minimum=1
)
# Petitions (信访工作条例 2022, calendar days; seeds/000… 篇5 信访 for the answer and reception).
GOVHALL_PETITION_ANSWER_DAYS = env_int("GOVHALL_PETITION_ANSWER_DAYS", 3, minimum=1)
GOVHALL_PETITION_RECEPTION_DAYS = env_int("GOVHALL_PETITION_RECEPTION_DAYS", 7, minimum=1)
GOVHALL_PETITION_ACCEPT_DAYS = env_int("GOVHALL_PETITION_ACCEPT_DAYS", 15, minimum=1)
GOVHALL_PETITION_CLOSE_DAYS = env_int("GOVHALL_PETITION_CLOSE_DAYS", 60, minimum=1)
GOVHALL_PETITION_EXTENSION_DAYS = env_int("GOVHALL_PETITION_EXTENSION_DAYS", 30, minimum=1)
GOVHALL_PETITION_REVIEW_DAYS = env_int("GOVHALL_PETITION_REVIEW_DAYS", 30, minimum=1)
GOVHALL_PETITION_COLLECTIVE_PEOPLE = env_int("GOVHALL_PETITION_COLLECTIVE_PEOPLE", 5, minimum=2)
GOVHALL_PETITION_MAX_REPRESENTATIVES = env_int("GOVHALL_PETITION_MAX_REPRESENTATIVES", 5, minimum=1)
# 12345 work orders (working days): sign within N or send back within N; finish consultations
# and requests for help within N, complaints and reports within N; one extension of up to N.
GOVHALL_WORK_ORDER_SIGN_WORKDAYS = env_int("GOVHALL_WORK_ORDER_SIGN_WORKDAYS", 1, minimum=1)
GOVHALL_WORK_ORDER_SEND_BACK_WORKDAYS = env_int(
    "GOVHALL_WORK_ORDER_SEND_BACK_WORKDAYS", 2, minimum=1
)
GOVHALL_WORK_ORDER_SHORT_WORKDAYS = env_int("GOVHALL_WORK_ORDER_SHORT_WORKDAYS", 5, minimum=1)
GOVHALL_WORK_ORDER_LONG_WORKDAYS = env_int("GOVHALL_WORK_ORDER_LONG_WORKDAYS", 15, minimum=1)
GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS = env_int(
    "GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS", 10, minimum=1
)
# The hotline platform's inbound webhook for replies (empty: replies are kept, not sent), the
# shared secret signing them (HMAC-SHA256), and the retries: at most N attempts, the first retry
# after N seconds, doubling each time.
GOVHALL_HOTLINE_WEBHOOK_URL = env_str("GOVHALL_HOTLINE_WEBHOOK_URL", "")
GOVHALL_HOTLINE_WEBHOOK_SECRET = env_str("GOVHALL_HOTLINE_WEBHOOK_SECRET", "")
if (
    GOVHALL_ENV == "production"
    and GOVHALL_HOTLINE_WEBHOOK_URL
    and not GOVHALL_HOTLINE_WEBHOOK_SECRET
):
    # An unsigned reply could be forged by anyone who can reach the hotline's receiver.
    raise ImproperlyConfigured(
        "GOVHALL_HOTLINE_WEBHOOK_SECRET must be set when GOVHALL_HOTLINE_WEBHOOK_URL is, "
        "in production"
    )
GOVHALL_HOTLINE_WEBHOOK_ATTEMPTS = env_int("GOVHALL_HOTLINE_WEBHOOK_ATTEMPTS", 8, minimum=1)
GOVHALL_HOTLINE_WEBHOOK_BACKOFF_SECONDS = env_int(
    "GOVHALL_HOTLINE_WEBHOOK_BACKOFF_SECONDS", 30, minimum=1
)
GOVHALL_HOTLINE_WEBHOOK_TIMEOUT_SECONDS = env_int(
    "GOVHALL_HOTLINE_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1
)
# The hotline platform's own account (its API token acts as this user): a staff record at the
# center that receives the orders and NO role, so the token can post orders and record return
# visits of that center's subtree and nothing else (govhall/feedback/access/work_orders.py).
GOVHALL_HOTLINE_USERNAME = env_str("GOVHALL_HOTLINE_USERNAME", "hotline12345")
# How often the beat sends the due webhook deliveries (each is also sent right after commit).
GOVHALL_HOTLINE_WEBHOOK_SCAN_SECONDS = env_int(
    "GOVHALL_HOTLINE_WEBHOOK_SCAN_SECONDS", 30, minimum=5
)
# Suggestion box and message book: every entry replied to within N working days.
GOVHALL_SUGGESTION_REPLY_WORKDAYS = env_int("GOVHALL_SUGGESTION_REPLY_WORKDAYS", 5, minimum=1)
# The public doors of the suggestion box and the satisfaction survey (issue 15 items 5, 6):
# entries and answers per client address and hour; one answer per device and survey (a signed
# cookie, kept this many days).
GOVHALL_RATE_SUGGESTION_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_SUGGESTION_PER_ADDRESS_HOUR", 5, minimum=1
)
GOVHALL_RATE_SURVEY_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_SURVEY_PER_ADDRESS_HOUR", 30, minimum=1
)
GOVHALL_SURVEY_DEVICE_COOKIE_DAYS = env_int("GOVHALL_SURVEY_DEVICE_COOKIE_DAYS", 365, minimum=1)
# How often the worker checks whether a center's monthly suggestion summary is due (it is sent
# once per center and month, from the month's first working day on).
GOVHALL_SUGGESTION_SUMMARY_SECONDS = env_int("GOVHALL_SUGGESTION_SUMMARY_SECONDS", 3600, minimum=5)
# Period reports (通报, issue 18 item 4; govhall/stats/services/reports.py): the kinds the worker
# makes on schedule (comma-separated: month, quarter, year; seeds/002… 六4 asks monthly and
# quarterly, 000… 篇7 yearly summaries too), how many days after a period's end (so late entries
# of its last day are in: phone ratings typed in and attendance closed the next morning), and how
# often the worker looks whether one is due (each is made once per center and period).
GOVHALL_STATS_REPORT_PERIODS = env_str("GOVHALL_STATS_REPORT_PERIODS") or "month,quarter,year"
GOVHALL_STATS_REPORT_DELAY_DAYS = env_int("GOVHALL_STATS_REPORT_DELAY_DAYS", 1, minimum=0)
GOVHALL_STATS_REPORT_SCAN_SECONDS = env_int("GOVHALL_STATS_REPORT_SCAN_SECONDS", 3600, minimum=5)
CELERY_BEAT_SCHEDULE = {
    "assessment-fill": {
        "task": "govhall.assessment.tasks.fill_score_sheets",
        "schedule": float(GOVHALL_ASSESSMENT_FILL_SECONDS),
    },
    "supervision-scans": {
        "task": "govhall.supervision.tasks.run_supervision_scans",
        "schedule": float(GOVHALL_SUPERVISION_SCAN_SECONDS),
    },
    "stats-rollups": {
        "task": "govhall.stats.tasks.refresh_rollups",
        "schedule": float(GOVHALL_STATS_REFRESH_SECONDS),
    },
    "scan-vacancies": {
        "task": "govhall.staffing.tasks.scan_vacancies",
        "schedule": float(GOVHALL_VACANCY_SCAN_SECONDS),
    },
    "appointment-no-shows": {
        "task": "govhall.frontdesk.tasks.mark_appointment_no_shows",
        "schedule": float(GOVHALL_APPOINTMENT_SCAN_SECONDS),
    },
    "appointment-reminders": {
        "task": "govhall.frontdesk.tasks.send_appointment_reminders",
        "schedule": float(GOVHALL_APPOINTMENT_SCAN_SECONDS),
    },
    "prune-phone-codes": {
        "task": "govhall.frontdesk.tasks.prune_phone_codes",
        "schedule": float(GOVHALL_PRUNE_SECONDS),
    },
    "prune-progress-lookups": {
        "task": "govhall.cases.tasks.prune_progress_lookups",
        "schedule": float(GOVHALL_PRUNE_SECONDS),
    },
    "prune-rate-counters": {
        "task": "govhall.core.tasks.prune_rate_counters",
        "schedule": float(GOVHALL_PRUNE_SECONDS),
    },
    "suggestion-summaries": {
        "task": "govhall.feedback.tasks.send_suggestion_summaries",
        "schedule": float(GOVHALL_SUGGESTION_SUMMARY_SECONDS),
    },
    "hotline-webhooks": {
        "task": "govhall.feedback.tasks.send_hotline_webhooks",
        "schedule": float(GOVHALL_HOTLINE_WEBHOOK_SCAN_SECONDS),
    },
    "rating-invitations": {
        "task": "govhall.feedback.tasks.send_rating_invitations",
        "schedule": float(GOVHALL_RATING_INVITATION_SECONDS),
    },
    "stats-period-reports": {
        "task": "govhall.stats.tasks.make_period_reports",
        "schedule": float(GOVHALL_STATS_REPORT_SCAN_SECONDS),
    },
    "online-reminders": {
        "task": "govhall.online.tasks.send_my_reminders",
        "schedule": float(GOVHALL_MY_REMINDER_SCAN_SECONDS),
    },
}
# How often a process re-reads the calendar revision to pick up changes made by another process.
GOVHALL_CALENDAR_REFRESH_SECONDS = env_int("GOVHALL_CALENDAR_REFRESH_SECONDS", 5, minimum=0)
# Notification adapter (SPEC §2): dotted path of the backend class; the default stores messages
# in the outbox (database and log) and sends nothing.
GOVHALL_NOTIFY_BACKEND = env_str("GOVHALL_NOTIFY_BACKEND") or "govhall.core.notify.OutboxBackend"
# Issue 17 item 3: the signature every SMS starts with (【…】; brackets added if missing). Chinese
# gateways send only texts signed with the signature registered for the account, one per
# deployment, so it is a setting and not each center's name (a renamed or new town center would
# otherwise break delivery); the center's name is in the text where it matters.
GOVHALL_SMS_SIGNATURE = env_str("GOVHALL_SMS_SIGNATURE") or "【政务服务中心】"
# Public base URL printed in notices' QR codes (the progress page); empty: the request's host.
GOVHALL_PUBLIC_URL = (env_str("GOVHALL_PUBLIC_URL") or "").rstrip("/")
# Issue 17 item 9, issue 19: where a guide's "apply online" button for an item offered online
# leads. Empty (default): govhall's own online hall (/apply/items/<code>/). Set only to send
# applicants to an outside hall (the province's 一网通办) instead, with ?item=<code>.
GOVHALL_ONLINE_HALL_URL = (env_str("GOVHALL_ONLINE_HALL_URL") or "").rstrip("/")
# Issue 19 item 4 (electronic licences): the public verification page and API
# (/licences/verify/<token>/) answer at most this many requests per client address per hour
# (429 beyond); the workbench's licence list shows this many per page.
GOVHALL_LICENCE_VERIFY_PER_HOUR = env_int("GOVHALL_LICENCE_VERIFY_PER_HOUR", 120, minimum=1)
GOVHALL_LICENCE_PAGE_SIZE = env_int("GOVHALL_LICENCE_PAGE_SIZE", 50, minimum=1)
# Cases (SPEC §4, §6): extension limit, §32 notice window, escalation forwarding days,
# progress-inquiry rate limits (failures per client / per case number in the window).
GOVHALL_EXTENSION_MAX_DAYS = env_int("GOVHALL_EXTENSION_MAX_DAYS", 10, minimum=1)
GOVHALL_SUPPLEMENT_NOTICE_DAYS = env_int("GOVHALL_SUPPLEMENT_NOTICE_DAYS", 5, minimum=1)
GOVHALL_ESCALATION_FORWARD_DAYS = env_int("GOVHALL_ESCALATION_FORWARD_DAYS", 2, minimum=0)
# Issue 17 item 8 (lists people can work with): the case list exports what it shows as xlsx,
# at most this many rows (beyond it the page asks to narrow the filters; nothing is cut off).
GOVHALL_CASE_EXPORT_MAX_ROWS = env_int("GOVHALL_CASE_EXPORT_MAX_ROWS", 5000, minimum=1)
# Issue 16 item 6 (window authority): a promised case of a fully authorised item is decided by
# the window head / chief representative (seeds 002 三(一)1). The seeds disagree on immediate
# cases (即办件): 000 篇5 一 has window staff decide them directly, 002 the window head; default
# False keeps 000 (any window staff); True makes immediate cases of fully authorised items the
# head's too.
GOVHALL_WINDOW_HEAD_DECIDES_IMMEDIATE = env_bool("GOVHALL_WINDOW_HEAD_DECIDES_IMMEDIATE", False)
# Issue 17 item 2 (intake records what was handed in): a material the same applicant (same ID
# number / USCC) handed in on an earlier accepted case may be reused at intake (ticked as
# "verified on case X"), when that case was received within this many days.
GOVHALL_MATERIAL_REUSE_DAYS = env_int("GOVHALL_MATERIAL_REUSE_DAYS", 365, minimum=1)
# Step limits (issue 14 item 2, 每个环节的办理时限): working days a case may stay in each step
# before the supervision scan raises `case_step.yellow` (an item's own limit wins; timeout
# default 超时默认 applies them to review and approval). GOVHALL_STEP_LIMIT_<STEP>_DAYS each.
# Escalation forwarding and green-channel pending materials use the case's own dates.
GOVHALL_STEP_LIMIT_DAYS = {
    step: env_int(f"GOVHALL_STEP_LIMIT_{step.upper()}_DAYS", days, minimum=1)
    for step, days in {
        "prereview": 1,  # submitted online → pre-review passed or returned
        "acceptance": 1,  # received → accepted, returned or one-time notice
        "review": 3,  # accepted or in back-office review → reviewed
        "approval": 2,  # awaiting approval → approved or denied
        "joint": 5,  # joint review → decided
        "certificate": 1,  # approved → certificate ready
        "delivery": 5,  # certificate ready or denied → delivered
    }.items()
}
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
# Calling is forgiving (issue 17 item 4). A 过号 can be undone by its window for a few minutes
# (the citizen who was in the restroom and comes back while the window is still free; later
# the window has moved on and the ticket is put back in line instead: 0 turns undo off). A
# late citizen is put back in line by the guide or a window N places after the head of their
# line (0: at the end), at most GOVHALL_REQUEUE_MAX times per ticket (then a new ticket).
GOVHALL_NO_SHOW_UNDO_MINUTES = env_int("GOVHALL_NO_SHOW_UNDO_MINUTES", 5, minimum=0)
GOVHALL_REQUEUE_AFTER_PLACES = env_int("GOVHALL_REQUEUE_AFTER_PLACES", 3, minimum=0)
GOVHALL_REQUEUE_MAX = env_int("GOVHALL_REQUEUE_MAX", 1, minimum=0)
# The kiosk goes back to its first screen, in Chinese, this many seconds after showing a ticket
# and after this many seconds without a touch (the next citizen must not find English or the
# previous citizen's screen).
GOVHALL_KIOSK_TICKET_SECONDS = env_int("GOVHALL_KIOSK_TICKET_SECONDS", 30, minimum=1)
GOVHALL_KIOSK_IDLE_SECONDS = env_int("GOVHALL_KIOSK_IDLE_SECONDS", 90, minimum=5)

# "The hall now" on the home of managers, department leaders and window heads (issue 18 item 2):
# it reloads itself every N seconds (htmx; 0 switches the reload off) and lists the queue groups
# with the longest waits, at most this many (the total counts every group).
GOVHALL_HALL_NOW_REFRESH_SECONDS = env_int("GOVHALL_HALL_NOW_REFRESH_SECONDS", 60, minimum=0)
GOVHALL_HALL_NOW_QUEUE_ROWS = env_int("GOVHALL_HALL_NOW_QUEUE_ROWS", 6, minimum=1)
GOVHALL_BOARD_STREAM_SECONDS = env_int("GOVHALL_BOARD_STREAM_SECONDS", 30, minimum=1)
# Push to the screens (issue 20 item 2, govhall/core/push.py): on PostgreSQL the notifications
# travel by LISTEN/NOTIFY; otherwise by Redis pub/sub when this URL (default: the broker's, when
# it is a Redis URL) is set; otherwise in-process only (SQLite, the dev server).
GOVHALL_PUSH_REDIS_URL = env_str("GOVHALL_PUSH_REDIS_URL") or (
    GOVHALL_BROKER_URL if GOVHALL_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
# The big screen (大屏, issue 18 item 3; /screen/<center code>/): its figures are computed at
# most once per N seconds per center (every screen and poll shares them) and pushed when they
# change; a stream lasts N seconds, then the browser reconnects; the window ranking, the rooms
# and the ratings feed show at most N rows; the state.json fallback answers N requests per
# client address per minute (429 beyond).
GOVHALL_SCREEN_REFRESH_SECONDS = env_int("GOVHALL_SCREEN_REFRESH_SECONDS", 30, minimum=1)
GOVHALL_SCREEN_STREAM_SECONDS = env_int("GOVHALL_SCREEN_STREAM_SECONDS", 120, minimum=1)
GOVHALL_SCREEN_RANKING = env_int("GOVHALL_SCREEN_RANKING", 10, minimum=1)
GOVHALL_SCREEN_ROOMS = env_int("GOVHALL_SCREEN_ROOMS", 20, minimum=1)
GOVHALL_SCREEN_FEED = env_int("GOVHALL_SCREEN_FEED", 12, minimum=1)
GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE = env_int(
    "GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE", 30, minimum=1
)
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

# Public doors' rate limits (issue 12 item 3; govhall/core/ratelimit.py, atomic counters): per
# client address (REMOTE_ADDR) and per identity, each per hour or per local day. Over a limit
# pages answer 429 with a message and the API 429 with Retry-After.
# Booking a slot: per address per hour, per ID number per day.
GOVHALL_RATE_BOOKING_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_BOOKING_PER_ADDRESS_HOUR", 20, minimum=1
)
GOVHALL_RATE_BOOKING_PER_ID_DAY = env_int("GOVHALL_RATE_BOOKING_PER_ID_DAY", 5, minimum=1)
# Off-hours requests: per address per hour, per ID number per day.
GOVHALL_RATE_OFF_HOURS_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_OFF_HOURS_PER_ADDRESS_HOUR", 10, minimum=1
)
GOVHALL_RATE_OFF_HOURS_PER_ID_DAY = env_int("GOVHALL_RATE_OFF_HOURS_PER_ID_DAY", 3, minimum=1)
# Looking up or cancelling by booking code (+ last 4 of the ID number): per address per hour,
# per booking code per hour.
GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR", 30, minimum=1
)
GOVHALL_RATE_LOOKUP_PER_CODE_HOUR = env_int("GOVHALL_RATE_LOOKUP_PER_CODE_HOUR", 10, minimum=1)
# SMS codes confirming the phone of a public booking: valid minutes, wrong tries per code, and
# codes sent per phone and per address per hour (nobody floods a stranger's phone).
GOVHALL_PHONE_CODE_MINUTES = env_int("GOVHALL_PHONE_CODE_MINUTES", 10, minimum=1)
GOVHALL_PHONE_CODE_MAX_TRIES = env_int("GOVHALL_PHONE_CODE_MAX_TRIES", 5, minimum=1)
GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR = env_int(
    "GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR", 3, minimum=1
)
GOVHALL_RATE_PHONE_CODE_PER_ADDRESS_HOUR = env_int(
    "GOVHALL_RATE_PHONE_CODE_PER_ADDRESS_HOUR", 10, minimum=1
)
# Kiosk tickets per local day: elderly/disabled priority per kiosk device (beyond it the ticket
# is normal, marked "priority asked", until the guide confirms), every ticket per device and
# per address (the public kiosk API has no device cookie: its device is the address).
GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY = env_int(
    "GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY", 5, minimum=0
)
GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY = env_int(
    "GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY", 300, minimum=1
)
GOVHALL_RATE_KIOSK_TICKETS_PER_ADDRESS_DAY = env_int(
    "GOVHALL_RATE_KIOSK_TICKETS_PER_ADDRESS_DAY", 1000, minimum=1
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
