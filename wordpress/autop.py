"""
WordPress's text formatting, so that imported posts read as they did there.

WordPress stores classic-editor posts as bare text with blank lines between
paragraphs and adds the ``<p>`` and ``<br />`` tags only when it displays them
(``wpautop``). ``wpautop()`` here is a port of WordPress 6's function, rule by
rule, so the same text gives the same paragraphs. Block-editor posts already
carry their tags: WordPress does not run ``wpautop`` on them, nor does
``post_html()``.
"""

import re
from html import unescape

from django.utils.html import strip_tags

ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_BLOCK_MARKER = "<!-- wp:"


def wpautop(text: str, br: bool = True) -> str:
    """Double line breaks become paragraphs, single ones ``<br />`` (with ``br``)."""
    if text.strip() == "":
        return ""
    text += "\n"

    # <pre> keeps its line breaks: set the blocks aside and put them back at the end.
    pre_tags = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for index, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:
                text += part
                continue
            placeholder = f"<pre wp-pre-tag-{index}></pre>"
            pre_tags[placeholder] = part[start:] + "</pre>"
            text += part[:start] + placeholder
        text += last

    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<{ALLBLOCKS}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{ALLBLOCKS}>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Line breaks inside a tag are not paragraph breaks.
    text = _TAG_OR_COMMENT.sub(lambda m: m.group().replace("\n", " <!-- wpnl --> "), text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)

    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text)

    if br:
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group().replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.S,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = re.sub(rf"(</?{ALLBLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)

    for placeholder, pre in pre_tags.items():
        text = text.replace(placeholder, pre)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


# Core shortcodes. A caption becomes a figure; the others are media players and
# galleries that mean nothing without WordPress, so they go entirely.
_CAPTION = re.compile(r"\[(wp_caption|caption)\b[^\]]*\](.*?)\[/\1\]", re.S)
# The photo of a caption, often inside a link to the full-size file.
_CAPTIONED = re.compile(r"\s*(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(?:\s*</a>)?(.*)", re.S)
_ENCLOSING = re.compile(r"\[(gallery|audio|video|playlist|embed)\b[^\]]*\].*?\[/\1\]", re.S)
_SELF_CLOSING = re.compile(r"\[/?(gallery|audio|video|playlist|embed)\b[^\]]*\]")


def _figure(match) -> str:
    """``[caption]<img> Text[/caption]`` as the body editor's figure; text alone stays text."""
    captioned = _CAPTIONED.match(match.group(2))
    if captioned is None:
        return match.group(2)
    image, text = captioned.groups()
    caption = f"<figcaption>{text.strip()}</figcaption>" if text.strip() else ""
    return f"<figure>{image}{caption}</figure>"


def strip_shortcodes(text: str) -> str:
    text = _CAPTION.sub(_figure, text)
    text = _ENCLOSING.sub("", text)
    return _SELF_CLOSING.sub("", text)


def post_html(content: str) -> str:
    """The HTML a post's stored content displayed as, before sanitizing."""
    content = strip_shortcodes(content)
    if _BLOCK_MARKER in content:
        return content
    return wpautop(content)


_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr|pre)>", re.I)


def plain_text(html: str) -> str:
    """Text without tags or entities; paragraphs and line breaks stay line breaks."""
    if "<" in html or "&" in html:
        html = _html_to_text(html)
    lines = [" ".join(line.split()) for line in html.replace("\r\n", "\n").split("\n")]
    # At most one blank line between paragraphs.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _html_to_text(html: str) -> str:
    text = _BREAKS.sub(lambda m: m.group() + "\n", html.replace("\r\n", "\n"))
    return unescape(strip_tags(text))


def one_line(html: str) -> str:
    """A title: plain text on one line (WordPress titles may hold markup and entities)."""
    return " ".join(unescape(strip_tags(html)).split())
