"""The broker's tables (ARCHITECTURE §5), by group, with the frozen reads of the hot rows.

Times are Unix seconds; secrets are stored hashed. Every name is importable from here.
"""

from .clients import Client
from .common import JSON
from .common import now
from .grants import AccessToken
from .grants import AuthorizationCode
from .grants import CodeAnswers
from .grants import ConsentGrant
from .grants import PushedRequest
from .grants import RememberedConsent
from .grants import StoredCode
from .grants import Token
from .grants import TokenAnswers
from .grants import UsedJti
from .logins import CardChallenge
from .logins import Interaction
from .logins import LiveSession
from .logins import LoginSession
from .logins import UpstreamLogin
from .people import PERSON_COLUMNS
from .people import ExternalIdentity
from .people import Person
from .people import PersonFacts
from .records import LogoutDelivery
from .records import ReleaseLogEntry
from .records import SigningKey

__all__ = [
    "JSON",
    "PERSON_COLUMNS",
    "AccessToken",
    "AuthorizationCode",
    "CardChallenge",
    "Client",
    "CodeAnswers",
    "ConsentGrant",
    "ExternalIdentity",
    "Interaction",
    "LiveSession",
    "LoginSession",
    "LogoutDelivery",
    "Person",
    "PersonFacts",
    "PushedRequest",
    "ReleaseLogEntry",
    "RememberedConsent",
    "SigningKey",
    "StoredCode",
    "Token",
    "TokenAnswers",
    "UpstreamLogin",
    "UsedJti",
    "now",
]
