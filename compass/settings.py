"""Settings for the Kwaliteitskompas project, driven by environment variables.

Every value comes from the environment through the small typed helpers below; a bad value
raises ImproperlyConfigured with a message that names the variable. Without DATABASE_URL the
project runs on SQLite; `.env.example` lists every variable.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable `name` as a string."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable `name` as a boolean; refuse anything unclear."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of {sorted(_TRUE | _FALSE - {''})}."
    )


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """Return the environment variable `name` as an integer of at least `minimum`."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_int_item(name: str, raw: str, minimum: int, maximum: int) -> int:
    """Return one item of the list variable `name` as an integer from `minimum` to `maximum`."""
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: {raw!r} is not a whole number.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}: {value} is not from {minimum} to {maximum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return the comma-separated environment variable `name` as a list without blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------------------
# Safe by default: without DEBUG=1 set explicitly the process runs with production settings
# and refuses to start without a SECRET_KEY. `make run`, `make test`, `make e2e` and the test
# suite (pytest-env in pyproject.toml) set DEBUG=1 for development.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Without DEBUG=1 the process runs with production settings "
            "and refuses to start without a SECRET_KEY: set SECRET_KEY to a long random "
            "string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or set DEBUG=1 "
            "for development on your own machine."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A Dutch page that keeps a cycle step's input (issue 13, item 4).
CSRF_FAILURE_VIEW = "questionnaire.views.cycles.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Our apps first so their templates win over third-party ones.
    "compass",
    "questionnaire",
    "cms",
    "exports",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "formtools",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Background work (docs/tasks.md): Django's Tasks API and its database backend
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (docs/security.md).
    "compass.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public content pages for anonymous visitors (no session cookie) from a full-page cache,
    # before sessions, CSRF, authentication and Wagtail's routing run (cms/cache.py).
    "cms.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "compass.middleware.DutchFirstLocaleMiddleware",
    # Before anything reads the body (the CSRF check reads request.POST): refuse oversized
    # bodies with a Dutch 413 page instead of spooling them to disk.
    "compass.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sessions expire after SESSION_IDLE_MINUTES without a request (compass/session_timeout.py).
    "compass.session_timeout.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Two-factor authentication: a user with a device confirms a code before anything else;
    # one whose role requires it sets it up first (compass/two_factor.py).
    "compass.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: answers a locked-out login with our Dutch page (compass/login_protection.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compass.urls"
WSGI_APPLICATION = "compass.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    _db["CONN_HEALTH_CHECKS"] = True
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        # The web process and `db_worker` write the same file: WAL lets readers go on while
        # one writes, and IMMEDIATE transactions wait for the lock instead of failing halfway.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # The test database is a file (not memory), so a real `db_worker` process started by
        # the tests of the queue and the browser tests sees it (tests/tasks_helpers.py).
        "TEST": {
            "NAME": env_str(
                "SQLITE_TEST_PATH",
                str(Path(tempfile.gettempdir()) / f"kompas-test-{os.getpid()}.sqlite3"),
            )
        },
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kompas"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication and access ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt of a locked-out account or address (django-axes).
    "compass.login_protection.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Applied when a password is set through a form: the reset, the change, the admin's forms.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "compass.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "questionnaire:start"  # "Mijn gemeenten"
LOGOUT_REDIRECT_URL = "/"
# guardian: no AnonymousUser row is needed; anonymous visitors never hold object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Login protection (django-axes, docs/security.md "Login protection"): after
# LOGIN_FAILURE_LIMIT failed attempts for one account, or from one address, further attempts
# are refused for LOGIN_COOLOFF_MINUTES (or until an administrator unlocks them in the Django
# admin or with `manage.py axes_reset`). The refusal never says whether the account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, 3)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 30, 1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "compass.login_protection.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a proxy the address comes from X-Forwarded-For (set AXES_IPWARE_PROXY_COUNT).
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0, 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Password reset by e-mail (docs/security.md "Password reset"): requests per hour per address
# and per e-mail address; above the limit the answer looks the same but nothing is sent.
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "5/h")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, 60 * 15)

# Two-factor authentication (django-otp, docs/security.md): superusers, content editors and
# coordinators must set it up before they work; everyone may. On unless DEBUG=1, so the demo
# users log in with a password only on a development machine.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Kwaliteitskompas"

