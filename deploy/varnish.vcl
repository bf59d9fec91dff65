vcl 4.1;
#
# Notizie behind Varnish 7 (with the xkey vmod of varnish-modules), in front of
# one or several Notizie servers (gunicorn). See docs/edge-cache.md for the
# whole deployment.
#
# Reader pages are kept as long as Notizie's Cache-Control allows the edge
# (s-maxage), and a write purges exactly the pages it touched, by the tags
# Notizie lists in each page's `xkey` header (newsroom/purgers.py sends the
# purge). One copy per URL and language (it or en); staff, readers who chose
# a language with the switcher, the admin and the comment endpoints always
# reach Notizie.
#
# Requests go round robin to the servers that answer the health probe
# (GET /robots.txt every 5 s; three failures in five make a server sick); a
# reader's request that cannot reach a server (down before its probe says
# so) is tried once more, on the next one.
#
# Replace the @…@ placeholders, as in deploy/nginx.conf (tests/edge fill this
# very file):
# - BACKENDS, one backend per Notizie server, named as you like:
#     backend notizie1 { .host = "10.0.0.5"; .port = "8000"; }
#     backend notizie2 { .host = "10.0.0.6"; .port = "8000"; }
# - ADD_BACKENDS, each of them added to the director, in vcl_init:
#     notizie.add_backend(notizie1); notizie.add_backend(notizie2);
# - SITE_DOMAIN, a host Notizie's ALLOWED_HOSTS accepts (its SITE_DOMAIN):
#   the probe's Host, which Notizie would otherwise refuse (400);
# - PURGE_ACL, who may purge, as ACL entries: "10.0.0.5"; "10.0.1.0"/24;
# - PURGE_TOKEN, Notizie's setting of that name: 16 or more of A-Z a-z 0-9
#   _ - (this VCL refuses to load with anything else).
# Placeholders, not std.getenv(): backends and an ACL are compiled into the
# VCL, so they have to be written in the file anyway; the token goes the
# same way, so that the one filled file says everything and
# `varnishd -C -f` checks it whole. Keep that file readable by root and
# varnish only: it holds the token.
#
# Purging: from an address of the ACL, with the token,
#   PURGE / HTTP/1.1
#   X-Purge-Token: <PURGE_TOKEN>
#   xkey-purge: article:12 section:3
# answers 200 with `xkey-purged: <objects purged>`, 400 without tags, 403
# otherwise. A hard purge: the pages go at once. A soft purge would serve the
# old copy (grace) while a new one is fetched, but a purge here says the page
# is wrong now (a correction, an article taken down), and Varnish already
# lets one request per page fetch it while the others wait for it.
#
# The ACL is checked against the peer's address (client.ip): a TLS proxy in
# front of Varnish on an address of the ACL would let everyone through it, so
# have it refuse PURGE (or send the PROXY protocol); the token guards anyway.

import directors;
import std;
import xkey;

# Every backend without a probe of its own gets this one. Healthy from the
# start (.initial): a reload must not leave the site without servers until
# the first probes come back.
probe default {
    .request = "GET /robots.txt HTTP/1.1"
        "Host: @SITE_DOMAIN@"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

@BACKENDS@

acl purgers {
    @PURGE_ACL@
}

sub vcl_init {
    # A missing or weak token would let any host of the ACL purge.
    if ("@PURGE_TOKEN@" !~ "^[A-Za-z0-9_-]{16,}$") {
        return (fail);
    }
    # An unfilled host would make every probe fail, and every server sick.
    if ("@SITE_DOMAIN@" !~ "^[A-Za-z0-9.:\[\]-]+$") {
        return (fail);
    }
    new notizie = directors.round_robin();
    @ADD_BACKENDS@
}

sub vcl_recv {
    set req.backend_hint = notizie.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not a purger"));
        }
        if (req.http.X-Purge-Token != "@PURGE_TOKEN@") {
            return (synth(403, "Wrong purge token"));
        }
        if (req.http.xkey-purge !~ "[^\s,]") {
            return (synth(400, "No tags in xkey-purge"));
        }
        set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }

    # Tracking parameters (every share of a story has its own) never make
    # another copy, nor reach Notizie; analytics read them in the browser.
    set req.url = regsuball(req.url,
        "(?<=[?&])(utm_[^&=]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|twclid|ttclid|li_fat_id|_hsenc|_hsmi|mkt_tok)(=[^&]*)?(&|$)",
        "");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff's pages and the comment endpoints (posting, reporting, the
    # commenter's cookie) are never cached: their cookies go through.
    if (req.url ~ "^/(admin|commenti)(/|\?|$)") {
        return (pass);
    }
    # Static files and media are the same for everyone, staff included.
    if (req.url ~ "^/(static|media)/") {
        unset req.http.Cookie;
        return (hash);
    }
    # Staff (Django's session cookie, set only by signing in) and readers who
    # chose a language with the switcher (its cookie, which the cache key does
    # not hold): Notizie answers them itself.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|django_language)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # No reader page reads any other cookie (remember.js reads its own in
    # the browser): without them every reader shares one copy.
    unset req.http.Cookie;
    call notizie_language;
    return (hash);
}

