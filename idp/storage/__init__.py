"""Persistence: the models and the few queries shared across concerns."""
