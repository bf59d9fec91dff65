"""
The reader pages' Jinja2 templates (jinja2/, see newsroom/jinja2.py): every
string they translate has its English, and they print what the Django
templates printed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from articles.links import url

TEMPLATES = sorted((settings.BASE_DIR / "jinja2").rglob("*.html"))


def messages(path: Path):
    environment = engines["jinja2"].env
    for _line, function, message in environment.extract_translations(path.read_text()):
        yield function, message


def test_there_are_reader_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_every_string_of_a_reader_page_has_its_english(path):
    # makemessages reads only Django's template syntax: these msgids are kept
    # in locale/ by hand, and this test says which one is missing.
    with translation.override("en"):
        for function, message in messages(path):
            if function == "pgettext":  # (context, message)
                context, singular = message
                english = translation.pgettext(context, singular)
            else:
                singular = message[0] if isinstance(message, tuple) else message
                english = translation.gettext(singular)
            assert english != singular, (function, singular)


@pytest.mark.django_db
def test_a_reader_page_is_drawn_by_jinja2_and_the_admin_by_django(
    client, make_article, admin_client
):
    page = client.get(make_article().get_absolute_url())
    assert page.templates[0].name == "articles/article_detail.html"
    assert type(page.templates[0]).__module__.startswith("jinja2")
    admin = admin_client.get("/admin/")
    assert any(type(template).__module__.startswith("django") for template in admin.templates)


@pytest.mark.django_db
def test_remembered_links_follow_the_urlconf_and_the_script_prefix(client, make_article):
    # Reader pages' url() remembers what reverse() answered; a site mounted
    # elsewhere must still print its own addresses, never ones remembered
    # from before.
    article = make_article(title="Il porto riapre", tags=["porto"])
    assert 'href="/tag/porto/"' in client.get(article.get_absolute_url()).text
    assert url("articles:tag", "porto") == "/tag/porto/"

    with override_settings(ROOT_URLCONF="tests.newsroom.urls_under_edition"):
        assert url("articles:tag", "porto") == "/edizione/tag/porto/"
        page = client.get(article.get_absolute_url())
        assert page.request["PATH_INFO"].startswith("/edizione/")
        assert 'href="/edizione/tag/porto/"' in page.text

    set_script_prefix("/giornale/")
    try:
        assert url("articles:tag", "porto") == "/giornale/tag/porto/"
    finally:
        set_script_prefix("/")
    assert url("articles:tag", "porto") == "/tag/porto/"