# Notizie sends Vary: Accept-Language. Told only the language the page will be
# in, it is kept in at most two copies: en if the reader lists English before
# Italian, else it (also for no header, or neither language).
sub notizie_language {
    if (req.http.Accept-Language ~ "(?i)^((?!\s*it\b)[^,]*,)*\s*en\b") {
        set req.http.Accept-Language = "en";
    } else {
        set req.http.Accept-Language = "it";
    }
}

sub vcl_hash {
    # Pages print absolute links: one copy per scheme the TLS proxy names.
    hash_data(req.http.X-Forwarded-Proto);
    # Then Varnish's own: the URL and the host.
}

sub vcl_backend_fetch {
    # For every server, rather than in each backend the deployment writes:
    # a host that does not answer is given up on in 2 s, and retried below.
    set bereq.connect_timeout = 2s;
}

sub vcl_backend_response {
    # Behind a copy kept past its time (stale-while-revalidate), an error
    # keeps that copy instead of replacing it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Kept only when Notizie says so: a public page with a lifetime, for
    # everyone. Never a response that sets a cookie, is private or has no
    # Cache-Control (Varnish would otherwise keep it default_ttl).
    if (beresp.http.Set-Cookie
            || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
            || beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)="
            || beresp.http.Vary == "*"
            || beresp.status >= 500
            || beresp.ttl <= 0s) {
        # Remembered for two minutes as a page to fetch every time.
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # A reader's page that could not be fetched (a server down before its
    # probes say so) is asked once more, of the next server. Never a POST,
    # which the first may have received.
    if (bereq.retries == 0 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
}

sub vcl_deliver {
    # The tags are for purging here only; the rest is Varnish's own.
    unset resp.http.xkey;
    unset resp.http.X-Varnish;
    unset resp.http.Via;

    # Only this cache hears of purges: further on, a shared cache keeps the
    # page no longer than a browser does, max-age seconds, counted from now
    # (the copy is current until purged; with the backend's Date and Age a
    # browser would count from the render, and keep an old copy not at all).
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(
            regsuball(resp.http.Cache-Control, "(?i)(^|,)\s*s-maxage=\d+\s*(?=,|$)", ""),
            "^\s*,\s*", "");
        set resp.http.Age = "0";
        set resp.http.Date = now;
    }

    if (req.url ~ "^/media/") {
        # Uploads are served as the type their extension names, never sniffed.
        set resp.http.X-Content-Type-Options = "nosniff";
    }

    # What this cache did (RFC 9211), after what Notizie's page cache did.
    if (obj.uncacheable) {
        set req.http.X-Cache-Status = "Varnish; fwd=bypass";
    } elsif (obj.hits > 0) {
        set req.http.X-Cache-Status = "Varnish; hit";
    } else {
        set req.http.X-Cache-Status = "Varnish; fwd=miss; stored";
    }
    if (resp.http.Cache-Status) {
        set resp.http.Cache-Status = resp.http.Cache-Status + ", " + req.http.X-Cache-Status;
    } else {
        set resp.http.Cache-Status = req.http.X-Cache-Status;
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        if (resp.status == 200) {
            set resp.http.xkey-purged = req.http.xkey-purged;
        }
        unset resp.http.X-Varnish;
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}
