"""Security headers on reader and admin pages, and no inline code where readers go."""

import base64
import hashlib
import re

import pytest
from django.test import Client

from newsroom.security import importmap_hash

READER_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def reader_urls(make_article, author):
    article = make_article("Notizia con tag", authors=[author], tags=["Genova"])
    return [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/tag/genova/",
        author.get_absolute_url(),
        "/cerca/?q=notizia",
        "/privacy/",
    ]


def test_reader_pages_carry_the_strict_policy_and_the_other_headers(client, reader_urls):
    for url in reader_urls:
        response = client.get(url)

        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"]) == directives(READER_CSP), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_a_page_served_from_the_cache_keeps_its_headers(client, reader_urls):
    client.get("/")
    again = Client().get("/")

    assert directives(again["Content-Security-Policy"]) == directives(READER_CSP)
    assert again["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" in again


def test_reader_pages_have_no_inline_script_or_style(client, reader_urls):
    for url in reader_urls:
        html = client.get(url).text

        scripts = re.findall(r"<script\b[^>]*>", html)
        inline = [tag for tag in scripts if "src=" not in tag and "application/ld+json" not in tag]
        assert inline == [], url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_admin_may_run_only_the_editors_import_map_inline(editor_client):
    response = editor_client.get("/admin/articles/article/add/")
    policy = directives(response["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'", importmap_hash()]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    content = re.search(r'<script type="importmap">(.*?)</script>', response.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(content.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy["script-src"]


def test_hsts_is_sent_over_https_when_debug_is_off(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    secure = client.get("/", secure=True)
    plain = client.get("/")

    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in plain


def test_session_and_csrf_cookies_are_http_only(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


def test_the_admin_cannot_be_framed(editor_client):
    response = editor_client.get("/admin/")

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
