"""The FastAPI app: HTML pages, each with a JSON twin (``.json`` suffix or
``Accept: application/json``), over one DuckDB store owned by the server process.

Routes (docs/api.md): ``/``, ``/documents``, ``/documents/{id}``, ``/events`` (+ ``.csv``),
``/dyad/{a}/{b}``, ``/actors/{code}``, ``/commitments``, ``/commitments/{id}``,
``POST /commitments/{id}/review`` (signed-in, CSRF), ``/login``, ``/logout``,
``POST /api/documents`` (bearer token), ``/openapi.json``.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Annotated

import duckdb
from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
)
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from dyad.output.formats import render_events
from dyad.store import queries
from dyad.store.commitment_queries import add_review, get_commitment, list_commitments
from dyad.store.db import connect
from dyad.web.auth import COOKIE, Auth
from dyad.web.chart import monthly_chart

TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZE = 50
# Offsets beyond any store (and beyond what DuckDB takes as a 64-bit integer) are clamped.
MAX_OFFSET = 10**15
JSON_KEYS_STABLE = "documented keys keep their names and types; new keys may be added"


def _wants_json(request: Request, path_json: bool) -> bool:
    return path_json or "application/json" in request.headers.get("accept", "")


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"{value!r} is not a date; use YYYY-MM-DD") from exc


@dataclass
class EventQuery:
    """The events explorer's query parameters (form fields arrive as text, "" when empty)."""

    actor: str = ""
    a: str = ""
    b: str = ""
    code: str = ""
    plover: str = ""
    quad: str = ""
    since: str = ""
    until: str = ""
    q: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE

    @property
    def quad_class(self) -> int:
        """The quad class filter as a number (0: none)."""
        return int(self.quad) if self.quad.strip().isdigit() else 0

    def event_filter(self, limit: int | None = None) -> queries.EventFilter:
        """The store query for these parameters."""
        return queries.EventFilter(
            actor=self.actor or None,
            between=(self.a, self.b) if self.a and self.b else None,
            code=self.code or None,
            plover=self.plover or None,
            since=_date(self.since),
            until=_date(self.until),
            limit=max(1, min(limit or self.limit, 1000)),
            offset=min(max(self.offset, 0), MAX_OFFSET),
        )


def marked_text(doc: dict) -> Markup:
    """The document text, escaped, with actors and triggers wrapped in <mark> elements."""
    text = doc["text"]
    marks: list[tuple[int, int, str, str]] = []
    for m in doc["mentions"]:
        marks.append((m["start"], m["end"], "actor", m["actor"]))
    for e in doc["events"]:
        marks.append((e["trigger_start"], e["trigger_end"], "trigger", e["cameo"]))
    marks.sort(key=lambda x: (x[0], -x[1]))
    out, last = [], 0
    for start, end, kind, label in marks:
        if start < last:
            continue  # overlapping marks: keep the first
        out.append(escape(text[last:start]))
        out.append(
            f'<mark class="{kind}" title="{escape(label)}">{escape(text[start:end])}'
            f"<sup>{escape(label)}</sup></mark>"
        )
        last = end
    out.append(escape(text[last:]))
    return Markup("".join(out).replace("\n\n", "</p><p>"))


