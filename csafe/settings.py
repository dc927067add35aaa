"""Settings for csafe, driven entirely by environment variables.

There are two profiles, chosen by ``CSAFE_PROFILE``:

* ``demo`` (the default): the embedded set-up for trying csafe and for quick tests. SQLite,
  Celery tasks run eagerly in-process, e-mail printed to the console, static files served from
  the source folders. DEBUG is off unless ``DEBUG=true`` is set.
* ``production``: secure cookies, HSTS, SSL redirect, a required SECRET_KEY, the compressed manifest
  static storage, SMTP e-mail and a real broker. ``manage.py check --deploy`` passes with it.

Every variable is listed in the README; keep the two in step.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


def env_rate(name: str, default: str) -> str:
    """A throttle rate as DRF reads it: requests per second, minute, hour or day."""
    raw = os.environ.get(name) or default
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, like "
            f"60/minute, not {raw!r}"
        )
    return raw


def redis_cache_url(redis_url: str) -> str:
    """``redis_url`` on the next database number (the one before for 15, the last of Redis's
    sixteen by default), so that the cache never shares the broker's database."""
    parts = urlsplit(redis_url)
    try:
        database = int(parts.path.strip("/") or 0)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"REDIS_URL must end with a database number, not {redis_url!r}"
        ) from exc
    return urlunsplit(parts._replace(path=f"/{database + 1 if database < 15 else database - 1}"))


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
# Off in both profiles unless asked for: the demo shows the service's own error pages, as a
# practitioner trying it would meet them (static files are served by WhiteNoise's finders).
DEBUG = env_bool("DEBUG", False)
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
    "csafe.exports",
    "cases",
    "harms",
    "contexts",
    "reporting",
    "retention",
    "workspace",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL in a query string is a 400 before anything reads it (PostgreSQL cannot hold one).
    "csafe.core.middleware.RefuseNullCharactersMiddleware",
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
    # The service's own 404 page for a view's "not found", even while DEBUG is on.
    "csafe.core.middleware.ServiceNotFoundMiddleware",
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
                "workspace.context_processors.shell",
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
    # SQLite is only the embedded demo database, but two tabs must not lose a write. Every
    # request writes (the session, access-log rows) and SQLite has one writer at a time. A
    # DEFERRED transaction (Python's default) that reads and then writes cannot wait for the
    # lock once another connection has written since its read, and fails at once with
    # "database is locked"; IMMEDIATE takes the lock at BEGIN, so the request waits its turn, up
    # to the busy timeout (seconds). WAL lets readers go on while one writes; synchronous=NORMAL
    # is safe in WAL mode (a power cut may lose the last commits, never corrupt the file).
    # tests/core/test_sqlite_concurrency.py posts and loads pages at once against these.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
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
LOGIN_REDIRECT_URL = "workspace:home"
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
# Nobody sets another person's password: a new account gets a single-use link to choose one, and
# a reset likewise (csafe/accounts/passwords.py), valid this many days. Django's reset timeout is
# the one its token generator reads. API tokens expire after CSAFE_API_TOKEN_DAYS.
CSAFE_INVITATION_DAYS = env_int("CSAFE_INVITATION_DAYS", 3)
PASSWORD_RESET_TIMEOUT = CSAFE_INVITATION_DAYS * 24 * 60 * 60
CSAFE_API_TOKEN_DAYS = env_int("CSAFE_API_TOKEN_DAYS", 90)

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
# Changes to one context within this many minutes reach each practitioner as one notification,
# e-mailed when the window ends; 0 tells (and e-mails) each change on its own.
CSAFE_CONTEXT_DIGEST_MINUTES = env_int("CSAFE_CONTEXT_DIGEST_MINUTES", 15)

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
        "task": "cases.tasks.flag_review_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "document-orphans-remove": {
        "task": "cases.tasks.document_orphans_remove",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly rather than nightly: a file of personal data stays on disk at most an hour after
    # its download period ends (downloads are refused from expires_at whatever the sweep does).
    "exports-expire": {
        "task": "csafe.exports.tasks.exports_expire",
        "schedule": crontab(minute=15),
    },
    # Gathered notifications (a burst of changes to one context) are e-mailed when their window
    # ends: this finds the due ones, so an e-mail goes at most a minute after its window.
    "notifications-email-due": {
        "task": "csafe.notifications.tasks.notifications_email_due",
        "schedule": crontab(),
    },
    # After the flag review reminders (07:00), so the daily e-mail lists them.
    "notifications-daily-email": {
        "task": "csafe.notifications.tasks.email_digests_make",
        "schedule": crontab(hour=7, minute=30),
    },
}

# --- Cache: the throttles' counts -------------------------------------------------------------
# The throttles (csafe/core/throttling.py) count requests in Django's cache, so every web process
# must count in the same place: Redis. On a database of its own, never the broker's, so that
# clearing the cache (Django's RedisCache.clear() is FLUSHDB) can never drop queued tasks. Without
# Redis (the demo's one process) each process counts in its own memory, which is all one needs.
CSAFE_CACHE_URL = env_str("CSAFE_CACHE_URL", redis_cache_url(REDIS_URL) if REDIS_URL else "")
if PRODUCTION and not CSAFE_CACHE_URL:
    # Counted per process, a limit of 20 would be 20 for each gunicorn worker.
    raise ImproperlyConfigured("Set REDIS_URL (or CSAFE_CACHE_URL) in the production profile")
if CSAFE_CACHE_URL and CSAFE_CACHE_URL in {CELERY_BROKER_URL, CELERY_RESULT_BACKEND}:
    raise ImproperlyConfigured(
        "CSAFE_CACHE_URL must name another Redis database than the Celery broker's and results'"
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CSAFE_CACHE_URL,
            "KEY_PREFIX": "csafe",
        }
        if CSAFE_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "csafe"}
    )
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
    # Counted in the cache above, in fixed windows (csafe/core/throttling.py). "anon" also counts
    # requests refused for missing or wrong credentials, which DRF would answer before throttling.
    "DEFAULT_THROTTLE_CLASSES": [
        "csafe.core.throttling.AnonRateThrottle",
        "csafe.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Per address: a client without credentials only ever learns it needs them.
        "anon": env_rate("CSAFE_THROTTLE_ANON", "60/minute"),
        # Per person, token or session: a nightly sync reads its 50-row pages well within it,
        # and the pages' own calls (the naming preview as one types) far below.
        "user": env_rate("CSAFE_THROTTLE_USER", "600/minute"),
        # The look-ups that could be used to probe for a child, per person (sign-in per
        # address): each well above what one person does by hand, far below a script.
        "search": env_rate("CSAFE_THROTTLE_SEARCH", "30/minute"),
        "duplicate_check": env_rate("CSAFE_THROTTLE_DUPLICATE_CHECK", "30/hour"),
        "sign_in": env_rate("CSAFE_THROTTLE_SIGN_IN", "20/minute"),
        "two_factor": env_rate("CSAFE_THROTTLE_TWO_FACTOR", "10/minute"),
    },
    # The client's address for the anonymous and sign-in rates: as for the lock-out, only the
    # proxies csafe is told of are trusted. DRF's default (None) would take X-Forwarded-For from
    # anyone, so a client could name a new address on every request.
    "NUM_PROXIES": env_int("CSAFE_PROXY_COUNT", 0),
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
    # Path ids (csafe/core/converters.py): whole numbers no larger than a database key.
    "PATH_CONVERTER_OVERRIDES": {
        "bounded_int": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    },
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
