"""One gate for every fetch of an untrusted URL (issue 15, item 1: SSRF via the evidence capture).

Post URLs come from the public report form, so a URL must never make this server fetch its
own intranet. ``resolve`` parses the URL, refuses special names (``localhost``, ``*.localhost``
— Chromium maps those to loopback without asking DNS — ``*.local``, ``*.internal``), reads
numeric host forms the way browsers do (``2130706433``, ``0x7f.1``, ``0177.0.0.1``), resolves
the name (a name that does not resolve is refused, not assumed public) and refuses unless every
address is a public unicast one. The caller then connects to the returned, pinned address, so a
second DNS answer (rebinding) cannot move the request elsewhere.

``allow_networks`` is an explicit allowlist of networks that would otherwise be refused; it is
empty by default and exists so tests can capture pages served on 127.0.0.1. Special names stay
refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SPECIAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain", ".lan", ".intranet")
SPECIAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "metadata",
                 "metadata.google.internal", "instance-data"}
# Refused even if ``ipaddress`` someday calls them global: metadata services and CGNAT.
EXTRA_BLOCKED = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16", "100.64.0.0/10", "fd00::/8", "fc00::/7", "fe80::/10", "fec0::/10", "0.0.0.0/8",
    "192.0.0.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "ff00::/8", "64:ff9b::/96", "2002::/16"))


class BlockedAddress(ValueError):
    """A URL whose host is not a public internet address (the message is for people)."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to for it."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def _numeric_host(host: str) -> IPAddress | None:
    """The address a browser would read from a numeric host (``2130706433``, ``0x7f.1``), or None."""
    text = host.strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    parts = text.split(".")
    if not parts or not all(p and (p.isdigit() or p.lower().startswith("0x")) for p in parts):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))  # accepts 1-4 parts, octal and hex
    except OSError:
        return None


def local_by_name(host: str) -> bool:
    """True for a host that names this machine or a private network without any DNS lookup:
    special names, single labels, and numeric forms of non-public addresses."""
    host = host.lower().rstrip(".")
    numeric = _numeric_host(host)
    if numeric is not None:
        return not address_allowed(numeric)
    return not host or host in SPECIAL_NAMES or host.endswith(SPECIAL_SUFFIXES) or "." not in host


def _system_resolve(host: str) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


def address_allowed(address: IPAddress, allow_networks: Iterable[str] = ()) -> bool:
    """True for a public unicast address, or one inside an explicitly allowed network."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for network in allow_networks:
        if address in ipaddress.ip_network(network, strict=False):
            return True
    if any(address in net for net in EXTRA_BLOCKED if net.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def resolve(url: str, *, allow_networks: Iterable[str] = (),
            resolver: Callable[[str], list[str]] | None = None) -> Target:
    """Check ``url`` and pick the address to connect to; BlockedAddress with the reason otherwise."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        raise BlockedAddress(f"alamat tidak dapat dibaca: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress(f"alamat bukan http(s): {url!r}")
    host = parts.hostname.lower().rstrip(".")
    if _numeric_host(host) is None and local_by_name(host):
        raise BlockedAddress(f"alamat jaringan lokal/privat tidak diizinkan: {parts.hostname}")
    allow = tuple(allow_networks)
    numeric = _numeric_host(host)
    if numeric is not None:
        candidates = [numeric]
    else:
        try:
            candidates = [ipaddress.ip_address(a.split("%")[0]) for a in (resolver or _system_resolve)(host)]
        except (OSError, UnicodeError, ValueError):
            candidates = []
        if not candidates:
            raise BlockedAddress(f"nama situs tidak dapat ditemukan (DNS): {host}")
    if not all(address_allowed(a, allow) for a in candidates):
        raise BlockedAddress(f"alamat jaringan lokal/privat tidak diizinkan: {parts.hostname}")
    return Target(url=url, scheme=parts.scheme, host=host, port=port or (443 if parts.scheme == "https" else 80),
                  address=str(candidates[0]))


def check(url: str, *, allow_networks: Iterable[str] = ()) -> None:
    """Raise BlockedAddress unless ``url`` may be fetched."""
    resolve(url, allow_networks=allow_networks)


def pinned_request(client: httpx.Client, method: str, target: Target, *,
                   headers: dict[str, str] | None = None) -> httpx.Request:
    """A request to the pinned address with the original Host header and TLS server name."""
    parts = urlsplit(target.url)
    literal = f"[{target.address}]" if ":" in target.address else target.address
    pinned = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/", parts.query, ""))
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    merged = {**(headers or {}), "Host": host_header}
    return client.build_request(method, pinned, headers=merged, extensions={"sni_hostname": target.host})
