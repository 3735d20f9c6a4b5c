"""One settings module, driven by environment variables with safe embedded defaults.

Every variable is documented in docs/configuration.md.
"""

import datetime as dt
import ipaddress
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CLUSTERTALKS_VAR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def secret_key_from_var_dir() -> str:
    """Generate the key once and keep it in var/, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        # Processes starting side by side (web workers, the task worker) must never read a file
        # that another is still writing: the key is written aside, then linked into place, which
        # succeeds for exactly one of them.
        draft = key_file.with_name(f".secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(64))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


DEBUG = env_flag("DEBUG")
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_var_dir()

SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, got {SITE_URL!r}")
SITE_IS_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = [_site.hostname, "127.0.0.1", "localhost", "[::1]", *env_list("ALLOWED_HOSTS")]
if TESTING:
    ALLOWED_HOSTS.append("testserver")
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}", *env_list("CSRF_TRUSTED_ORIGINS")]

INSTALLED_APPS = [
    # backoffice: the admin site itself (dashboard, technical sections, dates); ahead of the
    # admin so that its templates win, and Django's admin with our site as the default.
    "clustertalks.backoffice",
    "clustertalks.backoffice.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # feeds: sitemap.xml
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "clustertalks.core",
    "clustertalks.people",
    "clustertalks.talks",
    "clustertalks.feeds",
    "clustertalks.materials",
    "clustertalks.search",
    "clustertalks.registrations",
    "clustertalks.api",
    "clustertalks.roles",  # roles: administrator, series organiser, editor, viewer
    "clustertalks.audit",  # audit trail
    # accounts: back-office sign-in (lockout, two factors, passkeys); see docs/organisers.md.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "clustertalks.accounts",
    "clustertalks.newsletter",
    "clustertalks.insights",
    "clustertalks.captions",
    "clustertalks.branding",  # look: a series' identity (name, logo, colours, introduction, hero)
    # Deletes an upload with its row and when it is replaced (after the commit); must stay last.
    "clustertalks.core.cleanup.CleanupOnWriteConfig",  # django-cleanup, without a cost per row read
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clustertalks.core.path_language.PathLanguageMiddleware",  # Django's LocaleMiddleware, cheaper
    "clustertalks.core.language_choice.LanguageChoiceMiddleware",  # before the page cache: redirects by preference
    "django.middleware.common.CommonMiddleware",
    "clustertalks.core.input_guard.RejectNullBytesMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "clustertalks.core.pagecache.PageCacheMiddleware",  # inside ConditionalGet: hits get 304s
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clustertalks.core.middleware.SecurityHeadersMiddleware",
    "clustertalks.audit.context.AuditContextMiddleware",  # who did it, for the audit trail
    # accounts: who verified a second factor, the back-office gate, then axes (last, as it asks).
    "django_otp.middleware.OTPMiddleware",
    "clustertalks.accounts.middleware.TwoFactorGateMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clustertalks.urls"
WSGI_APPLICATION = "clustertalks.wsgi.application"

TEMPLATES = [
    {
        # Django's, with {% load i18n %} keeping fixed texts per language (core/template_backend.py)
        "BACKEND": "clustertalks.core.template_backend.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "clustertalks.core.context_processors.site",
                "clustertalks.branding.context_processors.brand",  # BRAND, and SITE_NAME from it
            ],
            # {% url %} with its answers kept per language (core/templatetags/kept_urls.py)
            "builtins": ["clustertalks.core.templatetags.kept_urls"],
        },
    }
]

# Database: SQLite (WAL) under var/ unless DATABASE_URL names another one.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'clustertalks.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The few statements of every sign-up are prepared on the server after 5 runs on a
    # connection (core/prepared.py); psycopg prepares nothing while this is None. Django's own
    # cursors bind on the client and are never prepared, whatever it says. Off (DB_PREPARED_STATEMENTS=0) behind a pooler in transaction
    # mode that cannot keep prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        5 if env_flag("DB_PREPARED_STATEMENTS", True) else None)
if os.environ.get("TEST_DATABASE_NAME"):  # the test database's name (default: test_ + NAME)
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent too (Django 5.1+ handles SQLite connections like any other): opening one and
    # running the PRAGMAs below cost more than a cached page; health checks drop a bad one.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared across processes), local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clustertalks",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rate limits (core/ratelimit.py) must count across every web process: in Redis when there is
# one (this alias), else in a table of the site's database (core.RateLimitCount).
if REDIS_URL:
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "clustertalks-ratelimit"}
# Page cache (core/pagecache.py, docs/performance.md): anonymous GETs of public pages answered
# from a shared cache, keyed by a content generation that every public write bumps. Its own
# cache alias: the same Redis when REDIS_URL is set, else this process's memory (then the
# generation lives in a file under var/, so every process on the machine sees a bump).
PAGE_CACHE_ENABLED = env_flag("PAGE_CACHE", default=True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
# The archive's and search's speaker and organisation filters list at most this many (the
# busiest); the speakers' and organisations' indexes list every one.
FILTER_OPTIONS_MAX = int(os.environ.get("FILTER_OPTIONS_MAX", "200"))
# Each process keeps copies of the pages it served lately (core.pagecache.KeptEntries), checked
# against the shared generation on every hit: this many bytes of page content per process.
PAGE_CACHE_KEPT_BYTES = int(os.environ.get("PAGE_CACHE_KEPT_BYTES", str(32 * 1024 * 1024)))
PAGE_CACHE_GENERATION_FILE = VAR_DIR / "page-generation"
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "clustertalks-pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# Saves, deletes and m2m changes of these apps (or "app.Model") bump the generation; add your
# app here in one line when its models show on a public page. Raw writes call
# core.pagecache.bump_public_generation() themselves.
PAGE_CACHE_PUBLIC_MODELS = [
    "talks", "people", "materials", "feeds", "search", "registrations.RegistrationPolicy",
    "newsletter.Digest",  # the public archive of sent digests
    "branding",  # the identity heads every page
    "captions.Chapter", "captions.CaptionTrack", "captions.PlayerInfo",  # the player's extras
]
# Parts kept per generation that nearly every page reads: prime() (tests, benchmarks) fills them.
# Parts of pages kept per content generation, built by pagecache.prime() (tests and benchmarks
# then count only a page's own queries): talk translations, the site identity.
PAGE_CACHE_PRIMERS = [
    "clustertalks.talks.translations.prime",
    "clustertalks.branding.services.site_identity",
]
PAGE_CACHE_IGNORED_MODELS = [
    "feeds.ShareImage",  # made on demand by share.png; no page shows it
    "search.SearchDocument",  # the index task bumps once per run (bulk writes)
]
# Responses under these paths are stored even without Cache-Control: public (they set none).
PAGE_CACHE_PUBLIC_PREFIXES = ["/api/v1/", "/feeds/"]
PAGE_CACHE_EXCLUDED_PREFIXES = ["/admin/", "/media/", "/j/", "/registration/"]
# Functions (now -> datetime | None) giving the next moment a page changes with no write.
# Parts every page reads once per generation (pagecache.per_generation), built by `prime()` so
# that tests and benchmarks count only a page's own queries.
PAGE_CACHE_STATE_CHANGES = [
    "clustertalks.talks.services.next_state_change",
    "clustertalks.registrations.services.next_closing_time",
]

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True) or files under var/mail/.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# Every SMTP wait (connect, each reply) gives up after EMAIL_TIMEOUT seconds, so a server that
# accepts the connection and never answers cannot hang the worker (EMAIL_URL's ?timeout= wins).
if not globals().get("EMAIL_TIMEOUT"):
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "clustertalks <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The accessibility statement (core/accessibility, EU model statement of Directive 2016/2102):
# who answers accessibility feedback (ACCESSIBILITY_CONTACT_EMAIL, else CONTACT_EMAIL; empty:
# the statement says to write to the organisers through the address of their emails), when the
# statement was prepared and last reviewed (ISO dates), how conformance was checked, and where a
# visitor turns when the answer does not satisfy them (the enforcement procedure).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "") or CONTACT_EMAIL
ACCESSIBILITY_STATEMENT_PREPARED = os.environ.get("ACCESSIBILITY_STATEMENT_PREPARED", "2026-12-07")
ACCESSIBILITY_STATEMENT_REVIEWED = os.environ.get("ACCESSIBILITY_STATEMENT_REVIEWED", "")
ACCESSIBILITY_ENFORCEMENT_URL = os.environ.get(
    "ACCESSIBILITY_ENFORCEMENT_URL",
    "https://digital-strategy.ec.europa.eu/en/policies/web-accessibility-directive-standards-and-harmonisation",
)

# Background tasks: the database backend, run by `clustertalks worker`.
# Two queues: "default" (emails, indexing, sweeps) taken by `clustertalks worker`, and
# "transcription" (automatic captions, minutes of CPU per talk) by `clustertalks transcriber`.
TASK_QUEUES = ["default", "transcription"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": TASK_QUEUES}}

# Automatic captions (the optional extra `clustertalks[transcribe]`).
TRANSCRIBE_MODEL = os.environ.get("TRANSCRIBE_MODEL", "base")  # "base" or "small"
TRANSCRIBE_CPU_THREADS = int(os.environ.get("TRANSCRIBE_CPU_THREADS", "0") or 0)  # 0: cores - 1
TRANSCRIBE_ON_UPLOAD = env_flag("TRANSCRIBE_ON_UPLOAD", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. Times are stored in UTC and shown in each series' own zone;
# TIME_ZONE is the zone of the back office and of talks that belong to no series.
# Languages (docs/translating.md): the 24 official EU languages, each offered (switcher,
# hreflang, sitemap, URL prefix /fr/...) only once its compiled catalogue is installed under
# LOCALE_PATHS; English, the source language, has no prefix and is always offered.
from clustertalks.core.languages import (  # noqa: E402  (plain module, no Django settings)
    EU_LANGUAGES, EXTRA_LANG_INFO, NATIVE_NAMES, offered_codes,
)
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO.update({code: info for code, info in EXTRA_LANG_INFO.items() if code not in LANG_INFO})
LANGUAGE_CODE = "en"
# locale_django holds Django's own strings (forms, admin, sign-in) where Django ships no catalogue:
# Maltese. Ours come first; a language is offered for our catalogue alone.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_django"]
ALL_LANGUAGES = [(code, name) for code, name, _locale in EU_LANGUAGES]
LANGUAGES = [(code, NATIVE_NAMES[code]) for code in offered_codes(LOCALE_PATHS[:1])]
# The switcher's choice, kept a year: a functional cookie (no identifier), named in the privacy notice.
LANGUAGE_COOKIE_NAME = "clustertalks_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media")).resolve()
# Serve uploads from Django when no proxy does it (the single-machine setup of `make run`).
SERVE_MEDIA = env_flag("SERVE_MEDIA", default=True)
# Who sends an upload's bytes (core/media.py): "django" (Range-capable view), "nginx"
# (X-Accel-Redirect to MEDIA_ACCEL_PREFIX, an internal location) or "sendfile" (X-Sendfile).
MEDIA_SERVER = os.environ.get("MEDIA_SERVER", "django")
if MEDIA_SERVER not in {"django", "nginx", "sendfile"}:
    raise ImproperlyConfigured("MEDIA_SERVER must be django, nginx or sendfile")
MEDIA_ACCEL_PREFIX = os.environ.get("MEDIA_ACCEL_PREFIX", "/protected-media/")
# Who may download an upload: a function (request, path) -> "public", "private" or None
# (refused); materials.media knows the rule of every kind of upload (drafts stay closed).
MEDIA_ACCESS_CHECK = "clustertalks.materials.media.media_access"
STORAGES = {
    # Uploads get unguessable names (core/storage.py).
    "default": {"BACKEND": "clustertalks.core.storage.UnguessableFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads on S3-compatible storage (docs/deployment.md) when MEDIA_S3_BUCKET is set; needs
# `pip install 'clustertalks[s3]'` (django-storages + boto3). The bucket then serves the bytes,
# Range included, and no web worker is held for a download.
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_flag("MEDIA_S3_SIGNED_URLS", default=False),
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "admin:login"

# Security. Production (an https SITE_URL) gets secure cookies, HSTS and an https redirect.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_IS_HTTPS
CSRF_COOKIE_SECURE = SITE_IS_HTTPS
LANGUAGE_COOKIE_SECURE = SITE_IS_HTTPS
SECURE_SSL_REDIRECT = SITE_IS_HTTPS and env_flag("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if SITE_IS_HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SITE_IS_HTTPS
SECURE_HSTS_PRELOAD = SITE_IS_HTTPS and env_flag("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
if SITE_IS_HTTPS and not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY is too short for production: use 50+ random characters")

# Public pages are cacheable by browsers and proxies for this many seconds.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))

# Newsletter: how long a confirmation link works; outbox rows written per batch of a digest.
NEWSLETTER_CONFIRM_DAYS = int(os.environ.get("NEWSLETTER_CONFIRM_DAYS", "7"))
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-tasks logs two INFO lines per task (started, finished): hundreds when the
        # worker starts, which push `make run`'s sign-in hint off the screen. Failures are
        # logged at ERROR and still show; TASK_LOG_LEVEL=INFO brings the lines back.
        "django_tasks": {"level": os.environ.get("TASK_LOG_LEVEL", "WARNING")},
    },
}

# Registrations (docs/registrations.md): form submissions allowed per client address and window
# (0 switches the limit off), how long personal data is kept after a talk, how long the link of
# a "manage my registration" email stays valid, and the default reminders of a series.
REGISTRATION_RATE_LIMIT = int(os.environ.get("REGISTRATION_RATE_LIMIT", "10"))
REGISTRATION_RATE_WINDOW = int(os.environ.get("REGISTRATION_RATE_WINDOW", "600"))
REGISTRATION_RETENTION_MONTHS = int(os.environ.get("REGISTRATION_RETENTION_MONTHS", "12"))
REGISTRATION_LINK_MAX_AGE_DAYS = int(os.environ.get("REGISTRATION_LINK_MAX_AGE_DAYS", "400"))

# Audit trail (docs/roles.md): entries older than this many days are deleted by the worker's
# hourly sweep; 0 keeps them forever.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))

# Workers and outbound safety (docs/deployment.md, "Workers"): a claimed email or webhook delivery
# is reserved for DELIVERY_LEASE_SECONDS (longer than any send can take with the timeouts); each
# worker writes a heartbeat every WORKER_HEARTBEAT_SECONDS, and a task left RUNNING by a worker
# silent for 4 heartbeats is re-queued (failed after 3 workers died on it); finished task
# results are pruned after TASK_RESULT_RETENTION_DAYS. Webhook requests time out after
# WEBHOOK_TIMEOUT seconds and never go to loopback, private, link-local, CGNAT, multicast or
# reserved addresses, except to the host names an administrator lists in WEBHOOK_ALLOWED_HOSTS.
DELIVERY_LEASE_SECONDS = int(os.environ.get("DELIVERY_LEASE_SECONDS", "120"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "15"))
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("TASK_RESULT_RETENTION_DAYS", "14"))
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS")
# Back-office sign-in (accounts app, docs/organisers.md and docs/configuration.md).
# Argon2 first: older PBKDF2 hashes still work and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Axes refuses every password while an account or an address is locked out; the model backend
# then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "admin:index"
# Lock out after LOGIN_FAILURE_LIMIT wrong passwords for one account OR from one address, for
# LOGIN_COOLOFF_MINUTES (every attempt during a lockout starts the cool-off again).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "clustertalks.accounts.views.locked_out"
# The visitor's address, X-Forwarded-For believed only from TRUSTED_PROXIES (core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "clustertalks.accounts.services.client_ip"
# Failed attempts are kept only for the cool-off; successful sign-ins are not logged by axes.
AXES_DISABLE_ACCESS_LOG = True
# A second factor (authenticator app, passkey, recovery code) is required in the back office
# for everybody who sees personal data (accounts.services.requires_two_factor), and asked of
# everybody who set one up. Off only in automated tests.
ADMIN_REQUIRE_TWO_FACTOR = env_flag("ADMIN_REQUIRE_TWO_FACTOR", default=True)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "clustertalks")
# Passkeys (WebAuthn): bound to the host name of SITE_URL. Browsers refuse an IP address as
# relying party, so a local SITE_URL on 127.0.0.1 gives passkeys on http://localhost:<port>.
# Elsewhere browsers offer passkeys over https only.
if _site.hostname in {"127.0.0.1", "::1", "localhost"}:
    OTP_WEBAUTHN_RP_ID = "localhost"
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"http://localhost{f':{_site.port}' if _site.port else ''}"]
else:
    OTP_WEBAUTHN_RP_ID = _site.hostname
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{_site.netloc}"]
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# Passkeys are a second factor after the password, never a way around the lockout.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The reverse proxies whose X-Forwarded-For is believed (core/clientip.py): addresses or networks,
# e.g. "127.0.0.1,10.0.0.0/8". Empty: REMOTE_ADDR is the client (no proxy in front).
# With BEHIND_PROXY and nothing listed, the proxy is taken to run on this machine (the guide's nginx).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES") or (["127.0.0.1", "::1"] if env_flag("BEHIND_PROXY") else [])
try:
    [ipaddress.ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None
# Valid registration submissions per email address and window (0: no limit): nobody can make the
# site mail one address over and over.
REGISTRATION_RATE_LIMIT_PER_EMAIL = int(os.environ.get("REGISTRATION_RATE_LIMIT_PER_EMAIL", "3"))
# Rows of the outgoing email log are deleted this many days after they were queued.
MAIL_LOG_RETENTION_DAYS = int(os.environ.get("MAIL_LOG_RETENTION_DAYS", "90"))

# A forged or expired form gets a page that explains, instead of a bare 403.
CSRF_FAILURE_VIEW = "clustertalks.core.views.csrf_failure"
# Search by meaning (docs/search.md): multilingual embeddings computed by the worker, compared
# in each web process with an int8 matrix of at most SEARCH_VECTORS_MAX_ROWS documents
# (384 bytes each: 200,000 rows take 77 MB).
SEARCH_EMBEDDINGS = env_flag("SEARCH_EMBEDDINGS", True)
SEARCH_VECTORS_MAX_ROWS = int(os.environ.get("SEARCH_VECTORS_MAX_ROWS", "200000"))
SEARCH_EMBEDDING_THREADS = int(os.environ.get("SEARCH_EMBEDDING_THREADS", "1"))
