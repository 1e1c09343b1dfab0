"""Real-browser tests: Playwright driving Debian's chromium against a live `dyad serve`.

Skipped where playwright or /usr/bin/chromium is missing (.ci/run installs both). With
DYAD_SCREENSHOTS=1 the main pages are saved under docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="no chromium (apt-get install chromium)"
    ),
    pytest.mark.usefixtures("pipeline"),
]
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_DOC = (
    'Japan thanked Russia. <script>window.pwned = 1</script> <img src=x onerror="window.pwned=2">'
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    import dyad
    from dyad.cli import SAMPLE_DIR
    from dyad.web.app import create_app
    from dyad.web.auth import Auth

    db = str(tmp_path_factory.mktemp("live") / "live.duckdb")
    assert dyad.ingest([SAMPLE_DIR / k for k in ("text", "html", "jsonl")], db).ok
    xss = tmp_path_factory.mktemp("x") / "xss.txt"
    xss.write_text("Date: 2018-01-01\n\n" + SCRIPT_DOC + "\n", "utf-8")
    assert dyad.ingest([xss], db).ok
    port = _free_port()
    app = create_app(db, Auth({"ana": "s3cret"}, secret="browser"))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    if os.environ.get("DYAD_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Overview"),
        ("/documents", "Documents"),
        ("/events", "Events"),
        ("/dyad/RUS/JPN", "RUS"),
        ("/commitments", "Commitments"),
    ],
)
def test_browser_pages_load(server, page, path, heading):
    page.goto(server + path)
    assert heading in page.locator("h1").first.inner_text()
    _shot(page, {"/": "overview", "/dyad/RUS/JPN": "pair"}.get(path, path.strip("/")))


def test_browser_events_filter(server, page):
    page.goto(server + "/events")
    page.fill("input[name=code]", "057")
    with page.expect_navigation():
        page.click("form.filters button")
    assert "code=057" in page.url
    codes = page.locator("table.events tr td:nth-child(3)").all_inner_texts()
    assert codes and all(code.startswith("057") for code in codes)


def test_browser_document_marks_and_never_runs_ingested_scripts(server, page):
    page.goto(server + "/documents")
    page.click("text=Japan thanked Russia") if page.locator(
        "text=Japan thanked Russia"
    ).count() else None
    import json
    import urllib.request

    docs = json.load(urllib.request.urlopen(server + "/documents.json?limit=100"))["documents"]
    target = [d for d in docs if d["published"] == "2018-01-01"][0]
    page.goto(server + f"/documents/{target['id']}")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("mark.actor").count() >= 2
    first = [d for d in docs if d["events"]][0]
    page.goto(server + f"/documents/{first['id']}")
    assert page.locator("mark.trigger").count() >= 1
    _shot(page, "document")


def test_browser_sign_in_and_review(server, page):
    import json
    import urllib.request

    board = json.load(urllib.request.urlopen(server + "/commitments.json"))["board"]
    target = next(iter(board.values()))[0]["id"]
    page.goto(server + "/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=token]", "s3cret")
    with page.expect_navigation():
        page.click("main form button")
    page.goto(server + f"/commitments/{target}")
    page.select_option("select[name=action]", "override")
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=note]", "checked in the browser")
    with page.expect_navigation():
        page.click("main form button")
    assert "checked in the browser" in page.content()
    assert "in_progress" in page.locator("main p").first.inner_text()
    _shot(page, "commitment")


def test_browser_ingest_through_server(server, tmp_path):
    from click.testing import CliRunner

    from dyad.cli import cli

    doc = tmp_path / "new.txt"
    doc.write_text("Date: 2020-02-02\n\nFinland signed a trade agreement with Estonia.\n", "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(doc), "--server", server, "--token", "s3cret"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output


def test_browser_pair_chart_draws(server, page):
    page.goto(server + "/dyad/RUS/JPN")
    page.wait_for_selector("#chart .main-svg", timeout=15000)
    assert page.locator("#chart .main-svg").count() >= 1
    _shot(page, "pair")
