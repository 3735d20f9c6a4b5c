"""Outbound HTTP that cannot be turned against the server's own network, and never waits forever.

`check_public_url(url)` resolves the host and refuses it when any of its addresses is loopback,
private, link-local, CGNAT (100.64/10), multicast, reserved or unspecified, unless the host is
in `allowed_hosts` (an administrator's list, e.g. WEBHOOK_ALLOWED_HOSTS). It is called when an
address is saved (a clear form error) and again when a request is sent: `post()` connects to the
very address it has just checked, so a DNS answer that changes in between (DNS rebinding)
cannot redirect the request. Every connection has a timeout; redirects are not followed.
"""

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CGNAT = ipaddress.ip_network("100.64.0.0/10")


class BlockedAddress(ValueError):
    """The URL is not allowed (scheme, unknown host, or a non-public address)."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
        or (ip.version == 4 and ip in CGNAT)
    )


def _split(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BlockedAddress(_("Only http and https addresses are allowed."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise BlockedAddress(_("The address has an invalid port.")) from error
    return parts.scheme, parts.hostname, port


def resolve(url: str, allowed_hosts=()) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL that may be requested."""
    scheme, host, port = _split(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BlockedAddress(_("The host name %(host)s could not be found.") % {"host": host}) from error
    addresses = [info[4][0] for info in infos]
    if host.lower().rstrip(".") not in {h.lower().rstrip(".") for h in allowed_hosts}:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise BlockedAddress(
                _("%(host)s points to a local or private network address (%(address)s); only "
                  "public internet addresses are allowed.") % {"host": host, "address": blocked[0]}
            )
    return scheme, host, port, addresses[0]


def check_public_url(url: str, allowed_hosts=()) -> None:
    resolve(url, allowed_hosts)


def public_url_validator(allowed_hosts_setting: str):
    """A model/form field validator refusing non-public targets, with a clear message."""
    from django.conf import settings

    def validate(url: str) -> None:
        try:
            check_public_url(url, getattr(settings, allowed_hosts_setting, ()))
        except BlockedAddress as error:
            raise ValidationError(str(error), code="blocked_address") from error

    return validate


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def _create_connection(self, _target, timeout, source_address=None):  # noqa: D401
        return socket.create_connection((self._address, self.port), timeout, source_address)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address; the certificate is still verified for the host name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def _create_connection(self, _target, timeout, source_address=None):
        return socket.create_connection((self._address, self.port), timeout, source_address)


def post(url: str, body: bytes, headers: dict, *, timeout: float, allowed_hosts=()) -> int:
    """POST `body`; returns the HTTP status (a redirect is returned as is, not followed).
    Raises BlockedAddress for a refused target, OSError for network errors and timeouts."""
    scheme, host, port, address = resolve(url, allowed_hosts)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a receiver's answer is not used; do not read an endless one
        return response.status
    except http.client.HTTPException as error:
        raise OSError(f"invalid HTTP response: {error!r}") from error
    finally:
        connection.close()
