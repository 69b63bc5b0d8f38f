"""Consent: what a citizen lets a service receive (ARCHITECTURE §3 step 5)."""
