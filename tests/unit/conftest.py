"""Fixtures the unit tests share."""

from __future__ import annotations

import pytest

from idp.storage.models import Person


@pytest.fixture
def person(ctx) -> Person:
    """One stored citizen, for tests that write rows about a person."""
    row = Person(uid="u-1", given_name="Aino")
    ctx.add(row)
    ctx.commit()
    return row
