"""Lantern's one settings module, read from the environment.

Every setting has a safe default for the demo (`make demo`): SQLite under `var/`, console email,
DEBUG off. Production (`LANTERN_ENV=production`) refuses to start with the demo secret key or
with DEBUG on, and turns on secure cookies and HSTS.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from lantern.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_json(name: str, default: dict) -> dict:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from error
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, for example {default}")
    return parsed


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate written COUNT/SECONDS, for example 10/3600: ten in an hour."""
    value = os.environ.get(name, "").strip() or default
    count, _, seconds = value.partition("/")
    if not (count.isdigit() and seconds.isdigit() and int(seconds) > 0):
        raise ImproperlyConfigured(f"{name} must be COUNT/SECONDS, for example {default}")
    return int(count), int(seconds)


DEMO_SECRET_KEY = "lantern-demo-secret-key-not-for-production-use-0000000000000000"  # noqa: S105 - refused in production

LANTERN_ENV = os.environ.get("LANTERN_ENV", "demo")
if LANTERN_ENV not in {"demo", "test", "production"}:
    raise ImproperlyConfigured("LANTERN_ENV must be one of: demo, test, production.")

SECRET_KEY = os.environ.get("LANTERN_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("LANTERN_DEBUG", False)
DATA_DIR = Path(os.environ.get("LANTERN_DATA_DIR", PROJECT_DIR / "var"))

# The audit trail's HMAC key, held outside the database; older keys stay listed (comma
# separated) so entries signed with them still verify after a rotation.
DEMO_AUDIT_KEY = "lantern-demo-audit-key-not-for-production-use-000000"  # noqa: S105 - refused in production
LANTERN_AUDIT_KEY = os.environ.get("LANTERN_AUDIT_KEY", "") or (
    DEMO_AUDIT_KEY if LANTERN_ENV != "production" else ""
)
LANTERN_AUDIT_RETIRED_KEYS = env_list("LANTERN_AUDIT_RETIRED_KEYS", "")

if LANTERN_ENV == "production":
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "LANTERN_SECRET_KEY must be set to a random value of at least 50 characters "
            "in production; the demo key is refused."
        )
    if DEBUG:
        raise ImproperlyConfigured("LANTERN_DEBUG must be off in production.")
    if len(LANTERN_AUDIT_KEY) < 32 or LANTERN_AUDIT_KEY == DEMO_AUDIT_KEY:
        raise ImproperlyConfigured(
            "LANTERN_AUDIT_KEY must be set to a random value of at least 32 characters in "
            "production, kept outside the database; the demo key is refused."
        )

ALLOWED_HOSTS = env_list("LANTERN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("LANTERN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "lantern.core",
    "lantern.accounts",
    "lantern.audit",
    "lantern.governance",
    "lantern.demo",
    "lantern.intake",
    "lantern.plans",
    "lantern.performance",
    "lantern.entities",
    "lantern.tasking",
    "lantern.children",
    "lantern.risk",
]

MIDDLEWARE = [
    "lantern.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lantern.core.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lantern.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantern.urls"
CSRF_FAILURE_VIEW = "lantern.core.views.csrf_failure"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.core.context_processors.lantern",
            ],
        },
    },
]
FORM_RENDERER = "lantern.core.forms.GovukFormRenderer"

# Database: SQLite (WAL) by default; DATABASE_URL switches to PostgreSQL.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'lantern.sqlite3'}")
# Persistent connections, checked before each request reuses one, so a connection the database
# or a proxy dropped is replaced instead of failing the request.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("LANTERN_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so the audit chain's "read the last hash, then
        # append" cannot interleave between two writers.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL: how long a statement may wait for a lock, and run, before it is stopped (ms; 0:
