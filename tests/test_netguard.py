"""The one URL gate (monitor.evidence.netguard): every way of naming this machine or a private
network is refused, a name that does not resolve is refused, and the pinned request keeps the
original host name for the Host header and TLS."""

from __future__ import annotations

import httpx
import pytest

from monitor.evidence import netguard
from monitor.evidence.netguard import BlockedAddress


def public(host: str) -> list[str]:
    return ["93.184.216.34"]


@pytest.mark.parametrize("url", [
    "http://localhost/", "http://localhost./", "http://LOCALHOST:8501/", "http://intranet.localhost/",
    "http://a.b.localhost./x", "http://printer.local/", "http://metadata.google.internal/computeMetadata/v1/",
    "http://intranet/", "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.1/",
    "http://0177.0.0.1/", "http://0x7f000001/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://192.168.1.1/",
    "http://172.16.0.1/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1%25eth0]/",
    "http://224.0.0.1/", "http://0.0.0.0/", "http://[::]/", "file:///etc/passwd", "gopher://example.com/",
    "http://example.com:99999/",
])
def test_local_private_and_special_addresses_are_refused(url):
    with pytest.raises(BlockedAddress):
        netguard.resolve(url, resolver=public)


def test_a_name_that_resolves_to_a_private_address_is_refused():
    with pytest.raises(BlockedAddress, match="lokal/privat"):
        netguard.resolve("https://intranet.example.go.id/", resolver=lambda host: ["93.184.216.34", "10.1.2.3"])


def test_a_name_that_does_not_resolve_is_refused_not_assumed_public():
    def nxdomain(host):
        raise OSError("Name or service not known")
    with pytest.raises(BlockedAddress, match="tidak dapat ditemukan"):
        netguard.resolve("https://tidak-ada.example/", resolver=nxdomain)
    with pytest.raises(BlockedAddress):
        netguard.resolve("https://kosong.example/", resolver=lambda host: [])


def test_a_public_name_is_pinned_to_its_address():
    target = netguard.resolve("https://x.com/ani/status/1?s=2", resolver=public)
    assert (target.host, target.port, target.address) == ("x.com", 443, "93.184.216.34")
    with httpx.Client() as client:
        request = netguard.pinned_request(client, "GET", target)
    assert str(request.url) == "https://93.184.216.34/ani/status/1?s=2"
    assert request.headers["Host"] == "x.com" and request.extensions["sni_hostname"] == "x.com"


def test_the_allowlist_admits_only_its_networks_and_never_special_names():
    assert netguard.resolve("http://127.0.0.1:8000/", allow_networks=("127.0.0.1/32",)).address == "127.0.0.1"
    with pytest.raises(BlockedAddress):
        netguard.resolve("http://127.0.0.2/", allow_networks=("127.0.0.1/32",))
    with pytest.raises(BlockedAddress):
        netguard.resolve("http://intranet.localhost/", allow_networks=("127.0.0.0/8",), resolver=public)


@pytest.mark.parametrize("url", ["http://intranet.localhost:8501/", "http://localhost./", "http://2130706433/",
                                 "http://[::ffff:127.0.0.1]/x", "http://10.1.2.3/", "http://169.254.169.254/"])
def test_the_public_form_refuses_local_addresses_at_once(url):
    from monitor.collect.reports import ReportError, check_url

    with pytest.raises(ReportError, match="situs"):  # "situs publik", or no site name at all
        check_url(url)
    assert check_url("https://x.com/ani_guru/status/1") == "https://x.com/ani_guru/status/1"
