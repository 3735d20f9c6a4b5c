"""core.clientip: the visitor's address, believed from X-Forwarded-For only as far as our own
proxies wrote it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from clustertalks.core.clientip import client_bucket, client_ip

factory = RequestFactory()


def request(remote="203.0.113.5", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy configured: the header is ignored, whatever it says.
        ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),
        # A connection that does not come from a trusted proxy: ignored too.
        (["10.0.0.1"], "203.0.113.5", "1.2.3.4", "203.0.113.5"),
        # From the proxy: the address it appended.
        (["10.0.0.1"], "10.0.0.1", "198.51.100.7", "198.51.100.7"),
        # The client prepended a lie; the right-most untrusted entry wins.
        (["10.0.0.1"], "10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two of our proxies in a row (CIDR), then the client.
        (["10.0.0.0/8"], "10.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # IPv6 client, ports, brackets, spaces and IPv4-mapped addresses.
        (["10.0.0.1"], "10.0.0.1", " [2001:db8::1]:4711 ", "2001:db8::1"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.7:5555", "198.51.100.7"),
        (["::1"], "::1", "::ffff:198.51.100.7", "198.51.100.7"),
        # Garbage right where our proxy should have written: do not guess further left.
        (["10.0.0.1"], "10.0.0.1", "198.51.100.7, <script>", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        # Every hop is ours (an internal health check): the left-most of them.
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.9", "10.0.0.9"),
        # A hostile, huge header costs nothing and changes nothing.
        (["10.0.0.1"], "10.0.0.1", "1.1.1.1," * 5000 + " 198.51.100.7", "198.51.100.7"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request(remote, forwarded)) == expected


def test_an_unreadable_remote_addr_is_unknown(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(remote="")) == "unknown"
    assert client_ip(request(remote="not-an-ip")) == "unknown"


def test_ipv6_visitors_are_counted_per_64(settings):
    settings.TRUSTED_PROXIES = []
    one = client_bucket(request(remote="2001:db8:1:2::1"))
    other = client_bucket(request(remote="2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_bucket(request(remote="203.0.113.5")) == "203.0.113.5"


def test_a_wrong_trusted_proxies_setting_stops_the_start(monkeypatch, tmp_path):
    import importlib

    import clustertalks.settings as module

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, not-a-network")
    monkeypatch.setenv("CLUSTERTALKS_VAR", str(tmp_path))
    try:
        with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
            importlib.reload(module)
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_behind_proxy_alone_trusts_a_proxy_on_this_machine(monkeypatch, tmp_path):
    import importlib

    import clustertalks.settings as module

    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    monkeypatch.setenv("BEHIND_PROXY", "1")
    monkeypatch.setenv("CLUSTERTALKS_VAR", str(tmp_path))
    try:
        assert importlib.reload(module).TRUSTED_PROXIES == ["127.0.0.1", "::1"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)
