"""
The article body is HTML typed by people and printed with ``|safe``: whatever
an admin form receives, only the editor's own markup may reach readers.
"""

import html
import re

import pytest

from articles.models import Article

from .admin_data import ADD_URL, article_post_data

XSS_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script tag in capitals": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "img onerror": '<img src="x" onerror="alert(1)">',
    "onclick on an allowed paragraph": '<p onclick="alert(1)">Clicca</p>',
    "onmouseover on allowed bold": '<p><strong onmouseover="alert(1)">grassetto</strong></p>',
    "unquoted handler on a link": "<a href=https://example.org onfocus=alert(1) autofocus>x</a>",
    "javascript link": '<a href="javascript:alert(1)">link</a>',
    "mixed-case javascript link": '<a href="JaVaScRiPt:alert(1)">link</a>',
    "decimal entity javascript link": '<a href="&#106;avascript:alert(1)">link</a>',
    "hex entity javascript link": '<a href="&#x6A;&#x61;vascript&#x3A;alert(1)">link</a>',
    "tab inside javascript": '<a href="java&#x09;script:alert(1)">link</a>',
    "javascript after spaces": '<a href="  javascript:alert(1)">link</a>',
    "data URL link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data URL image": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "vbscript link": '<a href="vbscript:msgbox(1)">link</a>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style element": "<style>body { background: url(javascript:alert(1)) }</style>",
    "style attribute": '<p style="background: url(javascript:alert(1))">stile</p>',
    "svg onload": "<svg onload=alert(1)><circle r=10 /></svg>",
    "object embed": '<object data="javascript:alert(1)"></object><embed src="x.swf">',
    "form with action": '<form action="javascript:alert(1)"><button>Invia</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "nested script": "<<script>script>alert(1)<</script>/script>",
    "unclosed tag": '<p><a href="javascript:alert(1)"<strong>rotto',
    "script in a comment trick": "<!--<script>-->alert(1)<!--</script>-->",
    "mathml confusion": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "noscript confusion": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
}

ON_ATTRIBUTE = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)


def assert_harmless(markup):
    assert "<script" not in markup.lower()
    assert not ON_ATTRIBUTE.search(markup)
    unescaped = html.unescape(markup).lower()
    for word in ("javascript:", "vbscript:", "data:"):
        assert word not in unescaped.replace("\t", "").replace("\n", "")
    for tag in ("<iframe", "<style", "<svg", "<object", "<embed", "<form", "<meta", "<img"):
        assert tag not in markup.lower()


def body_on_public_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    match = re.search(r'<div class="article__body">(.*?)</div>', response.text, re.DOTALL)
    assert match, "the article page has no body block"
    return match.group(1)


def publish_through_the_admin(client, section, body):
    response = client.post(
        ADD_URL,
        article_post_data(section, body=body, transition="publish"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get()


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_script_survives_an_admin_save(editor_client, section, payload):
    response = editor_client.post(
        ADD_URL,
        article_post_data(section, body=f"<p>Prima.</p>{payload}", transition="publish"),
    )
    if response.status_code == 200:
        # What is left is an image not from the photo library: refused, with
        # the reason on the body field (images/body.py), and nothing saved.
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["body"]
        assert "Non è nell'archivio" in errors["body"][0]
        assert not Article.objects.exists()
        return
    article = Article.objects.get()

    assert_harmless(article.body)
    assert "<p>Prima.</p>" in article.body
    assert_harmless(body_on_public_page(editor_client, article))


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_script_survives_a_save_outside_the_admin(make_article, client, payload):
    # Imports, fixtures, the shell: Article.save() sanitizes and drops foreign images.
    article = make_article(body=f"<p>Prima.</p>{payload}")

    assert_harmless(article.body)
    assert "<p>Prima.</p>" in article.body
    assert_harmless(body_on_public_page(client, article))


def test_the_editors_own_markup_survives_an_admin_save(editor_client, section):
    body = (
        "<h2>Il punto</h2>"
        "<h3>I numeri</h3>"
        "<p>Un testo <strong>forte</strong> e <em>inclinato</em>, con "
        '<a href="https://example.org/rapporto">il rapporto</a>.<br>A capo.</p>'
        "<ul><li>primo</li><li>secondo</li></ul>"
        "<ol><li>uno</li><li>due</li></ol>"
        "<blockquote><p>Una citazione.</p></blockquote>"
    )

    article = publish_through_the_admin(editor_client, section, body)
    page = body_on_public_page(editor_client, article)

    for fragment in (
        "<h2>Il punto</h2>",
        "<h3>I numeri</h3>",
        "<strong>forte</strong>",
        "<em>inclinato</em>",
        '<a href="https://example.org/rapporto"',
        "<br>",
        "<ul><li>primo</li><li>secondo</li></ul>",
        "<ol><li>uno</li><li>due</li></ol>",
        "<blockquote><p>Una citazione.</p></blockquote>",
    ):
        assert fragment in article.body
        assert fragment in page


def test_mailto_links_survive_an_admin_save(editor_client, section):
    article = publish_through_the_admin(
        editor_client, section, '<p><a href="mailto:redazione@example.org">Scrivici</a></p>'
    )

    assert 'href="mailto:redazione@example.org"' in article.body


def test_markup_outside_the_editor_toolbar_is_dropped_but_its_text_kept(editor_client, section):
    article = publish_through_the_admin(
        editor_client,
        section,
        "<h1>Titolone</h1><table><tr><td>cella</td></tr></table><p><u>sotto</u></p>",
    )

    for tag in ("<h1", "<table", "<td", "<u>"):
        assert tag not in article.body
    for text in ("Titolone", "cella", "sotto"):
        assert text in article.body


def test_a_script_in_the_title_is_printed_as_text(editor_client, section):
    response = editor_client.post(
        ADD_URL,
        article_post_data(
            section,
            title="<script>alert(1)</script> Titolo",
            slug="titolo",
            transition="publish",
        ),
    )
    assert response.status_code == 302

    page = editor_client.get(Article.objects.get().get_absolute_url())

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Titolo" in page.text
