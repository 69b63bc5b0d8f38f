"""`silta demo`: the whole federation on one machine, each part its own process and origin.

It sets the parts up as an operator would (demo_setup.py, demo_plan.py), starts them, each in
its own process group with its log in ``<root>/logs/`` (demo_processes.py), waits until each
answers, issues the demo ID cards (demo_seed.py), serves the start page (demo_start.py),
prints where everything is with the test logins, and stops every process on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import json
import shutil
import signal
import time

import click

from . import seed as demo_seed
from . import start_page as demo_start
from .layout import BANKS
from .layout import MARKER
from .layout import SERVICES
from .layout import START_PORT
from .layout import Layout
from .operator_api import OperatorError
from .plan import plan
from .processes import StartFailed
from .processes import Supervisor
from .processes import on_stop_signals
from .setup import DESK_OFFICIAL

SERVICE_NAMES = {
    "tax": {"en": "Tax Administration", "fi": "Verohallinto", "ja": "税務署"},
    "benefits": {"en": "Benefits Office", "fi": "Etuuspalvelut", "ja": "給付事務所"},
    "municipal": {
        "en": "Municipal resident services",
        "fi": "Kunnan asukaspalvelut",
        "ja": "市役所の住民サービス",
    },
    "library": {"en": "City library", "fi": "Kaupunginkirjasto", "ja": "市立図書館"},
}
READY = "Silta demo federation is up."
STOPPED = "Stopped every demo process."


class DemoStopped(Exception):
    """Ctrl-C or SIGTERM reached the supervisor."""


def _stop(*_args) -> None:
    raise DemoStopped()


def prepare_root(layout: Layout, reset: bool) -> None:
    """Create the demo folder; with `reset`, delete it first, but only if it is a demo's."""
    root = layout.root
    if reset and root.exists():
        if any(root.iterdir()) and not (root / MARKER).exists():
            raise click.ClickException(f"{root} is not a Silta demo folder; not deleting it.")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).touch()


def start_page(layout: Layout, running: set[str]):
    """Serve the start page, linking the services that run."""
    links = {
        "broker": layout.broker_url,
        "banks": [(name, layout.bank_url(i)) for i, (_, name) in enumerate(BANKS)],
        "reader": layout.reader_url if "reader" in running else None,
        "issuer": layout.issuer_url,
    }
    services = [
        demo_start.ServiceLink(SERVICE_NAMES[s], layout.service_url(i) if s in running else None)
        for i, (s, _) in enumerate(SERVICES)
    ]
    app = demo_start.create_start_app(services, links)
    return demo_start.serve_in_background(app, layout.host, layout.port(START_PORT))


def banner(layout: Layout, parts, cards: list[dict], secrets: dict, notices: list[str]) -> str:
    """The table of URLs and test logins printed once everything answers."""
    lines = ["", READY, "", f"  {'Start page':<30}{layout.start_url}"]
    lines += [f"  {'My data (log in)':<30}{layout.broker_url}/account/"]
    lines += [f"  {p.title:<30}{p.url}" for p in parts]
    lines += ["", "  Bank logins: customer number, password. The one-time key code changes"]
    lines += ["  every 30 s: see the bank's key-codes page (the code now is shown too)."]
    for bank, url, c in demo_seed.bank_logins(layout):
        lines.append(
            f"    {bank:<24}{c['customer_number']}  {c['password']:<10}  "
            f"{c['name']} ({c['hetu']})  code now {c['key_code']}  ({url}/demo/key-codes)"
        )
    lines += ["", "  ID cards (type the PIN only into the card reader bridge's own page):"]
    lines += [f"    card {c['serial']}  {c['name']} ({c['holder']})  PIN {c['pin']}" for c in cards]
    lines += [
        "",
        f"  PIN-reset desk: {layout.issuer_url}/desk/login  official {DESK_OFFICIAL}, "
        f"password {secrets['DESK_PASSWORD']}",
        f"  Logs of every process: {layout.logs}/",
    ]
    lines += [f"  Notice: {n}; the demo runs without it." for n in notices]
    lines += ["", "  Ctrl-C stops every process. `silta demo --reset` starts from scratch.", ""]
    return "\n".join(lines)


def run(layout: Layout, reset: bool, without: frozenset[str] = frozenset()) -> None:
    """Set up, start, supervise and stop the demo federation."""
    prepare_root(layout, reset)
    supervisor = Supervisor(layout.logs)
    processes_file = layout.root / "processes.json"
    server = None
    on_stop_signals(_stop)
    try:
        parts, notices, secrets = plan(layout, without)
        for notice in notices:
            click.echo(f"Notice: {notice}; the demo runs without it.", err=True)
        for part in parts:
            supervisor.start(part)
        processes_file.write_text(json.dumps({n: p.pid for n, p in supervisor.running.items()}))
        supervisor.wait_healthy([p.name for p in parts])
        cards = demo_seed.issue_demo_cards(layout, secrets["OPERATOR_API_KEY"])
        server = start_page(layout, set(supervisor.running))
        click.echo(banner(layout, parts, cards, secrets, notices))
        while True:
            for name, status in supervisor.exited():
                click.echo(
                    f"{name} exited with status {status}; see {layout.logs}/{name}.log", err=True
                )
            time.sleep(0.5)
    except DemoStopped:
        pass
    except (StartFailed, OperatorError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
        if server is not None:
            server.shutdown()
        supervisor.stop_all()
        processes_file.unlink(missing_ok=True)
        click.echo(STOPPED)
