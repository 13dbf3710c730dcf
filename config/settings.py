"""One settings module for every environment, switched by environment variables.

Without any variable set the site runs on the *embedded default*: SQLite,
Wagtail's database search, tasks inline (Celery eager) and e-mail to the console.
Production switches on parts one by one (docs/deployment.md lists every variable):

    SECRET_KEY, ALLOWED_HOSTS, DEBUG, DATABASE_URL, REDIS_URL / CELERY_BROKER_URL,
    ELASTICSEARCH_URL / OPENSEARCH_URL, EMAIL_URL, DEFAULT_FROM_EMAIL, BASE_URL

Sections, in order: general, apps, middleware, templates, database, cache, Celery and
background tasks, search, e-mail, authentication, rate limits, internationalisation, static
files and media, Wagtail, security, logging, and the settings of each project app.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# === GENERAL ====================================================================================

DEBUG = env_bool("DEBUG", False)
# Production is whatever runs with a real SECRET_KEY; without one we are on a developer's
# machine or in the test suite and use an insecure, clearly named key.
PRODUCTION = bool(env("SECRET_KEY"))
SECRET_KEY = env("SECRET_KEY") or "django-insecure-development-only-key-never-use-in-production"
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address for absolute links in e-mails (``https://example.org``). Required in
# production. Without it (embedded default) links use the address the site is served on
# (core/site_address.py): the one requests arrive on, before any request DEV_SERVER_URL.
BASE_URL = env("BASE_URL", "").rstrip("/")
DEV_SERVER_URL = env("DEV_SERVER_URL", "http://localhost:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL or DEV_SERVER_URL
WAGTAIL_SITE_NAME = "Netværket for Social Innovation"  # also the issuer in authenticator apps
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# === APPS =======================================================================================

# Project apps come first so their templates override Wagtail's and Django's.
LOCAL_APPS = [
    "core",
    "taxonomy",
    "home",
    "cases",
    "resources",
    "events",
    "members_area",
    "search",
    "newsletters",
    "forum",
    "contact",
    "comments",
    "alerts",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_fennel",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
INSTALLED_APPS = LOCAL_APPS + THIRD_PARTY_APPS + DJANGO_APPS

# === MIDDLEWARE =================================================================================

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content Security Policy: public pages and the admin get their own (config/middleware.py).
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Permissions-Policy everywhere; private, no-store for signed-in visitors.
    "config.middleware.ResponseHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.site_address.RememberSiteAddressMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL bytes in a URL or form field: 400 before any view or database sees them.
    "core.bad_input.RejectNulBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: request.user.is_verified(), then the admin's second factor.
    "django_otp.middleware.OTPMiddleware",
    "config.two_factor.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and absolute lifetime of signed-in sessions (config/middleware.py).
    "config.middleware.SessionTimeoutMiddleware",
    "members_area.middleware.MembershipMiddleware",
    # Above the page cache, so responses served from it carry X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # AxesMiddleware must be last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

# === TEMPLATES ==================================================================================

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [
            BASE_DIR / "site" / "templates",
            BASE_DIR / "config" / "templates",  # two-factor pages
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "members_area.context_processors.membership",
            ],
        },
    },
]

# === DATABASE ===================================================================================

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Connections persist on SQLite too: a new connection parses the whole schema (hundreds of
    # tables and indexes) on its first statement, which cost more than the rest of a page-cache
    # hit. SQLite locks the file, not the connection, so a kept connection holds nothing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# === CACHE ======================================================================================

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that misses instead of failing when Redis is away, and skips
            # it for CACHE_BREAKER_SECONDS after a failure (docs/reliability.md).
            "BACKEND": "core.cache.CircuitBreakerRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"circuit_breaker_reset_after": float(env("CACHE_BREAKER_SECONDS", "15"))},
            "KEY_PREFIX": "sin",
            "TIMEOUT": 600,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous full-page cache (core/page_cache.py). It needs a cache shared by all workers to
# purge correctly, so it is on by default only with Redis.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))

# === CELERY AND BACKGROUND TASKS ================================================================

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# No broker: run every task inline, so the embedded default needs no running services.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_RESULT_EXTENDED = True  # django-tasks results (worker ids, attempts) from Celery
# A dead or hung broker must fail a publish within about two seconds, once: one attempt (no
# publish retries), short socket timeouts, and then the broker's circuit breaker skips it for
# BROKER_BREAKER_SECONDS, work running inline or waiting for the beat (config/background.py,
# docs/reliability.md). The worker's own BRPOP needs the socket timeout above its 1 s poll.
# (The worker keeps Celery's own reconnecting: broker_connection_retry stays on.)
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
BROKER_BREAKER_SECONDS = float(env("BROKER_BREAKER_SECONDS", env("CACHE_BREAKER_SECONDS", "15")))
# Every periodic task of every app, run by the one beat process (scripts/run-beat).
CELERY_BEAT_SCHEDULE = {
    # Failed index writes (engine down) wait in search's IndexOutbox.
    "search-retry-index-outbox": {"task": "search.retry_index_outbox", "schedule": 60.0},
    "event-reminders": {"task": "events.tasks.send_event_reminders", "schedule": 60 * 60},
    # Health data (dietary/accessibility needs): gone within an hour of the event's end.
    "event-needs-erasure": {"task": "events.tasks.erase_event_needs", "schedule": 60 * 60},
    # Materials published before an event began: mailed once it has (each participant once).
    "event-materials": {"task": "events.tasks.announce_due_materials", "schedule": 60 * 60},
    "event-registration-retention": {
        "task": "events.tasks.anonymise_event_registrations",
        "schedule": 24 * 60 * 60,
    },
    "newsletter-dispatch": {"task": "newsletters.tasks.dispatch_due_newsletters", "schedule": 60},
    "form-submission-retention": {
        "task": "contact.tasks.delete_expired_form_submissions",
        "schedule": 24 * 60 * 60,
    },
    # Post alerts' daily digest at 07:00 (the alerts themselves are outbox messages).
    "post-alerts-daily-digest": {
        "task": "alerts.tasks.send_daily_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Forum: the daily digest for members who chose it over one e-mail per post.
    "forum-daily-digest": {
        "task": "forum.tasks.send_daily_digests_task",
        "schedule": crontab(hour=7, minute=15),
    },
    # Double opt-ins never confirmed within their link's lifetime: deleted.
    "comments-delete-unconfirmed": {
        "task": "comments.tasks.delete_unconfirmed_comments_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "post-alerts-delete-unconfirmed": {
        "task": "alerts.tasks.delete_unconfirmed_subscriptions_task",
        "schedule": crontab(hour=3, minute=40),
    },
    # Every e-mail (core/outbox): lasting retries, messages whose broker was down, dead workers.
    "outbox-deliver-due": {"task": "core.outbox.tasks.deliver_due_emails", "schedule": 60},
}

# Wagtail's own background work (search index, reference index, ...) goes to Celery when there
# is a broker, enqueued only once the surrounding transaction has committed
# (config/tasks_backend.py, on django-tasks-fennel's CeleryBackend); inline otherwise.
if CELERY_BROKER_URL:
    TASKS = {"default": {"BACKEND": "config.tasks_backend.OnCommitCeleryBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# === SEARCH =====================================================================================

ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
OPENSEARCH_URL = env("OPENSEARCH_URL")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", "netvaerk")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch9",
            "URLS": env_list("ELASTICSEARCH_URL"),
            "INDEX": SEARCH_INDEX_PREFIX,
            "TIMEOUT": 5,
        }
    }
elif OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.opensearch3",
            "URLS": env_list("OPENSEARCH_URL"),
            "INDEX": SEARCH_INDEX_PREFIX,
            "TIMEOUT": 5,
            # Danish stemming/stop words in the index (off only for engines without them).
            "DANISH_ANALYSIS": env_bool("OPENSEARCH_DANISH", True),
        }
    }
# The database backend: the embedded default, and next to an external engine the index that
# searches fall back to while the engine is down (search.backends.engine), kept up to date too.
DATABASE_SEARCH_BACKEND = {
    "BACKEND": "search.backends.database",
    # Danish stemming and stop words (PostgreSQL's configuration; Snowball Danish on SQLite).
    "SEARCH_CONFIG": "danish",
    "AUTOCOMPLETE_SEARCH_CONFIG": "simple",
}
if ELASTICSEARCH_URL or OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["database"] = DATABASE_SEARCH_BACKEND
else:
    WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}

# === E-MAIL =====================================================================================


def _email_settings(url: str) -> dict:
    """Parse EMAIL_URL, e.g. smtp://user:pass@mail.example.dk:587?tls=1 or smtps://..."""
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        # Django's SMTP backend that marks the end of DATA for the outbox (core/outbox/smtp.py).
        "EMAIL_BACKEND": "core.outbox.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", "0") in {"1", "true"},
        "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
    }


