"""The card layer shared by the issuer and the reader bridge: one PKCS#11 token per card.

A card is found by its token label ``silta-card-<serial>``, never by slot id, which SoftHSM2
changes after ``C_InitToken`` (ARCHITECTURE §8).
"""

from __future__ import annotations

from .card import EC_P256
from .card import KEY_ALGORITHMS
from .card import RSA_2048
from .card import Card
from .store import TokenError
from .store import TokenStore
from .store import card_label

__all__ = [
    "EC_P256",
    "KEY_ALGORITHMS",
    "RSA_2048",
    "Card",
    "TokenError",
    "TokenStore",
    "card_label",
]
