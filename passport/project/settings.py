"""One settings file, driven by the environment (healthchecks' style).

Secrets come from NAME or NAME_FILE. Local development (DJANGO_DEBUG=1) falls back to the
git-ignored var/secrets/local-keys.json that `make run` generates; with DEBUG off nothing falls
back, and a missing secret stops the app with a message that says what to set.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from passport.project.paths import BASE_DIR, LOCAL_KEYS_FILE


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str:
    """NAME, or the contents of the file NAME_FILE points at (for Docker/Kubernetes secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return ""


DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _local_keys() -> dict:
    if not DEBUG or not LOCAL_KEYS_FILE.exists():
        return {}
    return json.loads(LOCAL_KEYS_FILE.read_text())


SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or _local_keys().get("django_secret_key", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "No secret key is configured. Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE). "
        "For local development run `make run`, which generates var/secrets/local-keys.json "
        "and sets DJANGO_DEBUG=1."
    )

# The keyring: key-encryption keys, the blind-index key and the audit key (docs/architecture.md 7).
HP_KEYRING_FILE = env("HP_KEYRING_FILE") or (str(LOCAL_KEYS_FILE) if DEBUG else "")
if not HP_KEYRING_FILE:
    raise ImproperlyConfigured(
        "No keyring is configured. Set HP_KEYRING_FILE to the keyring JSON file (see README, "
        "'Keys and escrow'). Without it no health record can be read or written."
    )
# The erasure ledger lives outside the database, beside the keyring, so a restored backup
# cannot bring an erased passport back.
HP_ERASURE_LEDGER = env("HP_ERASURE_LEDGER") or str(
    Path(HP_KEYRING_FILE).with_name("erasure-ledger.jsonl")
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "frontend",  # first: its registration/ templates replace the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    # django-otp's own TOTP and static devices keep their secrets in clear: ours replace them
    # (passport/models/devices.py).
    "django_otp_webauthn",
    "passport",
]

MIDDLEWARE = [
    "passport.project.middleware.TrustedProxyMiddleware",  # forwarded headers only from a proxy
    "passport.operations.health.HealthCheckMiddleware",  # /healthz and /readyz, before host checks
    "passport.project.middleware.DatabaseUnavailableMiddleware",  # 503 while the database is away
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed and cached
    "csp.middleware.CSPMiddleware",
    "frontend.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "frontend.middleware.AccountLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "frontend.twofactor.SessionLimitsMiddleware",
    "frontend.twofactor.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "passport.project.middleware.KeyScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

# bench/load.py serves its baseline page (20 rows through a template) beside the app's own.
ROOT_URLCONF = env("HP_ROOT_URLCONF", "passport.project.urls")
WSGI_APPLICATION = "passport.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context.shell",
            ],
        },
    }
]


def _database() -> dict:
    url = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    config = dj_database_url.parse(url, conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
                                   conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN, so two writers queue instead of failing half-way with "database is locked".
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests run on a real database file too (the raw-file scan depends on it).
        config["TEST"] = {"NAME": env("HP_TEST_SQLITE", str(BASE_DIR / "var" / "test.sqlite3"))}
        if config["NAME"] != ":memory:":
            from passport.operations.private_files import make_private

            database = Path(config["NAME"])
            make_private(database, own_folder=database.parent
                         if database.parent == BASE_DIR / "var" else None)
    return config


DATABASES = {"default": _database()}
if env("DATABASE_REPLICA_URL", ""):
    # A PostgreSQL streaming replica for reads that may be seconds stale, asked for by name
    # only (passport/operations/replica.py): no router, so nothing else ever reads it.
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a PostgreSQL replica.")
    # A dead or hanging replica fails fast (connecting, a lost peer, a slow statement) and
    # the read goes to the primary; the URL's own options (sslmode...) are kept.
    DATABASES["replica"]["OPTIONS"] = {
        "connect_timeout": 2, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
        "keepalives_count": 2, "tcp_user_timeout": 5000, "options": "-c statement_timeout=5000",
    } | DATABASES["replica"].get("OPTIONS", {})
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "passport.User"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hp_cache",
    }
}

