"""deploy/varnish.vcl, rule by rule, in a real varnishd in front of a canned backend."""

import re
import time

import pytest
from django.test import RequestFactory
from django.utils import translation

from .conftest import need_varnishd
from .servers import Varnish, fill_vcl, free_port


def test_a_page_is_fetched_once_then_answered_from_the_cache(varnish, backend, page):
    path = page()
    first, second = varnish.get(path), varnish.get(path)
    assert first.status == second.status == 200
    assert first.headers["Cache-Status"] == "Varnish; fwd=miss; stored"
    assert second.headers["Cache-Status"] == "Varnish; hit"
    assert second.json()["render"] == 1
    assert backend.hits[path] == 1


@pytest.mark.parametrize(
    ("cache_control", "renders"),
    [
        ("public, max-age=0, s-maxage=600", 1),  # the edge keeps what browsers may not
        ("public, max-age=600, s-maxage=0", 2),  # and only as long as s-maxage says
        ("public, max-age=600", 1),  # without s-maxage, max-age is for everyone
    ],
)
def test_s_maxage_is_the_edges_lifetime(varnish, backend, page, cache_control, renders):
    path = page(headers={"Cache-Control": cache_control})
    varnish.get(path)
    varnish.get(path)
    assert backend.hits[path] == renders


def test_readers_are_told_max_age_counted_from_now(varnish, page):
    path = page(headers={"Cache-Control": "public, max-age=60, s-maxage=600"})
    varnish.get(path)
    hit = varnish.get(path)
    assert hit.headers["Cache-Status"] == "Varnish; hit"
    # s-maxage is for this cache, which hears of purges; a browser counts from now.
    assert hit.headers["Cache-Control"] == "public, max-age=60"
    assert hit.headers["Age"] == "0"


@pytest.mark.parametrize(
    "headers",
    [
        {"Set-Cookie": "csrftoken=abc; Path=/"},
        {"Cache-Control": "private, max-age=60"},
        {"Cache-Control": "no-store"},
        {"Cache-Control": "public, no-cache, max-age=60"},
        {"Cache-Control": None},  # Varnish would keep it default_ttl: not here
    ],
    ids=["set-cookie", "private", "no-store", "no-cache", "no-cache-control"],
)
def test_a_page_not_meant_for_everyone_is_never_cached(varnish, backend, page, headers):
    path = page(headers=headers)
    first, second = varnish.get(path), varnish.get(path)
    assert backend.hits[path] == 2
    assert second.json()["render"] == 2
    assert second.headers["Cache-Status"] == "Varnish; fwd=bypass"
    if "Set-Cookie" in headers:
        assert first.headers["Set-Cookie"] == second.headers["Set-Cookie"] == headers["Set-Cookie"]


def test_a_server_error_is_never_cached(varnish, backend, page):
    path = page(status=500)
    varnish.get(path)
    assert varnish.get(path).status == 500
    assert backend.hits[path] == 2


@pytest.mark.parametrize(
    "cookie",
    ["sessionid=staff", "django_language=en", "_ga=GA1.1; sessionid=staff; consent=yes"],
)
def test_staff_and_readers_who_chose_a_language_reach_notizie(varnish, backend, page, cookie):
    path = page()
    varnish.get(path)  # in the cache for everyone else
    answer = varnish.get(path, headers={"Cookie": cookie})
    assert backend.hits[path] == 2
    assert answer.json()["cookie"] == cookie
    assert answer.headers["Cache-Status"] == "Varnish; fwd=bypass"
    # And what they were answered is nobody else's.
    assert varnish.get(path).json()["render"] == 1


def test_static_files_are_cached_for_staff_too(varnish, backend, number):
    path = f"/static/t{number}/app.css"
    backend.serve(path, headers={"Content-Type": "text/css", "Vary": None})
    varnish.get(path)
    staff = varnish.get(path, headers={"Cookie": "sessionid=staff"})
    assert staff.headers["Cache-Status"] == "Varnish; hit"
    assert backend.hits[path] == 1


@pytest.mark.parametrize("cookie", ["_ga=GA1.2.3; consent=yes", "mysessionid=1", "csrftoken=x"])
def test_other_cookies_are_dropped_so_the_page_stays_one_copy(varnish, backend, page, cookie):
    path = page()
    first = varnish.get(path, headers={"Cookie": cookie})
    second = varnish.get(path, headers={"Cookie": cookie})
    third = varnish.get(path)
    assert first.json()["cookie"] is None
    assert second.headers["Cache-Status"] == third.headers["Cache-Status"] == "Varnish; hit"
    assert backend.hits[path] == 1


