"""Actors: mention -> CAMEO-style actor code (country + agent)."""
