"""The card authentication certificate (RFC 5280 §4.2) and the authority URLs it carries."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPublicKeyTypes
from cryptography.x509.oid import AuthorityInformationAccessOID
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from .profiles import CARD_YEARS
from .profiles import Signer
from .profiles import base_builder
from .profiles import key_usage
from .profiles import signed_under

CRL_PATH = "/crl/issuing-ca.crl"
OCSP_PATH = "/ocsp"
ISSUING_CA_PATH = "/ca/issuing-ca.crt"
ROOT_CA_PATH = "/ca/root-ca.crt"


@dataclass(frozen=True)
class AuthorityUrls:
    """Where relying parties find the CRL, the OCSP responder and the issuing CA."""

    crl: str
    ocsp: str
    ca_issuers: str

    @classmethod
    def under(cls, base_url: str) -> AuthorityUrls:
        """The URLs served by the issuer at `base_url` (CARD_ISSUER_URL)."""
        return cls(base_url + CRL_PATH, base_url + OCSP_PATH, base_url + ISSUING_CA_PATH)


@dataclass(frozen=True)
class CardHolder:
    """What the certificate says of its holder: names and electronic identification number."""

    eid: str
    given_name: str
    family_name: str


def card_subject(holder: CardHolder) -> x509.Name:
    """C=FI, surname, givenName, serialNumber=eid (never the national identity number), CN."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FI"),
            x509.NameAttribute(NameOID.SURNAME, holder.family_name),
            x509.NameAttribute(NameOID.GIVEN_NAME, holder.given_name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, holder.eid),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{holder.given_name} {holder.family_name}"),
        ]
    )


def card_certificate(
    public_key: CertificateIssuerPublicKeyTypes,
    holder: CardHolder,
    issuing: Signer,
    urls: AuthorityUrls,
) -> x509.Certificate:
    """The card's authentication certificate for a key generated on its token."""
    builder = base_builder(
        card_subject(holder), public_key, issuing.certificate.subject, days=365 * CARD_YEARS
    )
    distribution = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(urls.crl)],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    access = [
        x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(urls.ocsp)
        ),
        x509.AccessDescription(
            AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(urls.ca_issuers),
        ),
    ]
    builder = (
        signed_under(builder, issuing)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # §4.2.1.3: an authentication key signs challenges, nothing else.
        .add_extension(key_usage(signature=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.CRLDistributionPoints([distribution]), critical=False)
        .add_extension(x509.AuthorityInformationAccess(access), critical=False)
    )
    return builder.sign(issuing.key, hashes.SHA256())
