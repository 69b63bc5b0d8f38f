"""The rules a client registration must meet: ordered, named checks (STYLE rule 6).

Each check is a small pure function of the registration as given: it answers the sentence that
tells an operator what to change, or None when the registration meets it. The order is the rule
book: a check may rely on every check before it (a list is a list of strings before its entries
are read as URIs), and ``first_failure`` names the first that fails. Tested by a table in
tests/unit/test_clients.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import assurance
from ..oidc.claims import CLAIMS_SUPPORTED
from ..oidc.claims import NATIONAL_ID
from ..oidc.claims import SCOPES_SUPPORTED
from ..oidc.client_keys import CONTENT_ENCRYPTIONS
from ..oidc.client_keys import KEY_TYPES
from .reading import AUTH_METHODS
from .reading import CLIENT_ID
from .reading import FLAGS
from .reading import GRANT_TYPES
from .reading import MAX_NAME
from .reading import REGISTRATION_FIELDS
from .reading import SECRET_METHODS
from .reading import SIGNING_ALGS
from .reading import Data
from .reading import claims
from .reading import first
from .reading import has_key
from .reading import hosts
from .reading import id_token_enc
from .reading import keys_required
from .reading import method
from .reading import public_jwks_problem
from .reading import redirect_uris
from .reading import scopes
from .reading import strings_problem
from .reading import uri_problem
from .reading import userinfo_enc

ALGS, ENCS = ", ".join(KEY_TYPES), ", ".join(CONTENT_ENCRYPTIONS)


@dataclass(frozen=True)
class Check:
    name: str
    problem: Callable[[Data], str | None]  # the sentence naming what to change, or None


def rule(name: str, broken: Callable[[Data], object], message: str) -> Check:
    """A check with one sentence: ``message`` when ``broken(data)`` is true."""
    return Check(name, lambda data: message if broken(data) else None)


def _keys(data: Data) -> str | None:
    """Keys where the client signs with one or receives encrypted answers; none elsewhere."""
    jwks, jwks_uri = data.get("jwks"), data.get("jwks_uri")
    allowed = keys_required(data) or data.get("require_signed_request_object")
    if keys_required(data) or (allowed and (jwks or jwks_uri)):
        if bool(jwks) == bool(jwks_uri):
            return (
                "private_key_jwt, encrypted ID tokens and signed request objects need exactly one "
                "of jwks or jwks_uri."
            )
        return public_jwks_problem(jwks) if jwks is not None else uri_problem(jwks_uri, "jwks_uri")
    if jwks or jwks_uri:
        return (
            "jwks and jwks_uri are for private_key_jwt clients and for clients "
            "that receive encrypted ID tokens."
        )
    return None


def _encryption_key(data: Data) -> str | None:
    alg, jwks = data.get("id_token_encrypted_response_alg"), data.get("jwks")
    if not (alg and jwks) or has_key(jwks, KEY_TYPES[alg]):
        return None
    return f'jwks holds no {KEY_TYPES[alg]} key for {alg} (use "enc" or no use).'


def _secret_fits(data: Data) -> bool:
    secret = data.get("client_secret")
    return secret is None or (
        method(data) in SECRET_METHODS and isinstance(secret, str) and len(secret) >= 32
    )


def _grant_types(data: Data) -> Any:
    return data.get("grant_types", list(GRANT_TYPES))


CHECKS: tuple[Check, ...] = (
    Check(
        "known_settings",
        lambda d: first(
            f"Unknown client setting {key!r}."
            for key in sorted(set(d) - {*REGISTRATION_FIELDS, "client_secret"})
        ),
    ),
    rule(
        "client_id",
        lambda d: not (isinstance(d.get("client_id"), str) and CLIENT_ID.match(d["client_id"])),
        "client_id must be 3–100 characters of letters, digits, '.', '_' or '-'.",
    ),
    rule(
        "name",  # FTN: it travels to the banks as ftn_spname
        lambda d: not (isinstance(d.get("name"), str) and 1 <= len(d["name"].strip()) <= MAX_NAME),
        f"name must be 1–{MAX_NAME} characters: banks show it to the citizen.",
    ),
    Check("redirect_uris_listed", lambda d: strings_problem("redirect_uris", redirect_uris(d))),
    # RFC 9700 §4.1.3: exact, absolute URIs; plain http only on loopback (RFC 8252 §7.3).
    Check(
        "redirect_uris", lambda d: first(uri_problem(u, "redirect URI") for u in redirect_uris(d))
    ),
    rule(
        "redirect_uri_given",
        lambda d: not redirect_uris(d),
        "At least one redirect URI is required.",
    ),
    Check(
        "post_logout_redirect_uris",  # RP-Initiated Logout 1.0 §3.1
        lambda d: (
            strings_problem("post_logout_redirect_uris", d.get("post_logout_redirect_uris", []))
            or first(
                uri_problem(u, "post-logout redirect URI")
                for u in d.get("post_logout_redirect_uris", [])
            )
        ),
    ),
    Check(
        "backchannel_logout_uri",  # Back-Channel Logout 1.0 §2.2
        lambda d: (
            None
            if d.get("backchannel_logout_uri") is None
            else uri_problem(d["backchannel_logout_uri"], "backchannel_logout_uri")
        ),
    ),
    rule(
        "token_endpoint_auth_method",
        lambda d: method(d) not in AUTH_METHODS,
        f"token_endpoint_auth_method must be one of {', '.join(AUTH_METHODS)}.",
    ),
    # OIDC Registration §2: a userinfo answer signed (RS256, ES256), and then maybe encrypted.
    rule(
        "userinfo_signed_response_alg",
        lambda d: d.get("userinfo_signed_response_alg") not in (None, *SIGNING_ALGS),
        "userinfo_signed_response_alg must be RS256 or ES256.",
    ),
    rule(
        "userinfo_encrypted_response_alg",
        lambda d: (
            d.get("userinfo_encrypted_response_alg") is not None
            and (
                d.get("userinfo_signed_response_alg") is None
                or d["userinfo_encrypted_response_alg"] not in KEY_TYPES
            )
        ),
        f"userinfo_encrypted_response_alg needs a signed userinfo and one of {ALGS}.",
    ),
    rule(
        "userinfo_encrypted_response_enc",
        lambda d: (
            userinfo_enc(d) is not None
            and (
                d.get("userinfo_encrypted_response_alg") is None
                or userinfo_enc(d) not in CONTENT_ENCRYPTIONS
            )
        ),
        f"userinfo_encrypted_response_enc must be one of {ENCS}"
        " with userinfo_encrypted_response_alg.",
    ),
    rule(
        "id_token_encrypted_response_enc_needs_alg",
        lambda d: d.get("id_token_encrypted_response_alg") is None and id_token_enc(d) is not None,
        "id_token_encrypted_response_enc needs id_token_encrypted_response_alg.",
    ),
    rule(
        "id_token_encrypted_response_alg",
        lambda d: d.get("id_token_encrypted_response_alg") not in (None, *KEY_TYPES),
        f"id_token_encrypted_response_alg must be one of {ALGS}.",
    ),
    rule(
        "id_token_encrypted_response_enc",
        lambda d: id_token_enc(d) not in (None, *CONTENT_ENCRYPTIONS),
        f"id_token_encrypted_response_enc must be one of {ENCS}.",
    ),
    Check(
        "flags",
        lambda d: first(
            f"{flag} must be true or false."
            for flag in FLAGS
            if not isinstance(d.get(flag, False), bool)
        ),
    ),
    Check("keys", _keys),
    Check("encryption_key", _encryption_key),
    rule(
        "sector_identifier",  # OIDC Core §8.1: pairwise subjects of several hosts need one sector
        lambda d: not d.get("sector_identifier") and len(hosts(d)) > 1,
        "Redirect URIs on several hosts need a sector_identifier.",
    ),
    rule(
        "subject_type",
        lambda d: d.get("subject_type", "pairwise") not in ("pairwise", "public"),
        "subject_type must be pairwise or public.",
    ),
    Check("allowed_scopes_listed", lambda d: strings_problem("allowed_scopes", scopes(d))),
    rule(
        "allowed_scopes",
        lambda d: "openid" not in scopes(d) or set(scopes(d)) - set(SCOPES_SUPPORTED),
        f"allowed_scopes must include openid and be among {SCOPES_SUPPORTED}.",
    ),
    Check(
        "allowed_claims",
        lambda d: (
            strings_problem("allowed_claims", claims(d))
            or first(
                f"Unknown claim in allowed_claims: {claim}."
                for claim in sorted(set(claims(d)) - set(CLAIMS_SUPPORTED))
            )
        ),
    ),
    rule(
        "national_id_entitled",
        lambda d: not isinstance(d.get("national_id_entitled", False), bool),
        "national_id_entitled must be true or false.",
    ),
    rule(
        "public_client_not_entitled",
        lambda d: d.get("national_id_entitled", False) and method(d) == "none",
        "A public client (token_endpoint_auth_method none) cannot be entitled "
        "to the national identity number: it cannot authenticate itself.",
    ),
    rule(
        "national_id_needs_entitlement",
        lambda d: NATIONAL_ID in claims(d) and not d.get("national_id_entitled", False),
        "Only a client entitled to the national identity number may be "
        "allowed its claim: set national_id_entitled = true.",
    ),
    rule(
        "id_token_signed_response_alg",
        lambda d: d.get("id_token_signed_response_alg", "RS256") not in SIGNING_ALGS,
        "id_token_signed_response_alg must be RS256 or ES256.",
    ),
    rule(
        "required_acr",
        lambda d: d.get("required_acr") not in (None, *assurance.LEVELS),
        f"required_acr must be one of {', '.join(assurance.LEVELS)}.",
    ),
    rule(
        "client_secret",  # RFC 7518 §3.2: an HMAC key of 256 bits at least
        lambda d: not _secret_fits(d),
        "client_secret must be a string of at least 32 characters, and only "
        "for client_secret_basic, client_secret_post or client_secret_jwt.",
    ),
    Check("grant_types_listed", lambda d: strings_problem("grant_types", _grant_types(d))),
    rule(
        "grant_types",
        lambda d: (
            "authorization_code" not in _grant_types(d) or set(_grant_types(d)) - set(GRANT_TYPES)
        ),
        "grant_types must include authorization_code and may add refresh_token.",
    ),
)


def first_failure(data: Data) -> tuple[Check, str] | None:
    """The first check the registration fails, with its sentence; None when it meets all."""
    for check in CHECKS:
        message = check.problem(data)
        if message is not None:
            return check, message
    return None
