"""Policy comparison: synthetic citizens driven through the live federation under each policy.

This package talks to the broker, banks, card reader bridge and services over HTTP only; it
never imports `idp` (ARCHITECTURE §2 and §7).
"""
