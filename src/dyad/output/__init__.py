"""Rendering query results for people (tables, marked-up text) and programs (CSV, JSON, GDELT)."""
