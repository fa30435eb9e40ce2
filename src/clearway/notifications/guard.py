"""Where a webhook may point: public addresses only, unless the administrator allows more.

The server POSTs to a URL that a trader chose, so without a check a trader could make it reach
the server's own loopback, the private network or a cloud metadata service (SSRF). A URL is
checked when it is registered and again at every delivery: its host is resolved once, every
address it resolves to must be allowed, and the connection goes to that very address (the name
stays in the Host header and in TLS), so a DNS answer that changes between the check and the
connection (rebinding) reaches nothing new. Redirects are never followed.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from clearway.config import Settings
from clearway.errors import ClearwayError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
MAX_URL = 500  # the column's width

# Cloud metadata services; most are link-local or private anyway, named here so the refusal
# says what they are.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254"))
# Special-purpose ranges (IANA) that some Python versions still call global.
SPECIAL = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15",
    "240.0.0.0/4", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fec0::/10"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Web ports only by default: a trader's URL on :22, :25 or :6379 aims the server's POST at a
# mail, cache or database port of a public host (cross-protocol abuse). The administrator
# opens more with CLEARWAY_WEBHOOK_ALLOWED_PORTS; allow-listed receivers may use any port.
DEFAULT_PORTS = frozenset({80, 443, 8080, 8443})
_PORT = re.compile(r"[1-9][0-9]{0,4}")  # decimal, no sign, no leading zero


class WebhookUrlRefused(ClearwayError):
    def __init__(self, reason: str) -> None:
        super().__init__(code="CW-WEBHOOK-URL",
                         message=f"The webhook URL is refused: {reason}")


@dataclass(frozen=True)
class Policy:
    """The administrator's allow-list: addresses in `networks`, and any address of a host in
    `hosts`, may receive webhooks although they are not public."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)
    ports: frozenset[int] = DEFAULT_PORTS  # for receivers not on the allow-list

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """Raises ValueError on a malformed network, so a typo stops the server at start."""
        nets = [n.strip() for n in settings.webhook_allowed_networks.split(",") if n.strip()]
        hosts = [h.strip() for h in settings.webhook_allowed_hosts.split(",") if h.strip()]
        try:
            networks = tuple(ipaddress.ip_network(n, strict=False) for n in nets)
        except ValueError as exc:
            raise ValueError(f"CLEARWAY_WEBHOOK_ALLOWED_NETWORKS: {exc}") from None
        ports = [p.strip() for p in settings.webhook_allowed_ports.split(",") if p.strip()]
        bad = [p for p in ports if not _PORT.fullmatch(p) or int(p) > 65535]
        if bad:
            raise ValueError(f"CLEARWAY_WEBHOOK_ALLOWED_PORTS: not a port: {bad[0]!r}")
        return cls(networks, frozenset(_name(h) for h in hosts),
                   frozenset(int(p) for p in ports))

    def allows(self, ip: IPAddress) -> bool:
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        return any(ip in net or (mapped is not None and mapped in net) for net in self.networks)


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to `address`, present `url`'s host name to the receiver."""

    url: httpx.URL
    address: str


def _name(host: str) -> str:
    return host.rstrip(".").lower()


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), which is where the
    packets really go."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why this address may not receive webhooks by default, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:  # the IPv4 address is what is reached: judge that one
            problem = address_problem(inner)
            return f"{problem}, embedded in {ip}" if problem else None
    checks = (("cloud metadata", ip in METADATA), ("unspecified", ip.is_unspecified),
              ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("private", ip.is_private),
              ("reserved", ip.is_reserved),
              ("special-purpose", any(ip in net for net in SPECIAL)),
              ("not public", not ip.is_global))
    return next((name for name, hit in checks if hit), None)


def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives, as the connection would see them (getaddrinfo
    also reads numeric forms such as 2130706433, 0x7f.1 or 0177.1)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def parse(raw: str) -> httpx.URL:
    """The URL's shape: absolute http(s), a host, no credentials, no control characters, no
    fragment, a port (if any) from 1 to 65535 in plain decimal."""
    if len(raw) > MAX_URL:
        raise WebhookUrlRefused(f"longer than {MAX_URL} characters")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in raw):
        raise WebhookUrlRefused("it contains spaces or control characters")
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise WebhookUrlRefused(f"malformed ({exc})") from None
    if url.scheme not in ("http", "https"):
        raise WebhookUrlRefused("only http and https URLs are accepted")
    if url.userinfo:
        raise WebhookUrlRefused("a user name or password in the URL is not accepted")
    if not url.raw_host:
        raise WebhookUrlRefused("the URL names no host")
    if "#" in raw:  # never sent, and parsers disagree on what follows it (`#@127.0.0.1`)
        raise WebhookUrlRefused("a fragment (#...) is not accepted")
    _, colon, port = urlsplit(raw).netloc.rpartition("]")[2].rpartition(":")
    if colon and (not _PORT.fullmatch(port) or int(port) > 65535):
        raise WebhookUrlRefused(f"the port {port[:8]!r} is not a port number (1 to 65535)")
    return url


def check_url(raw: str, policy: Policy, resolve: Resolver | None = None) -> Target:
    """Parse, resolve once and check every address; raise WebhookUrlRefused otherwise."""
    url = parse(raw)
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        found = (resolve or system_resolve)(host, port)
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]
    except (OSError, UnicodeError, ValueError):
        raise WebhookUrlRefused(f"the host {host} does not resolve") from None
    if not addresses:
        raise WebhookUrlRefused(f"the host {host} does not resolve")
    if _name(host) not in policy.hosts:
        for ip in addresses:  # all of them: the client would try the next one on failure
            problem = None if policy.allows(ip) else address_problem(ip)
            if problem:
                raise WebhookUrlRefused(f"{host} resolves to {ip} ({problem}); ask the "
                                        "administrator to allow internal receivers")
    trusted = _name(host) in policy.hosts or all(policy.allows(ip) for ip in addresses)
    if port not in policy.ports and not trusted:
        shown = ", ".join(str(p) for p in sorted(policy.ports))
        raise WebhookUrlRefused(f"port {port} is not open to webhooks (open: {shown}); "
                                "ask the administrator to allow it")
    return Target(url, str(addresses[0]))


def guarded_poster(policy: Policy, timeout: float, resolve: Resolver | None = None,
                   verify: ssl.SSLContext | bool = True
                   ) -> Callable[[str, bytes, dict[str, str]], int]:
    """POST to a checked address only: the host is resolved and checked for this very
    connection, which then goes to the checked address with the name kept for Host and for
    TLS (SNI and the certificate check are for the name, not the address)."""
    # One TLS context for every POST: building one loads the system's CA bundle (~0.1 s).
    tls = ssl.create_default_context() if verify is True else verify

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        target = check_url(url, policy, resolve)
        pinned = target.url.copy_with(host=target.address)
        extensions = {"sni_hostname": target.url.raw_host.decode("ascii")}
        sent = {**headers, "Host": target.url.netloc.decode("ascii")}
        # No proxies from the environment (they would resolve the name themselves), no
        # redirects (a 3xx could point anywhere), and the answer's body is never read.
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                          verify=tls) as client:
            request = client.build_request("POST", pinned, content=body, headers=sent,
                                           extensions=extensions)
            response = client.send(request, stream=True)
            response.close()
            return response.status_code

    return post
