"""The batch stage: documents in, Parquet parts out. Both engines call ``CodingStage``; it
never imports ray."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from dyad.batch.output import write_tables
from dyad.errors import InputError
from dyad.store.rows import to_tables
from dyad.types import Document


class CodingStage:
    """Builds a ``Pipeline`` once (per process or Ray actor) and codes + writes batches.

    settings (dict): keyword arguments for ``dyad.pipeline.Pipeline``.
    out (str): output folder or URI.
    """

    def __init__(self, settings: dict, out: str) -> None:
        from dyad.pipeline import Pipeline

        self.pipeline = Pipeline(**settings)
        self.out = out
        self.prefix = f"part-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.count = 0

    def run(self, documents: Iterable[Document]) -> dict[str, int]:
        """Code ``documents`` and write their tables; returns rows written per table."""
        coded = list(self.pipeline.code(documents))
        self.count += 1
        written = write_tables(to_tables(coded), self.out, f"{self.prefix}-{self.count:06d}")
        return {"documents": len(coded), **{f"{k}_rows": v for k, v in written.items()}}


def split_items(items: Iterable) -> tuple[list[Document], list[InputError]]:
    """Separate documents from input errors."""
    documents, errors = [], []
    for item in items:
        (errors if isinstance(item, InputError) else documents).append(item)
    return documents, errors
