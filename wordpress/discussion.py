"""
WordPress comments as Notizie comments, threads and all.

Imported comments skip the moderation pipeline and its notifications on
purpose: WordPress's moderators already decided (approved, pending, spam), and
emailing today's moderators about years-old comments would help nobody. They
are written in bulk, a level of the threads at a time, so that every parent
exists (and has its id) before its replies.
"""

import hashlib
import ipaddress
import json
from dataclasses import dataclass

from comments.models import NAME_COLUMN_LENGTH, Comment, normalize_email

from . import wxr
from .autop import plain_text
from .dates import parse_wp_date
from .models import ImportedObject

REASON = "importato da WordPress"
STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING, "spam": Comment.Status.SPAM}
FIELDS = [
    "parent",
    "depth",
    "name",
    "email",
    "website",
    "body",
    "status",
    "ip",
    "user_agent",
    "created_at",
]
# Deeper threads are flattened at display time (COMMENTS_MAX_DEPTH); the column
# keeps the true level, bounded here only so a malformed chain cannot loop.
MAX_DEPTH = 100
QUERY_CHUNK = 2000


@dataclass
class Planned:
    source: wxr.Comment
    article_id: int
    parent_wp_id: str | None
    depth: int
    fields: dict
    digest: str


def plan_comments(item: wxr.Item, article_id: int, report) -> list[Planned]:
    """The comments of one post that are to be imported, each with its level."""
    kept = {}
    for comment in item.comments:
        fields = comment_fields(comment, report)
        if fields is not None:
            kept[comment.comment_id] = (comment, fields)

    def depth_and_parent(comment):
        parent = comment.parent if comment.parent in kept else None
        depth, seen, current = 1, {comment.comment_id}, parent
        while current is not None and depth < MAX_DEPTH:
            if current in seen:  # a cycle in the export: break it here
                return 1, None
            seen.add(current)
            depth += 1
            up = kept[current][0].parent
            current = up if up in kept else None
        return depth, parent

    planned = []
    for comment, fields in kept.values():
        depth, parent = depth_and_parent(comment)
        digest = hashlib.sha1(
            json.dumps([parent, fields], default=str, sort_keys=True).encode()
        ).hexdigest()
        planned.append(Planned(comment, article_id, parent, depth, fields, digest))
    return planned


def comment_fields(comment: wxr.Comment, report) -> dict | None:
    """Notizie's fields for one WordPress comment, or None (counted) when it is skipped."""
    if not comment.comment_id:
        report.skip("comment", "?", "no wp:comment_id")
        return None
    if comment.type in ("pingback", "trackback"):
        report.skip("comment", comment.comment_id, comment.type, note=False)
        return None
    if comment.approved == "trash":
        report.skip("comment", comment.comment_id, "in the trash", note=False)
        return None
    status = STATUSES.get(comment.approved)
    if status is None:
        report.skip("comment", comment.comment_id, f"status {comment.approved!r}")
        return None
    created_at = parse_wp_date(comment.date_gmt, comment.date)
    if created_at is None:
        report.skip("comment", comment.comment_id, "no valid date")
        return None
    body = plain_text(comment.content)
    if not body:
        report.skip("comment", comment.comment_id, "empty")
        return None
    website = comment.url if comment.url.startswith(("http://", "https://")) else ""
    return {
        "name": (comment.author or "Anonimo")[:NAME_COLUMN_LENGTH],
        "email": normalize_email(comment.email)[:254],
        "website": website if len(website) <= 200 else "",
        "body": body,
        "status": status,
        "ip": valid_ip(comment.ip),
        "user_agent": comment.agent[:300],
        "created_at": created_at,
    }


def valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def write_comments(planned: list[Planned], source: str, report) -> None:
    """Create or update ``planned`` (any number of posts), parents before replies."""
    if not planned:
        return
    known = {}
    ids = [p.source.comment_id for p in planned]
    for start in range(0, len(ids), QUERY_CHUNK):
        known.update(
            (record.wp_id, record)
            for record in ImportedObject.objects.filter(
                source=source, kind="comment", wp_id__in=ids[start : start + QUERY_CHUNK]
            )
        )
    existing = {}
    object_ids = [record.object_id for record in known.values()]
    for start in range(0, len(object_ids), QUERY_CHUNK):
        existing.update(Comment.objects.in_bulk(object_ids[start : start + QUERY_CHUNK]))

    pk_by_wp_id = {
        wp_id: record.object_id for wp_id, record in known.items() if record.object_id in existing
    }
    new_records, changed_records = [], []
    for depth in sorted({p.depth for p in planned}):
        new, changed = [], []
        for plan in (p for p in planned if p.depth == depth):
            wp_id = plan.source.comment_id
            record = known.get(wp_id)
            comment = existing.get(record.object_id) if record else None
            if comment is not None and record.digest == plan.digest:
                report.count("comment", "unchanged")
                continue
            if comment is None:
                comment = Comment(article_id=plan.article_id, moderation_reason=REASON)
                new.append((plan, comment))
            else:
                changed.append(comment)
                record.digest = plan.digest
                changed_records.append(record)
            for name, value in plan.fields.items():
                setattr(comment, name, value)
            comment.parent_id = pk_by_wp_id.get(plan.parent_wp_id)
            comment.depth = depth
        Comment.objects.bulk_create([comment for _, comment in new])
        Comment.objects.bulk_update(changed, FIELDS)
        report.count("comment", "created", len(new))
        report.count("comment", "updated", len(changed))
        for plan, comment in new:
            wp_id = plan.source.comment_id
            pk_by_wp_id[wp_id] = comment.pk
            record = known.get(wp_id)
            if record is None:
                new_records.append((source, "comment", wp_id, comment.pk, plan.digest))
            else:  # remembered, but deleted in Notizie since: made again
                record.object_id, record.digest = comment.pk, plan.digest
                changed_records.append(record)
    ImportedObject.objects.insert_many(new_records)
    ImportedObject.objects.bulk_update(changed_records, ["object_id", "digest"])
