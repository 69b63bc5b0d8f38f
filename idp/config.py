"""Every setting of the broker, with its default and what it is for.

Load order (later wins): the defaults below → environment variables ``SILTA_<NAME>`` →
the mapping passed to ``create_app(config)`` (silta_common.settings). Outside debug and testing
the broker refuses to start while a required secret is missing, and says which one.
docs/configuration.md lists the same settings; a test keeps the two in step.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from silta_common.i18n import LOCALES as SUPPORTED_LOCALES
from silta_common.settings import ConfigError
from silta_common.settings import Setting
from silta_common.settings import Settings

ENV_PREFIX = "SILTA_"
__all__ = ["SETTINGS", "SUPPORTED_LOCALES", "ConfigError", "check", "load"]

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DEBUG",
        False,
        "Local demo mode: missing secrets are generated once and kept in the "
        "instance folder, cookies may travel over plain HTTP. Never in production.",
    ),
    Setting(
        "TESTING", False, "Set by the test suite only. Needed for the development authenticator."
    ),
    Setting(
        "ISSUER",
        "http://127.0.0.1:8400",
        "The broker's issuer identifier: the `iss` of every "
        "token and the base of every endpoint URL in discovery. No trailing slash.",
    ),
    Setting(
        "INSTANCE_PATH",
        "",
        "Folder for the embedded database and the demo secrets. Empty means `instance/` "
        "beside the code.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL of the database. Empty means embedded SQLite in the "
        "instance folder; production uses PostgreSQL, e.g. "
        "`postgresql+psycopg://silta@db/silta`.",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Signs the browser cookie that carries the CSRF token and language "
        "choice, and keys the DPoP nonces. Shared by every node.",
        secret=True,
    ),
    Setting(
        "PAIRWISE_SECRET",
        "",
        "HMAC-SHA-256 key for pairwise subject identifiers. Changing it "
        "changes every pairwise `sub`: keep it forever.",
        secret=True,
    ),
    Setting(
        "KEY_ENCRYPTION_KEY",
        "",
        "Encrypts the private parts of signing keys at rest "
        "(AES-256-GCM): 32 random bytes, URL-safe base64.",
        secret=True,
    ),
    Setting(
        "CLIENTS_FILE",
        "",
        "Optional TOML file of client registrations, imported (created or "
        "updated) when the broker starts with `silta`.",
    ),
    Setting("HOST", "127.0.0.1", "Address `silta` listens on."),
    Setting("PORT", 8400, "Port `silta` listens on."),
    # Production serving: `silta serve` (gunicorn, idp/ops/serving.py), health and metrics.
    Setting("SERVE_WORKERS", 2, "Worker processes of `silta serve` on this node."),
    Setting(
        "SERVE_WORKER_CLASS",
        "gthread",
        "gunicorn worker class of `silta serve`: `gthread` (threads, keep-alive), `sync` "
        "(one request at a time per process, no keep-alive) or `bjoern` (one request at a "
        "time per process, keep-alive, HTTP in C: the least CPU per request; behind a "
        "balancer only, see docs/operations.md).",
    ),
    Setting("SERVE_THREADS", 4, "Threads per worker under the `gthread` worker class."),
    Setting(
        "SERVE_TIMEOUT",
        30,
        "Seconds a worker may spend on one request before gunicorn restarts it. Keep it above "
        "UPSTREAM_TIMEOUT.",
    ),
    Setting(
        "SERVE_GRACEFUL_TIMEOUT",
        30,
        "Seconds a worker gets to finish its requests in flight on a stop or restart.",
    ),
    Setting("SERVE_KEEPALIVE", 5, "Seconds an idle keep-alive connection stays open (gthread)."),
    Setting(
        "NODE_NAME",
        "",
        "This node's name in access log lines. Empty means the machine's host name.",
    ),
    Setting(
        "TRUST_REQUEST_ID",
        False,
        "Reuse the incoming X-Request-Id header as the request id. Only behind a load balancer "
        "that always overwrites that header.",
    ),
    Setting("ACCESS_LOG", True, "Log one JSON line per request on the `silta.access` logger."),
    Setting(
        "METRICS_TOKEN",
        "",
        "Bearer token that `/metrics` requires (at least 32 characters). Empty: `/metrics` "
        "is not served.",
    ),
    Setting("CODE_LIFETIME", 60, "Seconds an authorization code stays redeemable (at most 60)."),
    Setting("ACCESS_TOKEN_LIFETIME", 600, "Seconds an access token is valid."),
    Setting("REFRESH_TOKEN_LIFETIME", 28800, "Seconds a refresh token is valid."),
    Setting(
        "REFRESH_REUSE_GRACE",
        10,
        "Seconds after a refresh during which the old refresh token is accepted once more, for "
        "a client that lost the response. Later reuse revokes the whole token family.",
    ),
    Setting(
        "KEY_PROMOTION_GRACE",
        3600,
        "Seconds a rotated-in signing key is published before it signs. Keep it above the JWKS "
        "cache time (300 s) plus KEY_RELOAD_SECONDS, so every client can know a key before use.",
    ),
    Setting(
        "KEY_RELOAD_SECONDS",
        30,
        "Seconds a node keeps its view of the key table; how soon a rotation reaches every node.",
    ),
    Setting(
        "CLIENT_RELOAD_SECONDS",
        5,
        "Seconds a node keeps a client registration it read; how soon a change made with "
        "`silta clients` (or on another node) reaches every node. 0 reads it on every request.",
    ),
    Setting("ID_TOKEN_LIFETIME", 600, "Seconds until an ID token's `exp`."),
    # DPoP (RFC 9449, idp/oidc/dpop.py): sender-constrained access tokens.
    Setting(
        "DPOP_PROOF_WINDOW",
        60,
        "Seconds a DPoP proof's `iat` may lie before or after the broker's clock (§11.1); its "
        "`jti` is remembered that long.",
    ),
    Setting(
        "DPOP_NONCE_REQUIRED",
        False,
        "Demand a broker-issued `DPoP-Nonce` in every DPoP proof at /token, /par and /userinfo "
        "(RFC 9449 §8, §9): a proof without one gets `use_dpop_nonce` and a fresh nonce.",
    ),
    Setting(
        "DPOP_NONCE_LIFETIME",
        300,
        "Seconds of each DPoP nonce window; a nonce is accepted in its window and the next one.",
    ),
    Setting(
        "INTERACTION_LIFETIME",
        900,
        "Seconds a citizen has to finish choosing a method, logging in and consenting.",
    ),
    Setting("SESSION_LIFETIME", 3600, "Seconds a login session lasts for single sign-on."),
    Setting("SESSION_COOKIE_SECURE", True, "Send cookies over HTTPS only. Forced off in debug."),
    Setting(
        "DEV_AUTHENTICATOR",
        False,
        "Enables the development authenticator. Refused unless "
        "TESTING is on: no demo or production path can reach it.",
    ),
    Setting(
        "BANKS_FILE",
        "",
        "TOML file of the banks the broker federates with (`[[banks]]`: id, name, issuer, "
        "client_id). Empty: no bank login.",
    ),
    Setting(
        "FEDERATION_KEYS_FILE",
        "",
        "Private JWKS of the broker's keys toward banks (one RSA `sig`, one RSA `enc`). Empty "
        "means `federation-keys.json` in the instance folder; `silta keys federation` writes it.",
    ),
    Setting(
        "UPSTREAM_TIMEOUT", 5.0, "Seconds any call to a bank may take before it counts as failed."
    ),
    Setting(
        "UPSTREAM_HEALTH_INTERVAL",
        5.0,
        "Seconds between checks of a bank that is marked unavailable or has not been asked lately.",
    ),
    # ID-card login (docs/methods.md#id-card-login): registered only when CARD_ISSUER_URL is set.
    Setting(
        "CARD_ISSUER_URL",
        "",
        "Base URL of the ID card's issuing authority (holder look-up API). Empty: no card login.",
    ),
    Setting(
        "CARD_READER_URL",
        "http://127.0.0.1:8421",
        "Origin of the citizen's card reader bridge (`scheme://host[:port]`, no path).",
    ),
    Setting(
        "CARD_TRUSTED_CA_FILE",
        "",
        "PEM file of the trusted card-issuing CA certificates (one or more). Required with "
        "CARD_ISSUER_URL.",
    ),
    Setting("CARD_VERIFIER_ID", "silta-broker", "The broker's verifier id at the card authority."),
    Setting(
        "CARD_VERIFIER_SECRET",
        "",
        "The broker's API key at the card authority. Required with CARD_ISSUER_URL.",
    ),
    Setting(
        "CARD_OCSP_URL",
        "",
        "OCSP responder to ask instead of the one in each certificate's AIA. Empty: the AIA's.",
    ),
    Setting("CARD_TIMEOUT", 5.0, "Seconds an OCSP request or a holder look-up may take."),
    Setting(
        "CARD_OCSP_MAX_AGE",
        120,
        "Seconds an OCSP answer's thisUpdate may lie in the past; an older answer is refused.",
    ),
    Setting(
        "CARD_OCSP_FAIL_OPEN",
        False,
        "Accept a card when the OCSP responder cannot be reached. Off: such logins are refused.",
    ),
    Setting(
        "CARD_CLOCK_SKEW", 60, "Seconds of clock difference allowed on certificate and OCSP times."
    ),
    Setting("CARD_CHALLENGE_LIFETIME", 300, "Seconds a card login challenge can be answered."),
    Setting("CARD_HEALTH_INTERVAL", 5.0, "Seconds between checks that the card authority answers."),
    # `silta card issue|list|revoke|reset-authorise` (idp/cli/card_api.py): the operator's
    # credentials at the card authority's operator API; only that command reads them.
    Setting("CARD_OPERATOR_ID", "silta-operator", "The operator's id at the card authority."),
    Setting(
        "CARD_OPERATOR_SECRET",
        "",
        "The operator's API key at the card authority. Needed by `silta card` only.",
    ),
    Setting(
        "DEFAULT_LOCALE",
        "en",
        "Language when neither `ui_locales` nor the browser names a supported one.",
    ),
)

WORKER_CLASSES = ("gthread", "sync", "bjoern")  # of `silta serve`; bjoern: idp/ops/workers.py
BROKER = Settings(
    SETTINGS,
    ENV_PREFIX,
    application="Silta",
    docs="docs/configuration.md",
    reserved=(ENV_PREFIX + "TEST_",),  # the test suite's own (SILTA_TEST_DATABASE_URL)
)


def load(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a plain dict, in the documented load order."""
    return BROKER.load(overrides, environ)