if env("EMAIL_URL"):
    globals().update(_email_settings(env("EMAIL_URL")))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Netværket for Social Innovation <kontakt@socialinnovation.dk>"
)
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The outbox (core/outbox, docs/outbox.md): a message claimed by a worker that died is taken
# over after OUTBOX_CLAIM_TIMEOUT seconds (resent if it never reached the end of DATA);
# refused or undelivered messages are retried with backoff from OUTBOX_RETRY_BASE_SECONDS
# (doubling, at most an hour) up to OUTBOX_MAX_ATTEMPTS times.
OUTBOX_CLAIM_TIMEOUT = int(env("OUTBOX_CLAIM_TIMEOUT", "300"))
OUTBOX_RETRY_BASE_SECONDS = int(env("OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "20"))

# === AUTHENTICATION =============================================================================

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "members_area:login"
LOGIN_REDIRECT_URL = "members_area:dashboard"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Signed-in sessions: editors 2 h idle / 12 h at most, members 12 h idle / 7 days at most
# (config.middleware.SessionTimeoutMiddleware); the cookie never outlives the longest.
SESSION_IDLE_SECONDS_STAFF = int(env("SESSION_IDLE_SECONDS_STAFF", str(2 * 60 * 60)))
SESSION_MAX_SECONDS_STAFF = int(env("SESSION_MAX_SECONDS_STAFF", str(12 * 60 * 60)))
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_SECONDS", str(12 * 60 * 60)))
SESSION_MAX_SECONDS = int(env("SESSION_MAX_SECONDS", str(7 * 24 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock out after repeated failures for the same username from the same IP.
# The IP is the real client's (our one client-IP function, honouring TRUSTED_PROXY_COUNT):
# behind nginx REMOTE_ADDR is the proxy, so keying on it would let anyone lock anyone out.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "members_area/locked_out.html"

# Editors need a TOTP second factor for /admin/ wherever a real SECRET_KEY is set
# (config/two_factor.py, django-otp).
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# === RATE LIMITS ================================================================================

# Named policies (core/ratelimits.py): rates per client address ("ip"), per account ("user")
# and per e-mail address a form is about ("address"). Searches are generous: people type,
# scripts hammer. Logins count failures only, on top of django-axes.
_search_rate = env("SEARCH_RATELIMIT", "120/m")
RATE_LIMITS = {
    "login": {"ip": "20/10m"},  # a busy office behind one address still gets in
    "password_reset": {"ip": "5/h"},
    # Every e-mail a stranger can make us send to an address (newsletter and registration
    # confirmations, password resets from the site or the admin, invitations) shares this
    # budget per address, whatever IP or form the requests come from: nobody can mail-bomb
    # someone else's inbox.
    "mail_to_address": {"address": env("MAIL_TO_ADDRESS_RATELIMIT", "5/h")},
    "forum_report": {"user": "10/h"},
    "newsletter_signup": {"ip": "10/h"},
    "event_registration": {"ip": "20/h"},
    "invitation_accept": {"ip": "20/h"},
    "invite_colleague": {"user": "30/h"},
    "two_factor": {"user": "10/5m"},
    "search": {"ip": _search_rate},
    # The library search view and the pages embedding it run the same search: one budget.
    "library_search": {"ip": _search_rate},
    "autocomplete": {"ip": env("AUTOCOMPLETE_RATELIMIT", "600/m")},
    # One budget for every contact/join form page (contact app).
    "contact_form": {
        "ip": env("CONTACT_FORM_IP_RATE", "10/h"),
        "address": env("CONTACT_FORM_ADDRESS_RATE", "3/h"),
    },
    # Strangers' comments and post-alert sign-ups mail the address given: limited per address.
    "comment": {"ip": "10/h", "address": "5/h"},
    "post_alerts": {"ip": "10/h", "address": "3/h"},
}
# Reverse proxies in front of Django whose X-Forwarded-For we trust: 1 behind the documented
# nginx, 0 (REMOTE_ADDR as is) when nothing is in front. Too high lets visitors forge their
# address; too low puts every visitor behind the proxy's one address. See core/client_ip.py.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"  # key="ip" = the real client address

# === INTERNATIONALISATION =======================================================================

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# === STATIC FILES AND MEDIA =====================================================================

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise warns on every start when collectstatic has not run; in development it serves
# from the finders instead, so the warning is noise.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", PRODUCTION)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# === WAGTAIL ====================================================================================

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"}
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_FRONTEND_LOGIN_URL = "/medlemmer/log-ind/"
# Shared-password page restrictions are switched off: members-only content is gated by group.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Documents are served through Django so collection view restrictions are enforced.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "txt",
    "epub",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(env("WAGTAILDOCS_MAX_UPLOAD_SIZE", str(50 * 1024 * 1024)))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]

# === SECURITY ===================================================================================

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # /admin/ previews get SAMEORIGIN (config/middleware.py)
if PRODUCTION and not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)

# Content Security Policy (django-csp 4). Public pages: no inline script or style at all.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
_EMBED_HOSTS = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "frame-src": _EMBED_HOSTS,
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:", "https:"],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF, *_EMBED_HOSTS],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}

# === LOGGING ====================================================================================

# JSON lines in production, plain text on a developer's machine (LOG_FORMAT=json|plain).
_log_format = env("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": (
                "json"
                if env("LOG_FORMAT", "json" if PRODUCTION else "plain") == "json"
                else "plain"
            ),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# === PROJECT APPS ===============================================================================

# members_area: how long an invitation link stays valid.
MEMBER_INVITATION_DAYS = int(env("MEMBER_INVITATION_DAYS", "14"))

# events: double opt-in window, reminder horizon, how long registrations keep personal data.
EVENT_CONFIRMATION_HOURS = int(env("EVENT_CONFIRMATION_HOURS", "48"))
EVENT_REMINDER_DAYS = int(env("EVENT_REMINDER_DAYS", "2"))
EVENT_REGISTRATION_RETENTION_DAYS = int(env("EVENT_REGISTRATION_RETENTION_DAYS", "90"))

# newsletters: sending batches, a stuck claim's timeout, attempts per delivery, double opt-in.
NEWSLETTER_BATCH_SIZE = int(env("NEWSLETTER_BATCH_SIZE", "100"))
NEWSLETTER_CONFIRM_HOURS = int(env("NEWSLETTER_CONFIRM_HOURS", "72"))
NEWSLETTER_WEBHOOK_SECRET = env("NEWSLETTER_WEBHOOK_SECRET")

# contact: a form filled in faster than CONTACT_FORM_MIN_SECONDS was not filled in by a person;
# its signed fill-time stamp is valid CONTACT_FORM_MAX_AGE_SECONDS.
CONTACT_FORM_MIN_SECONDS = int(env("CONTACT_FORM_MIN_SECONDS", "3"))
CONTACT_FORM_MAX_AGE_SECONDS = int(env("CONTACT_FORM_MAX_AGE_SECONDS", str(60 * 60 * 24)))

# forum: accounts younger than FORUM_NEW_ACCOUNT_DAYS may post FORUM_NEW_ACCOUNT_POSTS times
# per FORUM_FLOOD_MINUTES, other members FORUM_MEMBER_POSTS times; authors may edit a post for
# FORUM_EDIT_MINUTES.
FORUM_NEW_ACCOUNT_DAYS = 7
FORUM_NEW_ACCOUNT_POSTS = 3
FORUM_MEMBER_POSTS = int(env("FORUM_MEMBER_POSTS", "15"))  # everyone else, same window
FORUM_FLOOD_MINUTES = 10
FORUM_EDIT_MINUTES = 30
# forum e-mails: how much of a post they quote; how far back a digest reaches at most.
FORUM_EMAIL_EXCERPT_CHARS = 300
FORUM_DIGEST_MAX_DAYS = 7

# comments: the writer's e-mailed link is valid COMMENT_CONFIRM_HOURS; a form sent back faster
# than COMMENT_MIN_FILL_SECONDS was filled in by a machine; at most COMMENT_MAX_LINKS links.
COMMENT_CONFIRM_HOURS = int(env("COMMENT_CONFIRM_HOURS", "72"))
COMMENT_MIN_FILL_SECONDS = int(env("COMMENT_MIN_FILL_SECONDS", "4"))
COMMENT_MAX_LINKS = int(env("COMMENT_MAX_LINKS", "2"))