STATIC = Path(__file__).parent / "static"
# Largest request body accepted (POST /api/documents, forms).
MAX_REQUEST_BYTES = 10 * 2**20
# Sent with every response. No inline script anywhere: the chart code is a static file.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(
    db: str | None = None, auth: Auth | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> FastAPI:
    """Build the app over the store at ``db`` (opened once, for reading and reviews), or over
    an open connection ``con`` (``dyad serve --parquet``: read-only, no reviews or ingest)."""
    app = FastAPI(
        title="dyad", version="0.1.0", description=f"dyad JSON API. Stability: {JSON_KEYS_STABLE}."
    )
    read_only = con is not None
    con = con if con is not None else connect(db)
    lock = threading.Lock()
    templates = Jinja2Templates(directory=str(TEMPLATES))
    auth = auth or Auth()

    def cursor():
        return con.cursor()

    def page(request: Request, name: str, context: dict, as_json: bool):
        if _wants_json(request, as_json):
            return JSONResponse(jsonable(context))
        cookie = request.cookies.get(COOKIE)
        context = {**context, "user": auth.user(cookie), "csrf": auth.csrf(cookie)}
        return templates.TemplateResponse(request, name, context)

    @app.get("/", response_class=HTMLResponse)
    @app.get("/index.json", include_in_schema=False)
    def overview(request: Request):
        """Counts, busiest pairs, latest documents, commitments by status."""
        cur = cursor()
        summary = queries.summary(cur)
        by_status: dict[str, int] = {}
        for c in list_commitments(cur):
            by_status[c["status"]] = by_status.get(c["status"], 0) + 1
        context = {
            "counts": {k: summary[k] for k in ("documents", "mentions", "events")},
            "top_pairs": [
                {"a": a, "b": b, "events": n, "goldstein": g} for a, b, n, g in summary["top_pairs"]
            ],
            "latest": queries.list_documents(cur, limit=10),
            "commitments_by_status": by_status,
        }
        return page(request, "overview.html", context, request.url.path.endswith(".json"))

    @app.get("/documents", response_class=HTMLResponse)
    @app.get("/documents.json", include_in_schema=False)
    def documents(request: Request, offset: int = 0, limit: int = PAGE_SIZE):
        """Documents, newest first."""
        rows = queries.list_documents(
            cursor(), limit=max(1, min(limit, 500)), offset=min(max(offset, 0), MAX_OFFSET)
        )
        context = {"documents": rows, "offset": offset, "limit": limit}
        return page(request, "documents.html", context, request.url.path.endswith(".json"))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str):
        """One document with its mentions and events (``/documents/ID.json`` for JSON)."""
        as_json = doc_id.endswith(".json")
        doc = queries.get_document(cursor(), doc_id.removesuffix(".json"))
        if doc is None:
            raise HTTPException(404, f"no document {doc_id}")
        context = {"document": doc}
        if not _wants_json(request, as_json):
            context["marked"] = marked_text(doc)
        return page(request, "document.html", context, as_json)

    def filtered_events(query: EventQuery, limit: int | None = None):
        try:
            rows = queries.find_events(cursor(), query.event_filter(limit))
        except Exception as exc:  # QueryError and bad values
            raise HTTPException(400, str(exc)) from exc
        if query.quad_class:
            rows = [r for r in rows if r["quad_class"] == query.quad_class]
        if query.q:
            needle = query.q.lower()
            rows = [
                r
                for r in rows
                if needle in (r["trigger"] or "").lower() or needle in (r["title"] or "").lower()
            ]
        return rows

    @app.get("/events", response_class=HTMLResponse)
    @app.get("/events.json", include_in_schema=False)
    def events(request: Request, query: Annotated[EventQuery, Depends()]):
        """The events explorer: filters, pagination, CSV download of the same filter."""
        rows = filtered_events(query)
        context = {
            "events": rows,
            "filters": asdict(query),
            "offset": query.offset,
            "limit": query.limit,
            "query": request.url.query,
        }
        return page(request, "events.html", context, request.url.path.endswith(".json"))

    @app.get("/events.csv", response_class=PlainTextResponse)
    def events_csv(request: Request, query: Annotated[EventQuery, Depends()]):
        """The current filter as CSV (up to 1,000 rows unless ``limit`` is given)."""
        limit = None if "limit" in request.query_params else 1000
        return PlainTextResponse(
            render_events(filtered_events(query, limit), "csv"), media_type="text/csv"
        )

    @app.get("/dyad/{a}/{b}", response_class=HTMLResponse)
    def pair(request: Request, a: str, b: str):
        """A pair of countries: monthly events by quad class, mean Goldstein, the event list."""
        as_json = b.endswith(".json")
        b = b.removesuffix(".json")
        cur = cursor()
        monthly = queries.pair_monthly(cur, a, b)
        rows = queries.find_events(cur, queries.EventFilter(between=(a, b), limit=200))
        context = {"a": a.upper(), "b": b.upper(), "monthly": monthly, "events": rows}
        if not _wants_json(request, as_json):
            context["chart"] = Markup(monthly_chart(monthly))
            context["plotly"] = plotly_path() is not None
        return page(request, "pair.html", context, as_json)

    @app.get("/actors/{code}", response_class=HTMLResponse)
    def actor(request: Request, code: str):
        """One actor (code prefix): its events."""
        as_json = code.endswith(".json")
        code = code.removesuffix(".json").upper()
        rows = queries.find_events(cursor(), queries.EventFilter(actor=code, limit=200))
        return page(request, "actor.html", {"code": code, "events": rows}, as_json)

    @app.get("/commitments", response_class=HTMLResponse)
    @app.get("/commitments.json", include_in_schema=False)
    def commitments(request: Request, party: str = "", as_of: str = ""):
        """The commitments board, grouped by status."""
        rows = list_commitments(cursor(), party=party or None, as_of=_date(as_of))
        board: dict[str, list[dict]] = {}
        for row in rows:
            board.setdefault(row["status"], []).append(row)
        context = {"board": board, "party": party, "as_of": as_of}
        return page(request, "commitments.html", context, request.url.path.endswith(".json"))

    @app.get("/commitments/{commitment_id}", response_class=HTMLResponse)
    def commitment(request: Request, commitment_id: str, as_of: str = ""):
        """One commitment: statements, evidence timeline, reviews, review form."""
        as_json = commitment_id.endswith(".json")
        found = get_commitment(cursor(), commitment_id.removesuffix(".json"), _date(as_of))
        if found is None:
            raise HTTPException(404, f"no commitment {commitment_id}")
        return page(request, "commitment.html", {"commitment": found}, as_json)

    @app.post("/commitments/{commitment_id}/review")
    def review(
        request: Request,
        commitment_id: str,
        action: str = Form(...),
        status: str = Form(""),
        note: str = Form(""),
        csrf: str = Form(""),
    ):
        """Record a review (signed-in users only; the form's CSRF token must match)."""
        if read_only:
            raise HTTPException(405, "this server reads Parquet output: reviews need a store")
        cookie = request.cookies.get(COOKIE)
        user = auth.user(cookie)
        if user is None:
            raise HTTPException(401, "sign in to review")
        if not csrf or csrf != auth.csrf(cookie):
            raise HTTPException(403, "bad or missing CSRF token; reload the page")
        with lock:
            try:
                add_review(
                    con,
                    commitment_id,
                    reviewer=user,
                    action=action,
                    new=status or None,
                    note=note or None,
                )
            except Exception as exc:
                raise HTTPException(400, str(exc)) from exc
        return RedirectResponse(f"/commitments/{commitment_id}", status_code=303)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        """The sign-in form."""
        return page(request, "login.html", {"error": None}, False)

    @app.post("/login")
    def login(request: Request, name: str = Form(...), token: str = Form(...)):
        """Sign in with a team name and token; sets the session cookie."""
        cookie = auth.sign_in(name, token)
        if cookie is None:
            return templates.TemplateResponse(
                request,
                "login.html",
                {"error": "unknown name or token", "user": None, "csrf": ""},
                status_code=401,
            )
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict")
        return response

    @app.post("/logout")
    def logout():
        """Sign out."""
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.post("/api/documents")
    async def post_documents(request: Request):
        """Ingest a text, HTML or JSONL body through the server (``Authorization: Bearer``)."""
        if auth.bearer(request.headers.get("authorization")) is None:
            raise HTTPException(401, "send Authorization: Bearer TOKEN")
        if read_only:
            raise HTTPException(405, "this server reads Parquet output: ingest into a store")
        import io

        from dyad.api import get_pipeline
        from dyad.commitments.build import rebuild
        from dyad.readers.sources import read_stream
        from dyad.store.db import write_batch
        from dyad.types import Document

        body = (await _read_limited(request)).decode("utf-8", errors="replace")
        kind = request.headers.get("content-type", "")
        fmt = "jsonl" if "json" in kind else "html" if "html" in kind else "text"
        items = list(read_stream(io.StringIO(body), "<request>", fmt=fmt))
        docs = [i for i in items if isinstance(i, Document)]
        errors = [str(i) for i in items if not isinstance(i, Document)]
        with lock:
            coded = list(get_pipeline().code(docs))
            added = write_batch(con, coded)
            if added:
                rebuild(con)
        return JSONResponse(
            {"read": len(docs), "added": added, "errors": errors, "ids": [d.id for d in docs]},
            status_code=200 if not errors else 207,
        )

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Refuse oversized bodies before reading them; add the security headers."""
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_REQUEST_BYTES):
            return JSONResponse(
                {"detail": f"request body over {MAX_REQUEST_BYTES:,} bytes"}, status_code=413
            )
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/static/pair-chart.js", include_in_schema=False)
    def pair_chart_js():
        """The pair page's chart script (a fixed file of the package)."""
        return FileResponse(STATIC / "pair-chart.js", media_type="application/javascript")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js():
        """plotly.js as shipped inside the plotly Python package (no CDN)."""
        path = plotly_path()
        if path is None:
            raise HTTPException(404, "plotly is not installed (pip install 'dyad[web]')")
        return FileResponse(path, media_type="application/javascript")

    app.state.con = con
    return app


async def _read_limited(request: Request) -> bytes:
    """The request body, refused with 413 once it passes ``MAX_REQUEST_BYTES`` (also when it
    comes chunked, without a Content-Length)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise HTTPException(413, f"request body over {MAX_REQUEST_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def plotly_path() -> Path | None:
    """The plotly.min.js bundled with the plotly package, if installed."""
    try:
        import plotly
    except ImportError:
        return None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path if path.exists() else None


def jsonable(value):
    """Make query results JSON-ready (dates to ISO strings, Markup dropped)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if not isinstance(v, Markup)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
