"""Interactions: where the protocol hands a login to the screens and gets it back."""
