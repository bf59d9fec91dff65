"""
Side-by-side differences between two texts, word by word, as escaped HTML:
what went away is marked ``<del>`` on the left, what arrived ``<ins>`` on the right.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Tags, words, runs of spaces, single punctuation marks: a changed comma does
# not mark the whole sentence, and a changed link marks only its tag.
TOKEN = re.compile(r"<[^>]*>|\w+|\s+|[^\w\s]")

# Block-level closing tags start a new line, so a body reads as paragraphs.
BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|blockquote|ul|ol|figure)>|<br\s*/?>)(?!\n)", re.IGNORECASE
)


def readable_html(markup: str) -> str:
    """Stored body HTML with one block per line."""
    return BLOCK_END.sub(r"\1\n", markup or "")


def _mark(tag: str, tokens: list[str]) -> str:
    text = escape("".join(tokens))
    return f"<{tag}>{text}</{tag}>" if text.strip() else text


def side_by_side(old: str, new: str) -> tuple[SafeString, SafeString]:
    """``old`` and ``new`` as escaped HTML, each with its side of the changes marked."""
    # Spaces never anchor a match: otherwise a lone space shared by two
    # different sentences would split their changes in odd places.
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    left, right = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
        else:
            left.append(_mark("del", a[i1:i2]))
            right.append(_mark("ins", b[j1:j2]))
    # Every piece went through escape(): only our own <del> and <ins> are markup.
    return mark_safe("".join(left)), mark_safe("".join(right))
