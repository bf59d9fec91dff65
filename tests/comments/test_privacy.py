"""
No commenter's email, IP or user agent on any public URL, not even hashed:
crawl every page a demo site serves and look.
"""

import hashlib
import re
from collections import deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db

SKIP = ("/admin/", "/static/", "/media/", "/lingua/")
# Pages that may not be linked from anywhere yet but are public when they exist.
EXTRA = ["/robots.txt", "/sitemap.xml", "/feed/", "/cerca/?q=Clubhouse", "/privacy/", "/nessuna/"]


def crawl(client, start="/"):
    """Every internal URL reachable from ``start``: {url: response}."""
    seen, queue, pages = set(), deque([start, *EXTRA]), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'(?:href|src|action)="([^"]+)"', response.content.decode()):
            href = href.replace("&amp;", "&")
            absolute = urljoin(url, href)
            parts = urlsplit(absolute)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP):
                continue
            queue.append(path)
    return pages


def secrets_of_demo_commenters():
    secrets = set()
    for email, ip, user_agent in Comment.objects.values_list("email", "ip", "user_agent"):
        secrets |= {
            email,
            hashlib.md5(email.encode()).hexdigest(),  # Gravatar's key
            hashlib.sha256(email.encode()).hexdigest(),
            ip,
            user_agent,
        }
    return {secret for secret in secrets if secret}


def test_no_public_url_of_the_demo_shows_a_commenters_email_ip_or_browser(client):
    call_command("load_demo", "--articles", "20", "--no-images", stdout=StringIO())
    secrets = secrets_of_demo_commenters()
    assert any("@lettori.example" in secret for secret in secrets)

    # A server error elsewhere must not stop the crawl: its page is checked too.
    client.raise_request_exception = False
    pages = crawl(client)
    assert len(pages) > 50
    assert any("?rispondi=" in url for url in pages)
    assert any("/segnala/" in url for url in pages)
    comment_pages = [url for url in pages if "rispondi=" in url or "/segnala/" in url]
    assert all(pages[url].status_code == 200 for url in comment_pages)
    for url, response in pages.items():
        content = response.content.decode(errors="replace")
        headers = str(response.headers) + str(response.cookies)
        leaks = [secret for secret in secrets if secret in content or secret in headers]
        assert not leaks, (url, leaks)
        assert "lettori.example" not in content, url
        assert "gravatar.com" not in content.lower(), url


def test_reader_pages_load_nothing_from_a_third_party(client):
    call_command("load_demo", "--articles", "5", "--no-images", stdout=StringIO())
    article = Comment.objects.approved().first().article
    html = client.get(article.get_absolute_url()).content.decode()
    for source in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        assert source.startswith("/"), source
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets and all(href.startswith("/") for href in stylesheets)


@pytest.mark.parametrize("comments_enabled", [True, False])
def test_the_article_page_sets_no_cookie_so_it_can_be_cached(
    client, make_article, make_comment, comments_enabled
):
    article = make_article("Notizia", comments_enabled=comments_enabled)
    make_comment(article=article)
    response = client.get(article.get_absolute_url())
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
