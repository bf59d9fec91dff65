"""What a reader sees on the article, section, tag and author pages."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from articles.models import Section

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def test_article_page_presents_its_parts_in_reading_order(client, make_article, author):
    article = make_article(
        "Elon Munk ha invitato Putin su Clubhouse",
        summary="Il sommario.",
        body="<p>Primo paragrafo.</p><h2>Un sottotitolo</h2><p>Secondo.</p>",
        authors=[author],
        tags=["Clubhouse"],
        published_at=datetime(2026, 2, 3, 9, 15, tzinfo=ROME),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    content = page[page.index("<main") :]
    parts = [
        'class="kicker"><a href="/tecnologia/">Tecnologia</a>',
        ">Elon Munk ha invitato Putin su Clubhouse</h1>",
        "Il sommario.",
        'Di <a href="/autori/milena-sala/" rel="author">Milena Sala</a>',
        '<time datetime="2026-02-03T09:15:00+01:00">3 febbraio 2026, 09:15</time>',
        "<p>Primo paragrafo.</p><h2>Un sottotitolo</h2><p>Secondo.</p>",
        'href="/tag/clubhouse/"',
        "Sono nata a Modena.",
    ]
    positions = [content.find(part) for part in parts]
    assert -1 not in positions, [p for p, i in zip(parts, positions, strict=True) if i == -1]
    assert positions == sorted(positions)


def test_several_authors_are_joined_naturally(client, make_article, make_author):
    people = [make_author(name) for name in ("Anna Rossi", "Bruno Verdi", "Carla Neri")]
    two = make_article("Due firme", authors=people[:2])
    three = make_article("Tre firme", authors=people)

    def byline(article):
        html = client.get(article.get_absolute_url()).content.decode()
        text = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
        return re.sub(r"<[^>]+>", "", text).split()

    assert " ".join(byline(two)) == "Di Anna Rossi e Bruno Verdi"
    assert " ".join(byline(three)) == "Di Anna Rossi, Bruno Verdi e Carla Neri"


def test_an_english_byline_joins_names_with_and(client, make_article, make_author):
    people = [make_author(name) for name in ("Anna Rossi", "Bruno Verdi")]
    article = make_article("Due firme", authors=people)
    html = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", text).split()) == "By Anna Rossi and Bruno Verdi"


def test_what_editors_type_is_text_in_every_list(client, make_article, make_author, section):
    markup = "<b onmouseover=\"alert(1)\">x</b> & 'y'"
    Section.objects.filter(pk=section.pk).update(name=f"Sezione {markup}")
    person = make_author(f"Autore {markup}", slug="autore")
    make_article(f"Titolo {markup}", summary=f"Sommario {markup}", authors=[person], tags=["t"])
    for path in ("/", section.get_absolute_url(), "/tag/t/", "/autori/autore/", "/cerca/?q=Titolo"):
        html = client.get(path).content.decode()
        assert "<b " not in html, path
        assert "&lt;b onmouseover=&#34;alert(1)&#34;&gt;x&lt;/b&gt; &amp; &#39;y&#39;" in html, path


def test_an_edit_after_publication_shows_aggiornato_il(client, make_article, now):
    article = make_article("Notizia")
    assert "Aggiornato il" not in client.get(article.get_absolute_url()).content.decode()
    article.body = "<p>Testo corretto.</p>"
    article.note_content_change(["body"])
    article.save()
    assert "Aggiornato il" in client.get(article.get_absolute_url()).content.decode()


def test_article_page_names_its_canonical_url(client, make_article):
    article = make_article("Notizia")
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in content


def test_an_article_reached_through_an_old_section_redirects_permanently(client, make_article):
    article = make_article("Notizia")
    moved = Section.objects.create(name="Scienza", slug="scienza")
    old_url = article.get_absolute_url()
    article.section = moved
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/scienza/notizia/"


def test_lists_are_paginated_by_twenty(client, make_article, section):
    for n in range(21):
        make_article(f"Notizia numero {n}")
    first = client.get(section.get_absolute_url()).content.decode()
    second = client.get(section.get_absolute_url() + "?page=2").content.decode()
    assert first.count("<article") == 20
    assert "Pagina 1 di 2" in first
    assert second.count("<article") == 1
    assert client.get(section.get_absolute_url() + "?page=9").status_code == 404


def test_unknown_section_tag_and_author_answer_404(client, db):
    for url in ["/nessuna/", "/tag/nessuno/", "/autori/nessuno/", "/nessuna/nessuno/"]:
        assert client.get(url).status_code == 404, url


def test_the_interface_speaks_english_when_the_browser_asks(client, make_article, author):
    article = make_article("Notizia", authors=[author])
    italian = client.get(article.get_absolute_url()).content.decode()
    english = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="it">' in italian and "Vai al contenuto" in italian
    assert '<html lang="en">' in english and "Skip to content" in english
    assert 'By <a href="/autori/milena-sala/"' in english


def test_the_language_switcher_remembers_the_choice(client, make_article):
    article = make_article("Notizia")
    response = client.post(
        reverse("set_language"), {"language": "en", "next": article.get_absolute_url()}
    )
    assert response.status_code == 302
    assert "Skip to content" in client.get(article.get_absolute_url()).content.decode()


def test_reader_pages_set_no_cookie(client, make_article, author):
    article = make_article("Notizia", authors=[author])
    for url in ["/", article.get_absolute_url(), author.get_absolute_url()]:
        assert not client.get(url).cookies, url


def test_a_missing_page_answers_a_friendly_404_in_the_site_layout(client, db):
    response = client.get("/nessuna-sezione/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()
    assert "Torna alla prima pagina" in response.content.decode()


def test_renaming_a_published_article_keeps_its_old_url_working(client, make_article):
    article = make_article("Titolo provvisorio")
    first_url = article.get_absolute_url()
    article.slug = "titolo-corretto"
    article.save()
    article.slug = "titolo-definitivo"
    article.save()

    for old in [first_url, "/tecnologia/titolo-corretto/"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/tecnologia/titolo-definitivo/"
    assert client.get("/tecnologia/titolo-definitivo/").status_code == 200


def test_renaming_back_to_an_old_slug_does_not_loop(client, make_article):
    article = make_article("Primo")
    article.slug = "secondo"
    article.save()
    article.slug = "primo"
    article.save()
    assert client.get("/tecnologia/primo/").status_code == 200
    assert client.get("/tecnologia/secondo/")["Location"] == "/tecnologia/primo/"


def test_an_accented_tag_gets_a_plain_address_and_its_page_works(client, make_article):
    article = make_article("Ospedali", tags=["Sanità"])
    content = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/tag/sanita/"' in content
    assert "Ospedali" in client.get("/tag/sanita/").content.decode()


def test_a_tag_slug_made_with_accents_still_has_a_working_page(client, make_article):
    from taggit.models import Tag

    Tag.objects.create(name="Città", slug="città")
    article = make_article("Urbanistica", tags=["Città"])
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Urbanistica" in client.get("/tag/città/").content.decode()
