"""A minimal service that lets citizens log in with Silta (docs/relying-party-guide.md)."""

import os
import secrets

from authlib.integrations.flask_client import OAuth
from authlib.integrations.flask_client import OAuthError
from flask import Flask
from flask import abort
from flask import redirect
from flask import request
from flask import session
from markupsafe import escape

BROKER = os.environ.get("BROKER_URL", "http://127.0.0.1:8400")
HERE = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")  # this service's own origin
# The levels this service accepts: substantial (bank) or high (ID card), FTN vocabulary.
ACCEPTED_ACR = ["http://ftn.ficora.fi/2017/loa2", "http://ftn.ficora.fi/2017/loa3"]

app = Flask(__name__)
app.secret_key = os.environ["SERVICE_SECRET_KEY"]  # signs this service's own session cookie
# Browsers ignore ports in cookies: on 127.0.0.1 this service shares a cookie jar with the
# broker, so its cookie needs a name of its own. Lax still sends it on the way back from the
# broker (a top-level GET). Behind https, also set SESSION_COOKIE_SECURE=True.
app.config.update(SESSION_COOKIE_NAME="minimal_service", SESSION_COOKIE_SAMESITE="Lax")

oauth = OAuth(app)
oauth.register(
    "silta",
    client_id=os.environ["CLIENT_ID"],
    client_secret=os.environ["CLIENT_SECRET"],
    server_metadata_url=f"{BROKER}/.well-known/openid-configuration",
    client_kwargs={
        "scope": "openid profile age",
        "code_challenge_method": "S256",  # PKCE: Authlib makes and keeps the verifier
        "token_endpoint_auth_method": "client_secret_basic",
    },
)


def page(body: str) -> str:
    """A whole HTML page around a body whose values are already escaped."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Minimal service</title></head><body><main>{body}</main></body></html>"
    )


def csrf_token() -> str:
    """This browser's token for the service's own forms."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@app.get("/")
def home():
    user = session.get("user")
    if user is None:
        return page('<h1>Minimal service</h1><p><a href="/login">Log in with Silta</a></p>')
    return page(
        f"<h1>Hello {escape(user.get('given_name', ''))}</h1>"
        f"<p>Adult: {escape(user.get('age_over_18'))}. Assurance: {escape(user['acr'])}.</p>"
        f"<p>Your identifier at this service: {escape(user['sub'])}</p>"
        '<form method="post" action="/logout">'
        f'<input type="hidden" name="csrf" value="{csrf_token()}">'
        "<button>Log out</button></form>"
    )


@app.get("/login")
def login():
    # Authlib creates state, nonce and the PKCE pair and keeps them in the session.
    return oauth.silta.authorize_redirect(f"{HERE}/callback", acr_values=ACCEPTED_ACR[0])


@app.get("/callback")
def callback():
    issuer = oauth.silta.load_server_metadata()["issuer"]
    # RFC 9207 §2.4: the answer must come from the broker the citizen was sent to.
    if request.args.get("iss") != issuer:
        abort(400)
    try:
        # Checks state, redeems the code with the PKCE verifier, then validates the ID token:
        # signature (JWKS), iss, aud, exp, iat, nonce, at_hash, and the level reached.
        token = oauth.silta.authorize_access_token(
            claims_options={"iss": {"value": issuer}, "acr": {"values": ACCEPTED_ACR}}
        )
    except OAuthError as error:  # e.g. access_denied when the citizen declined
        return page(f"<p>Login did not complete: {escape(error.error)}.</p>"), 400
    session["user"] = dict(token["userinfo"])  # the ID token's claims
    session["id_token"] = token["id_token"]  # kept for logout
    return redirect("/")


@app.post("/logout")
def logout():
    expected = session.get("csrf")
    if not expected or not secrets.compare_digest(request.form.get("csrf", ""), expected):
        abort(400)
    id_token = session.get("id_token")
    session.clear()
    # OIDC RP-Initiated Logout 1.0 §2: end the broker session too, then come back here.
    return oauth.silta.logout_redirect(f"{HERE}/logged-out", id_token_hint=id_token)


@app.get("/logged-out")
def logged_out():
    try:
        oauth.silta.validate_logout_response()  # checks the state the broker echoes
    except OAuthError:
        abort(400)
    return page('<p>You have logged out.</p><p><a href="/">Home</a></p>')
