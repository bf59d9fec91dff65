from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from ..forms import CommentForm
from ..models import comments_are_open
from ..threads import Threads
from ..views import FORM_ANCHOR, HELD_NOTICE, NOTICE_PARAM, PAGE_PARAM, REPLY_PARAM

register = template.Library()

URL_DISPLAY_LIMIT = 60


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """
    The comments of ``article`` and the form, in one query whatever their number.

    Reads ``?pagina_commenti=`` (a page of threads), ``?rispondi=`` (the comment
    answered, so that "Rispondi" works without JavaScript) and ``?commento=``
    (the notice after a held comment) from the request.
    """
    request = context.get("request")
    params = request.GET if request is not None else {}
    threads = Threads.for_article(article)
    is_open = comments_are_open(article)
    reply_to = threads.get(params.get(REPLY_PARAM)) if is_open else None
    form = None
    if is_open:
        form = CommentForm(article=article, initial={"parent": reply_to.pk} if reply_to else {})
    return {
        "article": article,
        "count": threads.count,
        "page": threads.page(params.get(PAGE_PARAM)),
        "is_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "held": params.get(NOTICE_PARAM) == HELD_NOTICE,
        "page_param": PAGE_PARAM,
        "reply_param": REPLY_PARAM,
        "form_anchor": FORM_ANCHOR,
    }


@register.filter
def comment_text(body: str) -> str:
    """
    A comment's plain text as HTML: everything escaped, paragraphs and line
    breaks kept, bare URLs made into links that pass no ranking and no opener.
    """
    html = urlize(body, trim_url_limit=URL_DISPLAY_LIMIT, nofollow=True, autoescape=True)
    # urlize escaped the text first, so this attribute can only be its own.
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
    return mark_safe(linebreaks(html, autoescape=False))
