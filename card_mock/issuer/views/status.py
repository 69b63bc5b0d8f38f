"""Certificate status and CA certificates: the CRL, the OCSP responder, the CA downloads."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp as x509_ocsp
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from ..card_profile import CRL_PATH
from ..card_profile import ISSUING_CA_PATH
from ..card_profile import OCSP_PATH
from ..card_profile import ROOT_CA_PATH
from ..crl import build_crl
from ..ocsp import create_ocsp_response
from ..revocation import revoked_certificates

bp = Blueprint("status", __name__)
MAX_OCSP_REQUEST = 10_000  # a one-certificate request is a few hundred bytes


def _authority():
    return current_app.extensions["card.issuer"].authority


@bp.get(CRL_PATH)
def crl() -> Response:
    """The issuing CA's current CRL, DER (RFC 5280 §5; media type per RFC 2585 §4.2)."""
    der = build_crl(
        _authority().issuing, revoked_certificates(), current_app.config["CRL_LIFETIME_SECONDS"]
    )
    return Response(der, mimetype="application/pkix-crl")


@bp.post(OCSP_PATH)
def ocsp_post() -> Response:
    """RFC 6960 Appendix A.1: an OCSPRequest in the body, application/ocsp-request."""
    if request.content_length is not None and request.content_length > MAX_OCSP_REQUEST:
        return _ocsp(None)
    return _ocsp(request.get_data())


@bp.get(OCSP_PATH + "/<path:encoded>")
def ocsp_get(encoded: str) -> Response:
    """RFC 6960 Appendix A.1: GET {url}/{url-encoding of base64 of the DER OCSPRequest}."""
    try:
        der = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        der = None
    return _ocsp(der)


def _ocsp(der: bytes | None) -> Response:
    if der is None:
        answer = x509_ocsp.OCSPResponseBuilder.build_unsuccessful(
            x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST
        ).public_bytes(Encoding.DER)
    else:
        answer = create_ocsp_response(
            der, _authority(), current_app.config["OCSP_LIFETIME_SECONDS"]
        )
    return Response(answer, mimetype="application/ocsp-response")


@bp.get(ISSUING_CA_PATH)
def issuing_ca() -> Response:
    """The issuing CA certificate, DER (the caIssuers URL, RFC 5280 §4.2.2.1)."""
    der = _authority().issuing.certificate.public_bytes(Encoding.DER)
    return Response(der, mimetype="application/pkix-cert")


@bp.get(ROOT_CA_PATH)
def root_ca() -> Response:
    """The root CA certificate, DER: the trust anchor verifiers configure."""
    return Response(_authority().root.public_bytes(Encoding.DER), mimetype="application/pkix-cert")


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")
