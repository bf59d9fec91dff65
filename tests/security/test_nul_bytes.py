"""
A NUL byte, which PostgreSQL refuses in any text, or another control
character in an address is a 404, never a 500, on either database.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/tag/%00/",
        "/tag/porti%00/",
        "/feed/tag/%00/",
        "/feed/tag/%00/atom/",
        "/tag/%1F/",
        "/%00/",
        "/autori/%00/",
        "/feed/sezioni/%00/",
        "/anteprima/%00/",
        "/commenti/conferma/%00/",
        "/commenti/pubblica/%00/",
    ],
)
def test_a_control_character_in_an_address_is_not_found(client, make_article, path):
    make_article("Il porto cambia volto", tags=["Porti"])
    assert client.get(path).status_code in (400, 404)


def test_accented_tag_slugs_still_resolve(client, make_article):
    from taggit.models import Tag

    article = make_article("Sanità in Liguria", tags=["Sanità"])
    Tag.objects.filter(name="Sanità").update(slug="sanità")
    assert client.get("/tag/sanit%C3%A0/").status_code == 200
    assert article.title in client.get("/feed/tag/sanit%C3%A0/").content.decode()


def test_a_nul_byte_in_a_search_is_a_form_error(client):
    response = client.get("/cerca/", {"q": "porto\x00"})
    assert response.status_code == 200
