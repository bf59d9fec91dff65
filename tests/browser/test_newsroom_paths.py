"""
The three people's paths, in a real browser against a real server: an editor
writes and publishes, a reader comments, a moderator approves, the reader sees
the comment; a reporter cannot publish. Each step leaves a screenshot in
test-artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Il porto di Genova cambia volto"
LINK = "https://www.comune.genova.it/"


def write_body(page):
    """An opening paragraph, an H2 from the editor's block menu, and a link from its dialog."""
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.type("I lavori sulla diga iniziano a settembre.")
    page.keyboard.press("Enter")
    page.click(".prose-menubar__selected")
    page.click(".prose-menubar__option[data-name=heading2]")
    page.keyboard.type("Che cosa cambia")
    page.keyboard.press("Enter")
    page.keyboard.type("Tutti i dettagli nella fonte originale")
    page.keyboard.down("Shift")
    for _ in "fonte originale":
        page.keyboard.press("ArrowLeft")
    page.keyboard.up("Shift")
    page.click(".prose-menubar__button[data-name=link]")
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.locator("input[name=href]").fill(LINK)
    dialog.locator("button[type=submit]").click()
    expect(body.locator("h2")).to_have_text("Che cosa cambia")
    expect(body.locator(f'a[href="{LINK}"]')).to_have_text("fonte originale")


def pick_author(page, name):
    """The byline's author is a select2 autocomplete: type, wait for the match, choose it."""
    page.locator(".dynamic-bylines .select2-selection, #bylines-0 .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


def test_editor_publishes_reader_comments_moderator_approves(
    visitor, editor, moderator, author, section, tmp_path
):
    # The editor writes the article in the admin and publishes it.
    newsroom = visitor("editor")
    newsroom.sign_in("editor")
    page = newsroom.page
    newsroom.screenshot("01-editor-signed-in")
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Nuova diga, nuovi moli: il piano in tre tappe.")
    write_body(page)
    photo = tmp_path / "porto.jpg"
    photo.write_bytes(image_bytes(1600, 900, color=(20, 90, 160)))
    page.set_input_files("#id_hero_image", str(photo))
    page.fill("#id_hero_alt", "Le gru del porto di Genova al tramonto")
    page.select_option("#id_section", label=section.name)
    pick_author(page, author.name)
    newsroom.screenshot("02-editor-writes-article")
    page.get_by_role("button", name="Pubblica ora").click()
    expect(page.locator(".messagelist")).to_contain_text("Pubblicato")
    newsroom.screenshot("03-editor-published")
    assert newsroom.csp_violations == []

    article = Article.objects.get(title=TITLE)
    assert article.is_published
    assert "<h2>Che cosa cambia</h2>" in article.body
    assert LINK in article.body
    assert article.hero_image and article.hero_alt
    assert list(article.authors.all()) == [author]

    # A reader finds it on the home page, opens it, comments.
    reader = visitor("reader")
    page = reader.page
    page.goto("/")
    reader.screenshot("04-reader-home")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("article h2", has_text="Che cosa cambia")).to_be_visible()
    expect(page.locator(f'a[href="{LINK}"]')).to_be_visible()
    expect(page.get_by_alt_text("Le gru del porto di Genova al tramonto")).to_be_visible()
    reader.screenshot("05-reader-article")
    page.get_by_role("textbox", name="Nome").fill("Anna Lettrice")
    page.get_by_role("textbox", name="Email").fill("anna@example.org")
    page.get_by_role("textbox", name="Commento").fill("Finalmente, era ora che si partisse.")
    page.get_by_role("button", name="Invia commento").click()
    expect(page.locator(".comment-notice")).to_contain_text("in attesa di moderazione")
    reader.screenshot("06-reader-comment-held")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert reader.csp_violations == []

    # A moderator approves it from the queue.
    desk = visitor("moderator")
    desk.sign_in(moderator.username)
    page = desk.page
    page.goto("/admin/comments/comment/")
    row = page.locator("#result_list tr", has_text="Finalmente")
    desk.screenshot("07-moderator-queue")
    row.get_by_role("button", name="Approva").click()
    expect(page.locator(".messagelist")).to_be_visible()
    desk.screenshot("08-moderator-approved")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert desk.csp_violations == []

    # The reader sees it, once the browser asks again: pages may be reused
    # for a minute without asking (Cache-Control), as a reader's reload does.
    page = reader.page
    page.goto(article.get_absolute_url())
    page.reload()
    expect(page.locator(f"#commento-{comment.pk}")).to_contain_text("era ora che si partisse")
    expect(page.locator(f"#commento-{comment.pk}")).not_to_contain_text("anna@example.org")
    reader.screenshot("09-reader-sees-comment")
    assert reader.csp_violations == []


def test_reporter_cannot_publish(visitor, reporter, section):
    desk = visitor("reporter")
    desk.sign_in("reporter")
    page = desk.page
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", "La mia bozza")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Testo della bozza.")
    page.select_option("#id_section", label=section.name)

    buttons = page.locator(".workflow__buttons button")
    expect(buttons.filter(has_text="Invia in revisione")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Pubblica"))).to_have_count(0)
    expect(page.get_by_role("button", name="Programma")).to_have_count(0)
    desk.screenshot("10-reporter-cannot-publish")

    buttons.filter(has_text="Invia in revisione").click()
    expect(page.locator(".messagelist")).to_be_visible()
    desk.screenshot("11-reporter-sent-for-review")
    article = Article.objects.get(title="La mia bozza")
    assert not article.is_published
    assert desk.csp_violations == []
