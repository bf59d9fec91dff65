"""
Property-based tests: random text, unicode, huge and malformed values thrown
at the comment form, search and the reader URLs. Never a 500, never a
commenter's email on a page, nothing stored when a post is refused.
Bounded (a few dozen examples each) so that the suite stays fast.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.models import Comment

FUZZ = settings(
    max_examples=20,
    database=None,  # nothing written to disk; failures print their example
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SECRET_EMAIL = "segreto.lettore@example.org"

# Any text: control characters and NUL included, emoji, right-to-left, and
# now and then something far longer than any field allows.
anything = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=5), st.integers(1000, 20000)),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../"]),
)


@pytest.fixture(autouse=True)
def allow_quick_posts(settings):
    settings.COMMENTS_MIN_SECONDS_TO_POST = 0
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def article(make_article, author):
    article = make_article("Il porto di Genova", authors=[author], tags=["Genova"])
    Comment.objects.create(
        article=article,
        name="Lettore fedele",
        email=SECRET_EMAIL,
        body="Un commento già pubblicato.",
        status=Comment.Status.APPROVED,
    )
    return article


@FUZZ
@given(
    name=anything,
    email=st.one_of(anything, st.emails().map(str)),
    website=anything,
    body=anything,
    started=anything,
    honeypot=st.one_of(st.just(""), anything),
    parent=st.one_of(st.just(""), anything, st.integers().map(str)),
)
def test_the_comment_form_never_fails_nor_leaks(
    client, article, name, email, website, body, started, honeypot, parent
):
    before = Comment.objects.count()

    response = client.post(
        f"/commenti/articolo/{article.pk}/",
        {
            "name": name,
            "email": email,
            "website": website,
            "body": body,
            "started": started,
            "url": honeypot,
            "parent": parent,
        },
        HTTP_SEC_FETCH_SITE="same-origin",
        REMOTE_ADDR="192.0.2.1",
    )

    assert response.status_code in (200, 302, 400), response.status_code
    stored = Comment.objects.count() - before
    if response.status_code == 302:
        assert stored <= 1
    else:
        assert stored == 0, "a refused post stored a comment"
    assert SECRET_EMAIL not in response.content.decode(errors="replace")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert SECRET_EMAIL not in page.text


@FUZZ
@given(q=anything, section=anything, since=anything, until=anything, page=anything)
def test_search_answers_any_query(client, article, q, section, since, until, page):
    query = urlencode(
        {"q": q, "sezione": section, "dal": since, "al": until, "page": page},
        encoding="utf-8",
        errors="surrogatepass",
    )

    response = client.get(f"/cerca/?{query}")

    assert response.status_code in (200, 400, 404)
    assert SECRET_EMAIL not in response.content.decode(errors="replace")


READER_URLS = [
    "/{}/",
    "/{}/{}/",
    "/tag/{}/",
    "/autori/{}/",
    "/feed/tag/{}/",
    "/feed/sezioni/{}/",
    "/feed/autori/{}/atom/",
    "/anteprima/{}/",
    "/commenti/{}/",
    "/sitemap-{}.xml",
    "/{}",
]


@FUZZ
@given(pattern=st.sampled_from(READER_URLS), first=anything, second=anything, extra=anything)
def test_reader_urls_answer_any_path(client, article, pattern, first, second, extra):
    parts = [quote(part[:500], safe="", errors="surrogatepass") for part in (first, second)]
    url = pattern.format(*parts) + "?" + urlencode({"x": extra[:500]}, errors="surrogatepass")

    response = client.get(url)

    assert response.status_code < 500, (url, response.status_code)
    assert SECRET_EMAIL not in response.content.decode(errors="replace")
