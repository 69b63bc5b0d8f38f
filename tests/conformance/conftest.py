"""Clients the conformance modules log in with, beside the root fixtures' `rp` and `flow`."""

from __future__ import annotations

import pytest

from tests.conftest import register

from .fapi import SIG
from .fapi import FapiFlow
from .fapi import public_jwks

FAPI_REDIRECT_URI = "https://fapi.example/cb"


def key_client(browser, app, client_id: str, name: str, redirect_uri: str, **options) -> FapiFlow:
    """A private_key_jwt client with the test signing key, and the flow that drives it."""
    rp = register(
        app,
        client_id=client_id,
        name=name,
        redirect_uris=[redirect_uri],
        token_endpoint_auth_method="private_key_jwt",
        jwks=public_jwks(SIG),
        **options,
    )
    return FapiFlow(browser, rp)


@pytest.fixture
def fapi(browser, app) -> FapiFlow:
    """FAPI 2.0 Security Profile: private_key_jwt and pushed requests only (§5.3.2)."""
    return key_client(
        browser,
        app,
        "fapi",
        "FAPI Service",
        FAPI_REDIRECT_URI,
        require_pushed_authorization_requests=True,
    )


@pytest.fixture
def jar(browser, app) -> FapiFlow:
    """FAPI 2.0 Message Signing: as `fapi`, and every request a signed object (RFC 9101)."""
    return key_client(
        browser,
        app,
        "fapi-jar",
        "FAPI Signing Service",
        FAPI_REDIRECT_URI,
        require_pushed_authorization_requests=True,
        require_signed_request_object=True,
    )


@pytest.fixture
def signer(browser, app) -> FapiFlow:
    """A private_key_jwt client that may, but need not, sign or push its requests."""
    return key_client(browser, app, "signer", "Signing Service", "https://signer.example/cb")


@pytest.fixture
def dpop_fapi(browser, app) -> FapiFlow:
    """FAPI 2.0 with DPoP sender-constraining (§5.3.2.2 item 5, RFC 9449 §5.2)."""
    return key_client(
        browser,
        app,
        "fapi-dpop",
        "FAPI DPoP Service",
        FAPI_REDIRECT_URI,
        require_pushed_authorization_requests=True,
        dpop_bound_access_tokens=True,
    )
