"""
A streaming reader of WordPress eXtended RSS (WXR 1.1 and 1.2) exports.

``read(path)`` yields one plain dataclass per thing the export declares, in file
order: the ``Site`` first, then ``Author``, ``Term`` (categories, tags and other
taxonomies) and ``Item`` (posts, pages, attachments, menu items...), each item
with its ``Comment``s. Nothing here knows about Notizie's models.

The file is read with ``iterparse`` and every top-level element is dropped once
turned into a dataclass, so memory stays bounded by the largest single item,
whatever the size of the export. A malformed file raises ``WXRError`` with the
line and column where the parser gave up.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field


class WXRError(Exception):
    """The file is not a well-formed WXR export; ``line`` and ``column`` say where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)


@dataclass
class Site:
    base_site_url: str = ""
    base_blog_url: str = ""
    link: str = ""
    language: str = ""
    wxr_version: str = ""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""


@dataclass
class Term:
    """A category, a tag or a custom taxonomy term, as declared before the items."""

    taxonomy: str  # "category", "post_tag", "nav_menu", ...
    term_id: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class ItemTerm:
    """One ``<category domain=... nicename=...>`` of an item, in the item's order."""

    taxonomy: str
    slug: str
    name: str


@dataclass
class Comment:
    comment_id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent: str = "0"
    user_id: str = "0"
    agent: str = ""


@dataclass
class Item:
    post_id: str
    post_type: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = "0"
    password: str = ""
    attachment_url: str = ""
    terms: list[ItemTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


def _prefix(namespace: str) -> str:
    """The conventional prefix of a namespace, whatever its version or scheme."""
    if "wordpress.org/export/" in namespace:
        return "excerpt" if namespace.rstrip("/").endswith("/excerpt") else "wp"
    if "purl.org/rss/1.0/modules/content" in namespace:
        return "content"
    if "purl.org/dc/elements" in namespace:
        return "dc"
    return namespace


_names: dict[str, str] = {}


def name(tag: str) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id``, cached."""
    try:
        return _names[tag]
    except KeyError:
        pass
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        short = f"{_prefix(namespace)}:{local}"
    else:
        short = tag
    _names[tag] = short
    return short


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element) -> dict[str, str]:
    """The text of each simple child element, by prefixed name (the last one wins)."""
    return {name(child.tag): child.text or "" for child in element}


def read(source) -> Iterator[Site | Author | Term | Item]:
    """
    Yield the export's contents in file order. ``source`` is a path or a binary
    file. Raises ``WXRError`` on malformed XML, possibly after yielding what
    came before the error.
    """
    site = Site()
    site_sent = False
    channel = None
    depth = 0
    try:
        for event, element in ET.iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2 and name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                if depth == 0 and channel is None:
                    raise WXRError("no <rss><channel> found: is this a WordPress export?")
                continue
            # A direct child of <channel> is complete: map it and drop it.
            tag = name(element.tag)
            if tag == "item":
                if not site_sent:
                    site_sent = True
                    yield site
                yield parse_item(element)
            elif tag == "wp:author":
                yield parse_author(element)
            elif tag in ("wp:category", "wp:tag", "wp:term"):
                yield parse_term(tag, element)
            elif tag == "wp:base_site_url":
                site.base_site_url = _text(element)
            elif tag == "wp:base_blog_url":
                site.base_blog_url = _text(element)
            elif tag == "wp:wxr_version":
                site.wxr_version = _text(element)
            elif tag == "link":
                site.link = _text(element)
            elif tag == "language":
                site.language = _text(element)
            channel.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise WXRError(str(error).split(":")[0], line, column) from None
    if not site_sent:
        yield site


def parse_author(element) -> Author:
    data = _children(element)
    return Author(
        login=data.get("wp:author_login", "").strip(),
        email=data.get("wp:author_email", "").strip(),
        display_name=data.get("wp:author_display_name", "").strip(),
        first_name=data.get("wp:author_first_name", "").strip(),
        last_name=data.get("wp:author_last_name", "").strip(),
        description=data.get("wp:author_description", "").strip(),
    )


def parse_term(tag: str, element) -> Term:
    data = _children(element)
    if tag == "wp:category":
        return Term(
            taxonomy="category",
            term_id=data.get("wp:term_id", "").strip(),
            slug=data.get("wp:category_nicename", "").strip(),
            name=data.get("wp:cat_name", "").strip(),
            parent=data.get("wp:category_parent", "").strip(),
            description=data.get("wp:category_description", "").strip(),
        )
    if tag == "wp:tag":
        return Term(
            taxonomy="post_tag",
            term_id=data.get("wp:term_id", "").strip(),
            slug=data.get("wp:tag_slug", "").strip(),
            name=data.get("wp:tag_name", "").strip(),
            description=data.get("wp:tag_description", "").strip(),
        )
    return Term(
        taxonomy=data.get("wp:term_taxonomy", "").strip(),
        term_id=data.get("wp:term_id", "").strip(),
        slug=data.get("wp:term_slug", "").strip(),
        name=data.get("wp:term_name", "").strip(),
        parent=data.get("wp:term_parent", "").strip(),
        description=data.get("wp:term_description", "").strip(),
    )


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:comment_status": "comment_status",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_parent": "post_parent",
    "wp:post_type": "post_type",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}
# Free text keeps its whitespace (wpautop reads the line breaks); the rest is trimmed.
_VERBATIM = {"content", "excerpt"}


def parse_item(element) -> Item:
    item = Item(post_id="")
    for child in element:
        tag = name(child.tag)
        if tag == "wp:post_id":
            item.post_id = _text(child)
        elif tag in _ITEM_FIELDS:
            attribute = _ITEM_FIELDS[tag]
            value = child.text or ""
            setattr(item, attribute, value if attribute in _VERBATIM else value.strip())
        elif tag == "category":
            item.terms.append(
                ItemTerm(
                    taxonomy=child.get("domain", "category"),
                    slug=child.get("nicename", "").strip(),
                    name=(child.text or "").strip(),
                )
            )
        elif tag == "wp:postmeta":
            meta = _children(child)
            key = meta.get("wp:meta_key", "").strip()
            if key:
                item.meta[key] = meta.get("wp:meta_value", "")
        elif tag == "wp:comment":
            item.comments.append(parse_comment(child))
    return item


def parse_comment(element) -> Comment:
    data = _children(element)

    def get(key, default=""):
        return data.get(f"wp:comment_{key}", default).strip()

    return Comment(
        comment_id=get("id"),
        author=get("author"),
        email=get("author_email"),
        url=get("author_url"),
        ip=get("author_IP"),
        date=get("date"),
        date_gmt=get("date_gmt"),
        content=data.get("wp:comment_content", ""),
        approved=get("approved", "1"),
        type=get("type"),
        parent=get("parent", "0") or "0",
        user_id=get("user_id", "0") or "0",
        agent=get("agent"),
    )
