"""Where a webhook may go: in production only to public addresses (no SSRF into the back office's own network).

A subscription's URL is refused when its host is, or resolves to, a loopback, private, link-local, multicast,
reserved or otherwise non-global address (IPv4 and IPv6, IPv4-mapped IPv6 read as the IPv4 it maps). A name can
be re-pointed after it was subscribed, so the sender checks again on the address it actually connects to
(``connect_to_public_address``, the connection factory of the sender's HTTP connections): a refused address is
never connected to, and the attempt fails with ``TargetRefused``. ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (on outside
production) turns both checks off, for receivers on the same machine or network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class TargetRefused(Exception):
    """The receiver's address is not a public one: nothing was sent to it."""


def is_refused_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def refusal(*, host: str, address: str) -> str:
    return _(
        "%(host)s is %(address)s, a loopback, private, link-local, multicast or reserved address: webhooks go "
        "only to public addresses."
    ) % {"host": host, "address": address}


def target_refusal(url: str) -> str | None:
    """Why the subscription's URL may not be used (its host is or resolves to a refused address), or None.

    A name that does not resolve now is accepted: the sender checks the address it connects to anyway."""
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return None
    host = urlsplit(url).hostname or ""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = [info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]
        except (OSError, UnicodeError):
            return None
    refused = [address for address in addresses if is_refused_address(address)]
    return refusal(host=host, address=refused[0]) if refused else None


def connect_to_public_address(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """``socket.create_connection`` that never connects to a refused address (unless they are allowed)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return socket.create_connection(address, timeout, source_address)
    host, port = address
    error: Exception | None = None
    for family, kind, proto, _name, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if is_refused_address(sockaddr[0]):
            error = TargetRefused(refusal(host=host, address=sockaddr[0]))
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error or OSError(f"{host} has no address")
