"""
A reporter chooses an article's main photo in the photo library: the admin's
search box finds it by its words, the words come along, and readers see it.
"""

import pytest
from django.core.files import File
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from images.models import Image
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def library_photo(folder, name, **words):
    path = folder / name
    path.write_bytes(image_bytes(1600, 900, color=(30, 120, 90)))
    with path.open("rb") as handle:
        return Image.objects.create(file=File(handle, name=name), **words)


def test_reporter_chooses_the_main_photo_in_the_library_and_readers_see_it(
    visitor, reporter, section, tmp_path
):
    library = library_photo(tmp_path, "porto.jpg", alt="Le gru del porto di Genova all'alba",
                            caption="Il porto riapre.", credit="Foto ANSA")  # fmt: skip
    library_photo(tmp_path, "ponte.jpg", alt="Il ponte sul Polcevera")

    newsroom = visitor("reporter")
    newsroom.sign_in(reporter.username)
    page = newsroom.page
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", "Il porto riapre dopo la tempesta")
    page.select_option("#id_section", label=section.name)
    page.locator(".field-hero_photo .select2-selection").click()
    page.keyboard.type("gru")
    choice = page.locator(".select2-results__option", has_text="Le gru del porto")
    expect(choice).to_have_count(1)
    expect(page.locator(".select2-results__option", has_text="Polcevera")).to_have_count(0)
    choice.click()
    newsroom.screenshot("13-reporter-main-photo-from-library")
    page.get_by_role("button", name="Salva").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert newsroom.csp_violations == []

    article = Article.objects.get()
    assert article.hero_photo == library
    assert (article.hero_alt, article.hero_caption, article.hero_credit) == (
        "Le gru del porto di Genova all'alba",
        "Il porto riapre.",
        "Foto ANSA",
    )
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".field-hero_preview img")).to_be_visible()

    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    reader = visitor("reader")
    reader.page.goto(article.get_absolute_url())
    hero = reader.page.get_by_alt_text("Le gru del porto di Genova all'alba")
    expect(hero).to_be_visible()
    assert "1600w" in hero.get_attribute("srcset")
    assert hero.evaluate("img => img.naturalWidth") > 0
    expect(reader.page.locator(".article__hero figcaption")).to_contain_text("Foto ANSA")
    assert reader.csp_violations == []
