"""The PAR audience modules: a push whose assertion names the given audience."""

from __future__ import annotations


def push_with_audience(fapi, audience):
    return fapi.push(auth=fapi.client_auth(aud=audience))
