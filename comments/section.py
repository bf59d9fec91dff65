"""
The comments section under an article: the threads of one page, the form and
what the section's template (jinja2/comments/section.html) prints.
"""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import escape

import cachetags
from articles.seo import iso
from articles.teasers import format_date

from .forms import CommentForm
from .models import comments_are_open
from .threads import Threads
from .views import FORM_ANCHOR, HELD_NOTICE, NOTICE_PARAM, PAGE_PARAM, REPLY_PARAM

DATE_FORMAT = "j F Y, H:i"
URL_SENTINEL = 918273645


def comments_section(request, article) -> dict:
    """
    The comments of ``article`` and the form: one query for a discussion that
    fits on a page, at most three for a longer one (see ``comments/threads.py``).

    Reads ``?pagina_commenti=`` (a page of threads), ``?rispondi=`` (the comment
    answered, so that "Rispondi" works without JavaScript) and ``?commento=``
    (the notice after a held comment) from the request.
    """
    params = request.GET
    threads = Threads.for_reading(article)
    is_open = comments_are_open(article)
    replying = threads.node(params.get(REPLY_PARAM)) if is_open else None
    page = threads.page(params.get(PAGE_PARAM))
    threads.load(page, also=replying)
    reply_to = replying if replying and replying.loaded else None
    if (REPLY_PARAM in params and reply_to is None) or (
        PAGE_PARAM in params and params[PAGE_PARAM] != str(page.number)
    ):
        # A comment that is not there to answer, a page of comments that does
        # not exist: served as the nearest one, and not kept in any cache.
        cachetags.do_not_store()
    form = None
    if is_open:
        form = CommentForm(article=article, initial={"parent": reply_to.pk} if reply_to else {})
    return {
        "count": threads.count,
        "title": ngettext("%(counter)s commento", "%(counter)s commenti", threads.count)
        % {"counter": threads.count},
        "page": page,
        "comment_list": comment_list(page, is_open) if threads.count else "",
        "is_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "held": params.get(NOTICE_PARAM) == HELD_NOTICE,
        "page_param": PAGE_PARAM,
        "form_anchor": FORM_ANCHOR,
    }


def comment_list(page, is_open: bool) -> str:
    """
    The ``<li>`` of every thread on ``page``, built here rather than by a
    template included once per comment: a long thread costs string joins only.
    """
    # One reverse() per page; every comment's link differs only by its number.
    report_url = reverse("comments:report", args=[URL_SENTINEL])
    shared = {
        "reply": gettext("Rispondi"),
        "reply_to": gettext("Rispondi a %(name)s"),
        "report": gettext("Segnala"),
        "report_of": gettext("Segnala il commento di %(name)s"),
        "page_prefix": f"{PAGE_PARAM}={page.number}&amp;" if page.number > 1 else "",
        # Looked up once for the page of comments, not once per date.
        "zone": get_current_timezone(),
        "language": get_language(),
    }
    parts: list[str] = []
    for node in page.object_list:
        _comment_item(node, parts, is_open, report_url, shared)
    return mark_safe("".join(parts))


def _comment_item(node, parts, is_open, report_url, shared) -> None:
    if not node.loaded:  # rejected or deleted since the outline was read
        return
    pk = str(node.pk)
    name = escape(node.name)
    if node.website:
        author = f'<a href="{escape(node.website)}" rel="nofollow ugc noopener">{name}</a>'
    else:
        author = name
    moment = node.created_at
    actions = ""
    if is_open:
        actions = (
            f'<a href="?{shared["page_prefix"]}{REPLY_PARAM}={pk}#{FORM_ANCHOR}" rel="nofollow"'
            f' aria-label="{shared["reply_to"] % {"name": name}}">{shared["reply"]}</a> '
        )
    report = report_url.replace(str(URL_SENTINEL), pk)
    parts.append(
        f'<li class="comment comment--depth-{node.depth}" id="commento-{pk}">\n'
        f'  <article class="comment__inner" aria-labelledby="commento-{pk}-autore">\n'
        f'    <header class="comment__meta">\n'
        f'      <p class="comment__author" id="commento-{pk}-autore">{author}</p>\n'
        f'      <p class="comment__date"><a href="#commento-{pk}">'
        f'<time datetime="{iso(moment, shared["zone"])}">'
        f"{format_date(moment, DATE_FORMAT, shared['zone'], shared['language'])}</time></a></p>\n"
        f"    </header>\n"
        f'    <div class="comment__text">{node.html}</div>\n'
        f'    <p class="comment__actions">{actions}<a href="{report}" rel="nofollow"'
        f' aria-label="{shared["report_of"] % {"name": name}}">{shared["report"]}</a></p>\n'
        f"  </article>\n"
        f"  "
    )
    if node.replies:
        parts.append('<ol class="comment-list comment-list--replies">\n    ')
        for reply in node.replies:
            _comment_item(reply, parts, is_open, report_url, shared)
        parts.append("\n  </ol>")
    parts.append("\n</li>\n")
