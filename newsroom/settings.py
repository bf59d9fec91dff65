"""
Notizie's one settings module. Every value that differs between a laptop and
production comes from the environment; the helpers below refuse bad values
loudly instead of guessing.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A known fallback key would let anyone forge sessions and signed links.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local work."
        )
    # Local development only: a fresh random key per process.
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    # Full-text search on PostgreSQL; importing it is harmless on SQLite.
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "csp",
    "axes",
    "newsroom",
    "images",
    "authors",
    "articles",
    "comments",
    "wordpress",
]

MIDDLEWARE = [
    # Behind a reverse proxy: the reader's address, from X-Forwarded-For, for
    # everything below (off unless TRUSTED_PROXIES is set).
    "newsroom.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down or restarting: a friendly 503, not a 500.
    "newsroom.unavailable.DatabaseUnavailableMiddleware",
    # Reader pages from the cache: a hit is answered here, with the headers
    # the middleware below gave the page when it was stored.
    "newsroom.cache.PageCacheMiddleware",
    # Security headers: see the "Security" block below.
    "newsroom.security.NewsroomCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    # Reader pages (jinja2/): see newsroom/jinja2.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "newsroom.context_processors.site",
            ],
        },
    },
    # The admin, emails, feeds and sitemaps (templates/).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers at once (gunicorn workers, threads): WAL lets readers go on
    # while one writes, IMMEDIATE takes the write lock when a transaction
    # starts (so no writer fails half-way with "database is locked"), and the
    # others wait for it up to `timeout` seconds.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The local-memory cache serves one process. Several processes must share one
# cache, or an edit would not reach the pages the others stored: REDIS_URL for
# several servers (or one), CACHE_DIR for the processes of one machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("CACHE_DIR", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, except that a Redis that is down or slow
            # reads as a miss and drops writes: pages are served uncached,
            # never a 500; and one Redis client per process instead of one
            # per call (newsroom/cache_backends.py).
            "BACKEND": "newsroom.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "notizie",
            # A Redis that is gone must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
elif CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
            # Two entries a page (the page, its validators): room for 10,000 pages.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Page cache ------------------------------------------------------------------
# Readers' pages stored whole by the cache tags of what they show, stale as
# soon as a write touches one of them (newsroom/cache.py, invalidation.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# How long a stored page may live, in seconds: writes make it stale sooner, no
# page outlives the next scheduled publication, and this bounds what a write
# that sends no signal (raw SQL) can leave behind.
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 3600)
# What browsers are told (Cache-Control max-age): how long they may reuse a
# page without asking, and how long a shared cache may serve it while it asks.
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env_int("PAGE_CACHE_STALE_WHILE_REVALIDATE", 300)
# How long the edge cache may keep a page (s-maxage) when writes purge it
# (PAGE_CACHE_PURGER); without a purger it is told PAGE_CACHE_MAX_AGE.
PAGE_CACHE_EDGE_MAX_AGE = env_int("PAGE_CACHE_EDGE_MAX_AGE", 86400)
# End of page cache -----------------------------------------------------------

# Edge cache ------------------------------------------------------------------
# Once a write commits, the pages it touched are purged by tag from the cache
# in front (newsroom/purgers.py): none (nothing in front purges by tag: nginx
# alone, deploy/nginx.conf), varnish (deploy/varnish.vcl, docs/edge-cache.md)
# or fastly. Failed purges are retried in the background; a save never fails.
PAGE_CACHE_PURGER = os.environ.get("PAGE_CACHE_PURGER", "none").strip().lower()
# Varnish: every server's address (http://10.0.0.5:6081), each sent every
# purge, and the token its VCL was filled with.
VARNISH_URLS = env_list("VARNISH_URLS", [])
PURGE_TOKEN = os.environ.get("PURGE_TOKEN", "")
# Fastly: the service, and an API token allowed to purge it (purge_select).
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
if PAGE_CACHE_PURGER not in {"none", "varnish", "fastly"}:
    raise ImproperlyConfigured(
        f"PAGE_CACHE_PURGER={PAGE_CACHE_PURGER!r}: use none, varnish or fastly."
    )
if PAGE_CACHE_PURGER == "varnish":
    if not VARNISH_URLS or not all(url.startswith(("http://", "https://")) for url in VARNISH_URLS):
        raise ImproperlyConfigured("VARNISH_URLS: the Varnish servers, e.g. http://10.0.0.5:6081.")
    # The VCL refuses to load with any other (deploy/varnish.vcl).
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,}", PURGE_TOKEN):
        raise ImproperlyConfigured("PURGE_TOKEN: 16 or more of A-Z, a-z, 0-9, _ and -.")
if PAGE_CACHE_PURGER == "fastly" and not (FASTLY_SERVICE_ID and FASTLY_API_TOKEN):
    raise ImproperlyConfigured(
        "PAGE_CACHE_PURGER=fastly needs FASTLY_SERVICE_ID and FASTLY_API_TOKEN."
    )
# End of edge cache -----------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "it")
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this size go to a temporary file instead of memory; the image
# validators refuse anything over 20 MB anyway.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security --------------------------------------------------------------------
# Headers on every page. Reader pages run no inline script or style at all;
# the admin may also run the editor's import map, by its hash
# (newsroom/security.py). Media on another host (object storage, a CDN) needs
# its origin in CSP_EXTRA_IMG_SRC, e.g. https://media.notizie.example.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env_list("CSP_EXTRA_IMG_SRC", [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Features no page of ours uses, refused to every frame and script.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# HTTPS. Off by default so that tests and a local gunicorn work on plain HTTP;
# production sets SECURE_SSL_REDIRECT=1 and SECURE_COOKIES=1 (see README).
# Browsers honour HSTS only over HTTPS, so it is on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a proxy that ends TLS: SECURE_PROXY_SSL_HEADER=1 trusts its
# "X-Forwarded-Proto: https". Only if the proxy always sets that header itself,
# overwriting the client's; otherwise anyone could claim HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions (readers' pages set none): a session unused for
# STAFF_SESSION_IDLE_MINUTES ends, and each request of the admin moves its end.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 120)
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads the token from the cookie

# Behind a reverse proxy every request comes from the proxy. TRUSTED_PROXIES
# lists the proxies' addresses or networks (127.0.0.1 when nginx runs on the
# same machine): for requests from them, the reader's address is read from
# X-Forwarded-For (newsroom/proxies.py). Empty: REMOTE_ADDR is the reader.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Admin sign-in: after AXES_FAILURE_LIMIT failures in a row, that user name
# from that address is refused for AXES_COOLOFF_MINUTES; everyone else,
# and the reader pages, are unaffected. `manage.py axes_reset` unlocks early.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.locked_out"
# The reader's address, as for comments: the direct peer, or behind trusted
# proxies the address they forwarded (newsroom/proxies.py).
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
# End of security -------------------------------------------------------------

# Site identity, used by templates, feeds and structured data.
SITE_NAME = os.environ.get("SITE_NAME", "Notizie")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Il quotidiano online")
# The public host name, e.g. notizie.example: feeds and sitemaps build their
# absolute links on it (`manage.py migrate` copies it into the Site record).
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "")

# Reader pages.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)
HOME_LATEST_COUNT = env_int("HOME_LATEST_COUNT", 10)
HOME_SECTION_COUNT = env_int("HOME_SECTION_COUNT", 4)
# Tag URLs in plain ASCII: "Sanità" lives at /tag/sanita/.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

# Editorial workflow: how long a shared preview link works, and how long an
# open edit page counts as "someone is editing this article".
ARTICLE_PREVIEW_HOURS = env_int("ARTICLE_PREVIEW_HOURS", 48)
ARTICLE_EDITING_MINUTES = env_int("ARTICLE_EDITING_MINUTES", 5)

# Images: renditions are made once, on save, at these widths (never upscaled).
IMAGE_RENDITION_WIDTHS = (400, 800, 1600)
IMAGE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
# The memory decoding one upload may take (Pillow keeps 4 bytes a pixel for
# RGB, RGBA and CMYK, 1 for greyscale and palette images): a 40-megapixel photo
# needs 160 MB. And how many uploads each server process decodes at once; the
# others wait their turn (images/decoding.py).
IMAGE_MAX_DECODE_BYTES = env_int("IMAGE_MAX_DECODE_BYTES", 200 * 1024 * 1024)
IMAGE_CONCURRENT_DECODES = env_int("IMAGE_CONCURRENT_DECODES", 2)

# Search, feeds and SEO -------------------------------------------------------
# Who publishes the site, in one place: the NewsArticle publisher, the Google
# News sitemap, OpenGraph and the feeds all read these.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", SITE_NAME)
# A static path. Raster, because Google does not take an SVG publisher logo;
# the size is written here so that pages never open the file.
SITE_LOGO = "img/logo.png"
SITE_LOGO_WIDTH = 512
SITE_LOGO_HEIGHT = 512
TWITTER_SITE = os.environ.get("TWITTER_SITE", "")  # the newsroom's "@account", if any
# PostgreSQL text search configurations, which stem words and drop stop words:
# by an article's language, SEARCH_CONFIG for any language not listed.
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "italian")
SEARCH_CONFIGS = {"en": "english"}
SEARCH_RESULTS_PER_PAGE = env_int("SEARCH_RESULTS_PER_PAGE", 10)
FEED_ITEM_COUNT = env_int("FEED_ITEM_COUNT", 30)
# URLs per sitemap page; the protocol allows 50,000, smaller pages answer faster.
SITEMAP_PAGE_SIZE = env_int("SITEMAP_PAGE_SIZE", 5000)


# Comments --------------------------------------------------------------------
# Every moderation rule and limit of the comments app, with its default (see
# comments/moderation.py for what each rule does).
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)  # threads per page
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 3)  # 1: no replies
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)  # 0: never
COMMENTS_HOLD_BY_DEFAULT = env_bool("COMMENTS_HOLD_BY_DEFAULT", True)  # rule 1
COMMENTS_APPROVE_KNOWN_COMMENTERS = env_bool("COMMENTS_APPROVE_KNOWN_COMMENTERS", True)  # 2
COMMENTS_CONFIRMATION_DAYS = env_int("COMMENTS_CONFIRMATION_DAYS", 7)  # link validity
# How long a browser proven by a link from the mailbox stays trusted (rule 2).
COMMENTS_TRUST_COOKIE_DAYS = env_int("COMMENTS_TRUST_COOKIE_DAYS", 365)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)  # rule 3: more are held
COMMENTS_MIN_SECONDS_TO_POST = env_int("COMMENTS_MIN_SECONDS_TO_POST", 3)  # rule 5; 0: off
COMMENTS_REFUSE_DUPLICATES = env_bool("COMMENTS_REFUSE_DUPLICATES", True)  # rule 6
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)  # rule 7; 0: off
COMMENTS_NAME_MAX_LENGTH = env_int("COMMENTS_NAME_MAX_LENGTH", 100)  # rule 8, at most 200
COMMENTS_BODY_MAX_LENGTH = env_int("COMMENTS_BODY_MAX_LENGTH", 5000)  # rule 8
COMMENTS_REPORTS_TO_HOLD = env_int("COMMENTS_REPORTS_TO_HOLD", 3)  # back to the queue
COMMENTS_REMEMBER_DAYS = env_int("COMMENTS_REMEMBER_DAYS", 365)  # the "ricordami" cookie
# Whether `manage.py commenter_data erase` keeps the text of erased comments
# (anonymized) instead of deleting them.
COMMENTS_ERASE_KEEPS_TEXT = env_bool("COMMENTS_ERASE_KEEPS_TEXT", False)
# Who is emailed about held comments; empty: the active users of the Moderator group.
COMMENTS_MODERATOR_EMAILS = env_list("COMMENTS_MODERATOR_EMAILS", [])

# Email: printed on the console while developing, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds: a slow server must not hang a post
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
