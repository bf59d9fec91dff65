"""A featured image becomes the hero image when its file is in --media-dir."""

import pytest

from articles.models import Article

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
    assert "featured image refused" in report