PASSWORD_HASHERS = [
    "passport.encryption.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): by username and address together, so one attacker cannot lock out
# everyone behind one address, nor dodge the lock by forging X-Forwarded-For
# (passport.operations.net).
HP_PROXY_COUNT = int(env("HP_PROXY_COUNT", "0"))
# The load balancers' own addresses (or networks): only a request arriving from one of them may
# say how the client connected (X-Forwarded-For, X-Forwarded-Proto); from anyone else those
# headers are dropped (passport.project.middleware.TrustedProxyMiddleware). Never "*".
HP_PROXY_ADDRESSES = [a.strip() for a in env("HP_PROXY_ADDRESSES", "127.0.0.1,::1").split(",")
                      if a.strip()]
if "*" in HP_PROXY_ADDRESSES:
    raise ImproperlyConfigured("HP_PROXY_ADDRESSES must name the load balancers, never '*'.")
if HP_PROXY_COUNT > 0:
    # Behind a TLS-terminating load balancer: it says the client used HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "passport.operations.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "code"]

# Mail (password reset, invitations): SMTP from the environment; printed locally.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
                    if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
# With the file backend (django.core.mail.backends.filebased.EmailBackend): where it writes.
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", "")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "My Health <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour
# Review health assessments across the 5th birthday (docs/clinical-rules.md 1): "age_at_last" (the
# child's age on the day of the last assessment sets the interval) or "age_at_due".
HP_RHA_INTERVAL_RULE = env("HP_RHA_INTERVAL_RULE", "age_at_last")
# How many seconds behind the primary a read replica may be and still be read (decision 0051).
HP_REPLICA_MOST_BEHIND = int(env("HP_REPLICA_MOST_BEHIND", "30"))
# Where a deployment publishes the source of what it runs (the AGPL, decision 0028); the app
# also serves it at /source/.
HP_SOURCE_URL = env("HP_SOURCE_URL", "")
# Where reminder emails point (manage.py send_reminders has no request to ask).
HP_SITE_URL = env("HP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders on her phone (Web Push, decision 0057): who the push services may contact about
# our messages (a mailto: or https: address, sent in the VAPID signature), and, for the tests'
# own push service only, whether a loopback address over plain HTTP is accepted.
HP_PUSH_CONTACT = env("HP_PUSH_CONTACT", "mailto:" + (
    DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">") or "no-reply@localhost"))
HP_PUSH_ALLOW_LOOPBACK = env_bool("HP_PUSH_ALLOW_LOOPBACK", default=False)

LOGIN_URL = "login"
# The name an authenticator app shows: neutral, like the app's own (docs/architecture.md 5).
OTP_TOTP_ISSUER = "My Health"
# Passkeys (django-otp-webauthn): a second factor, never a password replacement here.
OTP_WEBAUTHN_RP_ID = env("HP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = "My Health"
# Browsers allow passkeys over plain HTTP only on localhost: locally, open http://localhost:8000.
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("HP_WEBAUTHN_ORIGINS") or (
    ["http://localhost:8000"] if DEBUG
    else [f"https://{host}" for host in ALLOWED_HOSTS if "*" not in host and host != "."]
    or ["https://localhost"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The language health professionals write the record in, whatever language a young person
# reads the app in: marked on what they wrote (passport/templatetags/written.py).
RECORD_LANGUAGE = "en-GB"
# English, and languages young people in care in England often speak (many arrive as
# unaccompanied children from Afghanistan, Iran, Iraq, Sudan and Albania). The translations
# await review by a qualified translator: the language menu says so (decision 0015).
LANGUAGES = [("en-gb", _("English")), ("ar", _("Arabic")), ("fa", _("Persian (Farsi, Dari)")),
             ("sq", _("Albanian"))]
LANGUAGES_AWAITING_REVIEW = frozenset({"ar", "fa", "sq"})
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production (`make serve`, HP_STATIC_MANIFEST=1): fingerprinted names (cached for a year) and
# gzip/Brotli copies made by collectstatic, served by WhiteNoise. Development and tests keep
# Django's plain storage (no collectstatic needed).
if env_bool("HP_STATIC_MANIFEST", default=False):
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # __Host-: only ever sent over HTTPS, to this exact host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_AGE = 60 * 60 * 12  # the longest professional session (passport.accounts.sessions)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): a fresh nonce each response, no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Messages live in the session (a database row), never in a readable cookie; our messages
# never carry content anyway.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication",
                                       "api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated",
                                   "api.auth.NotAnIntegration"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AddressRateThrottle",
                                 "api.throttles.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"address": env("HP_API_RATE_ADDRESS", "1200/min"),
                               "user": env("HP_API_RATE_USER", "600/min"),
                               # Sharing with a named account: few, so usernames cannot be
                               # guessed through it.
                               "grants": "30/hour"},
}

# The OpenAPI schema at /api/v1/schema/ and its documentation at /api/v1/docs/: on in
# development, off in production unless HP_API_DOCS=1 (it maps every endpoint).
HP_API_DOCS = env_bool("HP_API_DOCS", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Health Passport API",
    "DESCRIPTION": (
        "Version 1. Sign in through the web app (session and CSRF) or send a personal API token "
        "(`Authorization: Token ...`). Reads return an ETag; writes need If-Match. Errors are "
        "RFC 9457 problem documents, translated by Accept-Language."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "YesNoUnknown": "passport.models.sections.YesNoUnknown",
        "Screening": "passport.models.sections.Screening",
        "AssessmentKind": "passport.models.sections.AssessmentKind",
        "AssessmentOutcome": "passport.models.sections.Outcome",
        "ConditionKind": "passport.models.conditions.ConditionKind",
        "SexualHealthKind": "passport.models.sections.SexualHealthKind",
        "EpisodeOutcome": "passport.models.care.EpisodeOutcome",
        "PlanStatus": "passport.models.sections.PlanStatus",
        "SectionKey": "passport.records.sections.KEYS",
        "UnknownStatus": "passport.models.care.UnknownStatus",
        "AppointmentStatus": "passport.models.sections.AppointmentStatus",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.openapi.add_problems"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "passport.project.logs.JsonFormatter"}},
    # One JSON object per line in production (a log collector reads them); plain locally.
    "filters": {"hide_secrets": {"()": "passport.project.logs.HideSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_secrets"],
                             "formatter": env("HP_LOG_FORMAT", "plain" if DEBUG else "json")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers print paths: through this console (secrets hidden), not the
        # default one Django configures for DEBUG.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's request logger prints the request line: secrets in it are hidden.
        "django.request": {"level": "WARNING"},
        # Lockouts are warnings; its INFO lines repeat every sign-in.
        "axes": {"level": "WARNING"},
    },
}

# Who runs the service and how to reach them: shown on the privacy notice, the accessibility
# statement and the contact page (decision 0021). Each deployment sets its own; until it does,
# the pages show these demo values and say they are examples.
SERVICE_DETAILS = {
    "controller": env("HP_CONTROLLER_NAME", "Northfield Community Health NHS Trust"),
    "team": env("HP_TEAM_NAME", "Looked-after children's health team"),
    "council": env("HP_COUNCIL_NAME", "Northfield City Council"),
    "host": env("HP_HOST_NAME", "Example Hosting Ltd"),
    "phone": env("HP_CONTACT_PHONE", "01632 960 000"),
    "email": env("HP_CONTACT_EMAIL", "lac.health@example.nhs.uk"),
    "address": env("HP_CONTACT_ADDRESS", "Northfield Health Centre, 1 Example Road, Northfield"),
    "hours": env("HP_CONTACT_HOURS", "9am to 5pm, Monday to Friday"),
    "dpo_email": env("HP_DPO_EMAIL", "data.protection@example.nhs.uk"),
}
SERVICE_DETAILS_ARE_DEMO = not env("HP_CONTROLLER_NAME")
