"""Query time of the store at scale: the pair-by-month aggregation and filtered event lists
on 10 million and 100 million synthetic events.

Usage:
    python bench/duckdb_scale.py [--events 10000000 100000000] [--repeat 5] [--out FILE]

Builds each store with SQL (bench/web.py's generator: 40 countries, every 3-digit CAMEO code,
dates 2000-2025), then times the query functions the CLI, API and web app call
(``dyad.store.queries``), warm, and reports the median and worst of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web import build_store  # noqa: E402


def _time(function, repeat: int) -> dict:
    function()  # warm: the first run reads the columns from disk
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(runs), 4), "max_s": round(max(runs), 4)}


def measure(events: int, repeat: int) -> dict:
    """Build a store of ``events`` synthetic events and time the main queries on it."""
    from dyad.store import queries
    from dyad.store.db import connect

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "scale.duckdb")
        start = time.perf_counter()
        build_store(path, events)
        built = time.perf_counter() - start
        size_mb = Path(path).stat().st_size / 2**20
        con = connect(path, read_only=True)
        cases = {
            "pair_by_month RUS-JPN": lambda: queries.pair_monthly(con, "RUS", "JPN"),
            "events between RUS JPN, first 100": lambda: queries.find_events(
                con, queries.EventFilter(between=("RUS", "JPN"), limit=100)
            ),
            "events actor CHN code 05 2016, first 100": lambda: queries.find_events(
                con,
                queries.EventFilter(
                    actor="CHN",
                    code="05",
                    since=__import__("datetime").date(2016, 1, 1),
                    until=__import__("datetime").date(2016, 12, 31),
                    limit=100,
                ),
            ),
        }
        timings = {name: _time(run, repeat) for name, run in cases.items()}
        con.close()
    return {
        "events": events,
        "build_s": round(built, 1),
        "store_mb": round(size_mb),
        "queries": timings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    results = []
    for n in args.events:
        results.append(measure(n, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    out = args.out or Path(__file__).parent / "results" / "duckdb_scale.json"
    machine = f"{platform.machine()} {platform.python_version()}"
    out.write_text(json.dumps({"machine": machine, "runs": results}, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
