"""A reader posts the form: stored with a decision, sent back to the article, never a 500."""

import pytest
from django.test import Client

from articles.models import Article
from comments.models import Comment

pytestmark = pytest.mark.django_db

POST_QUERY_BUDGET = 12


def test_a_new_readers_comment_is_held_and_the_reader_is_told(client, article, post_comment):
    response = post_comment(article)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{article.get_absolute_url()}?commento=in-attesa#lascia-un-commento"
    )
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "in attesa: ogni commento nuovo passa dai moderatori"
    assert (comment.name, comment.email, comment.ip) == (
        "Giulia Ferri",
        "giulia@example.org",
        "192.0.2.1",
    )
    assert comment.user_agent == "Mozilla/5.0 (test)"
    page = client.get(response["Location"]).content.decode()
    assert "Il tuo commento è in attesa di moderazione." in page
    assert "Clubhouse mi sembra già passato di moda." not in page


def test_a_published_comment_sends_the_reader_to_it(client, article, post_comment, settings):
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    response = post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{article.get_absolute_url()}#commento-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="commento-{comment.pk}"' in page
    assert "in attesa di moderazione" not in page


def test_a_published_comment_on_a_later_page_sends_the_reader_to_that_page(
    article, post_comment, make_comment, settings
):
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    settings.COMMENTS_PER_PAGE = 2
    for n in range(4):
        make_comment(f"Commento {n}", email=f"lettore{n}@example.org")
    response = post_comment(article)
    comment = Comment.objects.latest("pk")
    assert response["Location"].endswith(f"?pagina_commenti=3#commento-{comment.pk}")


def test_spam_gets_the_same_answer_as_a_held_comment(article, post_comment):
    person = post_comment(article, ip="192.0.2.1")
    bot = post_comment(article, ip="192.0.2.2", body="Compro oro", url="http://bot.example")
    assert person["Location"] == bot["Location"]
    assert Comment.objects.get(body="Compro oro").status == Comment.Status.SPAM


def test_posting_costs_a_bounded_number_of_queries(
    article, post_comment, make_comment, django_assert_max_num_queries, settings
):
    settings.COMMENTS_MODERATOR_EMAILS = []  # the moderators are looked up too
    parent = make_comment("Il primo commento.")
    with django_assert_max_num_queries(POST_QUERY_BUDGET):
        response = post_comment(article, parent=str(parent.pk))
    assert response.status_code == 302
    assert Comment.objects.get(parent=parent).depth == 2


def test_posting_a_published_reply_costs_a_bounded_number_of_queries(
    article, post_comment, make_comment, django_assert_max_num_queries, settings
):
    settings.COMMENTS_HOLD_BY_DEFAULT = False
    parent = make_comment("Il primo commento.")
    with django_assert_max_num_queries(POST_QUERY_BUDGET):
        response = post_comment(article, parent=str(parent.pk))
    assert "#commento-" in response["Location"]


def test_the_article_page_carries_no_csrf_token_and_sets_no_cookie(article):
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(article.get_absolute_url())
    assert "Lascia un commento" in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"},
    ],
)
def test_a_post_from_the_sites_own_page_needs_no_token(article, form_data, headers):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/commenti/articolo/{article.pk}/", form_data(), **headers)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://blog.testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
def test_a_post_forged_by_another_site_is_refused(article, form_data, headers):
    # Even with a valid token: the browser says the page was not ours.
    response = Client().post(f"/commenti/articolo/{article.pk}/", form_data(), **headers)
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", [{}, {"HTTP_ORIGIN": "null"}])
def test_a_browser_that_says_nothing_confirms_once_with_a_token(article, form_data, headers):
    browser = Client(enforce_csrf_checks=True)
    url = f"/commenti/articolo/{article.pk}/"
    response = browser.post(url, form_data(body="Il mio testo."), **headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "premi di nuovo" in page
    assert "Il mio testo." in page
    assert not Comment.objects.exists()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(url, form_data(body="Il mio testo.", csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Il mio testo."


def test_comments_on_an_article_readers_cannot_see_are_refused_with_a_404(
    article, post_comment, make_article
):
    draft = make_article("Bozza", status=Article.Status.DRAFT)
    assert post_comment(draft).status_code == 404
    assert post_comment(article, ip="192.0.2.3").status_code == 302
    assert Comment.objects.count() == 1


def test_wrong_addresses_and_methods_never_end_in_a_500(client, article, post_comment):
    assert client.get(f"/commenti/articolo/{article.pk}/").status_code == 405
    assert client.post("/commenti/articolo/99999999999999999999999/").status_code == 404
    assert client.get("/commenti/99999999999999999999999/segnala/").status_code == 404
    assert client.get("/commenti/conferma/nonsense/").status_code == 400
    response = post_comment(article, parent="99999999999999999999999")
    assert response.status_code == 200
    response = post_comment(article, parent="abc")
    assert response.status_code == 200


def test_a_reply_to_a_comment_that_is_no_longer_public_is_explained(
    article, post_comment, make_comment
):
    held = make_comment("In attesa.", status=Comment.Status.PENDING)
    response = post_comment(article, parent=str(held.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il commento a cui rispondi non è più visibile" in page
    assert 'name="parent"' not in page  # sending again posts it on its own
    assert "Clubhouse mi sembra già passato di moda." in page
    assert post_comment(article, ip="192.0.2.8").status_code == 302


def test_a_reply_at_the_deepest_level_goes_beside_its_parent(
    article, post_comment, make_comment, settings
):
    settings.COMMENTS_MAX_DEPTH = 2
    top = make_comment("Livello 1")
    second = make_comment("Livello 2", parent=top)
    post_comment(article, parent=str(second.pk))
    reply = Comment.objects.latest("pk")
    assert (reply.parent_id, reply.depth) == (top.pk, 2)


def test_a_parent_from_another_article_is_refused(
    article, post_comment, make_comment, make_article
):
    other = make_comment("Altrove", article=make_article("Altro"))
    response = post_comment(article, parent=str(other.pk))
    assert response.status_code == 200
    assert not Comment.objects.filter(parent=other).exists()
