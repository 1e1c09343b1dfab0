"""Work on several processes: each worker builds its state once (a ``Pipeline``, a batch
stage) and handles chunks; results come back in input order.

At most ``2 * workers`` chunks are in flight, so memory stays bounded however long the
input is (``multiprocessing.Pool.imap`` would read the whole input ahead).
"""

from __future__ import annotations

import multiprocessing
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
) -> Iterator:
    """Yield ``function(state, chunk)`` for consecutive chunks of ``items``, in order, where
    each worker process's ``state = factory(*arguments)`` (top-level callables only)."""
    # "spawn": a fresh interpreter per worker, safe with the threads of DuckDB and BLAS
    context = multiprocessing.get_context("spawn")
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


def _code(pipeline, documents: list[Document]) -> list[CodedDocument]:
    return list(pipeline.code(documents))


def code_in_processes(
    settings: dict, documents: Iterable[Document], workers: int, chunk_size: int = 16
) -> Iterator[CodedDocument]:
    """Yield coded documents in input order, coded by ``workers`` processes.

    settings (dict): keyword arguments for ``Pipeline`` (built once in each worker).
    """
    for coded in ordered_map(_pipeline, (settings,), _code, documents, workers, chunk_size):
        yield from coded
