"""The contract every method fulfils, and the neutral result every method returns."""

from __future__ import annotations

from abc import ABC
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from flask import Request
from flask import Response

from .. import assurance


@dataclass(frozen=True)
class AuthnResult:
    """Who the citizen is, as one method verified it (SATOSA's InternalData, in small)."""

    method: str  # registry name of the method
    issuer: str  # who vouches: the bank's or card authority's identifier
    subject: str  # the citizen's identifier at that issuer
    acr: str  # level reached, as an FTN or eIDAS URI
    amr: tuple[str, ...]  # RFC 8176 values
    auth_time: int
    attributes: Mapping[str, str] = field(
        default_factory=dict
    )  # verified: national_id, names, birthdate


@dataclass(frozen=True)
class LoginContext:
    """What a method may know about the login it serves."""

    interaction_uid: str
    service_name: str | None  # display name of the requesting service (FTN `ftn_spname`)
    acr_floor: int
    ui_locale: str
    # The origin of the service's validated redirect URI: a method page whose form may end in a
    # redirect to the service names it in CSP form-action (CSP 3 §6.4.1 covers redirects too).
    return_origin: str = ""


class AuthnFailed(Exception):
    """The method could not verify the citizen; ``message`` is shown to them."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class AuthnCancelled(Exception):
    """The citizen chose to stop at the method; they return to the method choice."""


class Authenticator(ABC):
    """A way in. Routes live under ``/interaction/<uid>/method/<name>/``."""

    name: str
    acr: str

    @property
    def level(self) -> int:
        return assurance.level(self.acr)

    @abstractmethod
    def label(self) -> str:
        """The method's name as the citizen sees it on the method choice."""

    def logo(self) -> str | None:
        return None

    def healthy(self) -> bool:
        return True

    @abstractmethod
    def begin(self, context: LoginContext) -> Response | AuthnResult:
        """Start a login: usually render a page or redirect to the method's own site."""

    @abstractmethod
    def resume(self, context: LoginContext, request: Request) -> Response | AuthnResult:
        """Continue after the citizen's answer; return the result once verified."""

    def interaction_for(self, request: Request) -> str | None:
        """For a method whose provider calls back to one fixed URL: the interaction it serves."""
        return None
