"""What the protocol asks of the screens, stored on the interaction (node-oidc-provider's
``prompt``: a name, the reason, and the details the screens show).

The protocol writes it whenever it hands the browser to the screens; the screens do what it
asks, hand the interaction back (``store.hand_back``) and send the browser to its ``return_to``,
where the protocol decides what comes next. The screens never decide whether a login is
complete.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import replace
from typing import Any

from . import policy


@dataclass(frozen=True)
class Prompt:
    name: str | None  # policy.LOGIN or policy.CONSENT; None once handed back to the protocol
    reason: str | None  # the name of the policy check that asked (policy.CHECKS)
    acr_floor: int  # the lowest assurance level the service accepts (a method's `level`)
    essential: tuple[str, ...]  # claims the service asks for that the citizen cannot untick
    voluntary: tuple[str, ...]  # claims the citizen may withhold

    @classmethod
    def login(cls, reason: str, acr_floor: int = 0) -> Prompt:
        return cls(policy.LOGIN, reason, acr_floor, (), ())

    @classmethod
    def read(cls, stored: dict[str, Any]) -> Prompt:
        return cls(
            stored["name"],
            stored["reason"],
            stored["acr_floor"],
            tuple(stored["essential"]),
            tuple(stored["voluntary"]),
        )

    def stored(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "essential": list(self.essential),
            "voluntary": list(self.voluntary),
        }

    def handed_back(self) -> Prompt:
        return replace(self, name=None, reason=None)
