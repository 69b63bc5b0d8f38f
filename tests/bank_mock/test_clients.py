"""Registered brokers: exact redirect URIs and public RSA keys of 2048 bits or more."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import ECKey
from joserfc.jwk import RSAKey

from bank_mock.clients import load_clients
from bank_mock.clients import parse_client
from bank_mock.config import ConfigError

from .support import CLIENT_ID
from .support import REDIRECT_URI


def entry(keys, **changes) -> dict:
    data = keys.client_entry()
    data.update(changes)
    return data


def test_a_registration_from_toml_with_a_jwks_file(tmp_path, broker_keys):
    (tmp_path / "broker.jwks.json").write_text(json.dumps(broker_keys.public_jwks()))
    clients_file = tmp_path / "clients.toml"
    clients_file.write_text(
        f'[[clients]]\nclient_id = "{CLIENT_ID}"\nredirect_uris = ["{REDIRECT_URI}"]\n'
        'jwks_file = "broker.jwks.json"\n'
    )
    client = load_clients(str(clients_file), None)[CLIENT_ID]
    assert client.check_redirect_uri(REDIRECT_URI)
    assert not client.check_redirect_uri(REDIRECT_URI + "/")
    assert not client.check_redirect_uri(REDIRECT_URI.upper())
    assert client.sig_key.kid == broker_keys.sig.kid
    assert client.enc_key.kid == broker_keys.enc.kid
    assert client.check_endpoint_auth_method("private_key_jwt", "token")
    assert not client.check_endpoint_auth_method("client_secret_basic", "token")


def small_key(use: str) -> dict:
    """A 1024-bit public JWK, built without joserfc (which warns about such keys)."""
    numbers = rsa.generate_private_key(65537, 1024).public_key().public_numbers()
    return {"kty": "RSA", "use": use, "n": b64(numbers.n), "e": b64(numbers.e)}


def b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public(key: RSAKey) -> dict:
    return key.as_dict(private=False)


@pytest.mark.parametrize(
    ("make_jwks", "message"),
    [
        (lambda k: {"keys": [public(k.sig)]}, "use 'enc'"),
        (lambda k: {"keys": [public(k.enc)]}, "use 'sig'"),
        (lambda k: {"keys": [small_key("sig"), public(k.enc)]}, "at least 2048"),
        (lambda k: {"keys": [public(k.sig), small_key("enc")]}, "at least 2048"),
        (lambda k: {"keys": [k.sig.as_dict(private=True), public(k.enc)]}, "private parts"),
        (
            lambda k: {
                "keys": [
                    ECKey.generate_key("P-256", parameters={"use": "sig"}).as_dict(private=False),
                    public(k.enc),
                ]
            },
            "RSA",
        ),
        (lambda k: {"keys": [public(k.sig), public(k.sig), public(k.enc)]}, "exactly one"),
        (lambda k: "not a key set", "JSON Web Key Set"),
    ],
)
def test_keys_other_than_two_public_rsa_2048_are_refused(broker_keys, make_jwks, message):
    with pytest.raises(ConfigError, match=message):
        parse_client(entry(broker_keys, jwks=make_jwks(broker_keys)), base=None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_id": ""}, "client_id"),
        ({"redirect_uris": []}, "redirect_uris"),
        ({"jwks_file": "x.json"}, "exactly one of jwks or jwks_file"),
    ],
)
def test_incomplete_registrations_are_refused(broker_keys, changes, message, tmp_path):
    with pytest.raises(ConfigError, match=message):
        parse_client(entry(broker_keys, **changes), base=tmp_path)


def test_a_client_registered_twice_is_refused(broker_keys):
    with pytest.raises(ConfigError, match="twice"):
        load_clients("", [entry(broker_keys), entry(broker_keys)])
