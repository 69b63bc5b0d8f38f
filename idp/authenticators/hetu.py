"""The Finnish personal identity code (HETU), checked before the broker trusts one.

DDMMYY, a century sign, an individual number NNN and a check character
"0123456789ABCDEFHJKLMNPRSTUVWXY"[int(DDMMYY + NNN) % 31]; the sign is not in the checksum.
The 2023 reform added the signs Y X W V U (1900s) and B C D E F (2000s).
"""

from __future__ import annotations

import datetime
import re

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$")


def birthdate(code: str | None) -> datetime.date | None:
    """The birthdate a valid code encodes, or None when the code is not valid."""
    match = PATTERN.match(code or "")
    if not match:
        return None
    day, month, year, sign, individual, check = match.groups()
    if int(individual) < 2 or CHECK_CHARACTERS[int(day + month + year + individual) % 31] != check:
        return None
    try:
        return datetime.date(CENTURIES[sign] + int(year), int(month), int(day))
    except ValueError:
        return None


def is_valid(code: str) -> bool:
    return birthdate(code) is not None