# no limit). Web requests get short limits so one locked row cannot stall every worker (the page
# says "try again", 503); commands (`lantern tick`, imports, migrations) get longer ones.
LANTERN_DB_TIMEOUTS = {
    "web": {
        "lock_timeout": int(os.environ.get("LANTERN_WEB_LOCK_TIMEOUT_MS", "5000")),
        "statement_timeout": int(os.environ.get("LANTERN_WEB_STATEMENT_TIMEOUT_MS", "20000")),
    },
    "command": {
        "lock_timeout": int(os.environ.get("LANTERN_COMMAND_LOCK_TIMEOUT_MS", "60000")),
        "statement_timeout": int(os.environ.get("LANTERN_COMMAND_STATEMENT_TIMEOUT_MS", "0")),
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions expire after 30 minutes idle: the cookie is renewed on every request.
SESSION_COOKIE_AGE = int(os.environ.get("LANTERN_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("LANTERN_SECURE_COOKIES", LANTERN_ENV == "production")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-lantern-session" if SECURE_COOKIES else "lantern-session"
if LANTERN_ENV == "production":
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = env_bool("LANTERN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing inline, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Failed sign-ins: lock the account (by username) for a while after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("LANTERN_LOCKOUT_FAILURES", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LANTERN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Count failures on the username as sign-in matches it (trimmed, lower case), so changing the
# letter case does not start a fresh count.
AXES_USERNAME_CALLABLE = "lantern.accounts.lockout.lockout_username"
# The issue asks to lock the account, not the address: many staff share one council or police
# network address, and locking it would lock out a whole office.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lantern.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("LANTERN_TOTP_ISSUER", "Lantern")
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LANTERN_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "uploads"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("LANTERN_HASHED_STATIC", LANTERN_ENV != "test")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = LANTERN_ENV == "test"

# The demo writes the e-mails it would send to files in DATA_DIR/outbox (one file per run of
# a job), so `make demo` prints its sign-ins instead of screens of escalation messages.
# LANTERN_EMAIL_BACKEND chooses another backend (GOV.UK Notify, SMTP, the console).
EMAIL_OUTBOX_DIR = DATA_DIR / "outbox"
_EMAIL_BACKEND = os.environ.get(
    "LANTERN_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if LANTERN_ENV == "demo"
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {"file_path": str(EMAIL_OUTBOX_DIR)}
            if _EMAIL_BACKEND.endswith("filebased.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("LANTERN_FROM_EMAIL", "lantern@example.invalid")

# Logs: one JSON object a line (LANTERN_LOG_FORMAT=json, the production default) or text, each
# with the request id that RequestIdMiddleware also sends in the X-Request-ID header.
LANTERN_LOG_FORMAT = os.environ.get(
    "LANTERN_LOG_FORMAT", "json" if LANTERN_ENV == "production" else "text"
)
if LANTERN_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LANTERN_LOG_FORMAT must be json or text.")
LOGGING = logging_config(LANTERN_LOG_FORMAT, os.environ.get("LANTERN_LOG_LEVEL", "WARNING"))
# The audit trail's signed checkpoints are also sent to syslog when an address is given
# (/dev/log, or host:port for UDP).
LANTERN_AUDIT_SYSLOG = os.environ.get("LANTERN_AUDIT_SYSLOG", "")
if LANTERN_AUDIT_SYSLOG:
    _host, _, _port = LANTERN_AUDIT_SYSLOG.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port)) if _port.isdigit() else LANTERN_AUDIT_SYSLOG,
    }
    LOGGING["loggers"]["lantern.audit.checkpoints"] = {
        "handlers": ["audit_syslog"],
        "level": "INFO",
    }

# Retention: years from grading (or receipt) to the review of an intelligence submission, by
# its intelligence assessment (A-E; "ungraded"), in the spirit of police information management
# review periods; the age at which a child's record comes up for review.
LANTERN_RETENTION_INTELLIGENCE_YEARS = env_json(
    "LANTERN_RETENTION_INTELLIGENCE_YEARS",
    {"A": 10, "B": 10, "C": 6, "D": 6, "E": 3, "ungraded": 2},
)
LANTERN_RETENTION_CHILD_AGE = int(os.environ.get("LANTERN_RETENTION_CHILD_AGE", "25"))

# Lantern's own settings.
# How long a SQLite lock row of `lantern tick` holds a job if its tick dies (PostgreSQL's
# advisory locks go with the connection).
LANTERN_TICK_LOCK_SECONDS = int(os.environ.get("LANTERN_TICK_LOCK_SECONDS", "3600"))
# Where `lantern tick` appends the audit trail's signed checkpoints: a directory the database
# (and its administrators) cannot change; keep it on another host or append-only storage.
LANTERN_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("LANTERN_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints")
)
# /healthz reports a problem when the last tick, or the last audit checkpoint while entries wait
# after it, is older than this many seconds.
LANTERN_HEALTH_MAX_TICK_AGE = int(os.environ.get("LANTERN_HEALTH_MAX_TICK_AGE", "900"))
LANTERN_BOROUGH_NAME = os.environ.get("LANTERN_BOROUGH_NAME", "Northmere")
# Whether `lantern totp USER` may print a demo user's current code (never in production).
LANTERN_DEMO_TOTP = LANTERN_ENV != "production" and env_bool("LANTERN_DEMO_TOTP", True)
# Cross-referencing: link a person mention automatically at or above the first probability,
# suggest it to an analyst at or above the second; DuckDB's memory for batch deduplication.
LANTERN_AUTO_LINK_PROBABILITY = float(os.environ.get("LANTERN_AUTO_LINK_PROBABILITY", "0.99"))
LANTERN_SUGGEST_PROBABILITY = float(os.environ.get("LANTERN_SUGGEST_PROBABILITY", "0.5"))
LANTERN_DUCKDB_MEMORY_LIMIT = os.environ.get("LANTERN_DUCKDB_MEMORY_LIMIT", "3GB")
# Spark for `--backend spark`: where it runs (local[*]: in-process on every core, or a
# cluster's master URL) and the driver's memory.
LANTERN_SPARK_MASTER = os.environ.get("LANTERN_SPARK_MASTER", "local[*]")
LANTERN_SPARK_MEMORY = os.environ.get("LANTERN_SPARK_MEMORY", "4g")
# Hot-spot map tiles, e.g. https://tiles.example.org/{z}/{x}/{y}.png, and their attribution.
# Empty (the default): no tiles are fetched; the markers draw on a blank map beside the table.
LANTERN_MAP_TILE_URL = os.environ.get("LANTERN_MAP_TILE_URL", "")
LANTERN_MAP_ATTRIBUTION = os.environ.get("LANTERN_MAP_ATTRIBUTION", "")
if LANTERN_MAP_TILE_URL:
    # The browser may load images from the tile host only ({s} subdomains as a wildcard).
    _tiles = urlsplit(LANTERN_MAP_TILE_URL.replace("{s}.", "*."))
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# Aggregate outputs for audiences without access to the records hide counts from 1 to this.
LANTERN_SUPPRESSION_THRESHOLD = int(os.environ.get("LANTERN_SUPPRESSION_THRESHOLD", "4"))
# Intake: how many proxies of ours stand in front of the app (X-Forwarded-For is trusted only
# that far, for the public form's rate limit); hours an unconfirmed report draft is kept.
LANTERN_TRUSTED_PROXY_COUNT = int(os.environ.get("LANTERN_TRUSTED_PROXY_COUNT", "0"))
LANTERN_INTAKE_DRAFT_HOURS = int(os.environ.get("LANTERN_INTAKE_DRAFT_HOURS", "24"))
# A new staff member's invitation link (to choose a password) works once, for this many hours.
LANTERN_INVITATION_HOURS = int(os.environ.get("LANTERN_INVITATION_HOURS", "72"))
# Members of a meeting series see a child on its agenda until this many days after the meeting.
LANTERN_MEETING_CHILD_ACCESS_DAYS = int(os.environ.get("LANTERN_MEETING_CHILD_ACCESS_DAYS", "14"))
# Intake targets: hours to grade an urgent report, and working days (or plain hours, with
# "routine_hours") for the rest, as JSON; the bank holidays skipped (`holidays` subdivision).
LANTERN_INTAKE_TARGETS = env_json(
    "LANTERN_INTAKE_TARGETS", {"urgent_hours": 1, "routine_working_days": 3}
)
# How soon a safeguarding referral should be recorded as a contact (intake.children_links).
LANTERN_SOCIAL_CARE_TARGETS = env_json("LANTERN_SOCIAL_CARE_TARGETS", {})
LANTERN_BANK_HOLIDAYS_SUBDIV = os.environ.get("LANTERN_BANK_HOLIDAYS_SUBDIV", "ENG")
# Reports the public may send per address (or public account), per window of seconds: "10/3600".
LANTERN_INTAKE_PUBLIC_RATE = env_rate("LANTERN_INTAKE_PUBLIC_RATE", "10/3600")
# Reports the public (an address, or a public account) may start per window, and status
# lookups an address may make, right or wrong.
LANTERN_INTAKE_DRAFT_RATE = env_rate("LANTERN_INTAKE_DRAFT_RATE", "30/3600")
LANTERN_STATUS_LOOKUP_RATE = env_rate("LANTERN_STATUS_LOOKUP_RATE", "10/3600")
# The key for reporters' status codes (an HMAC of each report's private token); empty: the
# secret key. Changing it makes every status code already given stop working.
LANTERN_STATUS_CODE_KEY = os.environ.get("LANTERN_STATUS_CODE_KEY", "")
LANTERN_INTAKE_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("LANTERN_INTAKE_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
)
# GOV.UK Notify, when LANTERN_EMAIL_BACKEND is lantern.intake.notify.NotifyEmailBackend.
LANTERN_NOTIFY_API_KEY = os.environ.get("LANTERN_NOTIFY_API_KEY", "")
LANTERN_NOTIFY_TEMPLATE_ID = os.environ.get("LANTERN_NOTIFY_TEMPLATE_ID", "")
LANTERN_NOTIFY_BASE_URL = os.environ.get(
    "LANTERN_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
