"""What every table shares: times in Unix seconds, JSON columns."""

from __future__ import annotations

import time

import sqlalchemy as sa

JSON = sa.JSON()


def now() -> int:
    return int(time.time())
