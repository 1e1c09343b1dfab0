"""dyad: who agreed what with whom, with which amounts, places and deadlines.

Public API (see README.md and docs/pipeline.md)::

    import dyad
    report = dyad.readers(["articles/"], db="dyad.duckdb")
    events = dyad.events(db="dyad.duckdb", between=("RUS", "JPN"))
"""

__version__ = "0.1.0"

from dyad.api import IngestReport, code_text, events, ingest, stats  # noqa: E402
from dyad.errors import (  # noqa: E402
    DictionaryError,
    DyadError,
    InputError,
    ModelError,
    QueryError,
    StoreError,
)
from dyad.types import CodedDocument, Document, Event, Mention, Quantity  # noqa: E402

__all__ = [
    "__version__",
    "code_text",
    "CodedDocument",
    "DictionaryError",
    "Document",
    "DyadError",
    "Event",
    "events",
    "ingest",
    "IngestReport",
    "InputError",
    "Mention",
    "ModelError",
    "Quantity",
    "QueryError",
    "stats",
    "StoreError",
]
