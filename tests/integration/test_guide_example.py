"""The relying-party guide's minimal service, registered by the guide's command, logs a citizen in.

examples/minimal_service.py is the file the guide shows verbatim. Here it is registered with the
guide's own `silta clients add` line and served on a free port, in front of a live broker and
three live mock banks (tests/support/federation.py); a scripted citizen logs in at a bank,
consents, sees the service's page and logs out, as a reader of the guide would.
"""

from __future__ import annotations

import importlib.util
import re
import secrets
import shlex
import textwrap
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from bank_mock import customers
from idp.cli import main as silta
from idp.extensions import db
from idp.storage.models import LoginSession
from idp.storage.models import ReleaseLogEntry
from tests.conftest import empty_tables
from tests.support.citizen import Citizen
from tests.support.citizen import account
from tests.support.federation import Server
from tests.support.flow import csrf_token
from tests.support.settings import TEST_SECRETS

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "relying-party-guide.md"
EXAMPLE = ROOT / "examples" / "minimal_service.py"
GUIDE_ORIGIN = "http://127.0.0.1:5000"  # where the guide runs the service


def fenced_blocks(language: str) -> list[str]:
    """The guide's code blocks in `language`, also those indented inside a list, dedented."""
    found = re.findall(rf"^([ \t]*)```{language}\n(.*?)^\1```$", GUIDE.read_text(), re.S | re.M)
    return [textwrap.dedent(body) if indent else body for indent, body in found]


def guide_registration_args() -> list[str]:
    """The arguments of the guide's first `silta clients add` command, split as a shell would."""
    block = next(b for b in fenced_blocks("sh") if "silta clients add" in b)
    command = block[block.index("silta clients add") :].split("\n\n")[0]
    return shlex.split(command.replace("\\\n", " "))[1:]


def test_the_guide_shows_the_example_file_verbatim():
    assert EXAMPLE.read_text() in fenced_blocks("python")


@pytest.fixture
def service(fed, database, monkeypatch):
    """The example, registered by the guide's command and served on a free port."""
    empty_tables(fed.broker)
    guide_args = guide_registration_args()
    server = Server()
    try:
        args = [a.replace(GUIDE_ORIGIN, server.url) for a in guide_args]
        env = {f"SILTA_{k}": v for k, v in TEST_SECRETS.items()}
        env.update(SILTA_TESTING="1", SILTA_DATABASE_URL=database)
        registered = CliRunner().invoke(silta, args, env=env, catch_exceptions=False)
        assert registered.exit_code == 0, registered.output
        client_secret = re.search(r"client_secret: (\S+)", registered.output).group(1)
        for name, value in {
            "BROKER_URL": fed.broker_url,
            "SERVICE_URL": server.url,
            "SERVICE_SECRET_KEY": secrets.token_hex(32),
            "CLIENT_ID": args[args.index("--client-id") + 1],
            "CLIENT_SECRET": client_secret,
        }.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("guide_minimal_service", EXAMPLE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        server.serve(module.app)
    except BaseException:
        server.server.server_close()  # never served: nothing to shut down
        raise
    yield SimpleNamespace(url=server.url, client_id=args[args.index("--client-id") + 1])
    server.stop()


def at_method_choice(fed, service) -> Citizen:
    """A citizen who opened the service's /login and stands on the broker's method choice."""
    citizen = Citizen(fed, SimpleNamespace(redirect_uri=f"{service.url}/callback"))
    page = citizen.follow(citizen.get(f"{service.url}/login"))
    assert page.url.startswith(f"{fed.broker_url}/interaction/"), page.url
    citizen.interaction = urlsplit(page.url).path.rstrip("/")
    return citizen


def to_consent(citizen: Citizen):
    citizen.choose_bank("aurora")
    citizen.bank_login(account("aurora", customers.AINO))
    page = citizen.bank_release()
    assert page.url.endswith("/consent"), page.url
    return page


def rows(fed, model) -> list:
    with fed.broker.app_context():
        return list(db.session.scalars(db.select(model)))


def test_a_citizen_logs_in_at_a_bank_and_out_again_through_the_guide_service(fed, service):
    citizen = at_method_choice(fed, service)
    to_consent(citizen)
    back = citizen.consent()
    assert citizen.at_service(back)
    assert citizen.get(back.headers["Location"]).headers["Location"] == "/"

    home = citizen.get(f"{service.url}/")
    assert "<h1>Hello Aino</h1>" in home.text
    assert "Adult: True. Assurance: http://ftn.ficora.fi/2017/loa2." in home.text
    (release,) = rows(fed, ReleaseLogEntry)
    assert (release.client_id, release.channel) == (service.client_id, "id_token")
    assert "age_over_18" in release.claims

    csrf = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    assert citizen.post(f"{service.url}/logout", {"csrf": "forged"}).status_code == 400
    out = citizen.post(f"{service.url}/logout", {"csrf": csrf})
    assert out.headers["Location"].startswith(f"{fed.broker_url}/logout?id_token_hint=")
    to_service = citizen.get(out.headers["Location"])
    assert to_service.headers["Location"].startswith(f"{service.url}/logged-out?state=")
    assert "You have logged out." in citizen.get(to_service.headers["Location"]).text
    assert [s.ended_at is not None for s in rows(fed, LoginSession)] == [True]
    assert "Log in with Silta" in citizen.get(f"{service.url}/").text


def test_declining_consent_reaches_the_service_as_access_denied(fed, service):
    citizen = at_method_choice(fed, service)
    consent = to_consent(citizen)
    declined = citizen.follow(
        citizen.post(consent.url, {"csrf_token": csrf_token(consent.text), "decision": "deny"})
    )
    page = citizen.get(declined.headers["Location"])
    assert page.status_code == 400
    assert "Login did not complete: access_denied." in page.text
    assert rows(fed, ReleaseLogEntry) == []


def test_an_answer_naming_another_issuer_is_refused_before_the_code_is_used(fed, service):
    citizen = at_method_choice(fed, service)
    to_consent(citizen)
    back = citizen.consent()
    forged = back.headers["Location"].replace("iss=http", "iss=https")
    assert citizen.get(forged).status_code == 400
    assert rows(fed, ReleaseLogEntry) == []  # the code was never redeemed
