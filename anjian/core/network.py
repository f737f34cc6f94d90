"""The client's address behind reverse proxies (issue 7 item 8).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the request comes from a
proxy this site trusts (`ANJIAN_TRUSTED_PROXIES`, IP addresses or CIDR networks). Each proxy appends the address it
received the request from, so the header is read from the right: the right-most address that is not a trusted
proxy is the client; whatever lies left of it the client may have written itself. The login lockout and the token
endpoint's rate limit count per this address, so one client cannot rotate the header to escape them, and behind
the proxy one client's mistyped passwords do not lock everyone out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of the setting's entries (a bare address is a network of one); unreadable entries raise."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def check_trusted_proxies() -> None:
    """Refuse to start with an ANJIAN_TRUSTED_PROXIES entry that is no address or network (rather than at the first
    request, or by ignoring it)."""
    from django.core.exceptions import ImproperlyConfigured

    entries = tuple(getattr(settings, "ANJIAN_TRUSTED_PROXIES", ()) or ())
    try:
        trusted_networks(entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"ANJIAN_TRUSTED_PROXIES: {error}") from error


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:10.0.0.1) is the IPv4 client.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def is_trusted(value: str, networks: Iterable[Network]) -> bool:
    address = parse_address(value)
    return address is not None and any(address in network for network in networks)


def client_ip(request: Any) -> str:
    """The address of the client that sent `request` (django-axes and the API throttle call it).

    REMOTE_ADDR, unless it is a trusted proxy: then the right-most address of X-Forwarded-For that is not a
    trusted proxy. If the header is missing, or every address in it is a trusted proxy, the left-most address
    the proxies vouch for; an unreadable entry stops the walk at the last proxy that wrote a readable one.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_networks(tuple(getattr(settings, "ANJIAN_TRUSTED_PROXIES", ()) or ()))
    if not networks or not is_trusted(remote, networks):
        return remote
    forwarded = [item.strip() for item in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    closest = remote
    for item in reversed([item for item in forwarded if item]):
        address = parse_address(item)
        if address is None:
            return closest
        if not is_trusted(item, networks):
            return str(address)
        closest = str(address)
    return closest


__all__ = ["check_trusted_proxies", "client_ip", "is_trusted", "parse_address", "trusted_networks"]
