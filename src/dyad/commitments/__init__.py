"""Commitments: what was promised, by whom, and what became of it (docs/commitments.md)."""