def check(values: dict[str, Any], instance_path: Path) -> None:
    """Fail fast on a configuration the broker must not run with; fill demo secrets in debug."""
    if values["DEV_AUTHENTICATOR"] and not values["TESTING"]:
        raise ConfigError(
            "Silta will not start: SILTA_DEV_AUTHENTICATOR is on but TESTING is off. "
            "The development authenticator exists for the test suite only."
        )
    if not 1 <= values["CODE_LIFETIME"] <= 60:
        raise ConfigError("SILTA_CODE_LIFETIME must be between 1 and 60 seconds.")
    if values["DPOP_PROOF_WINDOW"] < 1 or values["DPOP_NONCE_LIFETIME"] < 1:
        raise ConfigError("SILTA_DPOP_PROOF_WINDOW and SILTA_DPOP_NONCE_LIFETIME must be positive.")
    if values["ISSUER"].endswith("/"):
        raise ConfigError("SILTA_ISSUER must not end with a slash.")
    BROKER.check_secrets(values, instance_path)
    _check_serving(values)
    if values["DEFAULT_LOCALE"] not in SUPPORTED_LOCALES:
        raise ConfigError(f"SILTA_DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}.")
    if values["DEBUG"]:
        values["SESSION_COOKIE_SECURE"] = False


def _check_serving(values: dict[str, Any]) -> None:
    if values["SERVE_WORKER_CLASS"] not in WORKER_CLASSES:
        raise ConfigError("SILTA_SERVE_WORKER_CLASS must be gthread, sync or bjoern.")
    if values["SERVE_WORKERS"] < 1 or values["SERVE_THREADS"] < 1:
        raise ConfigError("SILTA_SERVE_WORKERS and SILTA_SERVE_THREADS must be at least 1.")
    if 0 < len(values["METRICS_TOKEN"]) < 32:
        raise ConfigError("SILTA_METRICS_TOKEN must be at least 32 characters (or empty).")
    if not values["NODE_NAME"]:
        values["NODE_NAME"] = socket.gethostname()
