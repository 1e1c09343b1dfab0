"""A bounded fuzz run of the ingest readers in every `make test` (longer: `make fuzz`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz" / "fuzz_ingest.py"
RUNS = 3000


def test_fuzz_ingest_readers_bounded_run(tmp_path):
    pytest.importorskip("atheris")
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ),
            f"-atheris_runs={RUNS}",
            "-max_len=4096",
            "-seed=1",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done" in done.stderr, done.stderr[-1000:]
