"""
The reader's address behind a reverse proxy.

Behind nginx (``deploy/nginx.conf``) every request reaches Django from the
proxy, so ``REMOTE_ADDR`` is the same for every reader. Everything that
counts by address would treat the world as one reader: the flood rule of the
comments (one reader's post would make everyone else wait), the address
moderators see, and the sign-in lockout (five wrong passwords for an editor's
name, from anywhere, would lock that editor out for everyone).

Each proxy appends the address it received the request from to
``X-Forwarded-For``. Read from the right, the entries were written by proxies
listed in ``TRUSTED_PROXIES`` up to the first address that is not one: that is
the reader, and it replaces ``REMOTE_ADDR`` before anything else reads it.
What lies to its left came from the reader and may be forged; it is never
read. Requests that do not come from a trusted proxy are left as they are, so
the header means nothing unless ``TRUSTED_PROXIES`` says whom to believe.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed


def proxy_networks(values) -> tuple:
    """``TRUSTED_PROXIES`` as networks: addresses ("127.0.0.1") or ranges ("10.0.0.0/8")."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {value!r} is neither an IP address nor a network."
            ) from None
    return tuple(networks)


def is_proxy(address, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def reader_address(peer: str, forwarded_for: str, networks) -> str:
    """The nearest address, from ``peer`` leftwards through ``forwarded_for``, not a proxy's."""
    address = peer
    if not is_proxy(peer, networks):
        return address
    for hop in reversed(forwarded_for.split(",") if forwarded_for else []):
        try:
            address = str(ipaddress.ip_address(hop.strip()))
        except ValueError:
            # A trusted proxy writes addresses only: this entry is the reader's
            # own, and the proxy to its right is the last address known for sure.
            return address
        if not is_proxy(address, networks):
            return address
    return address  # proxies all the way: the farthest one


class TrustedProxyMiddleware:
    """Put the reader's address in ``REMOTE_ADDR`` (see the module docstring)."""

    def __init__(self, get_response):
        self.networks = proxy_networks(settings.TRUSTED_PROXIES)
        if not self.networks:
            raise MiddlewareNotUsed  # no proxy in front: REMOTE_ADDR is the reader
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        meta["REMOTE_ADDR"] = reader_address(
            meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), self.networks
        )
        return self.get_response(request)
