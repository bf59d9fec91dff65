"""A featured image becomes the main photo, from the library, when its file is in --media-dir."""

import pytest

from articles.models import Article
from images.models import Image

from ..conftest import image_bytes
from .conftest import post

pytestmark = pytest.mark.django_db

UPLOADS = "https://gazzetta.example/wp-content/uploads/2024/03/ponte.jpg"
ATTACHMENT = f"""<item><title>Il ponte</title><wp:post_id>50</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>{UPLOADS}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
<wp:meta_value><![CDATA[Il ponte sul Po al tramonto]]></wp:meta_value></wp:postmeta></item>
"""
THUMBNAIL = (
    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
    "<wp:meta_value>50</wp:meta_value></wp:postmeta>"
)


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "03"
    folder.mkdir(parents=True)
    (folder / "ponte.jpg").write_bytes(image_bytes())
    return tmp_path / "uploads"


def test_the_file_found_by_its_uploads_path_is_the_hero_with_its_alt_text(
    make_export, run_import, uploads
):
    # The attachment comes after the post: the first pass has seen it.
    run_import(make_export(post(1, meta=THUMBNAIL), ATTACHMENT), "--media-dir", str(uploads))
    article = Article.objects.get()
    assert article.hero_image.name.endswith(".jpg")
    assert article.hero_alt == "Il ponte sul Po al tramonto"
    assert article.hero_renditions["sizes"]
    # From the library, where editors can choose it again.
    assert article.hero_photo.alt == "Il ponte sul Po al tramonto"
    assert article.hero_image.name == article.hero_photo.file.name


def test_the_same_photo_in_the_body_and_as_main_photo_is_one_photo_of_the_library(
    make_export, run_import, uploads
):
    body = f'<img class="wp-image-50" src="{UPLOADS}" alt="Il ponte">'
    run_import(
        make_export(ATTACHMENT, post(1, content=body, meta=THUMBNAIL), post(2, meta=THUMBNAIL)),
        "--media-dir",
        str(uploads),
    )
    photo = Image.objects.get()
    assert [article.hero_photo for article in Article.objects.order_by("pk")] == [photo, photo]
    assert f'data-file="{photo.pk}"' in Article.objects.order_by("pk")[0].body

    run_import(
        make_export(ATTACHMENT, post(1, content=body, meta=THUMBNAIL), post(2, meta=THUMBNAIL)),
        "--media-dir",
        str(uploads),
    )
    assert Image.objects.count() == 1


def test_a_file_moved_elsewhere_is_found_by_its_name(make_export, run_import, uploads, tmp_path):
    (uploads / "2024" / "03" / "ponte.jpg").rename(uploads / "ponte.jpg")
    run_import(make_export(ATTACHMENT, post(1, meta=THUMBNAIL)), "--media-dir", str(uploads))
    assert Article.objects.get().hero_image


def test_a_missing_file_leaves_the_article_without_hero_and_is_reported(
    make_export, run_import, tmp_path
):
    empty = tmp_path / "empty"
    empty.mkdir()
    report = run_import(make_export(ATTACHMENT, post(1, meta=THUMBNAIL)), "--media-dir", str(empty))
    assert not Article.objects.get().hero_image
    assert f"article 1: featured image not found in --media-dir: {UPLOADS}" in report


def test_a_file_that_is_not_an_image_is_refused_and_reported(make_export, run_import, uploads):
    (uploads / "2024" / "03" / "ponte.jpg").write_bytes(b"not an image")
    report = run_import(
        make_export(ATTACHMENT, post(1, meta=THUMBNAIL)), "--media-dir", str(uploads)
    )
    assert not Article.objects.get().hero_image
    assert f"article 1: photo refused ({UPLOADS}):" in report
    assert not Image.objects.exists()
