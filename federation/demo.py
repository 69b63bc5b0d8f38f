"""`silta demo`: the whole federation on one machine, each party its own process and origin.

The launcher (launcher.py) sets the parties up as an operator would, starts them, each in its
own process group with its log in ``<root>/logs/``, and waits until each answers; then the demo
issues its ID cards (seed.py), serves the start page (start_page.py), prints where everything is
with the test logins, and stops every process on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import shutil
import signal
import time

import click
from werkzeug.serving import BaseWSGIServer

from . import seed as demo_seed
from . import start_page as demo_start
from .launcher import Federation
from .launcher import launch
from .layout import BANKS
from .layout import MARKER
from .layout import SERVICES
from .layout import Layout
from .plan import Selection
from .processes import StartFailed
from .processes import Supervisor
from .processes import on_stop_signals
from .setup import DESK_OFFICIAL
from .setup import Party
from .setup import SetupFailed

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
OPTIONAL_TITLES = {"reader": "the card reader bridge", "services": "the demo services"}
STOPPED = "Stopped every demo process."


class DemoStopped(Exception):
    """Ctrl-C or SIGTERM reached the supervisor."""


def _stop() -> None:
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


def start_page(layout: Layout, running: set[str]) -> BaseWSGIServer:
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
    return demo_start.serve_in_background(app, layout.host, layout.port_of("start"))


def banner(
    layout: Layout,
    parts: list[Party],
    cards: list[dict[str, str]],
    secrets: dict[str, str],
    notices: list[str],
) -> str:
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


def selection(without: frozenset[str]) -> tuple[Selection, list[str]]:
    """Every party but those left out, and a notice for each one left out."""
    notices = [f"{OPTIONAL_TITLES[name]} left out (--without {name})" for name in sorted(without)]
    services = () if "services" in without else Selection().services
    return Selection(reader="reader" not in without, services=services), notices


def run(layout: Layout, reset: bool, without: frozenset[str] = frozenset()) -> None:
    """Set up, start, supervise and stop the demo federation."""
    prepare_root(layout, reset)
    supervisor = Supervisor(layout.logs, label="The demo's")
    federation: Federation | None = None
    server = None
    on_stop_signals(_stop)
    try:
        chosen, notices = selection(without)
        for notice in notices:
            click.echo(f"Notice: {notice}; the demo runs without it.", err=True)
        federation = launch(layout, chosen, supervisor=supervisor)
        secrets = federation.plan.secrets
        cards = demo_seed.issue_demo_cards(layout, secrets["OPERATOR_API_KEY"])
        server = start_page(layout, set(supervisor.running))
        click.echo(banner(layout, federation.plan.parties, cards, secrets, notices))
        while True:
            for name, status in supervisor.exited():
                click.echo(
                    f"{name} exited with status {status}; see {layout.logs}/{name}.log", err=True
                )
            time.sleep(0.5)  # the supervisor's watch: how often it looks, not a wait for a state
    except DemoStopped:
        pass
    except (StartFailed, SetupFailed) as error:
        raise click.ClickException(str(error)) from None
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
        if server is not None:
            server.shutdown()
        if federation is not None:
            federation.stop()
        supervisor.stop_all()
        click.echo(STOPPED)
