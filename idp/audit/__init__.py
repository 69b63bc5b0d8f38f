"""Audit events and the citizen's release log."""
