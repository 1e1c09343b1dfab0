"""The ``dyad`` command line: a thin layer over ``dyad.api``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from dyad import api
from dyad.errors import DyadError
from dyad.output.formats import FORMATS, format_quantity, render_events, render_marked_text
from dyad.readers.jsonl import parse_field_map

SAMPLE_DIR = Path(__file__).parent / "sample"


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


db_option = click.option(
    "--db", default="dyad.duckdb", show_default=True, envvar="DYAD_DB", help="DuckDB store file."
)


@click.group()
@click.version_option(package_name="dyad")
def cli() -> None:
    """dyad: code news about summits into events and track what was promised."""


def coding_options(command):
    """The options that choose how documents are coded (ingest, batch, eval)."""
    command = click.option(
        "--rules-only", is_flag=True, help="Code with the patterns alone (no classifier)."
    )(command)
    command = click.option(
        "--fast",
        is_flag=True,
        help="Patterns and the lexical classifier only: several times faster, less accurate "
        "(bulk coding).",
    )(command)
    command = click.option(
        "--accurate",
        is_flag=True,
        help="Require the fine-tuned MiniLM classifier (the default when the embed extra is "
        "installed): fail instead of falling back to --fast without it.",
    )(command)
    command = click.option(
        "--exhaustive",
        is_flag=True,
        help="Parse every sentence and ask MiniLM about every sentence with an actor "
        "(slowest; by default only sentences naming an actor are parsed).",
    )(command)
    return command


def _coding(rules_only: bool, accurate: bool, exhaustive: bool, fast: bool) -> dict:
    if fast and (rules_only or accurate or exhaustive):
        raise click.UsageError(
            "--fast cannot be combined with --rules-only, --accurate or --exhaustive"
        )
    if rules_only and accurate:
        raise click.UsageError("--rules-only and --accurate cannot be combined")
    classifier = False if rules_only else (True if accurate else None)
    return {"classifier": classifier, "exhaustive": exhaustive, "fast": fast}


def _run_ingest(
    paths, db, when, pattern, fields, fmt, dict_files, batch_size, quiet, defer=False, **coding
) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    field_map = parse_field_map(fields)

    def show_error(error):
        err.print(f"[red]error[/red] {error}", highlight=False)

    with Progress(
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        TextColumn("{task.completed} items"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None)
        report = api.ingest(
            paths,
            db,
            default_date=when,
            pattern=pattern,
            field_map=field_map,
            fmt=fmt,
            dict_files=tuple(dict_files),
            batch_size=batch_size,
            on_progress=lambda n: progress.advance(task, n),
            on_error=show_error,
            defer_commitments=defer,
            **coding,
        )
    if not quiet:
        err.print(
            f"read {report.read} documents: {report.added} added, {report.duplicates} "
            f"already stored, {len(report.errors)} failed; {report.events} events coded "
            f"-> {db}",
            highlight=False,
        )
        if defer:
            err.print(f"commitments not rebuilt: run `dyad rebuild --db {db}` when loaded")
    return 0 if report.ok else 1


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--date", "when", callback=_date, help="Publication date for documents without one.")
@click.option("--glob", "pattern", default="*", show_default=True, help="File pattern in folders.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="FIELD=NAME",
    help="Map a JSONL field, e.g. --field text=body (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "html", "jsonl"]),
    default="auto",
    show_default=True,
    help="Input format (auto: by suffix/content).",
)
@click.option(
    "--dict",
    "dict_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Extra actor dictionary (names, code, start, end; repeatable).",
)
@click.option("--batch-size", default=64, show_default=True, help="Documents per transaction.")
@click.option("--quiet", is_flag=True, help="No progress or summary.")
@coding_options
@click.option(
    "--workers", default=1, show_default=True, help="Processes for parsing (spaCy n_process)."
)
@click.option("--server", metavar="URL", help="Send documents to a running `dyad serve`.")
@click.option("--token", envvar="DYAD_TOKEN", help="Token for --server (or $DYAD_TOKEN).")
@click.option(
    "--defer-commitments",
    "defer",
    is_flag=True,
    help="Store documents and events only; rebuild commitments later with `dyad rebuild` "
    "(for a series of bulk loads).",
)
def ingest(
    paths,
    db,
    when,
    pattern,
    fields,
    fmt,
    dict_files,
    batch_size,
    quiet,
    rules_only,
    accurate,
    exhaustive,
    fast,
    workers,
    server,
    token,
    defer,
):
    """Read, code and store documents from files, folders or - (stdin).

    Example: dyad ingest articles/ feed.jsonl --date 2016-12-17
    """
    if server:
        report = api.ingest_via_server(
            paths,
            server,
            token or "",
            default_date=when,
            pattern=pattern,
            field_map=parse_field_map(fields),
            fmt=fmt,
            batch_size=batch_size,
        )
        for error in report.errors:
            click.echo(f"error {error}", err=True)
        if not quiet:
            click.echo(
                f"sent {report.read} documents to {server}: {report.added} added, "
                f"{report.duplicates} already stored, {len(report.errors)} failed",
                err=True,
            )
        sys.exit(0 if report.ok else 1)
    sys.exit(
        _run_ingest(
            paths,
            db,
            when,
            pattern,
            fields,
            fmt,
            dict_files,
            batch_size,
            quiet,
            defer=defer,
            workers=workers,
            **_coding(rules_only, accurate, exhaustive, fast),
        )
    )


@cli.command()
@db_option
@click.option("--actor", help="Actor code prefix on either side, e.g. JPN or RUSBUS.")
@click.option("--between", nargs=2, metavar="A B", help="Events between two actors (either way).")
@click.option("--code", help="CAMEO code prefix, e.g. 05 or 057.")
@click.option("--plover", help="PLOVER event type, e.g. AGREE.")
@click.option("--since", callback=_date, help="Event date on or after (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Event date on or before (YYYY-MM-DD).")
@click.option("--doc", help="Document id (or prefix).")
@click.option("--modality", type=click.Choice(["occurred", "planned", "expected", "hypothetical"]))
@click.option("--no-negated", is_flag=True, help="Leave out negated events.")
@click.option("--limit", type=int, help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--parquet", metavar="DIR", help="Query `dyad batch` output in place (no store).")
def events(
    db, actor, between, code, plover, since, until, doc, modality, no_negated, limit, fmt, parquet
):
    """List coded events, filtered.

    Example: dyad events --between RUS JPN --code 057 --format csv
    """
    rows = api.events(
        db,
        parquet=parquet,
        actor=actor,
        between=tuple(between) if between else None,
        code=code,
        plover=plover,
        since=since,
        until=until,
        doc=doc,
        modality=modality,
        include_negated=not no_negated,
        limit=limit,
    )
    click.echo(render_events(rows, fmt), nl=False)


@cli.command()
@click.argument("doc_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The document and its records as JSON.")
def show(doc_id, db, as_json):
    """Show a document with actors marked [text|CODE] and triggers {text|CAMEO}.

    Example: dyad show 3f2a9c
    """
    doc = api.document(db, doc_id)
    if doc is None:
        raise DyadError(f"no document with id {doc_id!r} in {db}; list ids with `dyad events`")
    if as_json:
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(f"{doc['id']}  {doc['published'] or 'undated'}  {doc['title'] or ''}")
    if doc["url"]:
        click.echo(doc["url"])
    click.echo("")
    click.echo(render_marked_text(doc))
    click.echo("")
    click.echo(render_events(doc["events"], "table"), nl=False)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db, as_json):
    """Counts of documents, mentions and events; events by root code; busiest pairs.

    Example: dyad stats --db dyad.duckdb
    """
    summary = api.stats(db)
    if as_json:
        click.echo(json.dumps(summary, indent=2, default=str))
        return
    click.echo(
        f"documents {summary['documents']}  mentions {summary['mentions']}  "
        f"events {summary['events']}  dates {summary['first_date']} .. {summary['last_date']}"
    )
    click.echo("events by CAMEO root: " + ", ".join(f"{r}:{n}" for r, n in summary["by_root"]))
    click.echo("events by modality: " + ", ".join(f"{m}:{n}" for m, n in summary["by_modality"]))
    click.echo("busiest pairs (events, mean Goldstein):")
    for a, b, n, g in summary["top_pairs"]:
        click.echo(f"  {a}-{b}  {n}  {g}")


@cli.command()
@click.option("--db", default="demo.duckdb", show_default=True, help="Store for the demo.")
def demo(db):
    """Ingest the bundled sample corpus and print the Russia-Japan events and a summary.

    Example: dyad demo --db demo.duckdb
    """
    corpus = [str(SAMPLE_DIR / kind) for kind in ("text", "html", "jsonl")]
    code = _run_ingest(corpus, db, None, "*", (), "auto", (), 64, False)
    rows = api.events(db, between=("RUS", "JPN"))
    click.echo("Events between Russia and Japan in the sample corpus:\n")
    click.echo(render_events(rows, "table"))
    summary = api.stats(db)
    by_type: dict[str, int] = {}
    for row in rows:
        by_type[row["plover"] or row["cameo"]] = by_type.get(row["plover"] or row["cameo"], 0) + 1
    planned = sum(1 for row in rows if row["modality"] != "occurred")
    money = [q for row in rows for q in row["quantities"] if q["kind"] == "money"]
    click.echo(
        f"Summary: {summary['documents']} documents ({summary['first_date']} .. "
        f"{summary['last_date']}), {summary['events']} events, {summary['mentions']} "
        f"actor mentions; {len(rows)} events between RUS and JPN, {planned} of them "
        "planned, expected or hypothetical."
    )
    click.echo(
        "RUS-JPN events by PLOVER type: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items(), key=lambda x: -x[1]))
    )
    if money:
        click.echo("Amounts: " + "; ".join(sorted({format_quantity(q) for q in money})))
    click.echo(
        "\nCommitments from the summit and what became of them (status as of three dates):\n"
    )
    checkpoints = ("2017-06-30", "2019-12-31", None)
    states = [
        {c["id"]: c["status"] for c in api.commitments(db, as_of=_date(None, None, d))}
        for d in checkpoints
    ]
    summit = [
        c
        for c in api.commitments(db)
        if c["first_date"]
        and c["first_date"] <= "2016-12-31"
        and set(c["parties"]) == {"JPN", "RUS"}
    ]
    click.echo(f"{'id':<14}{'2017-06-30':<13}{'2019-12-31':<13}{'now':<13}summary")
    for c in summit:
        row = "".join(f"{s.get(c['id'], '-'):<13}" for s in states)
        click.echo(f"{c['id']:<14}{row}{(c['summary'] or '')[:60]}")
    click.echo(
        f"\nExplore: .venv/bin/dyad events --db {db} --between RUS JPN --format csv\n"
        f"         .venv/bin/dyad show {rows[0]['doc_id'] if rows else 'DOC_ID'} --db {db}\n"
        f"         .venv/bin/dyad commitments --db {db} --as-of 2018-12-31\n"
        f"         .venv/bin/dyad report --db {db} --between RUS JPN --summit 2016-12-16\n"
        f"         .venv/bin/dyad stats --db {db}\n"
        f"\nWeb app: .venv/bin/dyad serve --db {db}  then open http://127.0.0.1:8000/"
    )
    if code:
        sys.exit(code)


def _commitment_table(rows: list[dict]) -> str:
    header = ("id", "first", "parties", "strength", "status", "since", "deadline", "summary")
    lines = ["  ".join(header)]
    for r in rows:
        lines.append(
            "  ".join(
                [
                    r["id"],
                    r["first_date"] or "",
                    "-".join(r["parties"]),
                    r["strength"],
                    r["status"],
                    r["status_since"] or "",
                    r["deadline"] or "",
                    (r["summary"] or "")[:70],
                ]
            )
        )
    lines.append(f"({len(rows)} commitment{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


@cli.command(name="rebuild")
@db_option
def rebuild_command(db):
    """Recompute commitments, their evidence and statuses from the stored events (after
    `dyad ingest --defer-commitments`). Reviews are kept.

    Example: dyad rebuild --db big.duckdb
    """
    count = api.rebuild_commitments(db)
    click.echo(f"{count} commitments rebuilt in {db}", err=True)


@cli.command(name="commitments")
@db_option
@click.option("--party", help="Country code of a party, e.g. JPN.")
@click.option("--status", help="Only commitments with this status.")
@click.option("--since", callback=_date, help="First stated on or after (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="First stated on or before (YYYY-MM-DD).")
@click.option("--as-of", "as_of", callback=_date, help="Status as of this date.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def commitments_command(db, party, status, since, until, as_of, fmt):
    """List commitments with their status (as of a date), filtered.

    Example: dyad commitments --party JPN --as-of 2018-12-31
    """
    rows = api.commitments(db, party=party, status=status, since=since, until=until, as_of=as_of)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        columns = (
            "id",
            "first_date",
            "parties",
            "strength",
            "status",
            "status_since",
            "deadline",
            "predicate",
            "summary",
            "first_doc_id",
        )
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([";".join(r[c]) if c == "parties" else r[c] for c in columns])
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(_commitment_table(rows), nl=False)


@cli.command(name="commitment")
@click.argument("commitment_id")
@db_option
@click.option("--as-of", "as_of", callback=_date, help="Status as of this date.")
@click.option("--json", "as_json", is_flag=True)
def commitment_command(commitment_id, db, as_of, as_json):
    """Show one commitment: its statements, evidence timeline and reviews.

    Example: dyad commitment 858fbf38
    """
    found = api.commitment(db, commitment_id, as_of)
    if found is None:
        raise DyadError(
            f"no commitment {commitment_id!r} in {db}; list them with `dyad commitments`"
        )
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(
        f"{found['id']}  {'-'.join(found['parties'])}  {found['strength']}  "
        f"status {found['status']} since {found['status_since'] or found['first_date']}"
    )
    click.echo(f"  {found['status_reason']}")
    click.echo(f"  action: {found['predicate']}  deadline: {found['deadline'] or '-'}")
    click.echo(f"  objects: {json.dumps(found['objects'], ensure_ascii=False)}")
    click.echo("statements:")
    for m in found["mentions"]:
        click.echo(f"  {m['date']}  [{m['doc_id'][:8]} {m['start']}-{m['end']}] {m['text'][:150]}")
    click.echo("evidence:")
    for e in found["evidence"]:
        click.echo(f"  {e['date']}  {e['implies']:<12} [{e['id']}] {e['text'][:120]}")
        click.echo(f"      {e['reason']} (score {e['score']})")
    if found["reviews"]:
        click.echo("reviews:")
        for r in found["reviews"]:
            click.echo(
                f"  {r['at']}  {r['reviewer']}: {r['action']} {r['new'] or ''} {r['note'] or ''}"
            )


@cli.command(name="review")
@click.argument("target_id")
@db_option
@click.option("--reviewer", required=True, help="Who reviews (recorded in the audit log).")
@click.option("--confirm", "action", flag_value="confirm", help="Confirm the machine record.")
@click.option("--reject", "action", flag_value="reject", help="Reject the commitment/evidence.")
@click.option("--status", help="Override the commitment's status from now on.")
@click.option("--note", help="Why.")
def review_command(target_id, db, reviewer, action, status, note):
    """Confirm, reject or override a commitment's status or an evidence link (append-only).

    Example: dyad review 858fbf38 --status fulfilled --reviewer ana --note "met 2017-03-20"
    """
    if status:
        action = "override"
    if not action:
        raise click.UsageError("give --confirm, --reject or --status STATUS")
    done = api.review(db, target_id, reviewer=reviewer, action=action, status=status, note=note)
    click.echo(
        f"review {done['id']}: {done['action']} {done['target_kind']} "
        f"{done['target_id']} {done['old'] or ''} -> {done['new'] or ''}"
    )


@cli.command(name="report")
@db_option
@click.option("--between", nargs=2, required=True, metavar="A B", help="The pair of countries.")
@click.option("--summit", callback=_date, help="Summit date: the results brief covers it.")
@click.option("--as-of", "as_of", callback=_date, help="Follow-up status as of this date.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
def report_command(db, between, summit, as_of, fmt):
    """Results-of-the-visit and follow-up briefs for a pair of countries.

    Example: dyad report --between RUS JPN --summit 2016-12-16 --format html > brief.html
    """
    click.echo(api.report(db, tuple(between), summit, as_of, fmt), nl=False)


@cli.command(name="batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, metavar="DIR", help="Output folder or URI for Parquet.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--workers", default=1, show_default=True, help="Processes (local) or actors (ray).")
@click.option("--batch-size", default=64, show_default=True, help="Documents per Parquet part.")
@click.option("--date", "when", callback=_date, help="Publication date for documents without one.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="FIELD=NAME",
    help="Map a JSONL/Parquet field, e.g. --field text=body (repeatable).",
)
@click.option("--quiet", is_flag=True, help="No summary.")
@coding_options
def batch_command(
    inputs,
    out,
    engine,
    workers,
    batch_size,
    when,
    fields,
    quiet,
    rules_only,
    accurate,
    exhaustive,
    fast,
):
    """Code JSONL/text/HTML/Parquet inputs (paths or URIs) into Parquet partitioned by month.

    Example: dyad batch corpus.jsonl --out coded/ --engine ray --workers 4
    """
    report = api.batch(
        inputs,
        out,
        engine=engine,
        workers=workers,
        batch_size=batch_size,
        field_map=parse_field_map(fields),
        default_date=when,
        settings=_coding(rules_only, accurate, exhaustive, fast),
        on_error=lambda error: click.echo(f"error {error}", err=True),
    )
    if not quiet:
        rows = ", ".join(f"{n} {t}" for t, n in report.rows.items())
        click.echo(
            f"coded {report.documents} documents ({report.duplicates} repeated, "
            f"{len(report.errors)} failed) -> {out}: {rows}",
            err=True,
        )
    sys.exit(0 if not report.errors else 1)


@cli.command(name="load")
@click.argument("folder")
@db_option
def load_command(folder, db):
    """Bring `dyad batch` output into the DuckDB store (documents not yet stored).

    Example: dyad load coded/ --db dyad.duckdb
    """
    added = api.load(folder, db)
    click.echo(", ".join(f"{n} {t}" for t, n in added.items()) + f" added -> {db}", err=True)


@cli.command(name="serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--parquet", metavar="DIR", help="Serve `dyad batch` output in place (read-only).")
def serve_command(db, host, port, parquet):
    """Serve the web app and JSON API over the store (the server owns the database file).

    Example: dyad serve --db demo.duckdb --port 8000
    """
    try:
        import uvicorn

        from dyad.web.app import create_app
    except ImportError as exc:
        raise DyadError(
            f"the web app is an optional extra ({exc.name} is missing); run: "
            "pip install 'dyad[web]'"
        ) from exc
    if parquet:
        from dyad.store.parquet import open_parquet

        app = create_app(con=open_parquet(parquet))
    else:
        app = create_app(db)
    click.echo(f"dyad serving {parquet or db} on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="The same figures as JSON.")
@click.option("--misses", default=20, show_default=True, help="Misses to list in the report.")
@click.option(
    "--dict",
    "dict_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Extra actor dictionary (repeatable).",
)
@coding_options
def eval_command(gold, as_json, misses, dict_files, rules_only, accurate, exhaustive, fast):
    """Measure coding accuracy on a gold file (dyad JSONL or PLOVER gold-standard JSON).

    Example: dyad eval ../shared/data/gold/plover_gsr/plover_gsr_dev.json
    """
    from dyad.evaluation.report import render_report

    coding = _coding(rules_only, accurate, exhaustive, fast)
    scores = api.evaluate(gold, tuple(dict_files), **coding)
    if as_json:
        click.echo(json.dumps(scores.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_report(scores, gold, misses), nl=False)


def main() -> None:
    """Entry point: run the CLI, turning dyad errors into one-line messages and exit code 2."""
    try:
        cli(standalone_mode=True)
    except DyadError as exc:
        click.echo(f"dyad: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