# Sessions end after this many minutes without a request (not after a fixed age): each
# request moves the expiry forward (compass/session_timeout.py).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60, 5)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# The anonymous benchmark (questionnaire/benchmarking.py, docs/benchmark.md): the minimum
# number of peers a cell needs before it is shown. Never below 5 (DOMAIN.md §5): a lower value
# refuses to start.
BENCHMARK_MIN_GROUP_SIZE = env_int("BENCHMARK_MIN_GROUP_SIZE", 5, 5)
# Benchmark releases (manage.py publish_benchmark, docs/benchmark.md): reference dates are this
# day of these months; a year's first release waits for this many submissions of that year.
BENCHMARK_RELEASE_DAY = env_int("BENCHMARK_RELEASE_DAY", 1, 1)
if BENCHMARK_RELEASE_DAY > 28:
    raise ImproperlyConfigured("BENCHMARK_RELEASE_DAY must be a day from 1 to 28.")
BENCHMARK_RELEASE_MONTHS = [
    env_int_item("BENCHMARK_RELEASE_MONTHS", m, 1, 12)
    for m in env_list("BENCHMARK_RELEASE_MONTHS", [str(m) for m in range(1, 13)])
]
BENCHMARK_FIRST_RELEASE_MINIMUM = env_int("BENCHMARK_FIRST_RELEASE_MINIMUM", 5, 1)

# The JSON import of a cycle (exports/portable.py, docs/exports.md): larger files are refused
# before they are read whole (bytes; default 5 MB).
EXPORT_JSON_MAX_BYTES = env_int("EXPORT_JSON_MAX_BYTES", 5 * 1024 * 1024, 1024)
# The CSV of local figures on the Situatie step (questionnaire/situation/csv_upload.py).
FIGURES_CSV_MAX_BYTES = env_int("FIGURES_CSV_MAX_BYTES", 256 * 1024, 1024)
# A CBS "Wijken en buurten" file on the districts page (questionnaire/views/districts.py): one
# municipality's download is 100-200 kB; the whole country's table is refused (bytes, 1 MB).
DISTRICTS_FILE_MAX_BYTES = env_int("DISTRICTS_FILE_MAX_BYTES", 1024 * 1024, 1024)
# Uploads through the Wagtail admin (images, documents); larger files are refused by Wagtail.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024, 1024)
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024, 1024)
# Every request body larger than this is refused with 413 before it is read (compass/middleware.py).
# 0 (the default) derives it from the largest legitimate upload: the largest of
# EXPORT_JSON_MAX_BYTES, FIGURES_CSV_MAX_BYTES, DISTRICTS_FILE_MAX_BYTES and the
# two Wagtail limits above, plus REQUEST_BODY_OVERHEAD_BYTES for the multipart envelope and
# other fields.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 0, 0)
REQUEST_BODY_OVERHEAD_BYTES = env_int("REQUEST_BODY_OVERHEAD_BYTES", 1024 * 1024, 0)

# The address /fout-voorbeeld/500/ raises an error on purpose, to check the 500 page of a
# deployment (the production smoke test in CI). Off unless ERROR_PREVIEW_PAGES=1.
ERROR_PREVIEW_PAGES = env_bool("ERROR_PREVIEW_PAGES", False)
# A demonstration installation: every page and report says it shows demo data. `setup_demo`
# also stores this in the database (cms.InstallationSettings), so DEMO_MODE=1 is optional.
DEMO_MODE = env_bool("DEMO_MODE", False)

# --- Background work (docs/tasks.md) -------------------------------------------------------
# Django's Tasks API (the django-tasks backport of Django 6's django.tasks). "database" (the
# default): tasks are rows in our database, run by `manage.py db_worker` (any number of them, on
# any machine that reaches the database); "rq": Redis queues run by `manage.py rqworker
# --job-class django_tasks_rq.Job` (needs REDIS_URL and `pip install .[rq]`); "immediate": run
# in the request that enqueues them (unit tests only; never in production).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(sorted(_TASK_BACKENDS))}."
    )
# Two queues: e-mail never waits behind a long PDF render when workers serve them apart.
TASK_QUEUES = ["default", "pdf", "mail"]
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": TASK_QUEUES},
}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60 * 60} for name in TASK_QUEUES}
# /healthz/ answers 503 when the oldest task waiting to run is older than this (seconds): no
# worker runs, or they cannot keep up.
TASKS_HEALTH_MAX_WAIT_SECONDS = env_int("TASKS_HEALTH_MAX_WAIT_SECONDS", 300, 10)
# An e-mail that fails to send is tried again this many times, after 1, 4, 9 ... minutes.
MAIL_TASK_ATTEMPTS = env_int("MAIL_TASK_ATTEMPTS", 5, 1)
# A mail task "running" for longer than this (seconds; well above EMAIL_TIMEOUT) lost its worker
# (killed mid-send): it is marked failed and tried again (compass.mail.reap_stalled_mail).
MAIL_STALL_SECONDS = env_int("MAIL_STALL_SECONDS", 300, 1)

