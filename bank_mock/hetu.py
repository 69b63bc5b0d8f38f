"""The Finnish personal identity code (henkilötunnus, HETU): generation and validation.

Form: ``DDMMYY`` + century sign + individual number ``NNN`` + check character, where the check
character is ``CHECK_CHARACTERS[int(DDMMYY + NNN) % 31]`` and the sign is not in the checksum.
Individual numbers 900–999 are reserved for test codes; 000 and 001 are never issued.
"""

from __future__ import annotations

import re
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# Century signs. Since 2023 the 1900s also use Y X W V U and the 2000s B C D E F, beside the
# original "-" and "A" (Government Decree 128/2010 as amended, in force 1 January 2023).
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    **dict.fromkeys("-YXWVU", 1900),
    **dict.fromkeys("ABCDEF", 2000),
}
DEFAULT_SIGNS = {1800: "+", 1900: "-", 2000: "A"}
TEST_INDIVIDUAL_NUMBERS = range(900, 1000)

_FORM = re.compile(r"(\d{2})(\d{2})(\d{2})(.)(\d{3})(.)")


class InvalidHetu(ValueError):
    """The text is not a valid personal identity code; the message says why."""


def check_character(ddmmyy: str, individual: str) -> str:
    """The check character of a code's date part and individual number."""
    return CHECK_CHARACTERS[int(ddmmyy + individual) % 31]


def generate(birthdate: date, individual: int, sign: str | None = None) -> str:
    """A valid code for a birthdate and individual number, with the century's default sign."""
    century = birthdate.year // 100 * 100
    if century not in DEFAULT_SIGNS:
        raise InvalidHetu(f"No century sign exists for the year {birthdate.year}.")
    sign = sign or DEFAULT_SIGNS[century]
    if CENTURY_SIGNS.get(sign) != century:
        raise InvalidHetu(f"The sign {sign!r} does not stand for the {century}s.")
    if not 2 <= individual <= 999:
        raise InvalidHetu("The individual number must be between 002 and 999.")
    ddmmyy = birthdate.strftime("%d%m") + f"{birthdate.year % 100:02d}"
    number = f"{individual:03d}"
    return f"{ddmmyy}{sign}{number}{check_character(ddmmyy, number)}"


def validate(code: str) -> date:
    """Check a code and return the birthdate it carries; raise InvalidHetu if it is wrong."""
    match = _FORM.fullmatch(code or "")
    if match is None:
        raise InvalidHetu("A personal identity code is DDMMYY, a sign, NNN and a check character.")
    day, month, year, sign, individual, check = match.groups()
    if sign not in CENTURY_SIGNS:
        raise InvalidHetu(f"{sign!r} is not a century sign.")
    try:
        birthdate = date(CENTURY_SIGNS[sign] + int(year), int(month), int(day))
    except ValueError:
        raise InvalidHetu(f"{day}.{month}.{year} is not a date.") from None
    if int(individual) < 2:
        raise InvalidHetu("Individual numbers 000 and 001 are not in use.")
    if check != check_character(day + month + year, individual):
        raise InvalidHetu("The check character does not match.")
    return birthdate


def is_test_code(code: str) -> bool:
    """Whether a valid code is in the range reserved for test codes (900–999)."""
    validate(code)
    return int(code[7:10]) in TEST_INDIVIDUAL_NUMBERS
