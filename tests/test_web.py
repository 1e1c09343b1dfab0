"""The web app and JSON API, in-process over ASGI (no server, no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

import dyad  # noqa: E402
from dyad.cli import SAMPLE_DIR  # noqa: E402
from dyad.web.app import create_app  # noqa: E402
from dyad.web.auth import Auth  # noqa: E402

pytestmark = pytest.mark.usefixtures("pipeline")
XSS = "Japan thanked Russia. <script>window.pwned = 1</script> <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("web") / "web.duckdb")
    parts = [SAMPLE_DIR / kind for kind in ("text", "html", "jsonl")]
    assert dyad.ingest(parts, db).ok
    xss = tmp_path_factory.mktemp("xss") / "xss.txt"
    xss.write_text("Date: 2018-01-01\n\n" + XSS + "\n", "utf-8")
    assert dyad.ingest([xss], db).ok
    app = create_app(db, Auth({"ana": "s3cret"}, secret="test"))
    with TestClient(app) as test_client:
        yield test_client


PAGES = [
    "/",
    "/documents",
    "/events",
    "/events?a=RUS&b=JPN",
    "/events?code=05",
    "/events?plover=AGREE&quad=1",
    "/events?quad=&code=",
    "/events?since=2017-01-01&until=2018-12-31",
    "/events?q=visit",
    "/dyad/RUS/JPN",
    "/actors/JPN",
    "/commitments",
    "/commitments?as_of=2017-06-30",
    "/login",
]


@pytest.mark.parametrize("path", PAGES)
def test_web_pages_render_html(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text


JSON_TWINS = [
    ("/index.json", "counts"),
    ("/documents.json", "documents"),
    ("/events.json?a=RUS&b=JPN", "events"),
    ("/dyad/RUS/JPN.json", "monthly"),
    ("/actors/JPN.json", "events"),
    ("/commitments.json", "board"),
]


@pytest.mark.parametrize(("path", "key"), JSON_TWINS)
def test_web_json_twins(client, path, key):
    response = client.get(path)
    assert response.status_code == 200
    assert key in response.json()


def test_web_accept_header_gives_json(client):
    response = client.get("/events?a=RUS&b=JPN", headers={"accept": "application/json"})
    rows = response.json()["events"]
    assert rows and all({r["source"][0][:3], r["target"][0][:3]} == {"RUS", "JPN"} for r in rows)


def test_web_event_filters_and_csv(client):
    all_rows = client.get("/events.json?limit=1000").json()["events"]
    signed = client.get("/events.json?code=057&limit=1000").json()["events"]
    assert signed and len(signed) < len(all_rows)
    assert all(r["cameo"].startswith("057") for r in signed)
    csv_text = client.get("/events.csv?code=057").text
    assert csv_text.splitlines()[0].startswith("id,date,source")
    assert len(csv_text.splitlines()) == len(signed) + 1
    assert client.get("/events?since=not-a-date").status_code == 400


def test_web_document_page_marks_spans_and_escapes_html(client):
    docs = client.get("/documents.json?limit=100").json()["documents"]
    xss = [d for d in docs if d["published"] == "2018-01-01"][0]
    page = client.get(f"/documents/{xss['id']}").text
    assert "<script>window.pwned" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    assert '<mark class="actor"' in page
    detail = client.get(f"/documents/{xss['id']}.json").json()["document"]
    assert detail["events"] and detail["mentions"]


def test_web_commitment_page_and_review_flow(client):
    board = client.get("/commitments.json").json()["board"]
    first = next(iter(board.values()))[0]["id"]
    page = client.get(f"/commitments/{first}")
    assert page.status_code == 200 and "Sign in" in page.text
    anonymous = client.post(f"/commitments/{first}/review", data={"action": "confirm"})
    assert anonymous.status_code == 401
    bad_login = client.post("/login", data={"name": "ana", "token": "wrong"})
    assert bad_login.status_code == 401
    login = client.post("/login", data={"name": "ana", "token": "s3cret"}, follow_redirects=False)
    assert login.status_code == 303
    form = client.get(f"/commitments/{first}").text
    assert 'name="csrf"' in form
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    no_csrf = client.post(f"/commitments/{first}/review", data={"action": "confirm"})
    assert no_csrf.status_code == 403
    done = client.post(
        f"/commitments/{first}/review",
        data={"action": "override", "status": "stalled", "note": "web", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    detail = client.get(f"/commitments/{first}.json").json()["commitment"]
    assert detail["status"] == "stalled" and detail["reviews"][-1]["reviewer"] == "ana"
    client.post("/logout")


def test_web_post_documents_requires_token_and_ingests(client):
    text = "Date: 2019-05-05\n\nNorway signed a fisheries agreement with Iceland on Sunday."
    assert client.post("/api/documents", content=text).status_code == 401
    done = client.post(
        "/api/documents",
        content=text,
        headers={"authorization": "Bearer s3cret", "content-type": "text/plain"},
    )
    assert done.status_code == 200 and done.json()["added"] == 1
    again = client.post(
        "/api/documents",
        content=text,
        headers={"authorization": "Bearer s3cret", "content-type": "text/plain"},
    )
    assert again.json()["added"] == 0


def test_web_openapi_schema_lists_routes(client):
    schema = client.get("/openapi.json").json()
    for path in (
        "/",
        "/documents",
        "/events",
        "/dyad/{a}/{b}",
        "/commitments",
        "/commitments/{commitment_id}",
        "/api/documents",
    ):
        assert path in schema["paths"]


def test_web_unknown_ids_are_404(client):
    assert client.get("/documents/ffffffffffff").status_code == 404
    assert client.get("/commitments/ffffffffffff").status_code == 404


def test_web_quad_filter(client):
    rows = client.get("/events.json?quad=4&limit=1000").json()["events"]
    assert all(r["quad_class"] == 4 for r in rows)
    everything = client.get("/events.json?quad=&limit=1000").json()["events"]
    assert len(everything) > len(rows)


def test_web_chart_library_is_served_locally(client):
    page = client.get("/dyad/RUS/JPN").text
    assert "cdn" not in page.lower()
    if '<script src="/static/plotly.min.js">' in page:
        js = client.get("/static/plotly.min.js")
        assert js.status_code == 200 and "plotly" in js.text[:2000].lower()
    assert "<svg" in page  # the no-JavaScript chart
