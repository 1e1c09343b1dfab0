"""Event output formats: table, csv, json, jsonl and gdelt (tab-separated, see docs/formats.md)."""

from __future__ import annotations

import csv
import io
import json

from dyad.errors import QueryError

FORMATS = ("table", "csv", "json", "jsonl", "gdelt")
CSV_COLUMNS = (
    "id",
    "date",
    "source",
    "target",
    "cameo",
    "plover",
    "goldstein",
    "quad_class",
    "modality",
    "negated",
    "trigger",
    "place",
    "quantities",
    "attributed_to",
    "doc_id",
    "sentence_start",
    "sentence_end",
    "trigger_start",
    "trigger_end",
)
GDELT_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "DatePrecision",
    "Actor1Code",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "ActionGeo_FullName",
    "SOURCEURL",
    "PLOVER",
    "Modality",
    "Negated",
    "DocId",
    "TriggerStart",
    "TriggerEnd",
)


def format_quantity(q: dict) -> str:
    """Render one quantity: ``>=70 agreement``, ``200000000 EUR``, ``~25000 ton``."""
    sign = {"at_least": ">=", "at_most": "<=", "about": "~"}.get(q.get("qualifier", ""), "")
    value = q["value"]
    text = f"{int(value)}" if float(value).is_integer() else f"{value}"
    return f"{sign}{text} {q['unit']}"


def _flat(row: dict, column: str) -> str:
    value = row.get(column)
    if column in {"source", "target"}:
        return ";".join(value or [])
    if column == "quantities":
        return ";".join(format_quantity(q) for q in value or [])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _gdelt_row(row: dict) -> list[str]:
    a1 = (row.get("source") or [""])[0]
    a2 = (row.get("target") or [""])[0]
    cameo = row["cameo"]
    return [
        row["id"],
        (row.get("date") or "").replace("-", "").ljust(8, "0") if row.get("date") else "",
        row.get("date_precision") or "",
        a1,
        a1[:3],
        a1[3:6],
        a2,
        a2[:3],
        a2[3:6],
        "1" if row.get("is_root") else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        str(row.get("quad_class", "")),
        str(row.get("goldstein", "")),
        row.get("place") or "",
        row.get("url") or "",
        row.get("plover") or "",
        row.get("modality") or "",
        "1" if row.get("negated") else "0",
        row["doc_id"],
        str(row["trigger_start"]),
        str(row["trigger_end"]),
    ]


def render_events(rows: list[dict], fmt: str) -> str:
    """Render event rows (from ``queries.find_events``) in ``fmt``; table is plain text."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows([_flat(r, c) for c in CSV_COLUMNS] for r in rows)
        return buffer.getvalue()
    if fmt == "gdelt":
        buffer.write("\t".join(GDELT_COLUMNS) + "\n")
        for row in rows:
            buffer.write("\t".join(v.replace("\t", " ") for v in _gdelt_row(row)) + "\n")
        return buffer.getvalue()
    return render_table(rows)


def render_table(rows: list[dict]) -> str:
    """A fixed-width table for terminals: date, source, code, target, flags, quantities, trigger."""
    header = (
        "date",
        "source",
        "cameo",
        "plover",
        "target",
        "modality",
        "quantities",
        "place",
        "trigger",
    )
    lines = []
    for r in rows:
        modality = r.get("modality") or ""
        if r.get("negated"):
            modality = "NOT " + modality
        lines.append(
            (
                _flat(r, "date"),
                _flat(r, "source"),
                r["cameo"],
                r.get("plover") or "",
                _flat(r, "target"),
                modality,
                _flat(r, "quantities"),
                r.get("place") or "",
                r.get("trigger") or "",
            )
        )
    widths = [max([len(h)] + [len(line[i]) for line in lines]) for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += [
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in lines
    ]
    out.append(f"({len(rows)} event{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def render_marked_text(doc: dict) -> str:
    """Return a document's text with actors marked ``[text|CODE]`` and triggers ``{text|CAMEO}``."""
    text = doc["text"]
    inserts: list[tuple[int, int, str]] = []  # (position, order, marker)
    seen = set()
    for m in doc["mentions"]:
        key = (m["start"], m["end"])
        codes = "/".join(x["actor"] for x in doc["mentions"] if (x["start"], x["end"]) == key)
        if key in seen:
            continue
        seen.add(key)
        inserts.append((m["start"], 1, "["))
        inserts.append((m["end"], 0, f"|{codes}]"))
    triggers: dict[tuple[int, int], set[str]] = {}
    for e in doc["events"]:
        triggers.setdefault((e["trigger_start"], e["trigger_end"]), set()).add(e["cameo"])
    for (start, end), codes in triggers.items():
        inserts.append((start, 2, "{"))
        inserts.append((end, -1, f"|{'/'.join(sorted(codes))}}}"))
    pieces, last = [], 0
    for position, _, marker in sorted(inserts, key=lambda x: (x[0], x[1])):
        pieces.append(text[last:position])
        pieces.append(marker)
        last = position
    pieces.append(text[last:])
    return "".join(pieces)
