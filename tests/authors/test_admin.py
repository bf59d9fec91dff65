from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authors.models import Author

ADD_URL = "/admin/authors/author/add/"
CHANGELIST_URL = "/admin/authors/author/"


def author_post_data(**fields):
    return {
        "name": "Giulia Ferri",
        "slug": "giulia-ferri",
        "role": "Inviata",
        "bio": "Racconta l'Appennino.",
        "website": "",
        "email": "giulia@example.org",
        "user": "",
        **fields,
    }


def test_uploading_a_photo_creates_renditions(editor_client, make_upload):
    response = editor_client.post(ADD_URL, author_post_data(photo=make_upload(width=1000)))

    assert response.status_code == 302
    author = Author.objects.get()
    assert author.photo.name.startswith("authors/")
    sizes = author.photo_renditions["sizes"]
    assert [size["width"] for size in sizes] == [400, 800, 1000]
    for size in sizes:
        assert author.photo.storage.exists(size["name"])


def test_the_change_page_previews_the_current_photo(editor_client, make_author, make_upload):
    author = make_author("Giulia Ferri", photo=make_upload(width=1000, height=1000))
    smallest = author.photo_renditions["sizes"][0]

    response = editor_client.get(reverse("admin:authors_author_change", args=[author.pk]))

    assert response.status_code == 200
    preview = f'<img src="{author.photo.storage.url(smallest["name"])}" width="200" height="200"'
    assert preview in response.text


def test_the_change_page_says_when_there_is_no_photo(editor_client, author):
    response = editor_client.get(reverse("admin:authors_author_change", args=[author.pk]))

    assert "Nessuna foto." in response.text


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ritratto.jpg", b"MZ\x90\x00 not a picture", "image/jpeg")

    response = editor_client.post(ADD_URL, author_post_data(photo=fake))

    assert response.status_code == 200
    assert "non è un'immagine valida" in response.context["adminform"].form.errors["photo"][0]
    assert not Author.objects.exists()


def test_the_email_is_editable_in_the_admin(editor_client, author):
    response = editor_client.get(reverse("admin:authors_author_change", args=[author.pk]))

    assert 'value="milena@example.org"' in response.text


def test_changelist_shows_thumbnail_role_and_article_count(
    editor_client, make_author, make_article, author, make_upload
):
    photographed = make_author("Giulia Ferri", role="Inviata", photo=make_upload(width=800))
    make_article("Uno", authors=[author, photographed])
    make_article("Due", authors=[author])

    response = editor_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    counts = {row.name: row.article_count for row in response.context["cl"].result_list}
    assert counts == {"Giulia Ferri": 1, "Milena Sala": 2}
    thumbnail = photographed.photo.storage.url(photographed.photo_renditions["sizes"][0]["name"])
    assert f'<img src="{thumbnail}" width="48"' in response.text
    assert "Inviata" in response.text


def test_changelist_runs_the_same_queries_for_many_authors(
    editor_client, make_author, make_article, django_assert_max_num_queries
):
    make_article(authors=[make_author("Anna Verdi")])
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST_URL)
    for number in range(10):
        make_article(f"Articolo {number}", authors=[make_author(f"Autore {number}")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(CHANGELIST_URL)


def test_changelist_search_finds_authors_by_name(editor_client, author, make_author):
    make_author("Paolo Neri")

    response = editor_client.get(CHANGELIST_URL, {"q": "milena"})

    assert list(response.context["cl"].result_list) == [author]


def test_byline_autocomplete_finds_authors_by_name(editor_client, author, make_author):
    make_author("Paolo Neri")

    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "sal"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(author.pk), "text": "Milena Sala"}]


def test_the_slug_is_prepopulated_from_the_name(editor_client):
    response = editor_client.get(ADD_URL)

    assert "&quot;dependency_list&quot;: [&quot;name&quot;]" in response.text
