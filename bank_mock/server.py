"""Authlib's authorization server, bound to the bank's clients and issuer."""

from __future__ import annotations

from authlib.integrations.flask_oauth2 import AuthorizationServer as _FlaskAuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc9207 import IssuerParameter
from flask import current_app

from . import clients
from .models import LoginTransaction


class StoredRequest(OAuth2Request):
    """A login transaction's request, answered when the citizen finishes the screens.

    Its parameters are the claims of a request object verified when the transaction was stored,
    so the request-object extension does not look for a ``request`` parameter again.
    """

    verified = True

    def __init__(self, transaction: LoginTransaction):
        super().__init__("GET", current_app.config["ISSUER"] + "/authorize", headers={})
        self.transaction = transaction
        self.payload = BasicOAuth2Payload(dict(transaction.params))

    @property
    def args(self) -> dict:
        return self.payload.data

    @property
    def form(self) -> dict:
        return {}


class AuthorizationServer(_FlaskAuthorizationServer):
    """Authlib's Flask server, answering stored requests and finding the bank's clients."""

    def create_oauth2_request(self, request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request  # a StoredRequest, answered after the screens
        return super().create_oauth2_request(request)

    def query_client(self, client_id: str) -> clients.Client | None:
        return clients.query_client(client_id)

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        """Keep nothing: no endpoint of the bank accepts its access tokens (no userinfo)."""


class Issuer(IssuerParameter):
    """RFC 9207 §2: every authorization response, errors included, names the bank as `iss`."""

    def get_issuer(self) -> str:
        return current_app.config["ISSUER"]

    def add_to(self, response):
        self.add_issuer_parameter(None, response)
        return response


authorization_server = AuthorizationServer()
issuer_parameter = Issuer()
