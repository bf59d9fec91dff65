"""
The approved comments of one article as threads, in one or two small queries.

Most discussions fit on one page: ``Threads.for_reading()`` reads them whole,
text included, in one query that stops one comment past a page. A longer one
is read in two steps: where every approved comment sits (its id and its
parent's, oldest first), so nesting, counting and paging happen here whatever
the number of comments; then what the comments of the page shown say. A
thread of 2,000 comments costs a list of integers, not 2,000 rows of text.
Pages hold whole threads: the top-level comments are paged, and their
replies come along.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.safestring import mark_safe

from .models import Comment, render_body

# What a reader's page shows of a comment: never the email, IP or user agent.
TEXT_FIELDS = ("name", "website", "body_html", "body", "created_at")
PUBLIC_FIELDS = ("pk", "status", *TEXT_FIELDS)


@dataclass
class Node:
    pk: int
    parent_id: int | None
    position: int  # in time order, oldest first
    depth: int = 1
    replies: list["Node"] = field(default_factory=list)
    # What the comment says, loaded for the page shown (Threads.load).
    loaded: bool = False
    name: str = ""
    website: str = ""
    html: str = ""  # safe HTML, marked so on load
    created_at: datetime | None = None

    def show(self, name, website, body_html, body, created_at) -> None:
        """Set what the comment says (``TEXT_FIELDS``, as read from the database)."""
        self.loaded, self.name, self.website, self.created_at = True, name, website, created_at
        # A row written around save() (raw SQL, update()) has no stored HTML yet.
        self.html = mark_safe(body_html or render_body(body))


class Threads:
    def __init__(self, outline, *, max_depth: int | None = None):
        """``outline``: (pk, parent pk) of the approved comments of one article, oldest first."""
        self.max_depth = max(1, max_depth or settings.COMMENTS_MAX_DEPTH)
        self.count = len(outline)
        self.nodes = {
            pk: Node(pk, parent_id, position) for position, (pk, parent_id) in enumerate(outline)
        }
        self.roots: list[Node] = []
        for node in self.nodes.values():
            # A reply whose parent is not public (held after reports, deleted)
            # stands on its own rather than disappearing.
            parent = self.nodes.get(node.parent_id)
            (parent.replies if parent else self.roots).append(node)
        self._settle()

    @classmethod
    def for_article(cls, article) -> "Threads":
        """One query: the outline of the approved comments of ``article``."""
        return cls(list(cls._approved(article).values_list("pk", "parent_id")))

    @classmethod
    def for_reading(cls, article, per_page: int | None = None) -> "Threads":
        """
        The threads of ``article`` for a reader's page. A discussion that fits
        on one page comes whole, text included, in one query. A longer one
        costs the outline too, and keeps the text of its oldest comments,
        which page one mostly shows, so that ``load()`` reads only the rest.
        """
        per_page = per_page or settings.COMMENTS_PER_PAGE
        rows = list(
            cls._approved(article).values_list("pk", "parent_id", *TEXT_FIELDS)[: per_page + 1]
        )
        if len(rows) <= per_page:
            threads = cls([row[:2] for row in rows])
        else:
            threads = cls.for_article(article)
        for pk, _parent_id, *text in rows:
            # Gone from a fresh outline: rejected or deleted in between.
            if node := threads.nodes.get(pk):
                node.show(*text)
        return threads

    @staticmethod
    def _approved(article):
        return Comment.objects.approved().on(article).oldest_first()

    def _settle(self) -> None:
        """
        Set each node's depth. Replies that would sit deeper than ``max_depth``
        (possible after the setting was lowered) join the deepest level, in time order.
        """
        if self.max_depth == 1:
            self.roots = list(self.nodes.values())
            for node in self.roots:
                node.replies = []
            return
        stack = [(node, 1) for node in self.roots]
        while stack:
            node, depth = stack.pop()
            node.depth = depth
            if depth + 1 == self.max_depth:
                node.replies = self._descendants(node)
                for reply in node.replies:
                    reply.depth, reply.replies = self.max_depth, []
            else:
                stack.extend((reply, depth + 1) for reply in node.replies)

    @staticmethod
    def _descendants(node: Node) -> list[Node]:
        found, stack = [], list(reversed(node.replies))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(current.replies))
        return sorted(found, key=lambda n: n.position)

    def node(self, pk) -> Node | None:
        """The approved comment ``pk`` of this article, from memory; None for any other value."""
        try:
            return self.nodes.get(int(pk))
        except (TypeError, ValueError):
            return None

    def paginator(self, per_page: int | None = None) -> Paginator:
        return Paginator(self.roots, per_page or settings.COMMENTS_PER_PAGE)

    def page(self, number) -> Page:
        """A page of threads; a wrong or missing number gives the first or last page."""
        return self.paginator().get_page(number)

    def page_of(self, pk) -> int:
        """The page number that shows comment ``pk``, which must be in these threads."""
        positions = {root.pk: index for index, root in enumerate(self.roots)}
        node, seen = self.nodes[pk], set()
        while node.pk not in positions and node.pk not in seen:
            seen.add(node.pk)
            node = self.nodes.get(node.parent_id, node)
        return positions.get(node.pk, 0) // settings.COMMENTS_PER_PAGE + 1

    def load(self, page: Page, also: Node | None = None) -> None:
        """
        At most one query: what the comments of ``page`` (threads and replies)
        and ``also`` say, set on the nodes not loaded yet. Plain rows, not
        models: a page holds dozens of comments and only prints them.
        """
        wanted, stack = {}, list(page.object_list)
        while stack:
            node = stack.pop()
            wanted[node.pk] = node
            stack.extend(node.replies)
        if also:
            wanted[also.pk] = also
        wanted = {pk: node for pk, node in wanted.items() if not node.loaded}
        if not wanted:
            return
        # By primary key alone, unordered: given the status too, SQLite's planner
        # walked every approved comment of the site (its moderation index).
        rows = Comment.objects.filter(pk__in=wanted).order_by().values_list(*PUBLIC_FIELDS)
        for pk, status, name, website, body_html, body, created_at in rows:
            if status != Comment.Status.APPROVED:
                continue  # rejected since the outline was read: stays hidden
            wanted[pk].show(name, website, body_html, body, created_at)
