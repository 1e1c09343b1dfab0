"""Work on several processes: each worker builds its state once (a ``Pipeline``, a batch
stage) and handles chunks; results come back in input order.

At most ``2 * workers`` chunks are in flight, so memory stays bounded however long the
input is (``multiprocessing.Pool.imap`` would read the whole input ahead).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from dyad.types import CodedDocument, Document

_state = None


def _start_worker(factory: Callable, arguments: tuple) -> None:
    global _state
    _state = factory(*arguments)


def _call(function: Callable, chunk: list):
    return function(_state, chunk)


def ordered_map(
    factory: Callable,
    arguments: tuple,
    function: Callable,
    items: Iterable,
    workers: int,
    chunk_size: int = 16,
    start_method: str = "spawn",
) -> Iterator:
    """Yield ``function(state, chunk)`` for consecutive chunks of ``items``, in order, where
    each worker process's ``state = factory(*arguments)`` (top-level callables only).

    start_method: "spawn" (default) starts a fresh interpreter per worker; "fork" copies this
    process, so state built here before the call is there at once (see ``code_in_processes``).
    """
    context = multiprocessing.get_context(start_method)
    iterator = iter(items)
    with context.Pool(workers, initializer=_start_worker, initargs=(factory, arguments)) as pool:
        pending: deque = deque()
        while chunk := list(islice(iterator, chunk_size)):
            pending.append(pool.apply_async(_call, (function, chunk)))
            while len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _pipeline(settings: dict):
    from dyad.pipeline import Pipeline

    return Pipeline(**settings)


# The pipeline forked workers inherit (set in the parent just before the pool starts).
_inherited = None


def _inherited_pipeline():
    return _inherited


def can_fork() -> bool:
    """Whether workers can be forked from this process (Linux): they then share the loaded
    model and dictionaries instead of building their own."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _code(pipeline, documents: list[Document]) -> list[CodedDocument]:
    return list(pipeline.code(documents))


def code_in_processes(
    settings: dict,
    documents: Iterable[Document],
    workers: int,
    chunk_size: int = 16,
    pipeline=None,
) -> Iterator[CodedDocument]:
    """Yield coded documents in input order, coded by ``workers`` processes.

    settings (dict): keyword arguments for ``Pipeline`` (built once in each spawned worker).
    pipeline: a built ``Pipeline`` of this process; where processes can be forked, the
    workers are forked from it and share its model and dictionaries (copy on write) instead
    of loading their own (seconds per worker). The workers only code; the store stays here.
    """
    global _inherited
    if pipeline is not None and can_fork():
        _inherited = pipeline
        factory, arguments, start_method = _inherited_pipeline, (), "fork"
    else:
        factory, arguments, start_method = _pipeline, (settings,), "spawn"
    try:
        for chunk in ordered_map(
            factory, arguments, _code, documents, workers, chunk_size, start_method
        ):
            yield from chunk
    finally:
        _inherited = None
