"""
The approved comments of one article as threads, in two small queries.

The first reads where every approved comment sits (its id and its parent's,
oldest first), so nesting, counting and paging happen here whatever the
number of comments. The second reads what the comments of one page say. A
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
PUBLIC_FIELDS = ("pk", "status", "name", "website", "body_html", "body", "created_at")


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
        outline = (
            Comment.objects.approved().on(article).oldest_first().values_list("pk", "parent_id")
        )
        return cls(list(outline))

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
        One query: what the comments of ``page`` (threads and replies) and
        ``also`` say, set on their nodes. Plain rows, not models: a page holds
        dozens of comments and only prints them.
        """
        wanted, stack = {also.pk: also} if also else {}, list(page.object_list)
        while stack:
            node = stack.pop()
            wanted[node.pk] = node
            stack.extend(node.replies)
        if not wanted:
            return
        # By primary key alone, unordered: given the status too, SQLite's planner
        # walked every approved comment of the site (its moderation index).
        rows = Comment.objects.filter(pk__in=wanted).order_by().values_list(*PUBLIC_FIELDS)
        for pk, status, name, website, body_html, body, created_at in rows:
            if status != Comment.Status.APPROVED:
                continue  # rejected since the outline was read: stays hidden
            node = wanted[pk]
            node.loaded, node.name, node.website, node.created_at = True, name, website, created_at
            # A row written around save() (raw SQL, update()) has no stored HTML yet.
            node.html = mark_safe(body_html or render_body(body))
