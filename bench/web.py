"""Latency of the main JSON routes on a store of synthetic events (bounded local load).

Usage:
    python bench/web.py [--events 1000000] [--requests 40] [--out FILE]

Builds a DuckDB store with N synthetic events (30 countries, real CAMEO codes, dates
2000-2025, 20,000 documents), serves it with `dyad serve`'s app on 127.0.0.1 in this process,
and requests each route sequentially from one local client; prints p50/p95/max in ms.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROUTES = [
    "/index.json",
    "/documents.json",
    "/events.json",
    "/events.json?a=RUS&b=JPN",
    "/events.json?code=057",
    "/events.json?plover=ASSAULT&since=2020-01-01",
    "/dyad/RUS/JPN.json",
    "/actors/JPN.json",
    "/commitments.json",
]
COUNTRIES = [
    "RUS",
    "JPN",
    "USA",
    "CHN",
    "GBR",
    "FRA",
    "DEU",
    "IND",
    "BRA",
    "ZAF",
    "KOR",
    "PRK",
    "UKR",
    "ISR",
    "IRN",
    "SYR",
    "TUR",
    "SAU",
    "EGY",
    "PAK",
    "AFG",
    "IRQ",
    "NGA",
    "MEX",
    "CAN",
    "AUS",
    "IDN",
    "ITA",
    "ESP",
    "POL",
]


def build_store(path: str, events: int) -> None:
    """Fill a fresh store with synthetic documents and events (SQL, in seconds)."""
    from dyad.coding.cameo import cameo_table
    from dyad.store.db import connect

    codes = [c for c in cameo_table() if len(c) == 3 and cameo_table()[c].plover]
    con = connect(path)
    table = cameo_table()
    con.execute(
        "CREATE TEMP TABLE codes (k INTEGER, code VARCHAR, plover VARCHAR, "
        "goldstein DOUBLE, quad_class INTEGER)"
    )
    con.executemany(
        "INSERT INTO codes VALUES (?, ?, ?, ?, ?)",
        [
            (k, c, table[c].plover, table[c].goldstein, table[c].quad_class)
            for k, c in enumerate(codes)
        ],
    )
    con.execute("CREATE TEMP TABLE countries (k INTEGER, c VARCHAR)")
    con.executemany("INSERT INTO countries VALUES (?, ?)", list(enumerate(COUNTRIES)))
    con.execute(
        "INSERT INTO documents (id, title, published, text, origin) "
        "SELECT printf('%016x', range), 'synthetic ' || range, "
        "DATE '2000-01-01' + CAST(range % 9400 AS INTEGER), 'synthetic text', 'bench' "
        "FROM range(20000)"
    )
    con.execute(f"""
        INSERT INTO events
        SELECT printf('e%015x', r), printf('%016x', r % 20000), 0, 10, 0, 5, 'trigger',
               [s.c || 'GOV'], [t.c], s.c || 'GOV', t.c, s.c, t.c, k.code, substr(k.code, 1, 2),
               k.plover, '', '', k.goldstein, k.quad_class,
               strftime(DATE '2000-01-01' + CAST(r % 9400 AS INTEGER), '%Y-%m-%d'), 'day',
               DATE '2000-01-01' + CAST(r % 9400 AS INTEGER), NULL, '[]', false, 'occurred',
               NULL, 'bench', 'bench', true
        FROM range({events}) AS g(r)
        JOIN countries s ON s.k = (r * 7) % {len(COUNTRIES)}
        JOIN countries t ON t.k = (r * 13 + 1) % {len(COUNTRIES)}
        JOIN codes k ON k.k = (r * 31) % {len(codes)}
    """)
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    import httpx
    import uvicorn

    from dyad.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "web.duckdb")
        start = time.perf_counter()
        build_store(db, args.events)
        built = time.perf_counter() - start
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        results = {}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for route in ROUTES:
                client.get(route).raise_for_status()  # warm up
                times = []
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    client.get(route).raise_for_status()
                    times.append((time.perf_counter() - t0) * 1000)
                times.sort()
                results[route] = {
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                    "max_ms": round(times[-1], 1),
                }
        server.should_exit = True
        thread.join(timeout=5)
    report = {
        "events": args.events,
        "documents": 20000,
        "build_seconds": round(built, 1),
        "requests_per_route": args.requests,
        "routes": results,
    }
    print(json.dumps(report, indent=2))
    out = args.out or Path(__file__).parent / "results" / "web.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
