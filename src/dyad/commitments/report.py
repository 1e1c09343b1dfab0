"""The "results of the visit" brief and the follow-up brief, as Markdown or HTML."""

from __future__ import annotations

import html
from datetime import date, timedelta

from dyad.output.formats import format_quantity

SUMMIT_WINDOW = (timedelta(days=3), timedelta(days=10))


def _in_window(day: str | None, summit: date | None) -> bool:
    if summit is None or not day:
        return True
    when = date.fromisoformat(day[:10]) if len(day) >= 10 else None
    if when is None:
        return False
    return summit - SUMMIT_WINDOW[0] <= when <= summit + SUMMIT_WINDOW[1]


def build_report(
    events: list[dict],
    commitments: list[dict],
    compliance: dict[str, dict],
    pair: tuple[str, str],
    summit: date | None,
    as_of: date | None,
) -> str:
    """Markdown text of both briefs for the pair of countries."""
    a, b = pair
    title = f"# {a}-{b}: results" + (f" of the summit of {summit.isoformat()}" if summit else "")
    lines = [title, ""]
    window_events = [e for e in events if _in_window(e.get("published"), summit)]
    signed = [e for e in window_events if e["cameo"] == "057"]
    lines += ["## Agreements signed", ""]
    seen = set()
    for e in signed:
        counts = "; ".join(format_quantity(q) for q in e["quantities"]) or "agreement(s)"
        key = (e["doc_id"], e["trigger_start"], counts)
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            f"- {counts} ({'/'.join(e['source'])} with {'/'.join(e['target'])}; "
            f"{e['published']}, document {e['doc_id'][:8]})"
        )
    if not signed:
        lines.append("- none coded")
    amounts = sorted(
        {format_quantity(q) for e in window_events for q in e["quantities"] if q["kind"] == "money"}
    )
    places = sorted({e["place"] for e in window_events if e.get("place")})
    lines += [
        "",
        "## Amounts and places",
        "",
        f"- amounts: {', '.join(amounts) or 'none coded'}",
        f"- places: {', '.join(places) or 'none coded'}",
        "",
    ]
    stated = [c for c in commitments if _in_window(c["first_date"], summit)]
    lines += ["## Commitments (projects, formats, expectations)", ""]
    for c in stated:
        objects = c["objects"]
        details = ", ".join(objects.get("names", [])[:3] + objects.get("places", [])[:2])
        money = ", ".join(format_quantity(q) for q in objects.get("amounts", []))
        deadline = f"; deadline {c['deadline']}" if c["deadline"] else ""
        lines.append(
            f"- [{c['id']}] {c['strength']}: {c['summary']}"
            + (f" ({details})" if details else "")
            + (f"; {money}" if money else "")
            + deadline
        )
    if not stated:
        lines.append("- none found")
    lines += ["", "## Follow-up" + (f" as of {as_of.isoformat()}" if as_of else ""), ""]
    for c in stated:
        lines.append(
            f"- [{c['id']}] **{c['status']}** since {c['status_since'] or c['first_date']}"
            f": {c['status_reason']}"
        )
    lines += [
        "",
        "## Compliance",
        "",
        "| party | commitments | fulfilled | G7 score (-1..+1) |",
        "|---|---|---|---|",
    ]
    for party, row in compliance.items():
        lines.append(
            f"| {party} | {row['commitments']} | {row['fulfilled_share']:.0%} | "
            f"{row['g7_score']:+.2f} |"
        )
    return "\n".join(lines) + "\n"


def markdown_to_html(markdown: str, title: str) -> str:
    """A small, safe HTML rendering of the report (all text escaped)."""
    body, in_list, in_table = [], False, False
    for line in markdown.splitlines():
        text = html.escape(line)
        text = text.replace("**", "")
        if line.startswith("# "):
            body.append(f"<h1>{text[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{text[3:]}</h2>")
        elif line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{text[2:]}</li>")
            continue
        elif line.startswith("|"):
            if set(line) <= set("|-"):
                continue
            cells = [c.strip() for c in text.strip("|").split("|")]
            if not in_table:
                body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr>")
                in_table = True
            else:
                body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if in_table:
            body.append("</table>")
            in_table = False
        if line.strip() and not line.startswith("#"):
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    if in_table:
        body.append("</table>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title></head><body>" + "\n".join(body) + "</body></html>\n"
    )
