"""Writing the tables of a batch as Parquet: ``OUT/<table>/month=YYYY-MM/<part>.parquet``.

Each call writes new files with a part name unique to the writer (engine, process, counter),
so any number of workers can write into the same folder without coordination; a part file is
written under a temporary name and renamed when complete, so readers never see half a file.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dyad.batch.inputs import filesystem_for


def write_tables(tables: dict[str, pa.Table], out: str, part: str) -> dict[str, int]:
    """Write each non-empty table partitioned by month; returns rows written per table."""
    filesystem, root = filesystem_for(out)
    written = {}
    for name, table in tables.items():
        written[name] = table.num_rows
        if not table.num_rows:
            continue
        for month in pc.unique(table["month"]).to_pylist():
            rows = table.filter(pc.equal(table["month"], month)).drop_columns(["month"])
            folder = f"{root.rstrip('/')}/{name}/month={month}"
            filesystem.create_dir(folder, recursive=True)
            final = f"{folder}/{part}.parquet"
            temporary = f"{folder}/.{part}.parquet.tmp"
            pq.write_table(rows, temporary, filesystem=filesystem, compression="zstd")
            filesystem.move(temporary, final)
    return written
