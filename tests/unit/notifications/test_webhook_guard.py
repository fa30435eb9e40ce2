"""Webhook URLs may not reach the server's loopback, the private network or a metadata service
(SSRF), in any spelling of the address; the check holds at connect time too (DNS rebinding),
and the administrator's allow-list opens exactly what it names."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import httpx
import pytest

from clearway.config import Settings
from clearway.notifications.guard import (
    Policy,
    WebhookUrlRefused,
    check_url,
    guarded_poster,
    system_resolve,
)
from webhook_receiver import Listener, tls_pair

# Names a test resolver knows; anything else goes to the system resolver, which reads the
# numeric forms (2130706433, 0x7f.1, 0177.1...) exactly as a connection would.
DNS = {
    "hooks.trader.example": ["93.184.216.34"],
    "v6.trader.example": ["2606:4700:4700::1111"],
    "metadata.google.internal": ["169.254.169.254"],
    "mixed.example": ["93.184.216.34", "10.0.0.7"],
    "receiver.internal": ["10.0.0.5"],
    "other.internal": ["10.0.0.5"],
    "hooks.test": ["127.0.0.1"],
}


def resolve(host: str, port: int) -> list[str]:
    name = host.rstrip(".").lower()
    if name in DNS:
        return DNS[name]
    if name.endswith((".example", ".invalid", ".internal", ".test")):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return system_resolve(host, port)


REFUSED = [  # (url, words of the reason; "" when only the refusal matters)
    ("ftp://93.184.216.34/x", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://93.184.216.34:25/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("//93.184.216.34/x", "only http and https"),
    ("http://user:pw@93.184.216.34/", "user name or password"),
    ("http://user@93.184.216.34/", "user name or password"),
    ("http://93.184.216.34/a b", "spaces or control"),
    ("http://93.184.216.34/\x00", "spaces or control"),
    ("http://93.184.216.34/\r\nX-Injected: 1", "spaces or control"),
    ("http://" + "a" * 600 + ".example/", "longer than 500"),
    ("http:///path", ""),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.2:8080/hook", "loopback"),
    ("http://localhost:8000/", "loopback"),
    ("http://LOCALHOST./", ""),                  # loopback, or unknown without DNS
    ("http://2130706433/", "loopback"),          # decimal
    ("http://017700000001/", "loopback"),        # octal, one number
    ("http://0x7f000001/", "loopback"),          # hexadecimal
    ("http://0x7f.1/", "loopback"),
    ("http://0177.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0177.0.0.1/", "malformed"),         # httpx refuses the dotted octal form itself
    ("http://0/", "unspecified"),
    ("http://0.0.0.0:8000/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://[::1]:8000/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[64:ff9b::7f00:1]/", "loopback"),   # NAT64
    ("http://[2002:7f00:1::]/", "loopback"),     # 6to4
    ("http://[::127.0.0.1]/", "reserved"),       # IPv4-compatible (deprecated)
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.0.1/", "private"),
    ("http://[fd00::1]/", "private"),            # unique local
    ("http://[fc00::5]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://192.0.0.192/", "cloud metadata"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://100.64.0.1/", "special-purpose"),   # carrier-grade NAT
    ("http://255.255.255.255/", ""),
    ("http://240.0.0.1/", ""),
    ("http://198.18.0.1/", ""),
    ("http://192.0.2.1/", ""),                   # documentation
    ("http://[2001:db8::1]/", ""),
    ("http://mixed.example/", "10.0.0.7 (private)"),  # one bad address is enough
    ("http://nowhere.invalid/", "does not resolve"),
    # Web ports only (CLEARWAY_WEBHOOK_ALLOWED_PORTS), ports spelled plainly, no fragment.
    ("http://8.8.8.8:22/", "port 22 is not open"),
    ("http://8.8.8.8:6379/", "port 6379 is not open"),
    ("https://hooks.trader.example:25/x", "port 25 is not open"),
    ("http://[2606:4700:4700::1111]:5432/", "port 5432 is not open"),
    ("http://8.8.8.8:0/", "not a port number"),
    ("http://8.8.8.8:65536/", "not a port number"),
    ("http://8.8.8.8:080/", "not a port number"),
    ("http://8.8.8.8:+80/", "not a port number"),
    ("http://8.8.8.8:/", "not a port number"),
    ("http://8.8.8.8:abc/", "malformed"),
    ("http://8.8.8.8#@127.0.0.1/", "fragment"),
    ("https://93.184.216.34/hook#part", "fragment"),
    ("https://93.184.216.34/hook#", "fragment"),
]

ACCEPTED = [
    "https://93.184.216.34/hook",
    "http://8.8.8.8:8443/x?y=1",
    "https://[2606:4700:4700::1111]/h",
    "https://hooks.trader.example/clearway",
    "HTTPS://Hooks.Trader.Example./clearway",
    "https://v6.trader.example/",
    "https://[::ffff:8.8.8.8]/",                   # mapped, but a public IPv4 address
    "https://[64:ff9b::808:808]/",                 # NAT64 of a public address
    "http://8.8.8.8:8080/x",
    "https://8.8.8.8:443/x",
    "https://[2606:4700:4700::1111]:8443/h",
]


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[u[:60] for u, _ in REFUSED])
def test_refused_by_default(url: str, reason: str) -> None:
    with pytest.raises(WebhookUrlRefused) as refused:
        check_url(url, Policy(), resolve)
    assert refused.value.code == "CW-WEBHOOK-URL" and refused.value.status == 422
    assert reason in refused.value.message


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_receivers_are_accepted(url: str) -> None:
    target = check_url(url, Policy(), resolve)
    assert ipaddress.ip_address(target.address).is_global


ALLOW = Policy((ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")),
               frozenset({"receiver.internal"}))


@pytest.mark.parametrize(("url", "allowed"), [
    ("http://10.1.2.3/", True),
    ("http://[::ffff:10.1.2.3]/", True),
    ("http://127.0.0.1:9000/", True),
    ("http://127.0.0.2/", False),          # the /32 names one address
    ("http://192.168.0.1/", False),
    ("http://169.254.169.254/", False),
    ("http://receiver.internal/hook", True),
    ("http://other.internal/hook", True),  # 10.0.0.5 is in 10.0.0.0/8
    ("http://10.1.2.3:6379/", True),       # allow-listed receivers use any port
    ("http://receiver.internal:2222/", True),
    ("http://8.8.8.8:2222/", False),       # but a public one only the open ports
    ("http://10.1.2.3:0/", False),
    ("http://10.1.2.3/#x", False),
])
def test_allow_list_opens_what_it_names(url: str, allowed: bool) -> None:
    if allowed:
        check_url(url, ALLOW, resolve)
    else:
        with pytest.raises(WebhookUrlRefused):
            check_url(url, ALLOW, resolve)


def test_allowed_host_name_alone() -> None:
    hosts = Policy(hosts=frozenset({"receiver.internal"}))
    check_url("http://Receiver.Internal./x", hosts, resolve)
    with pytest.raises(WebhookUrlRefused, match="private"):
        check_url("http://other.internal/x", hosts, resolve)


def test_allow_list_from_settings() -> None:
    policy = Policy.from_settings(Settings(
        webhook_allowed_networks=" 10.20.0.7/32, fd12::/64 ,",
        webhook_allowed_hosts="Receiver.Internal.,hooks.lan"))
    assert [str(n) for n in policy.networks] == ["10.20.0.7/32", "fd12::/64"]
    assert policy.hosts == {"receiver.internal", "hooks.lan"}
    assert Policy.from_settings(Settings()) == Policy()
    assert Policy().ports == {80, 443, 8080, 8443}
    with pytest.raises(ValueError):
        Policy.from_settings(Settings(webhook_allowed_networks="10.0.0.0/33"))


def test_open_ports_from_settings() -> None:
    policy = Policy.from_settings(Settings(webhook_allowed_ports=" 443, 9443,"))
    assert policy.ports == {443, 9443}
    check_url("https://8.8.8.8:9443/", policy, resolve)
    with pytest.raises(WebhookUrlRefused, match="port 80 is not open"):
        check_url("http://8.8.8.8/", policy, resolve)
    for bad in ("0", "65536", "http", "08080", "-1"):
        with pytest.raises(ValueError, match="CLEARWAY_WEBHOOK_ALLOWED_PORTS"):
            Policy.from_settings(Settings(webhook_allowed_ports=bad))


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_connection_goes_to_the_checked_address_under_the_name(listener: Listener) -> None:
    # "hooks.test" exists only in the test resolver: the client never resolves it itself.
    post = guarded_poster(ALLOW, 5.0, resolve)
    status = post(f"http://hooks.test:{listener.port}/in?x=1", b'{"id": 1}',
                  {"Content-Type": "application/json"})
    assert status == 204
    assert listener.seen == [("/in?x=1", f"hooks.test:{listener.port}", b'{"id": 1}')]


@pytest.mark.parametrize(("certified", "works"), [("hooks.test", True), ("other.test", False)])
def test_tls_is_checked_for_the_name_not_the_address(certified: str, works: bool) -> None:
    server_tls, client_tls = tls_pair(certified)
    server = Listener(tls=server_tls)
    try:
        post = guarded_poster(ALLOW, 5.0, resolve, verify=client_tls)
        url = f"https://hooks.test:{server.port}/in"
        if works:
            assert post(url, b"{}", {}) == 204
            assert server.seen == [("/in", f"hooks.test:{server.port}", b"{}")]
        else:
            with pytest.raises(httpx.ConnectError, match=r"(?i)certificate|hostname"):
                post(url, b"{}", {})
            assert server.seen == []
    finally:
        server.close()


def test_rebinding_to_loopback_is_refused_at_connect(listener: Listener) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public at registration, then not

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    url = f"http://rebind.example:{listener.port}/hook"
    public = Policy(ports=frozenset({listener.port}))  # the listener's port is open to all
    check_url(url, public, rebinding)  # registration passes
    post = guarded_poster(public, 5.0, rebinding)
    with pytest.raises(WebhookUrlRefused, match="loopback"):
        post(url, b"{}", {})
    assert listener.seen == []


def test_refused_at_connect_even_if_stored_unchecked(listener: Listener) -> None:
    post = guarded_poster(Policy(), 5.0, resolve)
    for url in (f"http://127.0.0.1:{listener.port}/", f"http://2130706433:{listener.port}/",
                f"http://[::ffff:127.0.0.1]:{listener.port}/"):
        with pytest.raises(WebhookUrlRefused):
            post(url, b"{}", {})
    assert listener.seen == []


def test_redirects_are_not_followed() -> None:
    server = Listener(status=307, location="http://169.254.169.254/latest/meta-data/")
    try:
        post = guarded_poster(ALLOW, 5.0, resolve)
        assert post(f"http://127.0.0.1:{server.port}/hook", b"{}", {}) == 307
        assert len(server.seen) == 1
    finally:
        server.close()
