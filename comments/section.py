"""
The comments section under an article: the threads of one page, the form and
what the section's template (jinja2/comments/section.html) prints.
"""

from django.utils.translation import gettext, ngettext

import cachetags

from .forms import CommentForm
from .models import comments_are_open
from .threads import Threads
from .views import FORM_ANCHOR, HELD_NOTICE, NOTICE_PARAM, PAGE_PARAM, REPLY_PARAM


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
        "is_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "held": params.get(NOTICE_PARAM) == HELD_NOTICE,
        "page_param": PAGE_PARAM,
        "reply_param": REPLY_PARAM,
        # The list's labels that name each commenter, filled in per comment.
        "reply_to_label": gettext("Rispondi a %(name)s"),
        "report_label": gettext("Segnala il commento di %(name)s"),
        "form_anchor": FORM_ANCHOR,
    }
