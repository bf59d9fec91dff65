"""
What each write makes stale: the cache tags it touched.

Receivers of the apps' model signals (connected by ``NewsroomConfig.ready()``,
so that the apps never import the project) name the tags of what changed:

- an article saved or deleted: its own tag, and the lists it was and is in
  (``home``, its section's, its tags', its authors'), whatever changed, since
  a new status, date or section moves it in or out of them;
- a byline or a tagging added or removed: the article, and that author's or
  tag's lists;
- a section, author or tag saved or deleted: its own tag (and for a section,
  its list and the menu, ``site``);
- a comment approved, rejected or deleted: its article's tag only (its page,
  and the teasers that show its count); a comment held for moderation,
  nothing;
- the site's domain, or an import that wrote in bulk: every page.

The tags are invalidated in the page cache at once, so that this process's
next read is fresh, and again when the transaction commits, so that a page
rendered from the old rows meanwhile (another request, another server) goes
too. On commit they are also purged at the edge (``newsroom/purgers.py``):
one purge per write, each a few tags.
Writes that send no signal (``bulk_create``, ``QuerySet.update``, raw SQL on
public content) must call ``invalidate()`` themselves.
"""

from functools import partial

from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from taggit.models import Tag, TaggedItem

import cachetags
from articles.models import Article, Byline, Section
from authors.models import Author
from comments.models import Comment
from wordpress import signals as wordpress_signals

from . import cache as page_cache
from .context_processors import MENU_KEY
from .purgers import get_purger


def invalidate(tags, using=DEFAULT_DB_ALIAS) -> None:
    """
    ``tags`` changed: stale now in the page cache, and again on commit, when
    they are also purged at the edge.
    """
    tags = set(tags)
    page_cache.invalidate(tags)
    if connections[using].in_atomic_block:
        transaction.on_commit(partial(committed, tags), using=using)
    else:
        get_purger().purge(tags)


def committed(tags) -> None:
    page_cache.invalidate(tags)
    get_purger().purge(tags)


def invalidate_everything(using=DEFAULT_DB_ALIAS) -> None:
    """Every page carries ``site``: the site's name and domain, the menu."""
    cache.delete_many([page_cache.NEXT_KEY, MENU_KEY])
    invalidate({cachetags.SITE}, using)


# What an article's page and lists are --------------------------------------------


def article_lists(article_id, section_id) -> set[str]:
    """The tags of the lists an article can appear in (two queries)."""
    tag_ids = TaggedItem.objects.filter(
        object_id=article_id, content_type__app_label="articles", content_type__model="article"
    ).values_list("tag_id", flat=True)
    author_ids = Byline.objects.filter(article_id=article_id).values_list("author_id", flat=True)
    return {
        cachetags.HOME,
        cachetags.SITEMAP,
        cachetags.section_list(section_id),
        *map(cachetags.tag_list, tag_ids),
        *map(cachetags.author_list, author_ids),
    }


# The receivers -------------------------------------------------------------------


def article_before_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    """The lists of the section it leaves, if it moves (one query)."""
    if raw or instance.pk is None:
        return
    old = Article.objects.using(using).filter(pk=instance.pk).values_list("section_id", flat=True)
    invalidate({cachetags.section_list(section_id) for section_id in old}, using)


def article_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    cache.delete(page_cache.NEXT_KEY)  # it may be the next to go public, or no longer
    tags = {cachetags.article(instance.pk), *article_lists(instance.pk, instance.section_id)}
    invalidate(tags, using)


def byline_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    tags = {cachetags.article(instance.article_id), cachetags.author_list(instance.author_id)}
    invalidate(tags, using)


def tagging_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    tags = {cachetags.article(instance.object_id), cachetags.tag_list(instance.tag_id)}
    invalidate(tags, using)


def section_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    cache.delete(MENU_KEY)
    tags = {cachetags.section(instance.pk), cachetags.section_list(instance.pk), cachetags.SITE}
    invalidate(tags, using)


def author_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    tags = {cachetags.author(instance.pk), cachetags.author_list(instance.pk), cachetags.SITEMAP}
    invalidate(tags, using)


def tag_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    invalidate(
        {cachetags.tag(instance.pk), cachetags.tag_list(instance.pk), cachetags.SITEMAP}, using
    )


def comment_saved(sender, instance, created, using=DEFAULT_DB_ALIAS, **kwargs):
    """
    A new comment shows only if approved; any later save may be a moderation
    (approved, or taken back) and is rare enough to always count.
    """
    if not created or instance.status == Comment.Status.APPROVED:
        invalidate({cachetags.article(instance.article_id)}, using)


def comment_deleted(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        invalidate({cachetags.article(instance.article_id)}, using)


def site_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    invalidate_everything(using)


def import_finished(sender, **kwargs):
    """An import wrote in bulk, which sends no post_save: every page may be stale."""
    invalidate_everything()


# What a page shows, as it loads ---------------------------------------------------

LOADED = {
    Article: cachetags.article,
    Section: cachetags.section,
    Author: cachetags.author,
    Tag: cachetags.tag,
}


def loaded(sender, instance, **kwargs):
    """An object loaded while a page renders is one the page shows."""
    if instance.pk is not None:
        cachetags.add(LOADED[sender](instance.pk))


def connect() -> None:
    """Called once, from ``NewsroomConfig.ready()``."""
    uid = "newsroom.invalidation."
    pre_save.connect(article_before_save, sender=Article, dispatch_uid=uid + "article.pre")
    for model, receiver in (
        (Article, article_changed),
        (Byline, byline_changed),
        (TaggedItem, tagging_changed),
        (Section, section_changed),
        (Author, author_changed),
        (Tag, tag_changed),
        (Site, site_changed),
    ):
        name = model._meta.label_lower
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}{name}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}{name}.delete")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=uid + "comment.save")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=uid + "comment.delete")
    wordpress_signals.import_finished.connect(import_finished, dispatch_uid=uid + "import")
    for model in LOADED:
        post_init.connect(loaded, sender=model, dispatch_uid=f"{uid}{model._meta.label_lower}")
