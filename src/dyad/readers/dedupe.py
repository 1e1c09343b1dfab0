"""Skipping documents already seen in a run, with bounded memory."""

from __future__ import annotations

from collections import OrderedDict


class RecentIds:
    """The last ``size`` document ids seen (older ones are forgotten: memory stays flat).

    It only has to cover documents read but not yet written (the store's own check catches
    the rest), so a window far larger than the batches in flight is enough."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self.ids: OrderedDict[str, None] = OrderedDict()

    def seen(self, doc_id: str) -> bool:
        """True when ``doc_id`` was seen recently; remembers it either way."""
        if doc_id in self.ids:
            return True
        self.ids[doc_id] = None
        if len(self.ids) > self.size:
            self.ids.popitem(last=False)
        return False
