"""Whatever a commenter types is text: never markup, on the page, the error page or the admin."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
]
MARKUP = ["<script>alert", "<img src=x", "<svg/onload", 'href="javascript:', "onmouseover='alert"]


def assert_inert(html):
    for fragment in MARKUP:
        assert fragment not in html, fragment


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_a_published_comment_render_as_text(client, article, make_comment, payload):
    make_comment(body=f"{payload} http://example.org/?q={payload}", name=payload)
    html = client.get(article.get_absolute_url()).content.decode()
    assert_inert(html)
    assert "&lt;" in html or "&#x27;" in html or "javascript:alert(1)" in html


def test_a_website_that_is_not_http_never_becomes_a_link(article, post_comment):
    response = post_comment(article, website="javascript:alert(1)")
    assert response.status_code == 200
    assert not Comment.objects.exists()
    assert 'href="javascript:' not in response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_are_escaped_on_the_error_page(article, post_comment, payload):
    response = post_comment(
        article,
        name=payload * 30,  # too long: the page comes back with everything typed
        email=f"{payload}@example.org",
        website=payload,
        body=payload,
        parent=payload,
        started=payload,
    )
    assert response.status_code == 200
    assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped_in_the_moderation_queue_and_reply_prompt(
    client, article, make_comment, moderator_client, payload
):
    comment = make_comment(body=payload, name=payload, website="https://example.org/")
    assert_inert(client.get(f"{article.get_absolute_url()}?rispondi={comment.pk}").content.decode())
    assert_inert(client.get(f"/commenti/{comment.pk}/segnala/").content.decode())
    assert_inert(moderator_client.get("/admin/comments/comment/").content.decode())
    assert_inert(
        moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    )
