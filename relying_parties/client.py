"""The service's OpenID Connect client: Authlib's Flask client, bound to one service.

Authlib does discovery, `state`, `nonce`, PKCE S256, the token request and client
authentication (``client_secret_basic``, or RFC 7523 ``private_key_jwt`` signed with the `sig`
key). What Authlib's client lacks is added here and beside it: the discovery issuer check,
a rate-limited JWKS refetch, request objects and PAR (request_objects.py), encrypted ID tokens
and the full ID-token checks (tokens.py).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.flask_client import OAuth
from authlib.integrations.requests_client.oauth2_session import OAuth2ClientAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from flask import Flask
from flask import current_app
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from requests import RequestException

from . import credentials
from .credentials import ServiceKeys
from .services import Service

CLIENT_NAME = "silta"
JWKS_REFETCH_SECONDS = 30  # a token naming an unknown `kid` refetches at most this often


class BrokerUnavailable(RuntimeError):
    """The broker's discovery document or JWKS cannot be had, or names another issuer."""


class BrokerKeys:
    """The broker's JWKS, through Authlib's cache; fetched again on a new `kid`, rate-limited."""

    def __init__(self, client: SiltaClient):
        self.client = client
        self._lock = threading.Lock()
        self._parsed: tuple[int, KeySet] | None = None
        self._refetched_at = float("-inf")

    def key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            force = refresh and time.monotonic() - self._refetched_at >= JWKS_REFETCH_SECONDS
            if force:
                self._refetched_at = time.monotonic()
            try:
                document = self.client.fetch_jwk_set(force=force)
                if self._parsed is None or self._parsed[0] != id(document):
                    self._parsed = (id(document), KeySet.import_key_set(document))
            except (RequestException, ValueError, TypeError, KeyError, JoseError) as error:
                raise BrokerUnavailable(f"the broker's JWKS is unusable: {error}") from None
            return self._parsed[1]


class SiltaClient(FlaskOAuth2App):
    """Authlib's Flask OAuth 2.0 app, with the service's profile and keys."""

    service: Service
    keys: ServiceKeys | None
    broker_keys: BrokerKeys
    issuer: str

    def load_server_metadata(self) -> dict:
        try:
            metadata = super().load_server_metadata()
        except (RequestException, ValueError) as error:
            raise BrokerUnavailable(f"discovery failed: {error.__class__.__name__}") from None
        if metadata.get("issuer") != self.issuer:  # OIDC Discovery 1.0 §4.3
            self.server_metadata.pop("_loaded_at", None)
            raise BrokerUnavailable("the discovery document names another issuer")
        return metadata

    def client_auth(self) -> OAuth2ClientAuth:
        """How this service authenticates at the broker's /token and /par (RFC 9126 §2)."""
        method = self.service.token_endpoint_auth_method
        auth = private_key_jwt(self.keys) if method == "private_key_jwt" else method
        return OAuth2ClientAuth(self.client_id, self.client_secret, auth)


def private_key_jwt(keys: ServiceKeys) -> PrivateKeyJWT:
    """RFC 7523 §2.2 and §3: iss = sub = client_id, aud = the endpoint called, fresh jti, exp."""
    return PrivateKeyJWT(alg="RS256", headers={"kid": keys.sig.kid})


class SiltaOAuth(OAuth):
    oauth2_client_cls = SiltaClient


def init_app(app: Flask, service: Service) -> SiltaClient:
    """Register the broker as this app's one OAuth client; credentials must already exist."""
    instance = Path(app.instance_path)
    create = bool(app.config["DEBUG"] or app.config["TESTING"])
    keys = credentials.load_keys(instance, create) if service.uses_keys else None
    if service.token_endpoint_auth_method == "private_key_jwt":
        secret, methods = keys.sig, [private_key_jwt(keys)]
    else:
        secret, methods = credentials.load_secret(instance, create), None
    broker = app.config["BROKER_URL"]
    oauth = SiltaOAuth(app)
    client: SiltaClient = oauth.register(
        CLIENT_NAME,
        client_id=service.client_id,
        client_secret=secret,
        server_metadata_url=f"{broker}/.well-known/openid-configuration",
        client_auth_methods=methods,
        client_kwargs={
            "scope": " ".join(service.scope),
            "code_challenge_method": "S256",  # PKCE (RFC 7636) on every request
            "token_endpoint_auth_method": service.token_endpoint_auth_method,
            "default_timeout": app.config["HTTP_TIMEOUT"],
        },
    )
    client.service, client.keys, client.issuer = service, keys, broker
    client.broker_keys = BrokerKeys(client)
    app.extensions["rp.client"] = client
    return client


def broker_client() -> SiltaClient:
    """This app's client of the broker."""
    return current_app.extensions["rp.client"]
