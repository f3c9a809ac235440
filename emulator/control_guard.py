"""Who may use the test controls under ``/_emulator/``: local tools, never a web page.

The controls are unauthenticated and can wipe or dump (unmasked) every connection, so a page open in a browser
on the same machine must not reach them. Two browser attacks are refused:

* cross-site requests: an ``Origin`` other than the emulator's own (``http://`` + the Host it was addressed to,
  so ``Origin: null`` too), or ``Sec-Fetch-Site`` other than ``same-origin``/``none``;
* DNS rebinding: a ``Host`` that is not a loopback name or address, nor the address the connection came in on
  (the bind address, or the interface reached when bound to ``0.0.0.0``/``::``).

Clients that send neither header (curl, ``requests``, the tests) pass as before. A request without ``Host``
(HTTP/1.0) is not one a browser sends; it passes unless it carries an ``Origin`` (its own origin is unknown).
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from emulator.errors import EmulatorError, edge_error

LOOPBACK_NAMES = frozenset({"localhost", "localhost."})
FETCH_SITES_ALLOWED = frozenset({"same-origin", "none"})
REFUSED = "Cross-site requests to the emulator's test controls (/_emulator/) are refused"


def _split_host(value: str) -> tuple[str, int] | None:
    """``host[:port]`` from a Host header (port defaults to 80 for http), or None when malformed."""
    try:
        parts = urlsplit("http://" + value)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or parts.username is not None or parts.password is not None or parts.path or parts.query \
            or parts.fragment:
        return None
    return host.lower(), port if port is not None else 80


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address; an IPv4-mapped IPv6 one (a dual-stack socket's view of IPv4) as plain IPv4."""
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_local(host: str, server_host: str | None) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    address = _address(host)
    return address is not None and (address.is_loopback or address == _address(server_host))


def _same_origin(origin: str, host: tuple[str, int] | None) -> bool:
    scheme, _, rest = origin.partition("://")
    return host is not None and scheme.lower() == "http" and _split_host(rest) == host


def refusal(scope: dict) -> EmulatorError | None:
    """The 403 to answer a request to ``/_emulator/*`` with, or None when it may go on."""
    headers = [(k.decode("latin-1"), v.decode("latin-1").strip()) for k, v in scope.get("headers", [])]
    hosts = [v for k, v in headers if k == "host"]
    host = _split_host(hosts[0]) if len(hosts) == 1 else None
    server = scope.get("server")
    path = scope.get("path", "")
    if hosts and (host is None or not _is_local(host[0], server[0] if server else None)):
        return edge_error(path, 403, f"{REFUSED}: Host must be localhost, a loopback address or the address "
                                     "the emulator listens on.")
    if any(k == "origin" and not _same_origin(v, host) for k, v in headers):
        return edge_error(path, 403, f"{REFUSED}: the Origin is not the emulator's own.")
    if any(k == "sec-fetch-site" and v.lower() not in FETCH_SITES_ALLOWED for k, v in headers):
        return edge_error(path, 403, f"{REFUSED}: Sec-Fetch-Site says the request comes from another site.")
    return None
