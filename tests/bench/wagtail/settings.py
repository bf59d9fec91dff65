"""
Settings of the Wagtail comparator: those of `wagtail start`'s project template
where a page is served (its middleware, templates, search backend), DEBUG off,
with only the apps that page and the tutorial's blog need.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parents[2]

DEBUG = False
SECRET_KEY = "wagtail-comparator-only-not-a-secret"
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "blog",
    # RedirectMiddleware below needs its app (it looks redirects up on a 404).
    "wagtail.contrib.redirects",
    # The admin: {% wagtailuserbar %} is its tag, and it needs the apps after it.
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database(url: str) -> dict:
    """DATABASE_URL as dj-database-url reads it: sqlite:////abs/path or postgres://…/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:])}
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path[1:]),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"DATABASE_URL: sqlite:// or postgres:// expected, not {parts.scheme}://")


DATABASE_URL = os.environ.get(
    "DATABASE_URL", f"sqlite:///{REPO_DIR / 'bench-results' / 'wagtail.sqlite3'}"
)
DATABASES = {"default": database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "it"
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The project template's production settings use the manifest storage, which
# needs collectstatic; the plain one gives the same URLs at the same cost here.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = REPO_DIR / "bench-results" / "wagtail-media"

# No page cache, as in the project template: CACHES is Django's default, local
# memory, where Wagtail keeps the sites' root paths, never whole pages.
WAGTAIL_SITE_NAME = "Notizie"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
