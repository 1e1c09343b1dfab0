"""Running ``dyad batch``: the local engine (this process, or worker processes) and the Ray
Data engine. Both parse input rows with the same readers and call the same ``CodingStage``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice

from dyad.batch.inputs import InputFile, list_inputs, read_input
from dyad.batch.stage import CodingStage, split_items
from dyad.errors import DyadError, InputError
from dyad.readers.dedupe import RecentIds
from dyad.readers.jsonl import FIELDS, read_jsonl_records
from dyad.readers.sources import IngestItem, document_from_record, read_stream

RAY_HINT = "the Ray engine needs the ray extra: pip install 'dyad[ray]' (or use --engine local)"


@dataclass
class BatchReport:
    """What a batch run read, wrote and rejected."""

    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)

    def add(self, written: dict[str, int]) -> None:
        """Add one stage result (``documents`` and ``<table>_rows`` counts)."""
        self.documents += written.get("documents", 0)
        for key, value in written.items():
            if key.endswith("_rows"):
                name = key.removesuffix("_rows")
                self.rows[name] = self.rows.get(name, 0) + value


def run_batch(
    inputs: Iterable[str],
    out: str,
    *,
    engine: str = "local",
    settings: dict | None = None,
    workers: int = 1,
    batch_size: int = 64,
    field_map: dict[str, str] | None = None,
    default_date: date | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> BatchReport:
    """Code every document under ``inputs`` and write partitioned Parquet under ``out``."""
    settings = settings or {}
    files, errors = list_inputs(inputs)
    report = BatchReport()
    for error in errors:
        _report_error(report, error, on_error)
    if engine == "local":
        _run_local(
            files, out, settings, workers, batch_size, field_map, default_date, report, on_error
        )
    elif engine == "ray":
        _run_ray(
            files, out, settings, workers, batch_size, field_map, default_date, report, on_error
        )
    else:
        raise DyadError(f"unknown engine {engine!r}: use local or ray")
    return report


def _report_error(report: BatchReport, error: InputError, on_error) -> None:
    report.errors.append(error)
    if on_error:
        on_error(error)


def _documents(items: Iterable[IngestItem], report: BatchReport, on_error) -> Iterator:
    recent = RecentIds()
    for item in items:
        if isinstance(item, InputError):
            _report_error(report, item, on_error)
        elif recent.seen(item.id):
            report.duplicates += 1
        else:
            yield item


def _run_local(
    files, out, settings, workers, batch_size, field_map, default_date, report, on_error
):
    items = chain.from_iterable(read_input(f, field_map, default_date) for f in files)
    documents = _documents(items, report, on_error)
    if workers <= 1:
        stage = CodingStage(settings, out)
        while batch := list(islice(documents, batch_size)):
            report.add(stage.run(batch))
        return
    from dyad.parallel import ordered_map

    for written in ordered_map(_stage, (settings, out), _run_stage, documents, workers, batch_size):
        report.add(written)


def _stage(settings: dict, out: str) -> CodingStage:
    return CodingStage(settings, out)


def _run_stage(stage: CodingStage, documents: list) -> dict[str, int]:
    return stage.run(documents)


# ---- Ray Data ------------------------------------------------------------------------------
def rows_to_items(
    rows: list[dict], field_map: dict[str, str] | None, default_date: date | None
) -> list[IngestItem]:
    """Documents (or errors) from Ray Data rows: ``{"kind", "name", "line"|"bytes"|fields}``."""
    field_map = field_map or {}
    items: list[IngestItem] = []
    for row in rows:
        kind, name = row["kind"], row["name"]
        if kind == "jsonl":
            for _, record, error in read_jsonl_records([row["line"]], field_map):
                items.append(
                    InputError(name, error)
                    if record is None
                    else document_from_record(record, name, default_date)
                )
        elif kind == "parquet":
            fields = json.loads(row["fields"])
            record = {f: fields.get(field_map.get(f, f)) for f in FIELDS}
            items.append(document_from_record(record, name, default_date))
        else:
            try:
                text = row["bytes"].decode("utf-8")
            except UnicodeDecodeError as exc:
                items.append(
                    InputError(name, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8")
                )
                continue
            items.extend(read_stream(io.StringIO(text), name, default_date=default_date, fmt=kind))
    return items


class _RayCoder:
    """A Ray Data actor: the pipeline loads once per actor; each batch is coded and written."""

    def __init__(self, settings: dict, out: str, field_map, default_date) -> None:
        self.stage = CodingStage(settings, out)
        self.field_map = field_map
        self.default_date = default_date

    def __call__(self, batch: dict) -> dict:
        rows = [
            dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)
        ]
        documents, errors = split_items(rows_to_items(rows, self.field_map, self.default_date))
        written = self.stage.run(documents) if documents else {"documents": 0}
        return {
            "written": [json.dumps(written)],
            "errors": [json.dumps([[e.item, e.reason] for e in errors])],
        }


def _ray_dataset(ray, files: list[InputFile]):
    """One Ray dataset of input rows (JSONL lines, Parquet rows, whole text/HTML files)."""
    parts = []
    by_kind: dict[str, list[InputFile]] = {}
    for f in files:
        by_kind.setdefault(f.kind, []).append(f)
    if by_kind.get("jsonl"):
        parts.append(
            ray.data.read_text([f.path for f in by_kind["jsonl"]], include_paths=True).map(
                lambda row: {
                    "kind": "jsonl",
                    "name": row["path"],
                    "line": row["text"],
                    "bytes": b"",
                    "fields": "",
                }
            )
        )
    if by_kind.get("parquet"):
        parts.append(
            ray.data.read_parquet([f.path for f in by_kind["parquet"]], include_paths=True).map(
                lambda row: {
                    "kind": "parquet",
                    "name": row.pop("path"),
                    "line": "",
                    "bytes": b"",
                    "fields": json.dumps(row, default=str),
                }
            )
        )
    for kind in ("text", "html"):
        if by_kind.get(kind):
            parts.append(
                ray.data.read_binary_files([f.path for f in by_kind[kind]], include_paths=True).map(
                    lambda row, kind=kind: {
                        "kind": kind,
                        "name": row["path"],
                        "line": "",
                        "bytes": row["bytes"],
                        "fields": "",
                    }
                )
            )
    if not parts:
        return None
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def _run_ray(files, out, settings, workers, batch_size, field_map, default_date, report, on_error):
    try:
        import ray
    except ImportError as exc:
        raise DyadError(RAY_HINT) from exc
    if not ray.is_initialized():
        # one CPU per coding actor, one more for the read tasks that feed them
        ray.init(num_cpus=max(workers, 1) + 1, include_dashboard=False, log_to_driver=False)
    dataset = _ray_dataset(ray, files)
    if dataset is None:
        return
    results = dataset.map_batches(
        _RayCoder,
        fn_constructor_kwargs={
            "settings": settings,
            "out": out,
            "field_map": field_map,
            "default_date": default_date,
        },
        batch_size=batch_size,
        concurrency=max(workers, 1),
        batch_format="numpy",
    )
    for row in results.iter_rows():
        report.add(json.loads(row["written"]))
        for origin, reason in json.loads(row["errors"]):
            _report_error(report, InputError(origin, reason), on_error)
