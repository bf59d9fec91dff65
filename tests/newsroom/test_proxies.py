"""The reader's address behind trusted proxies (newsroom/proxies.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.proxies import proxy_networks, reader_address

NGINX_HERE = proxy_networks(["127.0.0.1"])
TWO_TIERS = proxy_networks(["127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"])


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "networks", "reader"),
    [
        # No proxy trusted: the header means nothing.
        ("203.0.113.7", "198.51.100.1", (), "203.0.113.7"),
        # A peer that is not a trusted proxy cannot speak for anyone else.
        ("203.0.113.7", "198.51.100.1", NGINX_HERE, "203.0.113.7"),
        # nginx on the same machine: the address it appended.
        ("127.0.0.1", "198.51.100.1", NGINX_HERE, "198.51.100.1"),
        # What the reader sent is to the left of what nginx appended: never read.
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", NGINX_HERE, "198.51.100.1"),
        ("127.0.0.1", "127.0.0.1, 198.51.100.1", NGINX_HERE, "198.51.100.1"),
        # A load balancer in front of nginx: both skipped.
        ("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.1.2.3", TWO_TIERS, "198.51.100.1"),
        ("127.0.0.1", "2001:db8::5, 10.1.2.3", TWO_TIERS, "2001:db8::5"),
        ("127.0.0.1", "2001:db8:ffff::9", TWO_TIERS, "2001:db8:ffff::9"),
        # A trusted proxy that forwarded nothing: itself.
        ("127.0.0.1", "", NGINX_HERE, "127.0.0.1"),
        # Not an address where a proxy should have written one: the last sure address.
        ("127.0.0.1", "198.51.100.1, unknown", NGINX_HERE, "127.0.0.1"),
        ("127.0.0.1", "unknown, 10.1.2.3", TWO_TIERS, "10.1.2.3"),
    ],
)
def test_the_reader_is_the_nearest_address_that_is_not_a_trusted_proxy(
    peer, forwarded_for, networks, reader
):
    assert reader_address(peer, forwarded_for, networks) == reader


def test_a_bad_proxy_setting_is_named():
    with pytest.raises(ImproperlyConfigured, match="'nginx' is neither an IP address"):
        proxy_networks(["127.0.0.1", "nginx"])
