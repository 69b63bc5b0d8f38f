"""/account: the citizen's consents and release log, revocation, and the chain's integrity."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import idp
from idp.audit import release_log
from idp.cli import main
from idp.extensions import db
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import Person
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.conftest import register
from tests.support.flow import CITIZEN
from tests.support.flow import Flow
from tests.support.flow import csrf_token
from tests.support.settings import TEST_SECRETS

OTHER_CITIZEN = dict(
    national_id="020280-998S", given_name="Eero", family_name="Nieminen", birthdate="1980-02-02"
)


def account_login(browser, **person) -> str:
    """Log in through /account/login with the development method; return the /account page."""
    page = browser.get("/account/")
    response = browser.post(
        "/account/login", data={"csrf_token": csrf_token(page.get_data(as_text=True))}
    )
    assert response.status_code == 303
    login = Flow(browser, None, interaction=response.headers["Location"])
    assert login.interaction.startswith("/interaction/")
    login.login(**{**CITIZEN, **person})
    done = login.resume()
    assert done.status_code == 303
    assert done.headers["Location"] == "/account"
    page = browser.get("/account/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.fixture
def released(flow):
    """The citizen logged in to the tax service, consent remembered, ID token and userinfo."""
    flow.authorize(scope="openid profile")
    tokens = flow.tokens(flow.sign_in(remember=True))
    assert flow.userinfo(tokens["access_token"]).status_code == 200
    return tokens


def person_id(ctx, national_id: str = CITIZEN["national_id"]) -> int:
    return ctx.execute(db.select(Person.id).filter_by(national_id=national_id)).scalar_one()


def test_account_without_a_session_offers_to_log_in(browser, ctx):
    response = browser.get("/account/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'action="/account/login"' in html
    assert "Identify yourself</button>" in html
    assert "Data released about you" not in html
    assert ctx.execute(db.select(Interaction)).first() is None  # looking stores nothing


def test_account_login_is_an_interaction_of_kind_account(browser, ctx):
    page = browser.get("/account/")
    response = browser.post(
        "/account/login", data={"csrf_token": csrf_token(page.get_data(as_text=True))}
    )
    ia = ctx.execute(db.select(Interaction)).scalar_one()
    assert response.headers["Location"] == f"/interaction/{ia.uid}"
    assert (ia.kind, ia.client_id) == ("account", None)
    choice = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Identify yourself to see your data." in choice


def test_account_login_without_csrf_is_refused(browser, ctx):
    assert browser.post("/account/login").status_code == 400
    assert ctx.execute(db.select(Interaction)).first() is None


def test_after_logging_in_the_page_lists_consents_and_releases_in_plain_words(released, clean):
    html = account_login(clean.test_client())  # another browser, the same citizen
    assert "You are identified as Aino Virtanen." in html
    consents = html.split('id="consents"')[1].split('id="releases"')[0]
    assert "Tax Administration" in consents
    for words in ("Your first names", "Your family name", "Your full name", "Your date of birth"):
        assert words in consents
    assert "Withdraw" in consents
    releases = html.split('id="releases"')[1]
    assert releases.count("<td>Tax Administration</td>") == 2  # id_token and userinfo
    assert "Your first names" in releases
    assert "<td>Development login (tests only)</td>" in releases  # the method, by its name
    assert "<td>substantial</td>" in releases  # the assurance, in words
    assert "The log is intact: all 2 entries verify." in html


def test_an_account_with_nothing_released_says_so(browser):
    html = account_login(browser)
    assert "You have no remembered permissions." in html
    assert "No data has been released yet." in html
    assert "The log is empty and intact." in html


def test_revoking_a_consent_revokes_the_services_tokens_and_removes_it(flow, released, clean, ctx):
    library = register(
        clean,
        client_id="library",
        name="City Library",
        redirect_uris=["https://library.example/cb"],
    )
    other = Flow(flow.browser, library)
    other.authorize()
    library_tokens = other.tokens(other.sign_in(remember=True))

    page = flow.browser.get("/account/").get_data(as_text=True)
    grant = ctx.execute(db.select(ConsentGrant).filter_by(client_id="tax")).scalar_one()
    response = flow.browser.post(
        f"/account/consents/{grant.id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/"

    assert flow.userinfo(released["access_token"]).status_code == 401
    refresh = flow.browser.post(
        "/token",
        data={"grant_type": "refresh_token", "refresh_token": released["refresh_token"]},
        auth=flow.rp.auth,
    )
    assert refresh.status_code == 400
    assert refresh.get_json()["error"] == "invalid_grant"
    html = flow.browser.get("/account/").get_data(as_text=True)
    consents = html.split('id="consents"')[1].split('id="releases"')[0]
    assert "Tax Administration" not in consents
    assert "City Library" in consents
    # The other service's tokens are untouched.
    assert other.userinfo(library_tokens["access_token"]).status_code == 200
    ctx.expire_all()
    assert ctx.get(ConsentGrant, grant.id).revoked_at is not None
    tokens = {t.client_id: t.revoked_at for t in ctx.execute(db.select(Token)).scalars()}
    assert tokens["tax"] is not None and tokens["library"] is None
    # And the next login to the tax service asks for consent again.
    flow.authorize(scope="openid profile")
    assert flow.resume().headers["Location"].endswith("/consent")


def test_revoking_someone_elses_consent_is_404_and_changes_nothing(released, clean, ctx):
    victim = ctx.execute(db.select(ConsentGrant)).scalar_one()
    intruder = clean.test_client()
    html = account_login(intruder, **OTHER_CITIZEN)
    for grant_id in (victim.id, victim.id + 1000):
        response = intruder.post(
            f"/account/consents/{grant_id}/revoke", data={"csrf_token": csrf_token(html)}
        )
        assert response.status_code == 404
        assert "<code>no_such_consent</code>" in response.get_data(as_text=True)
    ctx.expire_all()
    assert ctx.get(ConsentGrant, victim.id).revoked_at is None
    assert ctx.execute(db.select(Token).filter(Token.revoked_at.is_not(None))).first() is None


def test_revoking_without_a_session_or_without_csrf_is_refused(flow, released, clean, ctx):
    grant = ctx.execute(db.select(ConsentGrant)).scalar_one()
    assert flow.browser.post(f"/account/consents/{grant.id}/revoke").status_code == 400  # CSRF
    stranger = clean.test_client()
    page = stranger.get("/account/").get_data(as_text=True)
    response = stranger.post(
        f"/account/consents/{grant.id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 401
    ctx.expire_all()
    assert ctx.get(ConsentGrant, grant.id).revoked_at is None


def tamper_claims(ctx, entry):
    entry.claims = [*entry.claims, "urn:oid:1.2.246.21"]


def tamper_name(ctx, entry):
    entry.client_name = "Someone Else"


def tamper_acr(ctx, entry):
    entry.acr = "http://ftn.ficora.fi/2017/loa3"


def tamper_delete(ctx, entry):
    ctx.delete(entry)


@pytest.mark.parametrize(
    ("seq", "tamper", "broken_at"),
    [
        (1, tamper_claims, 1),
        (2, tamper_claims, 2),
        (1, tamper_name, 1),
        (2, tamper_acr, 2),
        (1, tamper_delete, 2),  # the gap shows at the next entry
    ],
    ids=["claims-1", "claims-2", "client-name", "acr", "deleted"],
)
def test_a_tampered_release_log_is_reported(flow, released, ctx, seq, tamper, broken_at):
    pid = person_id(ctx)
    assert release_log.verify(pid).ok
    entry = ctx.execute(db.select(ReleaseLogEntry).filter_by(person_id=pid, seq=seq)).scalar_one()
    tamper(ctx, entry)
    ctx.commit()

    status = release_log.verify(pid)
    assert status.ok is False
    assert status.broken_at == broken_at
    html = flow.browser.get("/account/").get_data(as_text=True)
    assert f"Warning: the log has been altered at entry {broken_at}." in html
    assert "The log is intact" not in html


@pytest.fixture
def silta(clean, database, monkeypatch):
    """Invoke the `silta` command on the test database, configured as an operator would."""
    env = {f"SILTA_{k}": v for k, v in TEST_SECRETS.items()}
    env.update(SILTA_TESTING="1", SILTA_DATABASE_URL=database)
    apps = []

    def create_app(config=None):
        app = real_create_app(config)
        apps.append(app)
        return app

    real_create_app = idp.create_app
    monkeypatch.setattr(idp, "create_app", create_app)

    def invoke(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    yield invoke
    for app in apps:  # close the command's pooled connections before the interpreter does
        with app.app_context():
            db.engine.dispose()


def test_audit_verify_exits_0_on_intact_chains(silta, released, clean):
    account_login(clean.test_client(), **OTHER_CITIZEN)  # a person without releases
    result = silta("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "1 chains, 2 entries, 0 broken." in result.output


def test_audit_verify_exits_1_and_names_the_broken_chain(silta, released, ctx):
    pid = person_id(ctx)
    entry = ctx.execute(db.select(ReleaseLogEntry).filter_by(person_id=pid, seq=2)).scalar_one()
    tamper_claims(ctx, entry)
    ctx.commit()
    result = silta("audit", "verify")
    assert result.exit_code == 1
    assert f"person {pid}: chain broken at entry 2" in result.output
    assert "1 chains, 2 entries, 1 broken." in result.output


def test_a_second_service_extends_the_same_chain(flow, released, clean, ctx):
    library = register(
        clean,
        client_id="library",
        name="City Library",
        redirect_uris=["https://library.example/cb"],
    )
    other = Flow(flow.browser, library)
    other.authorize()
    other.tokens(other.sign_in())
    pid = person_id(ctx)
    entries = ctx.execute(
        db.select(ReleaseLogEntry).filter_by(person_id=pid).order_by(ReleaseLogEntry.seq)
    ).scalars()
    assert [(e.seq, e.client_name) for e in entries] == [
        (1, "Tax Administration"),
        (2, "Tax Administration"),
        (3, "City Library"),
    ]
    assert release_log.verify(pid).ok
