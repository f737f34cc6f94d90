"""client_ip (issue 7 item 8): X-Forwarded-For is believed only from trusted proxies, read from the right."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from anjian.core.network import client_ip


def request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def proxies(settings):
    settings.ANJIAN_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    return settings


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.ANJIAN_TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_client_that_is_not_a_proxy_cannot_choose_its_address(proxies):
    assert client_ip(request("203.0.113.7", "198.51.100.1, 10.0.0.5")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(proxies):
    assert client_ip(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_the_right_most_untrusted_address_wins_over_what_the_client_wrote(proxies):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_ip(request("127.0.0.1", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # Two proxies (10.0.0.5 forwarded to 127.0.0.1): still the address the first proxy saw.
    assert client_ip(request("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.5")) == "198.51.100.1"


def test_rotating_the_header_gives_the_same_address(proxies):
    seen = {client_ip(request("127.0.0.1", f"192.0.2.{n}, 198.51.100.1")) for n in range(10)}
    assert seen == {"198.51.100.1"}


def test_unreadable_or_missing_header(proxies):
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "garbage, 10.0.0.5")) == "10.0.0.5"
    # Every hop is a trusted proxy: the left-most one the proxies vouch for.
    assert client_ip(request("127.0.0.1", "10.0.0.9, 10.0.0.5")) == "10.0.0.9"


def test_ipv6_and_mapped_addresses(settings):
    settings.ANJIAN_TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert client_ip(request("::1", "2001:db8::1, fd00::2")) == "2001:db8::1"
    assert client_ip(request("::ffff:127.0.0.1", "198.51.100.1")) == "::ffff:127.0.0.1"  # 127.0.0.1 is not trusted
    settings.ANJIAN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("::ffff:127.0.0.1", "::ffff:198.51.100.1")) == "198.51.100.1"


def test_a_bad_trusted_proxy_entry_stops_the_start(settings):
    from django.core.exceptions import ImproperlyConfigured

    from anjian.core.network import check_trusted_proxies

    settings.ANJIAN_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_TRUSTED_PROXIES"):
        check_trusted_proxies()
    settings.ANJIAN_TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    check_trusted_proxies()
