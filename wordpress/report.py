"""
What an import did, kind by kind, and what it could not do, item by item.

Counts are unbounded; the per-item notes (a WordPress id and why) are capped so
that a million-post export with the same problem everywhere cannot fill memory:
past the cap they are only counted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

MAX_NOTES = 1000

# The order of the final report.
KINDS = ["author", "section", "tag", "article", "photo", "comment", "redirect"]
OUTCOMES = ["created", "updated", "unchanged"]


@dataclass
class Note:
    kind: str
    wp_id: str
    message: str


@dataclass
class Report:
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # Items present in the export that are not articles or comments, by post_type.
    not_imported: Counter = field(default_factory=Counter)
    notes: list[Note] = field(default_factory=list)
    notes_left_off: int = 0

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number

    def skip(self, kind: str, wp_id: str, reason: str, *, note: bool = True) -> None:
        """An item not imported, and why: counted by reason, listed with its id."""
        self.counts[kind][f"skipped: {reason}"] += 1
        if note:
            self.note(kind, wp_id, f"skipped: {reason}")

    def note(self, kind: str, wp_id: str, message: str) -> None:
        """Something a person should check about an item that was imported (or not)."""
        if len(self.notes) < MAX_NOTES:
            self.notes.append(Note(kind, str(wp_id), message))
        else:
            self.notes_left_off += 1

    def total(self, kind: str, outcome: str) -> int:
        return self.counts[kind][outcome]

    def skipped(self, kind: str) -> int:
        return sum(n for key, n in self.counts[kind].items() if key.startswith("skipped"))

    def lines(self) -> list[str]:
        title = (
            "WordPress import (dry run: nothing was written)"
            if self.dry_run
            else ("WordPress import")
        )
        lines = [title]
        for kind in KINDS:
            counter = self.counts.get(kind)
            if not counter:
                continue
            parts = [f"{counter[o]} {o}" for o in OUTCOMES if counter[o]]
            parts += [f"{n} {key}" for key, n in sorted(counter.items()) if key not in OUTCOMES]
            lines.append(f"  {kind + 's':<10} " + ", ".join(parts))
        if self.not_imported:
            parts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.not_imported.items()))
            lines.append(f"  not imported (not posts): {parts}")
        if self.notes:
            lines.append("Items to check:")
            lines += [f"  {n.kind} {n.wp_id}: {n.message}" for n in self.notes]
            if self.notes_left_off:
                lines.append(f"  ... and {self.notes_left_off} more")
        return lines
