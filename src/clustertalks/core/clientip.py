"""The visitor's own address, also behind a reverse proxy.

`REMOTE_ADDR` is the address of whoever opened the TCP connection: behind nginx that is nginx,
for every visitor. `X-Forwarded-For` says who the proxy talked to, but any client can send the
header too. So it is believed only when the connection comes from a proxy listed in
`TRUSTED_PROXIES`, and only as far as it was written by trusted proxies: we walk it from the
right (the entry the nearest proxy appended) and stop at the first address that is not one of
ours. Everything left of that was written by the client and could be anything.
"""

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _parse(value: str) -> Address | None:
    """An address from a header entry: accepts `[v6]:port`, `v4:port` and IPv4-mapped IPv6."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> Address | None:
    """The client's address as an `ipaddress` object (None when it cannot be known)."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    networks = trusted_networks()
    if peer is None or not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # Several X-Forwarded-For headers arrive joined by commas, in order: one list either way.
    # Only its right end matters (our proxies append there): a huge header costs nothing.
    hops = [hop for hop in forwarded[-2000:].split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage where a trusted proxy should have written an address: the chain is not
            # what we expect, so do not guess further left.
            return client
        client = address
        if not _is_trusted(address, networks):
            return address
    return client  # every hop is one of our proxies (e.g. a health check from inside)


def client_ip(request) -> str:
    """The client's address as text, e.g. "203.0.113.7" (or "unknown"). For rate limits and
    lockouts: django-axes can use it as AXES_CLIENT_IP_CALLABLE."""
    address = client_address(request)
    return str(address) if address is not None else UNKNOWN


def client_bucket(request) -> str:
    """The key a rate limit should count under: the address, but a whole /64 for IPv6, since
    one home or phone gets a /64 and can pick any address in it."""
    address = client_address(request)
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
