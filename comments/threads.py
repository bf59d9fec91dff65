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
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.safestring import SafeString

from .models import Comment, render_body

# What a reader's page shows of a comment: never the email, IP or user agent.
TEXT_FIELDS = ("name", "website", "body_html", "body", "created_at")
PUBLIC_FIELDS = ("pk", "status", *TEXT_FIELDS)


@dataclass
class Node:
    pk: int
    parent_id: int | None
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
        # A row written around save() (raw SQL, update()) has no stored HTML
        # yet. SafeString, not mark_safe(): a plain str, and this runs per comment.
        self.html = SafeString(body_html or render_body(body))


class Threads:
    """
    Threads kept as ids; a ``Node`` is made only for a comment a page shows
    (``page()``, ``node()``): a long discussion's other comments cost a dict entry.
    """

    def __init__(self, outline, *, max_depth: int | None = None):
        """``outline``: (pk, parent pk) of the approved comments of one article, oldest first."""
        self.max_depth = max(1, max_depth or settings.COMMENTS_MAX_DEPTH)
        self.count = len(outline)
        self.nodes: dict[int, Node] = {}
        self._outline = outline
        self._parents = dict(outline)
        self._replies: dict[int, list[int]] = {}
        self._root_ids: list[int] = []
        self._texts: dict[int, tuple] = {}
        for pk, parent_id in outline:
            # A reply whose parent is not public (held after reports, deleted)
            # stands on its own rather than disappearing.
            if self.max_depth > 1 and parent_id in self._parents:
                self._replies.setdefault(parent_id, []).append(pk)
            else:
                self._root_ids.append(pk)

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
        # Kept for the nodes made later; a comment gone from a fresh outline
        # (rejected or deleted in between) is never made.
        threads._texts = {pk: text for pk, _parent_id, *text in rows}
        return threads

    @staticmethod
    def _approved(article):
        return Comment.objects.approved().on(article).oldest_first()

    @property
    def roots(self) -> list[Node]:
        """Every thread, oldest first (a page's worth is ``page().object_list``)."""
        return [self._thread(pk, 1) for pk in self._root_ids]

    def _make(self, pk) -> Node:
        node = self.nodes.get(pk)
        if node is None:
            node = self.nodes[pk] = Node(pk, self._parents[pk])
            if pk in self._texts:
                node.show(*self._texts[pk])
        return node

    def _thread(self, pk, depth) -> Node:
        """
        The node ``pk`` at ``depth`` with its replies. Replies that would sit
        deeper than ``max_depth`` (possible after the setting was lowered) join
        the deepest level, in time order.
        """
        top = self._make(pk)
        stack = [(top, depth)]
        while stack:
            node, depth = stack.pop()
            node.depth = depth
            if depth >= self.max_depth:
                replies, below = (), depth
            elif depth + 1 == self.max_depth:
                replies, below = self._below(node.pk), self.max_depth
            else:
                replies, below = self._replies.get(node.pk, ()), depth + 1
            node.replies = [self._make(reply) for reply in replies]
            stack.extend((reply, below) for reply in node.replies)
        return top

    def _below(self, pk) -> list[int]:
        """Every reply under ``pk``, at any depth, in time order."""
        found, stack = set(), list(self._replies.get(pk, ()))
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self._replies.get(current, ()))
        return sorted(found, key=self._positions.__getitem__)

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {pk: position for position, (pk, _parent_id) in enumerate(self._outline)}

    def node(self, pk) -> Node | None:
        """The approved comment ``pk`` of this article; None for any other value."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        return self._make(pk) if pk in self._parents else None

    def page(self, number, per_page: int | None = None) -> Page:
        """
        A page of threads, its nodes made; a wrong or missing number gives the
        first or last page.
        """
        page = Paginator(self._root_ids, per_page or settings.COMMENTS_PER_PAGE).get_page(number)
        page.object_list = [self._thread(pk, 1) for pk in page.object_list]
        return page

    def page_of(self, pk) -> int:
        """The page number that shows comment ``pk``, which must be in these threads."""
        positions = {root: index for index, root in enumerate(self._root_ids)}
        seen = set()
        while pk not in positions and pk not in seen:
            seen.add(pk)
            pk = self._parents.get(pk, pk)
        return positions.get(pk, 0) // settings.COMMENTS_PER_PAGE + 1

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
