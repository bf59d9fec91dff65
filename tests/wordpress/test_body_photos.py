"""
Photos in a post's body come into the photo library when their files are in
--media-dir, captions as figures; the others are dropped and reported, never
left pointing at the old site.
"""

import re

import pytest

from articles.models import Article
from images.models import Image

from ..conftest import image_bytes
from .conftest import post

pytestmark = pytest.mark.django_db

PONTE = "https://gazzetta.example/wp-content/uploads/2024/03/ponte.jpg"
CAPTIONED = (
    f'[caption id="attachment_50" width="800"]<a href="{PONTE}"><img class="wp-image-50" '
    f'src="{PONTE}" alt="Il ponte sul Po" width="800" height="533" /></a> '
    "Il ponte all'alba.[/caption]\n\nIl resto del pezzo."
)


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "03"
    folder.mkdir(parents=True)
    (folder / "ponte.jpg").write_bytes(image_bytes(1600, 1000))
    return tmp_path / "uploads"


def figure_of(body):
    return re.search(r"<figure>(<img [^>]*>)<figcaption>([^<]*)</figcaption></figure>", body)


def test_a_captioned_photo_becomes_a_library_photo_in_a_figure(make_export, run_import, uploads):
    report = run_import(make_export(post(1, content=CAPTIONED)), "--media-dir", str(uploads))

    article = Article.objects.get()
    photo = Image.objects.get()
    assert photo.alt == "Il ponte sul Po"
    figure = figure_of(article.body)
    assert figure, article.body
    assert f'data-file="{photo.pk}"' in figure.group(1)
    assert "srcset=" in figure.group(1)
    assert "gazzetta.example" not in article.body
    assert figure.group(2) == "Il ponte all'alba."
    assert list(article.body_images.values_list("image", flat=True)) == [photo.pk]
    assert re.search(r"photos +1 created", report)


def test_a_photo_shown_by_two_posts_and_imported_twice_is_stored_once(
    make_export, run_import, uploads
):
    export = make_export(post(1, content=CAPTIONED), post(2, content=CAPTIONED))
    run_import(export, "--media-dir", str(uploads))
    bodies = dict(Article.objects.values_list("pk", "body"))

    report = run_import(export, "--media-dir", str(uploads))

    assert Image.objects.count() == 1
    assert dict(Article.objects.values_list("pk", "body")) == bodies
    assert "photos" not in report


def test_photos_out_of_reach_are_dropped_and_reported(make_export, run_import, tmp_path):
    report = run_import(make_export(post(1, content=CAPTIONED)))

    body = Article.objects.get().body
    assert "<img" not in body and "<figure" not in body
    assert "Il resto del pezzo." in body
    assert f"article 1: photo not imported (no --media-dir): {PONTE}" in report

    empty = tmp_path / "empty"
    empty.mkdir()
    report = run_import(make_export(post(2, content=CAPTIONED)), "--media-dir", str(empty))
    assert f"article 2: photo not found in --media-dir: {PONTE}" in report
    assert not Image.objects.exists()


def test_a_dry_run_counts_the_photos_and_stores_none(make_export, run_import, uploads):
    report = run_import(
        make_export(post(1, content=CAPTIONED)), "--media-dir", str(uploads), "--dry-run"
    )

    assert re.search(r"photos +1 created", report)
    assert not Image.objects.exists()
