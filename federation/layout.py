"""Where each party of the federation lives: ports, origins and folders.

The demo ports are those of ARCHITECTURE §2; ``offset`` moves all of them at once, so a second
demo (the browser tests' own) can run beside one that is already up. ``Layout.on_free_ports``
gives every party a port the kernel says is free instead (the test fixtures, the benchmarks),
and ``public`` names an origin the world uses when it is not the party's own port (a broker
node behind a balancer, a bank behind a proxy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path

from .ports import free_port

BANKS = (("aurora", "Aurora Bank"), ("kide", "Kide Bank"), ("revontuli", "Revontuli Savings Bank"))
SERVICES = (
    ("tax", "Tax Administration"),
    ("benefits", "Benefits Office"),
    ("municipal", "Municipal resident services"),
    ("library", "City library"),
)
BROKER_PORT, BANK_PORTS, ISSUER_PORT, READER_PORT = 8400, (8411, 8412, 8413), 8420, 8421
START_PORT, SERVICE_PORTS = 8430, (8431, 8432, 8433, 8434)
DEMO_PORTS: dict[str, int] = {
    "broker": BROKER_PORT,
    **{bank: port for (bank, _), port in zip(BANKS, BANK_PORTS, strict=True)},
    "issuer": ISSUER_PORT,
    "reader": READER_PORT,
    "start": START_PORT,
    **{service: port for (service, _), port in zip(SERVICES, SERVICE_PORTS, strict=True)},
}
MARKER = ".silta-demo"  # `--reset` deletes only a folder that holds this file


@dataclass(frozen=True)
class Layout:
    """One federation's host, ports and root folder."""

    root: Path
    host: str = "127.0.0.1"
    offset: int = 0
    ports: Mapping[str, int] = field(default_factory=dict)  # by party: instead of demo + offset
    public: Mapping[str, str] = field(default_factory=dict)  # by party: the origin others use

    @classmethod
    def on_free_ports(
        cls, root: Path, host: str = "127.0.0.1", extra: tuple[str, ...] = ()
    ) -> Layout:
        """Every party (and each `extra` name: broker nodes, a caller's own) on a claimed free
        port (federation/ports.py)."""
        return cls(root, host, ports={name: free_port(host) for name in (*DEMO_PORTS, *extra)})

    def with_public(self, **origins: str) -> Layout:
        """The same layout, with these parties reached at other origins."""
        return replace(self, public={**self.public, **origins})

    def port_of(self, name: str) -> int:
        """The port a party listens on."""
        return self.ports[name] if name in self.ports else DEMO_PORTS[name] + self.offset

    def url_of(self, name: str) -> str:
        """The origin others reach a party at."""
        return self.public.get(name) or f"http://{self.host}:{self.port_of(name)}"

    def url(self, port: int) -> str:
        """The origin of a demo port, moved by the offset."""
        return f"http://{self.host}:{port + self.offset}"

    def port(self, port: int) -> int:
        return port + self.offset

    @property
    def broker_url(self) -> str:
        return self.url_of("broker")

    def bank_url(self, index: int) -> str:
        return self.url_of(BANKS[index][0])

    @property
    def issuer_url(self) -> str:
        return self.url_of("issuer")

    @property
    def reader_url(self) -> str:
        return self.url_of("reader")

    @property
    def start_url(self) -> str:
        return self.url_of("start")

    def service_url(self, index: int) -> str:
        return self.url_of(SERVICES[index][0])

    def all_ports(self) -> list[int]:
        """Every port this federation listens on."""
        return [self.port_of(name) for name in DEMO_PORTS]

    def folder(self, name: str) -> Path:
        """A party's instance folder under the root."""
        return self.root / name

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def issuer_dir(self) -> Path:
        return self.folder("card-issuer")