# --- Exports: the council PDF (docs/exports.md) ------------------------------------------
# A worker renders each PDF in a child process with a time and a memory limit ("process");
# "inline" renders in the worker's own process without limits (some unit tests only).
PDF_RENDERING = env_str("PDF_RENDERING", "process")
if PDF_RENDERING not in ("process", "inline"):
    raise ImproperlyConfigured(f"PDF_RENDERING={PDF_RENDERING!r}: use 'process' or 'inline'.")
# A render that takes longer (seconds) or needs more memory (MB of address space) is stopped
# and fails with a Dutch message; the largest allowed cycle stays well within both (measured
# by benchmarks/bench_tasks.py).
PDF_TIME_LIMIT_SECONDS = env_int("PDF_TIME_LIMIT_SECONDS", 120, 5)
PDF_MEMORY_LIMIT_MB = env_int("PDF_MEMORY_LIMIT_MB", 2048, 256)
# A failed render of the same content is not tried again for this long (seconds), so a broken
# report never renders in a loop.
PDF_RETRY_AFTER_FAILURE_SECONDS = env_int("PDF_RETRY_AFTER_FAILURE_SECONDS", 300, 0)
# Stored PDFs that are no longer the newest of their cycle and language are removed after this
# many days (`manage.py prune_pdfs`, cron).
PDF_RETENTION_DAYS = env_int("PDF_RETENTION_DAYS", 30, 0)


# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
# The NL Design System CSS comes from the npm registry (package.json, `npm ci` in the Makefile);
# only its built dist folders are served, under a prefix of their own.
STATICFILES_DIRS = [
    # nlds/nlds.css: only the components and tokens the templates use, built from the npm
    # packages by `make install` (scripts/build-css.mjs, docs/performance.md).
    BASE_DIR / "build" / "static",
    # Noto Sans (SIL Open Font License), self-hosted for the PDF and the site.
    ("fonts/noto-sans", NODE_MODULES / "@fontsource/noto-sans/files"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files only the application hands out (after an access check), never under MEDIA_URL: the
# cached council PDFs. Shared by the app servers like the media storage.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": "/niet-openbaar/"},
    },
    "staticfiles": {
        "BACKEND": (
            # WhiteNoise's compressed manifest, lenient only towards third-party CSS that refers
            # to files its package lacks (compass/staticfiles.py).
            "compass.staticfiles.CompressedManifestStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kwaliteitskompas"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Invitations go to an account by its e-mail address, so nobody sets their own address
# unconfirmed: the Wagtail account page hides the field; the change is confirmed by a link on
# our own account page (/mijn-account/, docs/access.md).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, 1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a mail task waits for the mail server before it fails (and is tried again later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, 1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kwaliteitskompas@localhost")
# EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each mail to a file here.
if env_str("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")

# --- Security (HTTPS settings come from the environment in production) --------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp 4; docs/security.md): only our own origin, never
# 'unsafe-inline' or 'unsafe-eval' for scripts or styles. A script that must be inline carries
# the request's nonce (`{{ request.csp_nonce }}`); everything else lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# What the Wagtail admin (only under this prefix) needs on top of the policy above, and why
# (docs/security.md, tests/compass/test_security_headers.py asserts exactly this).
WAGTAILADMIN_CSP_PREFIX = "/cms-admin/"
# Draftail, Wagtail's rich text editor, renders <style> elements (its placeholders and list
# counters, text that depends on the editor's features and language, so no hash fits): inline
# <style> elements are allowed in the admin only; inline style attributes and inline scripts
# stay forbidden there too.
CSP_WAGTAIL_ADMIN_UPDATE = {"style-src-elem": [SELF, UNSAFE_INLINE]}
# Nothing is loaded from other origins in the Wagtail admin (connect-src 'self'): no avatars
# from gravatar.com, no check for a new Wagtail release at releases.wagtail.org (superusers).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Browser features the app never uses are switched off (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Logging: everything to stdout, so the process manager collects it --------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Every login, failure and lockout (compass/login_protection.py and django-axes).
        "compass.auth": {"level": "INFO"},
        "axes": {"level": "INFO"},
        "axes.apps": {"level": "WARNING"},
    },
}

FORM_RENDERER = "compass.forms.FormRenderer"
