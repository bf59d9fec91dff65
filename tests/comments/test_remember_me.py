"""The "remember me" box: a cookie only when ticked, and nothing in the browser otherwise."""

import json
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.django_db

COOKIE = "commenti_autore"


def test_nothing_is_stored_in_the_browser_when_the_box_is_not_ticked(article, post_comment):
    response = post_comment(article)
    assert COOKIE not in response.cookies
    assert not [name for name in response.cookies if response.cookies[name].value]


def test_ticking_the_box_stores_name_email_and_website(article, post_comment):
    response = post_comment(article, remember="on", website="https://giulia.example/")
    cookie = response.cookies[COOKIE]
    assert json.loads(unquote(cookie.value)) == {
        "name": "Giulia Ferri",
        "email": "giulia@example.org",
        "website": "https://giulia.example/",
    }
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600


def test_unticking_the_box_later_removes_the_cookie(client, article, post_comment):
    post_comment(article, ip="192.0.2.1", remember="on", body="Uno.")
    response = post_comment(article, ip="192.0.2.2", body="Due.")
    assert response.cookies[COOKIE].value == ""
    assert response.cookies[COOKIE]["max-age"] == 0


def test_the_article_page_never_prints_what_the_cookie_holds(client, article, post_comment):
    post_comment(article, remember="on")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "giulia@example.org" not in html
    assert 'value="Giulia Ferri"' not in html  # filled in by the browser's script, not here


def test_the_box_is_unticked_when_the_form_is_shown(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<input type="checkbox" name="remember" id="id_remember">' in html
