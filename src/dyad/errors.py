"""The one exception tree of dyad.

::

    DyadError                 anything dyad raises on purpose
    ├── InputError            an input item cannot be read or parsed (names the item)
    ├── DictionaryError       an actor/pattern/code data file is malformed (names file and line)
    ├── StoreError            the database cannot be opened, migrated or written
    ├── ModelError            the spaCy model (or another optional part) is missing
    └── QueryError            a filter or format asked of the store is invalid

Every message says what went wrong and what to do next.
"""

from __future__ import annotations


class DyadError(Exception):
    """Base class of every error dyad raises on purpose."""


class InputError(DyadError):
    """An input item (file, line, record) cannot be read or parsed."""

    def __init__(self, item: str, message: str) -> None:
        self.item = item
        self.reason = message
        super().__init__(f"{item}: {message}")


class DictionaryError(DyadError):
    """A bundled or user data file is malformed."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}")


class StoreError(DyadError):
    """The database cannot be opened, migrated or written."""


class ModelError(DyadError):
    """A required model or optional component is not installed."""


class QueryError(DyadError):
    """A query filter or output format is invalid."""
