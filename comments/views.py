import json
import logging
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_callable
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article

from . import confirmation, moderation, notifications, trust
from .forms import LARGEST_ID, CommentForm, started_token
from .models import Comment
from .threads import Threads

logger = logging.getLogger(__name__)

PAGE_PARAM = "pagina_commenti"
REPLY_PARAM = "rispondi"
NOTICE_PARAM = "commento"
HELD_NOTICE = "in-attesa"
FORM_ANCHOR = "lascia-un-commento"
REMEMBER_COOKIE = "commenti_autore"


def csrf_failure(request, reason=""):
    return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=reason)


def client_ip(request) -> str | None:
    # The direct peer; behind the proxies of TRUSTED_PROXIES, the address they
    # forwarded (newsroom/proxies.py), never a header any client can forge.
    return request.META.get("REMOTE_ADDR") or None


def public_article_or_404(pk: int):
    if pk > LARGEST_ID:
        raise Http404
    return get_object_or_404(Article.objects.published().select_related("section"), pk=pk)


def sent_from_this_site(request) -> bool | None:
    """
    Whether the browser says the form was sent from one of this site's pages:
    True or False when it says (the Sec-Fetch-Site or Origin header, which no
    page can forge), None when it sends neither (old browsers, some proxies).
    """
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site == "same-origin":
        return True
    if fetch_site == "cross-site":
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        own = f"{request.scheme}://{request.get_host()}"
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    return False if fetch_site else None


def csrf_token_accepted(request) -> bool:
    """Django's own CSRF check (token and cookie), run by hand."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


@csrf_exempt  # checked below, without making the article page set a cookie
@require_POST
@never_cache
def post_comment(request, article_id):
    """
    Store a reader's comment and send them back to the article: to their
    comment if it is public, to the form with a notice if it is held. Held
    and spam get the same answer, so a bot learns nothing.

    Cross-site request forgery is refused on the browser's word (Sec-Fetch-Site
    or Origin), so the form on the article page needs no CSRF token, and the
    page no cookie: it can be cached whole and served to everyone. A browser
    that sends neither header gets the form back, with a token, to send again.
    """
    origin = sent_from_this_site(request)
    if origin is False:
        return csrf_failure(request, reason="Origin or Sec-Fetch-Site is another site.")
    article = public_article_or_404(article_id)
    form = CommentForm(
        request.POST,
        article=article,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        browser=trust.claim(request),
    )
    if origin is None and not csrf_token_accepted(request):
        context = {"article": article, "form": form, "confirm": True}
        return render(request, "comments/form_page.html", context)
    if not form.is_valid():
        return render(request, "comments/form_page.html", {"article": article, "form": form})

    comment = form.save(commit=False)
    comment.apply(moderation.moderate(comment, form.moderation_context))
    # One row: the comment with its moderation decision and reason, so it is
    # stored whole or not at all.
    comment.save()

    try:
        notifications.comment_received(comment, form.moderation_context, request)
    except Exception:
        # The comment is stored: a failing notification must not turn the
        # reader's post into an error page, or make them post it again.
        logger.exception("Notifications failed for comment %s", comment.pk)

    response = redirect(comment_url(comment) if comment.is_public else held_url(article))
    remember_commenter(response, request, form.cleaned_data)
    return response


@never_cache
def form_started(request):
    """
    A time token of now for the comment form, asked by its script when the
    reader first turns to the form: the page around it may have been stored
    long before (comments/static/comments/started.js).
    """
    return JsonResponse({"started": started_token()})


def comment_url(comment: Comment) -> str:
    """Where a public comment is shown: its page of the article's comments (one query)."""
    page = Threads.for_article(comment.article).page_of(comment.pk)
    query = f"?{urlencode({PAGE_PARAM: page})}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#commento-{comment.pk}"


def held_url(article) -> str:
    return f"{article.get_absolute_url()}?{urlencode({NOTICE_PARAM: HELD_NOTICE})}#{FORM_ANCHOR}"


def remember_commenter(response, request, data) -> None:
    """
    With the box ticked, keep name, email and website in the reader's own
    browser, for the form to fill in next time (comments/static/comments/
    remember.js). Unticked, nothing is stored, and an earlier cookie goes.
    """
    if not data.get("remember"):
        if REMEMBER_COOKIE in request.COOKIES:
            response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
        return
    value = json.dumps(
        {"name": data["name"], "email": data["email"], "website": data["website"]},
        ensure_ascii=False,
    )
    response.set_cookie(
        REMEMBER_COOKIE,
        quote(value, safe=""),
        max_age=settings.COMMENTS_REMEMBER_DAYS * 24 * 3600,
        secure=request.is_secure(),
        samesite="Lax",
        httponly=False,  # read by the form's script; never sent to a third party
    )


@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def report_comment(request, pk):
    """Ask before reporting (a link alone must not report), then count the report."""
    if pk > LARGEST_ID:
        raise Http404
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article__section")
        .for_public_page(),
        pk=pk,
    )
    if request.method == "POST":
        comment.report(client_ip(request))
        return render(request, "comments/reported.html", {"article": comment.article})
    return render(request, "comments/report.html", {"comment": comment, "article": comment.article})


@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def confirm_email(request, token):
    """
    The link from the confirmation email. Opening it only asks: mail scanners
    open links too, and only a person should confirm.
    """
    record = confirmation.read_token(token)
    if record is None:
        return render(request, "comments/confirm_invalid.html", status=400)
    if request.method == "POST":
        confirmation.confirm(record)
        response = render(request, "comments/confirmed.html")
        trust.issue(response, request, record)
        return response
    return render(request, "comments/confirm.html", {"token": token})


@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def publish_own_comment(request, token):
    """
    The link sent to a confirmed address whose comment was held only because
    it came from another browser. Opening it asks; the button publishes the
    comment, if still held, and trusts this browser from then on.
    """
    comment = confirmation.read_publish_token(token)
    record = comment and confirmation.confirmed_record_of(comment)
    if record is None:
        return render(request, "comments/confirm_invalid.html", status=400)
    if request.method == "POST":
        published = comment.status == Comment.Status.PENDING
        if published:
            comment.publish_by_owner()
        context = {"comment": comment, "published": published}
        response = render(request, "comments/published_by_owner.html", context)
        trust.issue(response, request, record)
        return response
    return render(request, "comments/publish.html", {"token": token, "comment": comment})


def privacy(request):
    """The privacy notice linked under the comment form."""
    return render(
        request,
        "comments/privacy.html",
        {
            "remember_days": settings.COMMENTS_REMEMBER_DAYS,
            "confirmation_days": settings.COMMENTS_CONFIRMATION_DAYS,
            "trust_days": settings.COMMENTS_TRUST_COOKIE_DAYS,
        },
    )