@pytest.mark.parametrize("area", ["admin", "commenti"])
def test_admin_and_comment_endpoints_are_never_cached_and_keep_cookies(
    varnish, backend, number, area
):
    # Even if such a page said it could be kept.
    path = f"/{area}/t{number}/"
    backend.serve(path)
    cookie = "csrftoken=abc; notizie_commenter=xyz"
    varnish.get(path, headers={"Cookie": cookie})
    answer = varnish.get(path, headers={"Cookie": cookie})
    assert answer.json()["cookie"] == cookie
    assert backend.hits[path] == 2


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_requests_other_than_get_and_head_are_never_cached(varnish, backend, page, method):
    path = page()
    varnish.get(path, method=method)
    answer = varnish.get(path, method=method)
    assert answer.json()["method"] == method
    assert backend.hits[path] == 2


# Accept-Language as browsers send it (their own order, by falling q), and the
# language Notizie is told: Django's choice (LocaleMiddleware) for the same.
ACCEPT_LANGUAGE = {
    None: "it",
    "it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7": "it",
    "en-US,en;q=0.9": "en",
    "en-GB,en;q=0.9,it;q=0.8": "en",
    "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7,it;q=0.6": "en",
    "de-DE,de;q=0.9,it;q=0.8,en;q=0.7": "it",
    "EN": "en",
    "es-ES,es;q=0.9": "it",
    "*": "it",
}


@pytest.mark.parametrize(("accept_language", "language"), ACCEPT_LANGUAGE.items())
def test_accept_language_is_told_as_the_language_of_the_page(
    varnish, page, accept_language, language
):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    answer = varnish.get(page(), headers=headers)
    assert answer.json()["accept_language"] == language
    request = RequestFactory().get("/", headers=headers)
    assert translation.get_language_from_request(request) == language


def test_every_accept_language_shares_one_of_two_copies(varnish, backend, page):
    path = page()
    for accept_language in ACCEPT_LANGUAGE:
        varnish.get(path, headers={"Accept-Language": accept_language or ""})
    assert backend.hits[path] == 2


def test_tracking_parameters_never_make_another_copy(varnish, backend, page):
    path = page()
    for query in [
        "",
        "?utm_source=newsletter&utm_medium=email&utm_campaign=sera",
        "?fbclid=IwAR0abc",
        "?gclid=1&mc_cid=2&mc_eid=3",
        "?utm_source=x&",
    ]:
        assert varnish.get(path + query).json()["url"] == path
    assert backend.hits[path] == 1


def test_other_parameters_stay_whatever_the_tracking_around_them(varnish, backend, page):
    path = page()
    for query in ["?page=2", "?utm_source=x&page=2", "?page=2&fbclid=y", "?gclid=z&page=2&utm_x=1"]:
        assert varnish.get(path + query).json()["url"] == path + "?page=2"
    assert backend.hits[path + "?page=2"] == 1


def test_a_purge_removes_exactly_the_pages_with_its_tags(varnish, backend, page, number):
    article, other, home = f"article:{number}", f"article:{number}0", f"home:{number}"
    story = page(tags=[article, f"section:{number}", home])
    other_story = page(tags=[other, home])
    front = page(tags=[home])
    for path in (story, other_story, front):
        varnish.get(path)
        varnish.get(path, headers={"Accept-Language": "en"})

    purged = varnish.purge(article)
    assert purged.status == 200
    assert purged.headers["xkey-purged"] == "2"  # both languages of the story

    assert varnish.get(story).headers["Cache-Status"] == "Varnish; fwd=miss; stored"
    assert varnish.get(other_story).headers["Cache-Status"] == "Varnish; hit"
    assert varnish.get(front).headers["Cache-Status"] == "Varnish; hit"

    assert varnish.purge(home).headers["xkey-purged"] == "5"
    for path in (story, other_story, front):
        assert varnish.get(path).headers["Cache-Status"] == "Varnish; fwd=miss; stored"


