"""
The approved comments of one article as threads, built in Python from one query.

Whatever the number of comments, the article page asks the database once;
nesting, counting and paging happen here. Pages hold whole threads: the
top-level comments are paged, and their replies come along.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from .models import Comment


@dataclass
class Node:
    comment: Comment
    depth: int = 1
    replies: list["Node"] = field(default_factory=list)


class Threads:
    def __init__(self, comments: list[Comment], *, max_depth: int | None = None):
        """``comments`` must be approved comments of one article, oldest first."""
        self.max_depth = max(1, max_depth or settings.COMMENTS_MAX_DEPTH)
        self.count = len(comments)
        self.nodes = {comment.pk: Node(comment) for comment in comments}
        self.roots: list[Node] = []
        for node in self.nodes.values():
            # A reply whose parent is not public (held after reports, deleted)
            # stands on its own rather than disappearing.
            parent = self.nodes.get(node.comment.parent_id)
            (parent.replies if parent else self.roots).append(node)
        self._settle()

    @classmethod
    def for_article(cls, article) -> "Threads":
        """One query: the approved comments of ``article``, only their public columns."""
        comments = Comment.objects.approved().on(article).for_public_page().oldest_first()
        return cls(list(comments))

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
        return sorted(found, key=lambda n: (n.comment.created_at, n.comment.pk))

    def get(self, pk) -> Comment | None:
        """The approved comment ``pk`` of this article, from memory."""
        try:
            node = self.nodes.get(int(pk))
        except (TypeError, ValueError):
            return None
        return node.comment if node else None

    def depth_of(self, pk) -> int:
        return self.nodes[pk].depth

    def can_reply_to(self, pk) -> bool:
        return pk in self.nodes and self.nodes[pk].depth < self.max_depth

    def paginator(self, per_page: int | None = None) -> Paginator:
        return Paginator(self.roots, per_page or settings.COMMENTS_PER_PAGE)

    def page(self, number) -> Page:
        """A page of threads; a wrong or missing number gives the first or last page."""
        return self.paginator().get_page(number)

    def page_of(self, pk) -> int:
        """The page number that shows comment ``pk``, which must be in these threads."""
        positions = {root.comment.pk: index for index, root in enumerate(self.roots)}
        node, seen = self.nodes[pk], set()
        while node.comment.pk not in positions and node.comment.pk not in seen:
            seen.add(node.comment.pk)
            node = self.nodes.get(node.comment.parent_id, node)
        return positions.get(node.comment.pk, 0) // settings.COMMENTS_PER_PAGE + 1
