"""Settings: one module, driven by the environment.

With no variables set, the embedded default runs: SQLite, Celery on kombu's filesystem transport and
e-mail written to files, all under ``var/``. ``DJANGO_ENV=production`` demands the production variables
(see ``PRODUCTION_REQUIRED``) and refuses to start, with one line on stderr, when any is missing.
"""

import ipaddress
import os
import secrets
import sys
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
)
if PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRED if not os.environ.get(name)]
    if missing:
        sys.exit("contactcenter: DJANGO_ENV=production needs these environment variables: " + ", ".join(missing))

# Everything the embedded default writes (database, broker queue, mail, media, secret) lives here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))


def _embedded_secret_key() -> str:
    """A secret generated once per checkout and kept in var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _embedded_secret_key()
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    # Debug pages show settings, code and data to anyone who makes a page fail.
    sys.exit("contactcenter: DEBUG must be off with DJANGO_ENV=production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The absolute address of the site, for links in e-mails (no request is at hand in a Celery task).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "axes",
    "contactcenter.audit",
    "contactcenter.directory",
    "contactcenter.calendars",
    "contactcenter.deadlines",
    "contactcenter.alerts",
    "contactcenter.backups",
    "callbacks",
    "complaints",
    "escalations",
    "phrases",
    "feedback",
    "dashboard",
    "privacy",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]
if not PRODUCTION:
    # Benchmarks and their data loaders: development tools, never part of a production install.
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # First: a probe is answered whatever its Host header or scheme (contactcenter/health.py).
    "contactcenter.health.HealthMiddleware",
    "contactcenter.metrics.MetricsMiddleware",
    "contactcenter.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the request's fields (CSRF, the session, the views), after the language is known.
    "contactcenter.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The language saved on the person's profile wins over the browser's once they are logged in.
    "contactcenter.middleware.UserLanguageMiddleware",
    # The admin's moments in the reader's zone (their branches'), named in its header.
    "contactcenter.middleware.AdminReaderZoneMiddleware",
    "contactcenter.request_id.LogUserMiddleware",
    "contactcenter.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the login backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "contactcenter.urls"

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
                "django.template.context_processors.i18n",
                "contactcenter.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "contactcenter.wsgi.application"

# Database: PostgreSQL in production (DATABASE_URL), SQLite in var/ by default.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once; take the write lock at BEGIN so two writers queue
    # instead of deadlocking on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # An API client's account: the permissions its scopes stand for (api/backends.py).
    "api.backends.ApiClientBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes (contactcenter/directory/lockout.py): AXES_FAILURE_LIMIT failures lock the pair (username,
# address); AXES_USERNAME_FAILURE_LIMIT failures from any addresses lock the username everywhere. Never the
# address alone: the operators of one office share a NAT address, and one person's typos would lock them all.
AXES_HANDLER = "contactcenter.directory.lockout.PairThenUsernameHandler"
# The address of the pair is the client's: behind the load balancers listed in TRUSTED_PROXIES (addresses or
# networks), it is read from their X-Forwarded-For; otherwise every login would come from the balancer.
AXES_CLIENT_IP_CALLABLE = "contactcenter.directory.lockout.login_address"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    [ipaddress.ip_network(proxy, strict=False) for proxy in TRUSTED_PROXIES]
except ValueError as error:
    sys.exit(f"contactcenter: TRUSTED_PROXIES: {error}")
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Internationalisation: English and Russian; datetimes stored in UTC, shown in the branch's zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write days and moments per language, the admin's included (contactcenter/formats).
FORMAT_MODULE_PATH = ["contactcenter.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: our own and the vendored front-end libraries, served by WhiteNoise.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when it is missing.
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
# Media (complaint photos) is personal data: never served under MEDIA_URL, only through views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-is-not-public/"

# E-mail: SMTP from EMAIL_URL in production; files in var/mail/ by default.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Contact centre <noreply@contactcenter.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_URL"):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# The alert outbox: attempts before an alert is shown as failed, and the longest wait between two.
ALERT_MAX_ATTEMPTS = env.int("ALERT_MAX_ATTEMPTS", default=12)
ALERT_RETRY_MAX_MINUTES = env.int("ALERT_RETRY_MAX_MINUTES", default=60)
# How long a sender holds the rows of one message, counted from the moment it takes (or renews) them, before
# another sender may take them over: longer than one message can take (a few EMAIL_TIMEOUTs).
ALERT_CLAIM_SECONDS = env.int("ALERT_CLAIM_SECONDS", default=300)
# How much one sending run does before it leaves the rest to the next run (a minute later).
ALERT_RUN_SECONDS = env.int("ALERT_RUN_SECONDS", default=50)
ALERT_RUN_MAX_MESSAGES = env.int("ALERT_RUN_MAX_MESSAGES", default=1000)

# The customer's questionnaire after a concluded case: how many days its link answers.
QUESTIONNAIRE_LINK_DAYS = env.int("QUESTIONNAIRE_LINK_DAYS", default=14)

# The complaint register: limits on uploaded photos and answer letters, and the size above which a
# forwarding e-mail carries links to the photos (behind a login) instead of the photos themselves.
COMPLAINT_PHOTO_MAX_BYTES = env.int("COMPLAINT_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
COMPLAINT_PHOTO_MAX_PIXELS = env.int("COMPLAINT_PHOTO_MAX_PIXELS", default=50_000_000)
COMPLAINT_LETTER_MAX_BYTES = env.int("COMPLAINT_LETTER_MAX_BYTES", default=15 * 1024 * 1024)
COMPLAINT_FORWARD_ATTACH_MAX_BYTES = env.int("COMPLAINT_FORWARD_ATTACH_MAX_BYTES", default=10 * 1024 * 1024)
# A complaint received longer ago than this (about three years) is refused as a typing mistake.
COMPLAINT_RECEIVED_MAX_AGE_DAYS = env.int("COMPLAINT_RECEIVED_MAX_AGE_DAYS", default=3 * 365 + 1)

# Callbacks: the operator is reminded this long before a moment promised to the customer.
# Complaints by e-mail (complaints.services.email_intake): the largest message read, and the IMAP mailbox
# polled every minute when IMAP_URL is set (imaps://user:password@host:993/INBOX).
EMAIL_INTAKE_MAX_BYTES = env.int("EMAIL_INTAKE_MAX_BYTES", default=50 * 1024 * 1024)
IMAP_URL = env.str("IMAP_URL", default="")
IMAP_CA_FILE = env.str("IMAP_CA_FILE", default="")
IMAP_TIMEOUT = env.int("IMAP_TIMEOUT", default=30)
IMAP_MAX_MESSAGES = env.int("IMAP_MAX_MESSAGES", default=100)
CALLBACK_REMINDER_LEAD_MINUTES = env.int("CALLBACK_REMINDER_LEAD_MINUTES", default=10)
# A customer's time or an agreed next contact further ahead than this (a year) is refused as a typing mistake.
CALLBACK_MAX_DAYS_AHEAD = env.int("CALLBACK_MAX_DAYS_AHEAD", default=366)

# Webhooks (api.webhooks): how long a receiver may take to connect and to answer each read, in seconds. Their
# attempts, back-off and claims are the outbox's (ALERT_MAX_ATTEMPTS, ALERT_RETRY_MAX_MINUTES, ALERT_CLAIM_SECONDS).
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
# Whether a webhook may go to a loopback, private, link-local, multicast or reserved address (api.webhooks.targets):
# never in production unless said so, always in development (receivers on 127.0.0.1).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=not PRODUCTION)

# Celery: Redis in production (CELERY_BROKER_URL); kombu's filesystem transport in var/ by default.
# django-filter: an unchosen filter reads "any", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("any")

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queueing from a request gives up after this long (and never retries there: the every-minute task is the
# backstop); workers and beat reconnect by themselves.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# The scan has its own queue and worker (Procfile: "scan"), so that slow sending never delays flagging.
CELERY_TASK_ROUTES = {"contactcenter.deadlines.scan_deadlines": {"queue": "scan"}}
# django-celery-beat's scheduler writes these into its table at start; without a mailbox there is no task.
CELERY_BEAT_SCHEDULE = (
    {"Poll the complaint mailbox": {"task": "complaints.poll_mailbox", "schedule": 60.0, "options": {"expires": 50}}}
    if IMAP_URL
    else {}
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu creates only its control folder; the queue folder must exist, and in and out are the same.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery' / 'results'}"
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _default_result_backend = CELERY_BROKER_URL
    # A person's request may queue a task after its commit: a broker that is down must answer at once. A
    # count of retries, not only a time limit: kombu measures its limit with time.time(), which a clock held
    # still (time-machine in the tests, a stepped system clock) turned into retrying until the test's timeout.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "max_retries": 1, "interval_start": 0}
else:
    _default_result_backend = None
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_result_backend)
CELERY_RESULT_EXPIRES = 3600

# /health/ready/ answers 503 when the deadline scan last finished longer ago than this.
HEALTH_SCAN_MAX_AGE_SECONDS = env.int("HEALTH_SCAN_MAX_AGE_SECONDS", default=180)

# /metrics (contactcenter/metrics.py): open to a bearer token, or to the addresses (or networks) listed; never
# list a reverse proxy's own address, or everyone behind it is let in.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[] if PRODUCTION else ["127.0.0.1", "::1"])
try:
    [ipaddress.ip_network(allowed, strict=False) for allowed in METRICS_ALLOWED_IPS]
except ValueError as error:
    sys.exit(f"contactcenter: METRICS_ALLOWED_IPS: {error}")

# Forms and pages.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PAGE_SIZE = 25
# How often the supervisor's dashboard fetches its figures again.
DASHBOARD_REFRESH_SECONDS = 30

# The API (/api/v1/, the api app): token authentication per client, problem details, per-client rate limits.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact centre API",
    "DESCRIPTION": "Callbacks, complaints and escalations from the IVR, the website, the mobile app and the CRM.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
# How long an Idempotency-Key and its first response are kept (the purge runs every hour).
API_IDEMPOTENCY_KEEP_HOURS = env.int("API_IDEMPOTENCY_KEEP_HOURS", default=24)

# Security: strict in production, behind a TLS-terminating proxy.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Every HTML page (contactcenter/security.py): scripts and styles from our own static files only, never inline.
CONTENT_SECURITY_POLICY = (
    ("default-src", ["'self'"]),
    ("script-src", ["'self'"]),
    ("style-src", ["'self'"]),
    ("img-src", ["'self'", "data:", "blob:"]),  # Bootstrap draws its icons as data: SVGs; photo previews
    ("font-src", ["'self'"]),
    ("connect-src", ["'self'"]),
    ("object-src", ["'none'"]),
    ("base-uri", ["'self'"]),
    ("form-action", ["'self'"]),
    ("frame-ancestors", ["'none'"]),
)
# The product's own pages for a refused CSRF check, 403, 404 and 500 (contactcenter/error_pages.py).
CSRF_FAILURE_VIEW = "contactcenter.error_pages.csrf_failure"

# Logs on stderr: one JSON object per line in production, plain lines in development; both with the request
# id and the user id (contactcenter/logs.py). Celery's worker and beat keep this configuration.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "contactcenter.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "contactcenter.logs.JsonLineFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting (contactcenter/error_reporting.py): Sentry only when SENTRY_DSN is set; no personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from contactcenter import error_reporting

    error_reporting.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=DJANGO_ENV),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
