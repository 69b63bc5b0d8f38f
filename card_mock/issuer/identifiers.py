"""The holder's two numbers: the electronic identification number and the HETU.

Electronic identification number (eID number, an invented format, modelled on the Finnish
FINUID but not it): nine digits ``NNNNNNNNN`` and a check letter
``EID_CHECK_LETTERS[int(NNNNNNNNN) % 21]``, e.g. ``100000001V``. It is what card certificates
carry in subject serialNumber; it says nothing about the person, and is not the national
identity number.

Personal identity code (HETU, ARCHITECTURE §8): ``DDMMYY`` + century sign + individual number
``NNN`` + ``HETU_CHECK_CHARACTERS[int(DDMMYY + NNN) % 31]``; the sign is not in the checksum.
Test codes use individual numbers 900–999.
"""

from __future__ import annotations

import re
from datetime import date

EID_CHECK_LETTERS = "ABCDEFHJKLMNPRSTUVWXY"  # 21 letters: no G I O Q Z, none like a digit
HETU_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
DEFAULT_SIGNS = {1800: "+", 1900: "-", 2000: "A"}

_EID = re.compile(r"(\d{9})([A-Z])")
_HETU = re.compile(r"(\d{2})(\d{2})(\d{2})(.)(\d{3})(.)")


class InvalidIdentifier(ValueError):
    """The text is not a valid identifier; the message says why."""


def eid_for(number: int) -> str:
    """The eID number with digits `number` (1 ≤ number < 10⁹) and its check letter."""
    if not 0 < number < 10**9:
        raise InvalidIdentifier("An eID number has nine digits.")
    return f"{number:09d}{EID_CHECK_LETTERS[number % 21]}"


def is_eid(text: str) -> bool:
    """Whether `text` is a well-formed eID number with the right check letter."""
    match = _EID.fullmatch(text or "")
    return bool(match) and eid_for(int(match.group(1))) == text


def hetu_for(birthdate: date, individual: int) -> str:
    """The HETU of a birthdate and individual number, with the century's default sign."""
    sign = DEFAULT_SIGNS[birthdate.year // 100 * 100]
    ddmmyy = birthdate.strftime("%d%m") + f"{birthdate.year % 100:02d}"
    check = HETU_CHECK_CHARACTERS[int(f"{ddmmyy}{individual:03d}") % 31]
    return f"{ddmmyy}{sign}{individual:03d}{check}"


def hetu_birthdate(code: str) -> date:
    """The birthdate a valid HETU carries; InvalidIdentifier if it is not valid."""
    match = _HETU.fullmatch(code or "")
    if match is None or match.group(4) not in CENTURY_SIGNS:
        raise InvalidIdentifier("A HETU is DDMMYY, a century sign, NNN and a check character.")
    day, month, year, sign, individual, check = match.groups()
    try:
        birthdate = date(CENTURY_SIGNS[sign] + int(year), int(month), int(day))
    except ValueError:
        raise InvalidIdentifier("The HETU's date part is not a date.") from None
    if check != HETU_CHECK_CHARACTERS[int(day + month + year + individual) % 31]:
        raise InvalidIdentifier("The HETU's check character does not match.")
    return birthdate
