"""
The photo library: photos uploaded once from the body editor's picker, then
chosen for article bodies, where they are printed responsive (images/body.py).
"""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.articles.admin_data import ADD_URL, article_post_data
from tests.conftest import make_member

PICKER = "/admin/images/image/picker/"


@pytest.fixture
def make_image(db, make_upload):
    def make(alt="Il porto di Genova all'alba", **fields):
        fields.setdefault("file", make_upload(width=2000, height=1000))
        return Image.objects.create(alt=alt, **fields)

    return make


def figure(image, alt="", caption="Il porto all'alba."):
    """What the body editor writes for a photo chosen with the picker."""
    return (
        f'<figure class="figure"><img src="/media/whatever.webp" alt="{alt}" '
        f'data-file="{image.pk}"><figcaption>{caption}</figcaption></figure>'
    )


# The picker


def test_a_reporter_uploads_a_photo_and_gets_back_to_choosing(reporter_client, make_upload):
    response = reporter_client.post(
        f"{PICKER}?CKEditorFuncNum=-1",
        {
            "file": make_upload(width=1600, height=900),
            "alt": "Il sindaco in consiglio comunale",
            "caption": "La seduta di ieri.",
            "credit": "Foto ANSA",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PICKER}?CKEditorFuncNum=-1"
    image = Image.objects.get()
    assert image.uploaded_by.username == "reporter"
    assert [size["width"] for size in image.renditions["sizes"]] == [400, 800, 1600]

    page = reporter_client.get(response["Location"]).text
    assert "Foto caricata" in page
    button = re.search(
        r'<button type="button" class="button default image-picker__choose"[^>]*>', page
    )
    assert button, "no button to choose the photo"
    assert 'data-callback="-1"' in button.group()
    assert f'data-id="{image.pk}"' in button.group()
    assert 'data-alt="Il sindaco in consiglio comunale"' in button.group()
    assert 'data-caption="La seduta di ieri. Foto ANSA"' in button.group()
    assert re.search(r'data-url="/media/renditions/[^"]+-800w\.webp"', button.group())


def test_a_bad_upload_names_the_problem_and_keeps_what_was_typed(reporter_client):
    response = reporter_client.post(
        PICKER,
        {
            "file": SimpleUploadedFile("foto.jpg", b"not an image", content_type="image/jpeg"),
            "alt": "Il ponte sul Polcevera",
            "caption": "Una didascalia scritta con cura.",
        },
    )

    assert response.status_code == 200
    assert "La foto non è stata caricata" in response.text
    assert "Il file va scelto di nuovo." in response.text
    assert 'value="Il ponte sul Polcevera"' in response.text
    assert 'value="Una didascalia scritta con cura."' in response.text
    assert not Image.objects.exists()


def test_a_photo_needs_its_alt_text(reporter_client, make_upload):
    response = reporter_client.post(PICKER, {"file": make_upload(), "alt": "  "})

    assert response.status_code == 200
    assert not Image.objects.exists()
    assert "Questo campo è obbligatorio." in response.text


def test_the_picker_searches_alt_text_caption_and_credit(reporter_client, make_image):
    make_image("Il porto di Genova", credit="Foto Rossi")
    make_image("Un treno regionale", caption="La stazione di Brignole")

    assert "Un treno regionale" in reporter_client.get(PICKER, {"q": "brignole"}).text
    assert "Il porto" not in reporter_client.get(PICKER, {"q": "brignole"}).text
    assert "Il porto di Genova" in reporter_client.get(PICKER, {"q": "rossi"}).text
    assert "Nessuna foto" in reporter_client.get(PICKER, {"q": "elefante"}).text


def test_readers_and_staff_without_the_library_cannot_open_the_picker(client, db):
    assert client.get(PICKER).status_code == 302  # to the admin's sign-in

    client.force_login(make_member("moderatore", "Moderator", first_name="Ada", last_name="Neri"))
    assert client.get(PICKER).status_code == 403
    assert client.post(PICKER, {"alt": "x"}).status_code == 403


# Photos in the body


def test_a_chosen_photo_is_printed_responsive_with_its_caption(editor_client, section, make_image):
    image = make_image()
    body = "<p>Prima.</p>" + figure(image, alt="Il porto, visto dalla Lanterna")

    response = editor_client.post(
        ADD_URL, article_post_data(section, body=body, transition="publish")
    )

    assert response.status_code == 302
    article = Article.objects.get()
    page = editor_client.get(article.get_absolute_url()).text
    img = re.search(
        r"<figure[^>]*>(<img[^>]*>)<figcaption>Il porto all'alba\.</figcaption></figure>", page
    )
    assert img, "the figure is not on the page"
    tag = img.group(1)
    assert re.search(
        r'srcset="[^"]+-400w\.webp 400w, [^"]+-800w\.webp 800w, [^"]+-1600w\.webp 1600w"', tag
    )
    assert 'width="1600" height="800"' in tag
    assert 'sizes="(min-width: 40rem) 40rem, 100vw"' in tag
    assert 'alt="Il porto, visto dalla Lanterna"' in tag
    assert 'loading="lazy"' in tag
    assert "whatever" not in tag  # the editor's URL is replaced by the renditions'
    assert list(article.body_images.values_list("image", flat=True)) == [image.pk]


def test_without_alt_text_in_the_editor_the_librarys_is_used(make_article, make_image):
    image = make_image(alt="Il porto di Genova all'alba")

    article = make_article(body=figure(image, alt=""))

    assert 'alt="Il porto di Genova all&#x27;alba"' in article.body


def test_saving_again_prints_the_same_body(make_article, make_image):
    article = make_article(body=figure(make_image()))
    first = article.body

    article.save()

    assert article.body == first


def test_an_image_from_elsewhere_is_refused_and_the_text_kept(editor_client, section):
    body = (
        "<p>Un testo da non perdere.</p>"
        '<figure><img src="https://tracker.example/p.gif" alt="x"></figure>'
    )

    response = editor_client.post(
        ADD_URL, article_post_data(section, body=body, transition="publish")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert "Non è nell'archivio: https://tracker.example/p.gif" in errors[0]
    assert "Un testo da non perdere." in response.text
    assert not Article.objects.exists()


def test_outside_the_admin_an_image_from_elsewhere_is_dropped_with_its_figure(make_article):
    article = make_article(
        body='<p>Testo.</p><figure><img src="https://tracker.example/p.gif" alt="x">'
        "<figcaption>Didascalia</figcaption></figure>"
    )

    assert article.body == "<p>Testo.</p>"


def test_a_photo_shown_in_a_body_cannot_be_deleted(make_article, make_image, editor_client):
    image = make_image()
    article = make_article("Il porto riapre", body=figure(image))

    with pytest.raises(ProtectedError):
        image.delete()
    page = editor_client.get(f"/admin/images/image/{image.pk}/delete/").text
    assert "Il porto riapre" in page

    article.body = "<p>Senza foto.</p>"
    article.save()
    image.delete()
    assert not Image.objects.exists()


def test_the_library_lists_where_each_photo_is_used(editor_client, make_article, make_image):
    image = make_image()
    make_article("Il porto riapre", body=figure(image))

    page = editor_client.get(f"/admin/images/image/{image.pk}/change/").text

    assert "Il porto riapre" in page


# The main photo, chosen in the library


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_an_editor_chooses_the_main_photo_in_the_library(editor_client, make_article, make_image):
    image = make_image(caption="Il porto all'alba.", credit="Foto ANSA")
    article = make_article("Il porto riapre")

    response = editor_client.post(
        change_url(article), article_post_data(article=article, hero_photo=image.pk)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.hero_image.name == image.file.name
    assert article.hero_renditions == image.renditions
    assert (article.hero_alt, article.hero_caption, article.hero_credit) == (
        "Il porto di Genova all'alba",
        "Il porto all'alba.",
        "Foto ANSA",
    )
    form = editor_client.get(change_url(article)).text
    smallest = image.renditions["sizes"][0]["name"]
    assert re.search(rf'<div class="readonly"><img src="/media/{smallest}" width="240"', form)
    page = editor_client.get(article.get_absolute_url()).text
    largest = image.renditions["sizes"][-1]["name"]
    assert f"/media/{largest} {image.renditions['sizes'][-1]['width']}w" in page
    assert "Foto ANSA" in page


def test_words_written_with_the_choice_are_kept(editor_client, make_article, make_image):
    image = make_image(caption="Il porto all'alba.")
    article = make_article("Il porto riapre")

    editor_client.post(
        change_url(article),
        article_post_data(article=article, hero_photo=image.pk, hero_caption="Ieri mattina."),
    )

    article.refresh_from_db()
    assert article.hero_caption == "Ieri mattina."
    assert article.hero_alt == "Il porto di Genova all'alba"


def test_an_uploaded_main_photo_joins_the_library_and_replaces_the_chosen_one(
    editor_client, make_article, make_image, make_upload
):
    chosen = make_image()
    article = make_article("Il porto riapre", hero_photo=chosen, hero_alt="Il porto")

    editor_client.post(
        change_url(article),
        article_post_data(
            article=article,
            hero_image=make_upload(width=900, height=600),
            hero_alt="La nave in porto",
            hero_credit="Foto ANSA",
        ),
    )

    article.refresh_from_db()
    uploaded = article.hero_photo
    assert uploaded != chosen
    assert (uploaded.alt, uploaded.credit, uploaded.uploaded_by.username) == (
        "La nave in porto",
        "Foto ANSA",
        "editor",
    )
    assert article.hero_image.name == uploaded.file.name
    assert article.hero_renditions == uploaded.renditions
    # Stored once, in the library's folder.
    assert not any((settings.MEDIA_ROOT / "articles").rglob("*.*"))


def test_uploading_and_choosing_at_once_is_refused_and_keeps_the_text(
    editor_client, make_article, make_image, make_upload
):
    image = make_image()
    article = make_article("Il porto riapre")

    response = editor_client.post(
        change_url(article),
        article_post_data(
            article=article,
            title="Il porto riapre oggi",
            hero_photo=image.pk,
            hero_image=make_upload(width=900, height=600),
        ),
    )

    assert response.status_code == 200
    assert "tieni l&#x27;una o l&#x27;altra" in response.text
    assert 'value="Il porto riapre oggi"' in response.text
    article.refresh_from_db()
    assert article.hero_photo is None and not article.hero_image


def test_taking_the_librarys_photo_away_leaves_no_main_photo(
    editor_client, make_article, make_image
):
    image = make_image()
    article = make_article("Il porto riapre", hero_photo=image, hero_alt="Il porto")

    editor_client.post(change_url(article), article_post_data(article=article, hero_photo=""))

    article.refresh_from_db()
    assert article.hero_photo is None and not article.hero_image
    assert article.hero_renditions == {}


def test_a_main_photo_cannot_be_deleted_and_the_library_says_where_it_is(
    editor_client, make_article, make_image
):
    image = make_image()
    make_article("Il porto riapre", hero_photo=image, hero_alt="Il porto")

    with pytest.raises(ProtectedError):
        image.delete()
    page = editor_client.get(f"/admin/images/image/{image.pk}/change/").text
    assert "Il porto riapre</a> (foto principale)" in page
    listing = editor_client.get("/admin/images/image/").text
    assert '<td class="field-use_count">1</td>' in listing


def test_a_reporter_can_look_for_a_main_photo(reporter_client, make_image):
    make_image(alt="Il porto di Genova all'alba")
    make_image(alt="Il ponte sul Polcevera")

    found = reporter_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "hero_photo",
            "term": "porto",
        },
    ).json()

    assert [result["text"] for result in found["results"]] == ["Il porto di Genova all'alba"]


def test_restoring_a_revision_brings_back_its_main_photo(editor_client, make_article, make_image):
    first, second = make_image(alt="Prima"), make_image(alt="Seconda")
    article = make_article("Il porto riapre")
    editor_client.post(change_url(article), article_post_data(article=article, hero_photo=first.pk))
    article.refresh_from_db()
    editor_client.post(
        change_url(article), article_post_data(article=article, hero_photo=second.pk)
    )
    revision = article.revisions.order_by("pk")[0]

    editor_client.post(
        reverse("admin:articles_article_restore_revision", args=[article.pk, revision.pk])
    )

    article.refresh_from_db()
    assert article.hero_photo == first
    assert article.hero_image.name == first.file.name
