"""The demo's ports, taken before anything is seeded: a port already in use stops the demo at
once with one line, before the database is wiped (it used to seed for a minute and a half
and then die on `Errno 98`). Only the standard library here, so that `clearway demo` can
check before it loads the application."""

from __future__ import annotations

import os
import socket

EXIT_PORT_TAKEN = 3  # the exit status of `clearway demo` (and `make demo`) then


class PortTaken(Exception):
    """A port the demo needs cannot be bound; the message says which and what to do."""

    def __init__(self, host: str, port: int, reason: str, suggestion: int) -> None:
        self.host, self.port = host, port
        super().__init__(f"Port {port} on {host} is not free ({reason}): stop what listens "
                         f"there, or start the demo on other ports: make demo "
                         f"PORT={suggestion}")


def demo_ports(port: int, partner: bool) -> list[int]:
    """The home administration's port, and the next one for the partner when it runs."""
    return [port, port + 1] if partner else [port]


def partner_wanted() -> bool:
    """CLEARWAY_DEMO_PARTNER=0 leaves the neighbouring administration out."""
    return os.environ.get("CLEARWAY_DEMO_PARTNER", "1") != "0"


def reserve(host: str, port: int, ports: list[int]) -> socket.socket:
    """A socket bound to (host, port) as uvicorn binds one (SO_REUSEADDR) and listening, so
    that nothing takes the port while the demo seeds; the server is handed this socket.
    Connections made meanwhile wait in the queue until the server runs."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise PortTaken(host, port, f"unknown host: {exc.strerror}", port) from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PortTaken(host, port, exc.strerror or str(exc), max(ports) + 100) from exc
    return sock


def reserve_all(host: str, ports: list[int]) -> list[socket.socket]:
    """One listening socket per port, or PortTaken for the first that is not free (the
    sockets already taken are closed again)."""
    taken: list[socket.socket] = []
    try:
        for port in ports:
            taken.append(reserve(host, port, ports))
    except PortTaken:
        for sock in taken:
            sock.close()
        raise
    return taken


def check_free(host: str, ports: list[int]) -> None:
    """PortTaken unless every port can be bound now (they are released again at once)."""
    for sock in reserve_all(host, ports):
        sock.close()
