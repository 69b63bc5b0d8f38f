"""Where each part of the demo federation lives: ports, origins and folders.

The demo ports are those of ARCHITECTURE §2; ``offset`` moves all of them at once, so a second
demo (the browser tests' own) can run beside one that is already up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BANKS = (("aurora", "Aurora Bank"), ("kide", "Kide Bank"), ("revontuli", "Revontuli Savings Bank"))
SERVICES = (
    ("tax", "Tax Administration"),
    ("benefits", "Benefits Office"),
    ("municipal", "Municipal resident services"),
    ("library", "City library"),
)
BROKER_PORT, BANK_PORTS, ISSUER_PORT, READER_PORT = 8400, (8411, 8412, 8413), 8420, 8421
START_PORT, SERVICE_PORTS = 8430, (8431, 8432, 8433, 8434)
MARKER = ".silta-demo"  # `--reset` deletes only a folder that holds this file


@dataclass(frozen=True)
class Layout:
    """One demo's host, port offset and root folder."""

    root: Path
    host: str = "127.0.0.1"
    offset: int = 0

    def url(self, port: int) -> str:
        """The origin of a demo port, moved by the offset."""
        return f"http://{self.host}:{port + self.offset}"

    def port(self, port: int) -> int:
        return port + self.offset

    @property
    def broker_url(self) -> str:
        return self.url(BROKER_PORT)

    def bank_url(self, index: int) -> str:
        return self.url(BANK_PORTS[index])

    @property
    def issuer_url(self) -> str:
        return self.url(ISSUER_PORT)

    @property
    def reader_url(self) -> str:
        return self.url(READER_PORT)

    @property
    def start_url(self) -> str:
        return self.url(START_PORT)

    def service_url(self, index: int) -> str:
        return self.url(SERVICE_PORTS[index])

    def all_ports(self) -> list[int]:
        """Every port this demo listens on."""
        fixed = (BROKER_PORT, *BANK_PORTS, ISSUER_PORT, READER_PORT, START_PORT, *SERVICE_PORTS)
        return [self.port(p) for p in fixed]

    def folder(self, name: str) -> Path:
        """A component's instance folder under the demo root."""
        return self.root / name

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def issuer_dir(self) -> Path:
        return self.folder("card-issuer")
