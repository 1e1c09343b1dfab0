"""Readers: turn files, folders, JSONL exports and stdin into ``Document`` records."""

from dyad.readers.sources import read_paths, read_stream

__all__ = ["read_paths", "read_stream"]
