"""Baken's settings, read from the environment (every setting: docs/production.md and the README).

Defaults are the safe ones: debug off, secure cookies and HSTS whenever debug is off.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import env
from .oidc import origins as oidc_origins
from .oidc import settings_from_env as oidc_settings_from_env
from .secrets import secret_key

BASE_DIR = env.checkout_root()
VAR_DIR = Path(env.text("BAKEN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.switch("BAKEN_DEBUG", default=False)
SECRET_KEY, SECRET_KEY_FROM_ENVIRONMENT = secret_key(VAR_DIR)
ALLOWED_HOSTS = env.items("BAKEN_ALLOWED_HOSTS", "127.0.0.1,localhost")
DATA_KEY_FILE = Path(env.text("BAKEN_DATA_KEY_FILE", str(VAR_DIR / "data.key")))
# Only in development may a missing data key be made on the spot (BAKEN_DATA_KEY_FILE,
# docs/interfaces.md#settings).
GENERATE_DATA_KEY = DEBUG

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # Before django_tasks_db: its `db_worker` command is replaced by core's, which reconnects
    # when the database restarts (core/management/commands/db_worker.py).
    "baken.core",
    # Background tasks: the Django tasks framework (the backport on Django 5.2) with its
    # database backend, which since django-tasks 0.12 lives in django-tasks-db.
    "django_tasks",
    "django_tasks_db",
    "baken.accounts",
    "baken.audit",
    "baken.auditlog",
    "baken.notifications",
    "baken.places",
    "baken.intake",
    "baken.reports",
    "baken.subjects",
    "baken.cases",
    "baken.privacy",
    "baken.rights",
    "baken.oversight",
    "baken.awareness",
    "baken.insights",
    "baken.exports",
    "baken.demo",
    "baken.api",
]

MIDDLEWARE = [
    # Only adds the Permissions-Policy header, so that every answer has it (/healthz too).
    "baken.core.middleware.PermissionsPolicyMiddleware",
    # /healthz and /readyz first: before the SSL redirect, host check and login (core/health.py).
    "baken.core.health.HealthMiddleware",
    "baken.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # No NUL or lone surrogate anywhere, JSON bounded in size and depth (ADR 0023); before
    # the session, which looks up its cookie in the database.
    "baken.core.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baken.core.middleware.DutchFirstLocaleMiddleware",
    # Under /api/: the language named in Accept-Language, else as the pages (api/language.py).
    "baken.api.language.ApiLanguageMiddleware",
    "baken.core.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "baken.core.middleware.RequestTooLargeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "baken.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # A Refused (core.refusals) a page did not show itself: its 404, 403 or 400 page.
    "baken.core.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "baken.urls"
WSGI_APPLICATION = "baken.wsgi.application"

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
                "csp.context_processors.nonce",
                "baken.core.context_processors.navigation",
                "baken.notifications.context_processors.unread",
            ],
            "builtins": ["baken.core.templatetags.baken_dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'baken.sqlite3'}"),
        conn_max_age=env.integer("BAKEN_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
    # instead of failing halfway (the audit chain head is read and then written).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: a deleted row's bytes are overwritten, not left in free pages of
        # the file, so a report destroyed after its retention period is gone from the file
        # itself (docs/retention.md).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA secure_delete=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL planner settings every connection of Baken's sets for its session
# (core/db_session.py, docs/operations.md): "name=value" pairs; empty for none.
DATABASE_SESSION = env.pairs("BAKEN_DB_SESSION", "jit=off,max_parallel_workers_per_gather=0")
# Every form's smallest templates (field, label, errors, inputs, selects) written in Python,
# the same bytes as Django's (core/form_rendering.py, issue 18).
FORM_RENDERER = "baken.core.form_rendering.QuickRenderer"
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
        "NAME": "baken.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on over OpenID Connect, off unless BAKEN_OIDC_CLIENT_ID is set (docs/sso.md).
AUTHENTICATION_BACKENDS.append("baken.accounts.sso.backend.SSOBackend")
_oidc = oidc_settings_from_env()
OIDC_ENABLED = _oidc["OIDC_ENABLED"]
OIDC_RP_CLIENT_ID = _oidc["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = _oidc["OIDC_RP_CLIENT_SECRET"]
OIDC_OP_ISSUER = _oidc["OIDC_OP_ISSUER"]
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT = _oidc["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT = _oidc["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT = _oidc["OIDC_OP_JWKS_ENDPOINT"]
OIDC_OP_END_SESSION_ENDPOINT = _oidc["OIDC_OP_END_SESSION_ENDPOINT"]
OIDC_RP_SCOPES = _oidc["OIDC_RP_SCOPES"]
OIDC_RP_SIGN_ALGO = _oidc["OIDC_RP_SIGN_ALGO"]
OIDC_USE_PKCE = _oidc["OIDC_USE_PKCE"]
OIDC_USER_CLAIM = _oidc["OIDC_USER_CLAIM"]
OIDC_GROUPS_CLAIM = _oidc["OIDC_GROUPS_CLAIM"]
OIDC_ROLE_MAP = _oidc["OIDC_ROLE_MAP"]
OIDC_LOCAL_LOGIN_ADMIN_ONLY = _oidc["OIDC_LOCAL_LOGIN_ADMIN_ONLY"]
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Sessions: an idle session ends after BAKEN_SESSION_IDLE_MINUTES, any session after
# BAKEN_SESSION_MAX_HOURS (see baken.accounts.middleware).
SESSION_IDLE_SECONDS = env.integer("BAKEN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = env.integer("BAKEN_SESSION_MAX_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "baken_session"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "baken.core.views.csrf_failure"

# Lockout after repeated password failures (django-axes); second-factor codes are
# throttled by django-otp (each failure doubles the wait).
AXES_FAILURE_LIMIT = env.integer("BAKEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.integer("BAKEN_LOGIN_COOLOFF_MINUTES", 15) / 60
# Lock per account, not per IP address: a municipality's staff share one egress address, and
# an IP lockout would let one mistyping colleague lock out the whole town hall (ADR 0004).
AXES_LOCKOUT_PARAMETERS = ["username"]
# models.W040: SQLite keeps an index's key columns and leaves out its INCLUDE columns, which
# are PostgreSQL's index-only reads of the counts (reports 0023); the same index either way.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = env.text("BAKEN_TOTP_ISSUER", "Baken")
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "nl"
LANGUAGE_COOKIE_NAME = "baken_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# One Dutch way of writing dates and times (baken/core/formats/nl/formats.py).
FORMAT_MODULE_PATH = ["baken.core.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.text("BAKEN_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers. The CSP allows no inline script or style anywhere.
X_FRAME_OPTIONS = "DENY"
# No address of a page leaves the site; "no-referrer" would make Chromium send `Origin: null`
# with form posts, which Django's CSRF check refuses.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features Baken never uses are switched off for its pages and anything
# they might embed (core.middleware.PermissionsPolicyMiddleware). The Meldpunt's map takes a
# click or an address, never the device's location, so geolocation is off as well.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Logging out of an SSO session is a form post that redirects to the provider's end-session
# endpoint: browsers apply form-action to that redirect too.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += oidc_origins(_oidc)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.switch("BAKEN_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.integer("BAKEN_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.switch("BAKEN_HSTS_PRELOAD", default=True)
    if env.switch("BAKEN_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "baken.api.authentication.TokenAuthentication",
        "baken.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "baken.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "baken.core.problems.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "baken.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # An unknown `?format=` is a 406 problem, not DRF's bare 404 (api/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "baken.api.negotiation.FormatNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Baken API",
    "DESCRIPTION": "Meldpunt en werkruimte voor de aanpak van ondermijning.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the field name `kind`: name their enums after their models.
    "ENUM_NAME_OVERRIDES": {
        "RelationKindEnum": "baken.subjects.models.Relation.Kind",
        "SubjectKindEnum": "baken.subjects.models.Subject.Kind",
        "ExportKindEnum": "baken.exports.models.Kind",
        "RetentionRuleKindEnum": "baken.privacy.models.RuleKind",
        "RetentionRuleStateEnum": "baken.privacy.models.RuleState",
        "DestructionProposalStateEnum": "baken.privacy.models.ProposalState",
        "LegalHoldReasonEnum": "baken.privacy.models.HoldReason",
        # The request register (issue 16, rights).
        "RightsRequestKindEnum": "baken.rights.models.RequestKind",
        "RightsRequestStateEnum": "baken.rights.models.RequestState",
        "RightsOutcomeEnum": "baken.rights.models.Outcome",
        "RightsHitKindEnum": "baken.rights.models.HitKind",
        "RightsStepKindEnum": "baken.rights.models.StepKind",
        # The access overview (issue 16, rights, part B): an item's disclosure, and a decision.
        "RightsDisclosureEnum": "baken.rights.models.Disclosure",  # also a decision
        "RightsGroundEnum": "baken.rights.models.Ground",
        # The access review (issue 16, oversight).
        "AccessFlagKindEnum": "baken.oversight.models.FlagKind",
        "AccessFlagStateEnum": "baken.oversight.models.ReviewState",
        "AccessReviewJudgementEnum": "baken.oversight.models.REVIEW_CHOICES",
        # Awareness (issue 17): a training's format; the export's keeps the name it had.
        "TrainingFormatEnum": "baken.awareness.models.TrainingFormat",
        "FormatEnum": "baken.exports.models.Format",
        # A practice answer and the advice share one choice set (issue 17, awareness).
        "PracticeAnswerEnum": "baken.awareness.models.PracticeAnswer",
        # The figures' scope, shared by the awareness figures since issue 17: both keep the
        # names they had before a third `scope` made the generator guess.
        "FiguresScopeEnum": [("team", "team"), ("municipality", "municipality")],
        "WeekOverviewScopeEnum": [("team", "team"), ("aggregates", "aggregates")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "baken.api.reports.add_report_components",
    ],
}

# Meldpunt (intake): attachments, request size and rate limits.
ATTACHMENT_DIR = Path(env.text("BAKEN_ATTACHMENT_DIR", str(VAR_DIR / "attachments")))
ATTACHMENT_MAX_BYTES = env.integer("BAKEN_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.integer("BAKEN_REQUEST_MAX_KB", 256) * 1024
# A JSON body nested deeper than this is refused before it is parsed (core/input_guard.py).
JSON_MAX_DEPTH = 64
FILE_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES
RATELIMIT_ENABLE = env.switch("BAKEN_RATELIMIT_ENABLE", default=True)
RATELIMITS = {
    "reports": env.text("BAKEN_RATELIMIT_REPORTS", "10/h"),
    "reports_total": env.text("BAKEN_RATELIMIT_REPORTS_TOTAL", "1000/h"),
    "attachments": env.text("BAKEN_RATELIMIT_ATTACHMENTS", "30/h"),
    "attachments_total": env.text("BAKEN_RATELIMIT_ATTACHMENTS_TOTAL", "3000/h"),
    "followup": env.text("BAKEN_RATELIMIT_FOLLOWUP", "20/h"),
    "followup_total": env.text("BAKEN_RATELIMIT_FOLLOWUP_TOTAL", "2000/h"),
    # Practice answers (/melden/oefenen): a training room answers from one address, ten
    # scenarios each; one client may not tip a single scenario's counts (awareness/practice.py).
    "practice": env.text("BAKEN_RATELIMIT_PRACTICE", "300/h"),
    "practice_scenario": env.text("BAKEN_RATELIMIT_PRACTICE_SCENARIO", "40/h"),
    "practice_total": env.text("BAKEN_RATELIMIT_PRACTICE_TOTAL", "3000/h"),
}
RATELIMIT_VIEW = "baken.intake.views.rate_limited"
# Behind a reverse proxy every request comes from the proxy's address: name the header the
# proxy sets with the client's address (e.g. HTTP_X_REAL_IP), or all reporters share one limit.
RATELIMIT_IP_META_KEY = env.text("BAKEN_RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
ATTACHMENTS_PER_REPORT = 10
# The map on the reporting page: no tiles by default (no outside requests); a municipality
# sets its own tile server, e.g. https://tiles.gemeente.nl/{z}/{x}/{y}.png
MAP_TILE_URL = env.text("BAKEN_MAP_TILE_URL", "")
MAP_CENTER = [float(part) for part in env.items("BAKEN_MAP_CENTER", "52.37,4.89")]
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.text("BAKEN_CACHE_URL", ""),
        }
        if env.text("BAKEN_CACHE_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: tasks are stored in the database and run by `baken db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# What `baken scheduler` enqueues, as cron expressions in TIME_ZONE; empty switches one off.
SCHEDULE = {
    "suggestions-retrain": {
        "task": "baken.reports.tasks.suggester_retrain",
        "cron": env.text("BAKEN_SCHEDULE_SUGGESTIONS", "30 2 * * *"),
    },
    "task-reminders": {
        "task": "baken.cases.tasks.task_reminders",
        "cron": env.text("BAKEN_SCHEDULE_TASK_REMINDERS", "0 7 * * 1-5"),
    },
    "weekly-overview": {
        "task": "baken.insights.tasks.weekly_overview",
        "cron": env.text("BAKEN_SCHEDULE_WEEKLY_OVERVIEW", "30 6 * * 1"),
    },
    "exports-expire": {
        "task": "baken.exports.tasks.exports_expire",
        "cron": env.text("BAKEN_SCHEDULE_EXPORTS_EXPIRE", "*/15 * * * *"),
    },
    "reporter-answer-overdue": {
        "task": "baken.reports.tasks.reporter_answer_overdue",
        "cron": env.text("BAKEN_SCHEDULE_REPORTER_ANSWER", "10 * * * *"),
    },
    # The worker's sign of life for /readyz; switched off, /readyz does not check the worker.
    "worker-heartbeat": {
        "task": "baken.core.tasks.worker_heartbeat",
        "cron": env.text("BAKEN_SCHEDULE_WORKER_HEARTBEAT", "*/5 * * * *"),
    },
    # The seal of yesterday's audit chain, written outside the database (AUDIT_SEAL_DIR).
    "audit-seal": {
        "task": "baken.audit.tasks.audit_seal",
        "cron": env.text("BAKEN_SCHEDULE_AUDIT_SEAL", "15 0 * * *"),
    },
    # Retention: every rule in force, each night (docs/retention.md).
    "retention-run": {
        "task": "baken.privacy.tasks.retention_run",
        "cron": env.text("BAKEN_SCHEDULE_RETENTION", "15 2 * * *"),
    },
    # The access review (issue 16): yesterday's audit log, flags for the privacy officer.
    "access-review": {
        "task": "baken.oversight.tasks.access_review",
        "cron": env.text("BAKEN_SCHEDULE_ACCESS_REVIEW", "30 3 * * *"),
    },
    "audit-verify": {
        "task": "baken.audit.tasks.audit_verify",
        "cron": env.text("BAKEN_SCHEDULE_AUDIT_VERIFY", "45 3 * * *"),
    },
}
# The retention run's destruction (docs/retention.md, "The run"): reports destroyed per
# transaction (all or none of a batch), the pause between two batches in milliseconds, and how
# much the run lowers its own CPU priority (added to its nice value; 0: not at all), so that
# the people at work in the web come first.
RETENTION_BATCH_SIZE = env.integer("BAKEN_RETENTION_BATCH_SIZE", 100)
RETENTION_PAUSE_MS = env.integer("BAKEN_RETENTION_PAUSE_MS", 1000)
RETENTION_NICE = env.integer("BAKEN_RETENTION_NICE", 10)
# The access review (issue 16; oversight/review.py), each day over the day before, in
# TIME_ZONE. A flag for a user who read more than READS different reports within WINDOW
# minutes; who read a report at night (from NIGHT_FROM o'clock until NIGHT_UNTIL o'clock; the
# same two hours: no night) or, with WEEKENDS on, on a Saturday or Sunday; and who made or
# downloaded an export of more than EXPORT_ROWS rows. Reads outside the user's own queue and
# cases, and of reports naming someone with the user's own surname, are flagged always.
ACCESS_REVIEW_READS = env.integer("BAKEN_ACCESS_REVIEW_READS", 50)
ACCESS_REVIEW_WINDOW_MINUTES = env.integer("BAKEN_ACCESS_REVIEW_WINDOW_MINUTES", 60)
ACCESS_REVIEW_NIGHT_FROM = env.integer("BAKEN_ACCESS_REVIEW_NIGHT_FROM", 22)
ACCESS_REVIEW_NIGHT_UNTIL = env.integer("BAKEN_ACCESS_REVIEW_NIGHT_UNTIL", 7)
ACCESS_REVIEW_WEEKENDS = env.switch("BAKEN_ACCESS_REVIEW_WEEKENDS", default=True)
ACCESS_REVIEW_EXPORT_ROWS = env.integer("BAKEN_ACCESS_REVIEW_EXPORT_ROWS", 500)
# /readyz answers 503 when the scheduler's heartbeat (each round, at least every minute) or
# the worker's (the heartbeat task above) is older than this (docs/operations.md).
READY_SCHEDULER_SECONDS = env.integer("BAKEN_READY_SCHEDULER_SECONDS", 180)
READY_WORKER_SECONDS = env.integer("BAKEN_READY_WORKER_SECONDS", 900)

# A report waiting for the reporter's answer returns to the triage queue after this many
# days without one (reports/waiting.py; checked hourly by `reporter-answer-overdue`).
REPORTER_ANSWER_DAYS = env.integer("BAKEN_REPORTER_ANSWER_DAYS", 14)

# The audit chain's daily seal leaves the database (ADR 0030): one file a day in this folder,
# never overwritten; keep it on other storage than the database and back it up separately.
AUDIT_SEAL_DIR = Path(env.text("BAKEN_AUDIT_SEAL_DIR", str(VAR_DIR / "audit-seals")))
# Who receives each seal and the alarm when the nightly check fails (comma-separated; empty:
# no mail). The mails hold hashes, dates and counts, never personal data.
PRIVACY_OFFICER_EMAIL = env.items("BAKEN_PRIVACY_OFFICER_EMAIL", "")
# The controller (verwerkingsverantwoordelijke) the processing register names, e.g.
# "Gemeente Havenwaard" (privacy/processing_register.py); empty: the register says it is unset.
MUNICIPALITY_NAME = env.text("BAKEN_MUNICIPALITY_NAME", "")
# The Meldpunt's address as the awareness material prints it beside its QR code, short enough
# to type, e.g. "havenwaard.nl/melden" (a redirect the municipality keeps); empty: the
# Meldpunt's own address without https:// (awareness/material.py).
MELDPUNT_SHORT_URL = env.text("BAKEN_MELDPUNT_SHORT_URL", "")

# Category suggestion (ADR 0008): a classifier trained on the team's own weighed reports. It
# says nothing with too little data or when it is not sure enough.
SUGGESTION_MODEL_FILE = VAR_DIR / "models" / "category-suggester.joblib"
SUGGESTION_MIN_REPORTS = env.integer("BAKEN_SUGGESTION_MIN_REPORTS", 50)
SUGGESTION_MIN_PER_CATEGORY = env.integer("BAKEN_SUGGESTION_MIN_PER_CATEGORY", 5)
SUGGESTION_MIN_CATEGORIES = env.integer("BAKEN_SUGGESTION_MIN_CATEGORIES", 2)
SUGGESTION_MIN_CONFIDENCE = env.integer("BAKEN_SUGGESTION_MIN_CONFIDENCE_PERCENT", 60) / 100
# The most recent weighed reports to learn from: bounds the nightly run's time and memory.
SUGGESTION_MAX_EXAMPLES = env.integer("BAKEN_SUGGESTION_MAX_EXAMPLES", 50_000)

# Insights: in aggregated figures (the management view) a count below this is shown as "< 5",
# and no total lets it be worked out (insights/suppression.py).
INSIGHTS_SMALL_COUNT = env.integer("BAKEN_INSIGHTS_SMALL_COUNT", 5)
# ... and every count shown there rounded to a multiple of this (1: exact), so that figures
# from different tables, weeks and periods cannot be subtracted down to a small count.
INSIGHTS_ROUND_TO = env.integer("BAKEN_INSIGHTS_ROUND_TO", 5)
# A dashboard read brings the figures up to date itself when that reads at most this many
# reports; a bigger refresh goes to the tasks worker and the page shows the figures' time.
INSIGHTS_INLINE_REFRESH_MAX = env.integer("BAKEN_INSIGHTS_INLINE_REFRESH_MAX", 20_000)

# Exports (ADR 0013): files encrypted outside the web root, deleted after the retention days
# (by the scheduled `exports-expire`); rows are read and written in batches.
EXPORT_DIR = Path(env.text("BAKEN_EXPORT_DIR", str(VAR_DIR / "exports")))
EXPORT_RETENTION_DAYS = env.integer("BAKEN_EXPORT_RETENTION_DAYS", 7)
EXPORT_BATCH_SIZE = env.integer("BAKEN_EXPORT_BATCH_SIZE", 1000)
# A running export without a batch written for this long lost its worker (a restart, a
# crash): the scheduled `exports-expire` marks it failed and removes what it left behind.
EXPORT_STALLED_MINUTES = env.integer("BAKEN_EXPORT_STALLED_MINUTES", 60)
# One XLSX sheet holds 1,048,576 rows; an export of more is refused with a clear message.
EXPORT_MAX_ROWS = env.integer("BAKEN_EXPORT_MAX_ROWS", 1_000_000)

# Without a mail server named, a developer's machine (debug on) writes each mail as a file
# under var/mail/ instead of failing to reach localhost:25 (docs/development-mail.md);
# BAKEN_EMAIL_BACKEND (smtp, file or console) chooses outright. Production: SMTP as before.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_email_backend = env.text(
    "BAKEN_EMAIL_BACKEND", "file" if DEBUG and not env.text("BAKEN_EMAIL_HOST", "") else "smtp"
)
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"BAKEN_EMAIL_BACKEND must be smtp, file or console, not {_email_backend!r}."
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.text("BAKEN_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("BAKEN_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env.text("BAKEN_EMAIL_FROM", "baken@localhost")
# The address people use to reach Baken, for the link in a notification's e-mail (no host name
# is known outside a request); without it the mail gives the page's path within Baken.
SITE_URL = env.text("BAKEN_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# BAKEN_LOG_FORMAT=json: one JSON object per line, without personal data (core/logs.py).
LOG_FORMAT = env.text("BAKEN_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"BAKEN_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "baken.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.text("BAKEN_LOG_LEVEL", "WARNING")},
    # One line per request (id, path, status, duration, user id); runserver logs its own.
    "loggers": {
        "baken.request": {
            "level": env.text("BAKEN_REQUEST_LOG_LEVEL", "WARNING" if DEBUG else "INFO")
        }
    },
}
