"""OpenID Provider metadata (OIDC Discovery 1.0 §3): exactly what is supported, no more."""

from __future__ import annotations

from flask import current_app

from .. import assurance
from . import claims
from . import client_keys
from . import dpop
from . import keys
from . import requests as request_objects
from .client_auth import ASSERTION_ALGORITHMS
from .grants import TOKEN_AUTH_METHODS


def metadata() -> dict:
    issuer = current_app.config["ISSUER"]
    return {
        "issuer": issuer,
        "authorization_endpoint": issuer + "/authorize",
        "token_endpoint": issuer + "/token",
        "userinfo_endpoint": issuer + "/userinfo",
        "jwks_uri": issuer + "/jwks.json",
        "signed_jwks_uri": issuer + "/jwks.jwt",  # OpenID Federation 1.0 §5.2.1
        "revocation_endpoint": issuer + "/revoke",
        "end_session_endpoint": issuer + "/logout",
        "scopes_supported": claims.SCOPES_SUPPORTED,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["pairwise", "public"],
        "id_token_signing_alg_values_supported": list(keys.SIGNING_ALGS),
        "id_token_encryption_alg_values_supported": list(client_keys.KEY_TYPES),
        "id_token_encryption_enc_values_supported": list(client_keys.CONTENT_ENCRYPTIONS),
        "userinfo_signing_alg_values_supported": list(keys.SIGNING_ALGS),
        "userinfo_encryption_alg_values_supported": list(client_keys.KEY_TYPES),
        "userinfo_encryption_enc_values_supported": list(client_keys.CONTENT_ENCRYPTIONS),
        "token_endpoint_auth_methods_supported": TOKEN_AUTH_METHODS,
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "revocation_endpoint_auth_methods_supported": TOKEN_AUTH_METHODS,
        "revocation_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": assurance.ACR_VALUES_SUPPORTED,
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "acr",
            "amr",
            "sid",
            "at_hash",
            *claims.CLAIMS_SUPPORTED,
        ],
        "claims_parameter_supported": True,
        "request_parameter_supported": True,  # RFC 9101
        "request_object_signing_alg_values_supported": [
            *request_objects.ALGORITHMS,
            *request_objects.SECRET_ALGORITHMS,
        ],
        "request_uri_parameter_supported": False,  # no fetching of request URIs; PAR instead
        "pushed_authorization_request_endpoint": issuer + "/par",  # RFC 9126 §5
        "require_pushed_authorization_requests": False,  # per client instead
        "require_signed_request_object": False,
        "authorization_response_iss_parameter_supported": True,  # RFC 9207 §3
        "dpop_signing_alg_values_supported": list(dpop.ALGORITHMS),  # RFC 9449 §5.1
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,  # every logout token carries `sid`
        "ui_locales_supported": ["en", "fi", "ja"],
    }
