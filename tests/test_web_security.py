"""Web security: headers, request size limits, parameterised filters (SQL injection
attempts in every filter), no file reads from request input, write endpoints need auth."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

import dyad  # noqa: E402
from dyad.cli import SAMPLE_DIR  # noqa: E402
from dyad.web.app import MAX_REQUEST_BYTES, create_app  # noqa: E402
from dyad.web.auth import Auth  # noqa: E402

pytestmark = pytest.mark.usefixtures("pipeline")

INJECTIONS = [
    "' OR '1'='1",
    "JPN'; DROP TABLE events; --",
    '" OR 1=1 --',
    "%' UNION SELECT id, text FROM documents --",
    "1) OR (1=1",
    "\\'; DELETE FROM documents; --",
]
FILTERS = ["actor", "a", "b", "code", "plover", "quad", "since", "until", "q", "offset", "limit"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("websec") / "web.duckdb")
    assert dyad.ingest([SAMPLE_DIR / "text"], db).ok
    app = create_app(db, Auth({"ana": "s3cret"}, secret="test"))
    with TestClient(app) as test_client:
        yield test_client


def _counts(client) -> dict:
    return client.get("/index.json").json()["counts"]


@pytest.mark.parametrize("path", ["/", "/events", "/events.json", "/dyad/RUS/JPN", "/login"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/events", "/dyad/RUS/JPN", "/commitments", "/login"])
def test_pages_have_no_inline_script(client, path):
    html = client.get(path).text.lower()
    assert "<script>" not in html and '<script type="text/javascript">' not in html
    assert " onclick=" not in html and " onload=" not in html


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("name", FILTERS)
def test_sql_injection_in_every_filter_is_just_a_value(client, name, payload):
    before = _counts(client)
    for path in ("/events.json", "/events.csv", "/events"):
        response = client.get(path, params={name: payload})
        assert response.status_code in (200, 400, 422), (path, response.text[:200])
        if (
            path == "/events.json"
            and response.status_code == 200
            and name not in ("offset", "limit")
        ):
            events = response.json()["events"]
            assert all(payload not in str(e.get("text", "")) for e in events)
    assert _counts(client) == before


@pytest.mark.parametrize(
    "path",
    [
        "/commitments?party=' OR 1=1 --",
        "/commitments?as_of=2016-01-01' OR '1'='1",
        "/actors/JPN' OR '1'='1",
        "/dyad/RUS' OR 1=1 --/JPN",
        "/documents/' OR 1=1 --",
        "/commitments/' OR 1=1 --",
    ],
)
def test_sql_injection_in_paths_finds_nothing(client, path):
    before = _counts(client)
    response = client.get(path)
    assert response.status_code in (200, 400, 404, 422)
    assert _counts(client) == before


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/documents/..%2f..%2f..%2fetc%2fpasswd",
        "/static/pyproject.toml",
    ],
)
def test_no_file_is_read_from_request_input(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_oversized_body_is_refused_before_reading(client):
    response = client.post(
        "/api/documents",
        content=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={"authorization": "Bearer s3cret", "content-type": "text/plain"},
    )
    assert response.status_code == 413


def test_oversized_chunked_body_is_refused(client):
    def chunks():
        for _ in range(MAX_REQUEST_BYTES // 2**20 + 2):
            yield b"y" * 2**20

    response = client.post(
        "/api/documents",
        content=chunks(),
        headers={"authorization": "Bearer s3cret", "content-type": "text/plain"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/api/documents", None),
        ("post", "/commitments/x/review", {"action": "confirm"}),
    ],
)
def test_write_endpoints_need_authentication(client, method, path, data):
    before = _counts(client)
    response = (
        getattr(client, method)(path, data=data)
        if data
        else client.post(path, content=b"Japan met Russia.", headers={"content-type": "text/plain"})
    )
    assert response.status_code == 401
    assert _counts(client) == before


@pytest.mark.parametrize(
    "path",
    [
        "/documents?offset=9223372036854775808",
        "/documents?offset=-5&limit=99999999999",
        "/events?offset=9223372036854775808",
        "/events.json?offset=18446744073709551616",
        "/events.csv?offset=9223372036854775807",
    ],
)
def test_out_of_range_paging_is_clamped_not_a_server_error(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
