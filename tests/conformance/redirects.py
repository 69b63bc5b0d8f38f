"""A service registered with a query in its redirect URI, for the redirect-uri-query modules."""

from __future__ import annotations

from tests.conftest import register
from tests.support.flow import Flow

WITH_QUERY = "https://tax.example/callback?service=tax"


def query_flow(browser, app) -> Flow:
    return Flow(browser, register(app, redirect_uris=[WITH_QUERY]))
