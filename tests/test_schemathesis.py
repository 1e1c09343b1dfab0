"""Property-based API testing with schemathesis against the app's own OpenAPI schema: no
generated request may crash the server (5xx) or break the schema, for a bounded number of
examples per operation."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

import dyad  # noqa: E402
from dyad.cli import SAMPLE_DIR  # noqa: E402
from dyad.web.app import create_app  # noqa: E402
from dyad.web.auth import Auth  # noqa: E402


@pytest.fixture(scope="module")
def app(tmp_path_factory, pipeline):
    db = str(tmp_path_factory.mktemp("schema") / "web.duckdb")
    assert dyad.ingest([SAMPLE_DIR / "text"], db).ok
    return create_app(db, Auth({"ana": "s3cret"}, secret="test"))


def test_api_never_fails_on_generated_requests(app):
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, response.text)

        check()