@pytest.mark.parametrize(
    ("token", "source", "reason"),
    [
        (None, "127.0.0.2", b"Not a purger"),  # the right token, from outside the ACL
        ("", None, b"Wrong purge token"),
        ("x" * 32, None, b"Wrong purge token"),
    ],
    ids=["outside-the-acl", "no-token", "wrong-token"],
)
def test_a_purge_is_refused_without_the_token_or_from_outside_the_acl(
    varnish, page, number, token, source, reason
):
    path = page(tags=[f"article:{number}"])
    varnish.get(path)
    headers = {"xkey-purge": f"article:{number}"}
    if token != "":
        headers["X-Purge-Token"] = varnish.token if token is None else token
    refused = varnish.get("/", method="PURGE", headers=headers, source=source)
    assert refused.status == 403
    assert refused.body.strip() == reason
    assert varnish.get(path).headers["Cache-Status"] == "Varnish; hit"


def test_a_purge_without_tags_is_refused(varnish):
    assert varnish.purge("").status == 400
    no_header = varnish.get("/", method="PURGE", headers={"X-Purge-Token": varnish.token})
    assert no_header.status == 400


def test_the_backends_acl_and_token_come_from_the_filled_placeholders():
    token = "t0K3n-" * 4
    vcl = fill_vcl(
        backends=[("10.0.0.9", 8000), ("10.0.0.10", 8001)],
        site_domain="notizie.example",
        acl=["10.0.0.0/24", "192.0.2.7"],
        token=token,
    )
    assert not re.search(r"@[A-Z_]+@", vcl)
    assert 'backend notizie1 { .host = "10.0.0.9"; .port = "8000"; }' in vcl
    assert 'backend notizie2 { .host = "10.0.0.10"; .port = "8001"; }' in vcl
    assert "notizie.add_backend(notizie1); notizie.add_backend(notizie2);" in vcl
    assert '"Host: notizie.example"' in vcl
    assert 'acl purgers {\n    "10.0.0.0"/24; "192.0.2.7";\n}' in vcl
    assert f'req.http.X-Purge-Token != "{token}"' in vcl


def test_the_health_probe_asks_for_robots_txt_on_the_sites_domain(varnish, backend):
    # Notizie refuses a Host outside ALLOWED_HOSTS: the backend's address would not do.
    site = f"127.0.0.1:{varnish.port}"

    def probed():
        return [h for h in backend.headers["/robots.txt"] if h["Host"] == site]

    # The first probe goes out as the VCL loads: a few seconds at most.
    deadline = time.monotonic() + 10
    while not probed() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert probed()[0]["User-Agent"] == "Varnish health probe"


def test_a_readers_request_to_a_server_that_is_down_goes_to_the_next(backend, page, tmp_path):
    need_varnishd()
    down = free_port()
    varnish = Varnish(tmp_path, down, backend.port)
    try:
        path = page(headers={"Cache-Control": "private"})
        # Round robin: every other request is sent to the server that is down first.
        assert [varnish.get(path).status for _ in range(4)] == [200] * 4
        assert backend.hits[path] == 4
        # A form posted may have been received before the connection broke: never sent twice.
        assert sorted(varnish.get(path, method="POST").status for _ in range(2)) == [200, 503]
    finally:
        varnish.stop()


def test_readers_never_see_the_tags_nor_varnishs_own_headers(varnish, page, number):
    path = page(tags=[f"article:{number}", "home"])
    for answer in (varnish.get(path), varnish.get(path)):
        assert "xkey" not in answer.headers
        assert "X-Varnish" not in answer.headers
        assert "Via" not in answer.headers


def test_media_is_never_sniffed(varnish, backend, number):
    photo = f"/media/t{number}/photo.jpg"
    backend.serve(photo, headers={"Content-Type": "image/jpeg", "Vary": None})
    assert varnish.get(photo).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("token", ["", "long enough but with spaces"])
def test_the_vcl_refuses_to_load_with_a_weak_token(backend, tmp_path, token):
    need_varnishd()
    with pytest.raises(RuntimeError, match="Failed initialization"):
        Varnish(tmp_path, backend.port, token=token).stop()


@pytest.mark.parametrize("site_domain", ["@SITE_DOMAIN@", ""])
def test_the_vcl_refuses_to_load_without_the_sites_domain(backend, tmp_path, site_domain):
    need_varnishd()
    with pytest.raises(RuntimeError, match="Failed initialization"):
        Varnish(tmp_path, backend.port, site_domain=site_domain).stop()
