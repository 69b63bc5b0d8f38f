"""The ID-card world: the issuing authority (``issuer/``) and the PKCS#11 card layer (``token/``).

The citizen's reader bridge (``reader/``) uses the same card layer. Nothing here imports the
broker or the mock banks: they talk HTTP only (ARCHITECTURE §2).
"""
