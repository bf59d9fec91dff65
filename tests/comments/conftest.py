"""Comment personas and helpers: a commenter posts like a browser, a moderator works the queue."""

import pytest
from django.contrib.auth.models import Group

from comments.models import Comment
from tests.comments.post_data import comment_post_data


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderatori@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def article(make_article, author):
    return make_article("Elon Munk ha invitato Putin su Clubhouse", authors=[author])


@pytest.fixture
def make_comment(db, article):
    """A stored comment, approved unless told otherwise."""

    def make(body="Un commento.", **fields):
        fields.setdefault("article", article)
        fields.setdefault("name", "Giulia Ferri")
        fields.setdefault("email", "giulia@example.org")
        fields.setdefault("status", Comment.Status.APPROVED)
        fields.setdefault("ip", "192.0.2.10")
        if fields.get("parent") is not None:
            fields.setdefault("depth", fields["parent"].depth + 1)
        return Comment.objects.create(body=body, **fields)

    return make


@pytest.fixture
def form_data():
    """What a person's browser sends: the form was shown a minute ago."""
    return comment_post_data


@pytest.fixture
def post_comment(client, form_data):
    """Post the comment form of ``article`` from ``ip``; returns the response."""

    def post(article, *, ip="192.0.2.1", follow=False, **fields):
        return client.post(
            f"/commenti/articolo/{article.pk}/",
            form_data(**fields),
            REMOTE_ADDR=ip,
            HTTP_USER_AGENT="Mozilla/5.0 (test)",
            follow=follow,
        )

    return post


@pytest.fixture
def moderator(db, django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", "moderatrice@example.org", "correct horse battery staple", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
