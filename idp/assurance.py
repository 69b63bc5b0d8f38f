"""Levels of assurance and the two vocabularies services use to ask for them.

Bank login is substantial, the ID card is high (ARCHITECTURE §4). Services may name a level in
the Finnish Trust Network vocabulary or in the eIDAS one; the broker answers in the vocabulary
the service asked in.
"""

FTN_LOA2 = "http://ftn.ficora.fi/2017/loa2"
FTN_LOA3 = "http://ftn.ficora.fi/2017/loa3"
EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"

SUBSTANTIAL = 2
HIGH = 3

LEVELS: dict[str, int] = {
    FTN_LOA2: SUBSTANTIAL,
    FTN_LOA3: HIGH,
    EIDAS_SUBSTANTIAL: SUBSTANTIAL,
    EIDAS_HIGH: HIGH,
}
ACR_VALUES_SUPPORTED = list(LEVELS)
_FTN = {SUBSTANTIAL: FTN_LOA2, HIGH: FTN_LOA3}
_EIDAS = {SUBSTANTIAL: EIDAS_SUBSTANTIAL, HIGH: EIDAS_HIGH}


def level(acr: str | None) -> int:
    """The level an `acr` value stands for; 0 for none or an unknown value."""
    return LEVELS.get(acr or "", 0)


def requested_floor(acr_values: str | None, client_required: str | None = None) -> int:
    """The lowest level that satisfies a request.

    OIDC Core §3.1.2.1: `acr_values` lists the values in order of preference, so any listed
    level is acceptable and the lowest recognised one is the floor. A level the client is
    registered to require always applies.
    """
    listed = [level(v) for v in (acr_values or "").split() if level(v)]
    floor = min(listed) if listed else 0
    return max(floor, level(client_required))


def express(acr: str, acr_values: str | None) -> str:
    """Name the achieved level in the vocabulary the service asked in (FTN by default)."""
    achieved = level(acr)
    vocabulary = _EIDAS if any(v in _EIDAS.values() for v in (acr_values or "").split()) else _FTN
    return vocabulary.get(achieved, acr)
