"""The demo world: its topology, and the one launcher that brings parties up.

Never imported by ``idp``."""
