"""
Old WordPress addresses answering with a 301 to the imported article.

Written in bulk, a batch of articles at a time, with the same care as
``Article._redirect_old_url``: no chains (a redirect to an old address now
points straight to the new one) and no loops (nothing redirects away from an
address an article now lives at).
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.utils.encoding import escape_uri_path

MAX_PATH = Redirect._meta.get_field("old_path").max_length


def old_paths(link: str, post_name: str) -> list[str]:
    """
    The paths readers may know a post by: its permalink's path (with the query,
    for ``/?p=123`` links) and ``/<post_name>/``, which WordPress also answers.
    """
    paths = []
    parts = urlsplit(link or "")
    # Spelled as request.get_full_path() spells it, which the redirect lookup uses.
    path = escape_uri_path(unquote(parts.path or "/"))
    if parts.query and path == "/":
        path += "?" + parts.query
    if path != "/":
        paths.append(path)
    if post_name:
        paths.append(escape_uri_path(f"/{unquote(post_name)}/"))
    return list(dict.fromkeys(paths))


def write_redirects(targets: dict[str, list[str]], report) -> None:
    """
    ``targets`` maps each article's URL to the old paths that should lead there.
    A few queries for the whole batch, whatever its size.
    """
    wanted = {}
    for url, paths in targets.items():
        for path in paths:
            if len(path) > MAX_PATH:
                report.note("redirect", path[:60], f"longer than {MAX_PATH} characters: skipped")
            elif path != url:
                wanted[path] = url
    # An article's own address must never redirect elsewhere.
    for url in targets:
        wanted.pop(url, None)
    if not wanted:
        return
    redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
    redirects.filter(old_path__in=list(targets)).delete()

    changed = []
    for chained in redirects.filter(new_path__in=list(wanted)):
        chained.new_path = wanted[chained.new_path]
        changed.append(chained)
    existing = {r.old_path: r for r in redirects.filter(old_path__in=list(wanted))}
    new = []
    for path, url in wanted.items():
        redirect = existing.get(path)
        if redirect is None:
            new.append(Redirect(site_id=settings.SITE_ID, old_path=path, new_path=url))
        elif redirect.new_path != url:
            redirect.new_path = url
            changed.append(redirect)
            report.count("redirect", "updated")
        else:
            report.count("redirect", "unchanged")
    Redirect.objects.bulk_update(changed, ["new_path"])
    Redirect.objects.bulk_create(new)
    report.count("redirect", "created", len(new))
