"""
A reporter puts a photo in an article's body: the editor's photo button, the
library's picker in its own window (upload, then choose), the figure in the
body; readers see it responsive, with its caption.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from images.models import Image
from tests.browser.conftest import ARTIFACTS, click_closing
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_reporter_uploads_a_photo_from_the_editor_and_readers_see_it(
    visitor, reporter, section, tmp_path
):
    newsroom = visitor("reporter")
    newsroom.sign_in(reporter.username)
    page = newsroom.page
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", "La nuova diga vista dall'alto")
    page.select_option("#id_section", label=section.name)
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.type("Le prime immagini del cantiere.")
    page.keyboard.press("Enter")

    page.click(".prose-menubar__button[data-name=figure]")
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Sfoglia l'archivio…").click()
    picker = opened.value
    picker.wait_for_load_state()
    photo = tmp_path / "diga.jpg"
    photo.write_bytes(image_bytes(1600, 900, color=(20, 90, 160)))
    picker.set_input_files("#id_file", str(photo))
    picker.fill("#id_alt", "La diga di Genova vista dal drone")
    picker.fill("#id_caption", "Il cantiere a novembre.")
    picker.fill("#id_credit", "Foto Comune di Genova")
    picker.get_by_role("button", name="Carica").click()
    expect(picker.locator(".messagelist")).to_contain_text("Foto caricata")
    picker.screenshot(path=str(ARTIFACTS / "10-reporter-photo-picker.png"), full_page=True)
    click_closing(picker, picker.get_by_role("button", name="Usa questa foto"))

    expect(dialog.locator("input[name=altText]")).to_have_value("La diga di Genova vista dal drone")
    dialog.locator("button[type=submit]").click()
    expect(body.locator("figure img")).to_be_visible()
    expect(body.locator("figure figcaption")).to_have_text(
        "Il cantiere a novembre. Foto Comune di Genova"
    )
    newsroom.screenshot("11-reporter-body-with-photo")
    page.get_by_role("button", name="Salva").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert newsroom.csp_violations == []

    article = Article.objects.get()
    image = Image.objects.get()
    assert list(article.body_images.values_list("image", flat=True)) == [image.pk]

    # An editor publishes it; a reader sees the photo at a size that fits.
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    reader = visitor("reader")
    reader.page.goto(article.get_absolute_url())
    photo = reader.page.get_by_alt_text("La diga di Genova vista dal drone")
    expect(photo).to_be_visible()
    assert "800w" in photo.get_attribute("srcset")
    assert photo.evaluate("img => img.naturalWidth") > 0
    expect(reader.page.locator(".article__body figcaption")).to_have_text(
        "Il cantiere a novembre. Foto Comune di Genova"
    )
    reader.screenshot("12-reader-body-photo")
    assert reader.csp_violations == []
