"""Settings for csafe, driven entirely by environment variables.

There are two profiles, chosen by ``CSAFE_PROFILE``:

* ``demo`` (the default): the embedded set-up for trying csafe and for quick tests. SQLite,
  Celery tasks run eagerly in-process, e-mail printed to the console, DEBUG on.
* ``production``: secure cookies, HSTS, SSL redirect, a required SECRET_KEY, the compressed manifest
  static storage, SMTP e-mail and a real broker. ``manage.py check --deploy`` passes with it.

Every variable is listed in the README; keep the two in step.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


PROFILE = env_str("CSAFE_PROFILE", "demo")
if PROFILE not in {"demo", "production"}:
    raise ImproperlyConfigured(f"CSAFE_PROFILE must be 'demo' or 'production', not {PROFILE!r}")
PRODUCTION = PROFILE == "production"

# --- Core ------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the production profile")
    # Only ever used for the embedded demo and tests, never with real data.
    SECRET_KEY = "csafe-demo-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

CSAFE_BASE_URL = env_str("CSAFE_BASE_URL", "http://127.0.0.1:8000")
SERVICE_NAME = env_str("CSAFE_SERVICE_NAME", "csafe")
ORGANISATION_NAME = env_str("CSAFE_ORGANISATION_NAME", "Children's services")
CSAFE_DEMO_PASSWORD = env_str("CSAFE_DEMO_PASSWORD", "csafe-demo-password")
# Shown as a banner on every page so nobody mistakes invented records for real ones.
DEMO_DATA = env_bool("CSAFE_DEMO_DATA", not PRODUCTION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csafe.core",
    "csafe.accounts",
    "csafe.audit",
    "csafe.notifications",
    "cases",
    "harms",
    "contexts",
    "reporting",
    "csafe.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Two-factor sign-in: holds a signed-in session at the code or set-up page until verified.
    "csafe.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csafe.core.middleware.NoStoreMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csafe.urls"
WSGI_APPLICATION = "csafe.wsgi.application"
ASGI_APPLICATION = "csafe.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csafe.core.context_processors.shell",
            ],
        },
    },
]
FORM_RENDERER = "csafe.core.forms.GovUKFormRenderer"

# --- Database --------------------------------------------------------------------------------
VAR_DIR = Path(env_str("CSAFE_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'csafe.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite cannot create the folder for its file.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite is only the embedded default; WAL lets the dev server and an eager task share it.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The dashboards' covering indexes (INCLUDE columns) are for PostgreSQL, the production
    # database; SQLite builds them without the extra columns, which is all the demo needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sessions and sign-in ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out username and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The privacy check on context text (contexts.guard, cases.identity). Identifiers in these
# shapes (regular expressions, matched whole in lower case, separated by spaces) are refused
# wherever they appear: csafe's own local identifiers by default; a council adds the shape of
# its main system's.
CSAFE_IDENTIFIER_PATTERNS = env_str("CSAFE_IDENTIFIER_PATTERNS", r"[a-z]{2,4}-?\d{5,8}").split()
# After this many refusals in this many minutes, one person's context text is not checked (and
# so not saved) until the window has passed: the check cannot be used to try name after name.
CSAFE_GUARD_REFUSAL_LIMIT = env_int("CSAFE_GUARD_REFUSAL_LIMIT", 10)
CSAFE_GUARD_WINDOW_MINUTES = env_int("CSAFE_GUARD_WINDOW_MINUTES", 15)

# Idle timeout: the cookie's age is renewed on every request, so it lapses after this much
# inactivity rather than a fixed time after sign-in.
SESSION_IDLE_MINUTES = env_int("CSAFE_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env_int("CSAFE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CSAFE_LOGIN_COOLOFF_MINUTES", 15))
# Lock the pair, so one person mistyping cannot lock a colleague out from a shared address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("CSAFE_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, csafe/accounts/two_factor.py). Wrong codes slow the device down
# exponentially: after n failures in a row the next try waits FACTOR * 2**(n-1) seconds.
OTP_TOTP_ISSUER = env_str("CSAFE_OTP_ISSUER", SERVICE_NAME)
OTP_TOTP_THROTTLE_FACTOR = env_int("CSAFE_OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("CSAFE_OTP_THROTTLE_FACTOR", 1)

# django-guardian: permissions live in per-model direct foreign-key tables; no anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Security headers ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "csafe" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the source folders so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("CSAFE_MEDIA_ROOT", str(VAR_DIR / "media")))
# Documents on young people's records: under MEDIA_ROOT, which has no URL of its own (there is no
# MEDIA_URL); every download goes through a view that checks permission and logs the access.
CSAFE_DOCUMENT_MAX_BYTES = env_int("CSAFE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Finished background exports: outside the web root and MEDIA_ROOT, each under a random name, read
# only through the download view (requester only, written to the access log), removed on expiry.
CSAFE_EXPORT_ROOT = Path(env_str("CSAFE_EXPORT_ROOT", str(VAR_DIR / "exports")))
# An export of at most this many rows is answered at once; a longer one runs as a background job.
CSAFE_EXPORT_INLINE_ROWS = env_int("CSAFE_EXPORT_INLINE_ROWS", 2000)
# How long a finished export may be downloaded before its file is removed.
CSAFE_EXPORT_TTL_HOURS = env_int("CSAFE_EXPORT_TTL_HOURS", 24)
# The local authority's three-digit DfE code, written as the source of the CIN census return.
CSAFE_LA_CODE = env_str("CSAFE_LA_CODE", "000")

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
# Case e-mail leaves the building only encrypted unless a council says otherwise.
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "csafe <no-reply@csafe.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ----------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
if PRODUCTION and CELERY_BROKER_URL.startswith("memory://"):
    # An in-memory broker would silently drop every e-mail and notification in production.
    raise ImproperlyConfigured("Set REDIS_URL (or CELERY_BROKER_URL) in the production profile")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# Eager unless a broker is configured: the embedded default needs no Redis and no worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL and not PRODUCTION)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only when it finishes, and re-queued if its worker dies mid-way, so
# tasks must be idempotent; prefetching one stops a busy worker hoarding messages.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "harm-flag-review-reminders": {
        "task": "harms.tasks.flag_review_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "document-orphans-remove": {
        "task": "cases.tasks.document_orphans_remove",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly rather than nightly: a file of personal data stays on disk at most an hour after
    # its download period ends (downloads are refused from expires_at whatever the sweep does).
    "reporting-exports-expire": {
        "task": "reporting.tasks.exports_expire",
        "schedule": crontab(minute=15),
    },
}

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that an unauthenticated request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # TokenAuthentication that refuses a manager's or administrator's token unless it was
        # issued from a session verified by two-factor sign-in (csafe/accounts/api_auth.py).
        "csafe.accounts.api_auth.VerifiedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API renders related objects' names in its forms, so it is for debugging
    # only: the negotiation class offers it only while DEBUG is on (checked per request).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "csafe.core.api.DebugOnlyBrowsableNegotiation",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "csafe.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "csafe API",
    "DESCRIPTION": (
        "Case management for children's social care built around Contextual Safeguarding. "
        "Every endpoint applies the same object permissions as the pages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a "status" (and a "kind"); name each choice set in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ArchiveReasonEnum": "harms.models.ArchiveReason",
        "FlagStatusEnum": "harms.models.FlagStatus",
        # Young people and contexts share the same open/closed choices.
        "OpenClosedStatusEnum": "cases.models.core.CaseStatus",
        "AssessmentStatusEnum": "cases.models.assessments.AssessmentStatus",
        "PlanStatusEnum": "cases.reference.PlanStatus",
        "PlanKindEnum": "cases.reference.PlanKind",
        "RelocationKindEnum": "cases.reference.RelocationKind",
        "DocumentKindEnum": "cases.reference.DocumentKind",
        "ChronologyKindEnum": "cases.selectors.chronology.ChronologyKind",
        "NatureOfHarmEnum": "cases.reference.NatureOfHarm",
        "ReferralDecisionEnum": "cases.reference.ReferralDecision",
        "AssessmentDecisionEnum": "cases.reference.AssessmentDecision",
        "CINFactorEnum": "harms.reference.CINFactor",
        "ContextKindEnum": "contexts.reference.ContextKind",
        "ContextRecordKindEnum": "contexts.reference.ContextRecordKind",
        "TriangleSideEnum": "contexts.reference.TriangleSide",
        "PeerGroupTermEnum": "contexts.reference.PeerGroupTerm",
        "LinkEndRuleEnum": "contexts.reference.LinkEndRule",
        "ActionProgressEnum": "cases.reference.ActionProgress",
        "PartnerAgencyEnum": "cases.reference.PartnerAgency",
    },
}

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every record passes through this filter on its way out: see csafe/core/logging.py.
    "filters": {"personal_data": {"()": "csafe.core.logging.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Eager tasks in the demo would otherwise log a line for every e-mail.
        "celery.app.trace": {"level": "WARNING"},
    },
}
# Error reports (the e-mail to ADMINS, the debug page) hide POST values, frame variables, query
# strings and uploaded file names: csafe/core/logging.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "csafe.core.logging.PersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "csafe.core.logging.PersonalDataExceptionReporter"
# The worker logs through the configuration above (and its filter) rather than its own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
