"""
Keep each article's stored search vector in step with everything it is made of.

The vector reads the article's row, its tags and its bylines' author names. The
tags and bylines are saved after the article (the admin saves the form, then its
many-to-many fields, then its inlines) and by other apps (taggit, authors) that
must not know about search: hence signals, one receiver per source of text,
each rebuilding only the affected articles in one UPDATE
(``articles.search.update_search_vector``, which does nothing off PostgreSQL).

Not covered, because Django sends no signal for them: ``bulk_create``,
``QuerySet.update`` and raw SQL. Run ``manage.py update_search_vectors`` after
those.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag

from authors.models import Author

from .models import Article, Byline
from .search import stores_vectors, update_search_vector


def article_saved(sender, instance, **kwargs):
    update_search_vector([instance.pk])


def byline_changed(sender, instance, **kwargs):
    update_search_vector([instance.article_id])


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # tag.<articles>.add(...): pk_set holds articles (None after a clear).
        if pk_set:
            update_search_vector(pk_set)
    elif isinstance(instance, Article):
        update_search_vector([instance.pk])


def remember_old_name(sender, instance, **kwargs):
    """Before an author or tag is saved: its stored name, to spot a rename (one query)."""
    if instance.pk is None or not stores_vectors():
        instance._name_before_save = None
    else:
        instance._name_before_save = (
            sender._default_manager.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def author_saved(sender, instance, created, **kwargs):
    if not created and instance.name != getattr(instance, "_name_before_save", instance.name):
        update_search_vector(Article.objects.by_author(instance).values("pk"))


def tag_saved(sender, instance, created, **kwargs):
    if not created and instance.name != getattr(instance, "_name_before_save", instance.name):
        update_search_vector(Article.objects.tagged(instance).values("pk"))


def remember_tagged_articles(sender, instance, **kwargs):
    """Before a tag is deleted (its taggings go with it): the articles that carried it."""
    if stores_vectors():
        instance._tagged_article_ids = list(
            Article.objects.tagged(instance).values_list("pk", flat=True)
        )


def tag_deleted(sender, instance, **kwargs):
    update_search_vector(getattr(instance, "_tagged_article_ids", []))


def connect():
    """Called once, from ``ArticlesConfig.ready()``."""
    uid = "articles.search."
    post_save.connect(article_saved, sender=Article, dispatch_uid=uid + "article")
    post_save.connect(byline_changed, sender=Byline, dispatch_uid=uid + "byline_saved")
    post_delete.connect(byline_changed, sender=Byline, dispatch_uid=uid + "byline_deleted")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid=uid + "tags")
    for model, saved in ((Author, author_saved), (Tag, tag_saved)):
        name = model._meta.label_lower
        pre_save.connect(remember_old_name, sender=model, dispatch_uid=uid + name + "_pre")
        post_save.connect(saved, sender=model, dispatch_uid=uid + name)
    pre_delete.connect(remember_tagged_articles, sender=Tag, dispatch_uid=uid + "tag_pre_delete")
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid=uid + "tag_deleted")
