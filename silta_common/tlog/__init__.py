"""The transparency log's algorithms and formats, shared by the broker, the witness and citizens.

``merkle`` is RFC 9162 §2.1 (hashes, inclusion and consistency proofs), ``note`` the C2SP
signed note with its verifier keys, ``checkpoint`` the C2SP tlog-checkpoint body,
``cosignature`` C2SP tlog-cosignature/v1, and ``verify_export`` the citizen's offline check.
"""
