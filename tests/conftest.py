"""Shared personas and factories. Time is always taken from ``now`` or frozen explicitly."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Section
from authors.models import Author
from newsroom.purgers import get_purger


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions of each test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """
    Each test starts with an empty cache: a rolled-back test sends no signal,
    so pages stored by the previous one would otherwise still be current.
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona's password is hashed; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def section(db):
    return Section.objects.create(name="Tecnologia", slug="tecnologia", order=1)


@pytest.fixture
def author(db):
    return Author.objects.create(
        name="Milena Sala",
        slug="milena-sala",
        bio="Sono nata a Modena.",
        email="milena@example.org",
    )


@pytest.fixture
def make_author(db):
    def make(name, **fields):
        from django.utils.text import slugify

        return Author.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)

    return make


@pytest.fixture
def make_article(db, section, now):
    """Build an article; published an hour ago unless told otherwise."""

    def make(title="Una notizia", *, authors=(), tags=(), **fields):
        fields.setdefault("section", section)
        fields.setdefault("status", Article.Status.PUBLISHED)
        if fields["status"] == Article.Status.PUBLISHED:
            fields.setdefault("published_at", now - timedelta(hours=1))
        fields.setdefault("body", "<p>Testo dell'articolo.</p>")
        article = Article.objects.create(title=title, **fields)
        for position, person in enumerate(authors):
            Byline.objects.create(article=article, author=person, position=position)
        if tags:
            article.tags.add(*tags)
        return article

    return make


def make_member(username, group, *, first_name, last_name, author=False):
    """A staff account in one of the newsroom's groups, optionally with its byline."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username,
        f"{username}@example.org",
        "correct horse battery staple",
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=group))
    if author:
        name = f"{first_name} {last_name}"
        Author.objects.create(name=name, slug=name.lower().replace(" ", "-"), user=user)
    return user


@pytest.fixture
def editor(db):
    """Franca Rossi, in the Editor group: edits everything, publishes, manages redirects."""
    return make_member("editor", "Editor", first_name="Franca", last_name="Rossi")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def other_editor(db):
    """Marco Riva, a second editor: two people editing the same article at once."""
    return make_member("vice", "Editor", first_name="Marco", last_name="Riva")


@pytest.fixture
def reporter(db):
    """Luca Bianchi, in the Reporter group, with his own byline."""
    return make_member("reporter", "Reporter", first_name="Luca", last_name="Bianchi", author=True)


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def other_reporter(db):
    """Sara Gallo, another reporter: her articles are not Luca's to edit."""
    return make_member("collega", "Reporter", first_name="Sara", last_name="Gallo", author=True)


@pytest.fixture
def client_for(db):
    """A browser of its own for ``user``: two people editing at once need two."""
    from django.test import Client

    def make(user):
        browser = Client()
        browser.force_login(user)
        return browser

    return make


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "direttore", "direttore@example.org", "correct horse battery staple"
    )


def image_bytes(width=1200, height=800, fmt="JPEG", color=(180, 30, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def make_upload():
    def make(name="foto.jpg", width=1200, height=800, fmt="JPEG", content_type="image/jpeg"):
        return SimpleUploadedFile(name, image_bytes(width, height, fmt), content_type=content_type)

    return make


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_in_responses():
    """
    ``response.templates`` and ``response.context`` for the reader pages too:
    Django's test runner records only its own templates' rendering.
    """
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def recorded(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=dict(context or {}))
        return render(self, context, request)

    Template.render = recorded
    yield
    Template.render = render


@pytest.fixture
def use_purger(settings):
    """
    Switch to the purger of the given settings: ``use_purger(PAGE_CACHE_PURGER=…, …)``
    returns ``get_purger()`` built anew from them. The purger built is closed at the end.
    """

    def use(**values):
        get_purger().close()
        get_purger.cache_clear()
        for name, value in values.items():
            setattr(settings, name, value)
        return get_purger()

    yield use
    get_purger().close()
    get_purger.cache_clear()
