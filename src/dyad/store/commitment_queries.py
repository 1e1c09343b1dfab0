"""Reads of the commitment tables and the append-only review log."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import duckdb

from dyad.commitments.track import STATUS_ORDER, Evidence, status_as_of
from dyad.errors import QueryError

REVIEW_ACTIONS = ("confirm", "reject", "override")


def _reviews(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    cursor = con.execute(
        'SELECT id, target_kind, target_id, reviewer, action, old, new, note, "at" '
        'FROM reviews ORDER BY "at", id'
    )
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        out.setdefault(row["target_id"], []).append(row)
    return out


def _evidence(con: duckdb.DuckDBPyConnection) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for row in con.execute(
        'SELECT id, commitment_id, doc_id, start, "end", date, implies, score, reason '
        "FROM evidence ORDER BY date, doc_id, start"
    ).fetchall():
        item = Evidence(*row)
        out.setdefault(item.commitment_id, []).append(item)
    return out


def list_commitments(
    con: duckdb.DuckDBPyConnection,
    *,
    party: str | None = None,
    status: str | None = None,
    since: date | None = None,
    until: date | None = None,
    as_of: date | None = None,
) -> list[dict]:
    """Commitments (first stated between since/until) with their status as of ``as_of``."""
    if status and status not in STATUS_ORDER + ("rejected",):
        raise QueryError(f"unknown status {status!r}; choose one of {', '.join(STATUS_ORDER)}")
    cursor = con.execute("SELECT * FROM commitments ORDER BY first_date, first_doc_id, first_start")
    names = [d[0] for d in cursor.description]
    fetched = cursor.fetchall()  # before other queries reuse the connection
    evidence, reviews = _evidence(con), _reviews(con)
    out = []
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        if party and not any(p.startswith(party.upper()[:3]) for p in row["parties"]):
            continue
        if since and row["first_date"] and row["first_date"] < since:
            continue
        if until and row["first_date"] and row["first_date"] > until:
            continue
        if as_of and row["first_date"] and row["first_date"] > as_of:
            continue
        own_reviews = reviews.get(row["id"], [])
        own_reviews += [r for e in evidence.get(row["id"], []) for r in reviews.get(e.id, [])]
        current, reason, since_date = status_as_of(
            row["initial_status"],
            row["deadline"],
            evidence.get(row["id"], []),
            own_reviews,
            as_of,
        )
        if any(r["action"] == "reject" and r["target_kind"] == "commitment" for r in own_reviews):
            current, reason = "rejected", "rejected by review"
        if status and current != status:
            continue
        row["objects"] = json.loads(row["objects"]) if row["objects"] else {}
        row["first_date"] = row["first_date"].isoformat() if row["first_date"] else None
        row.update(
            status=current,
            status_reason=reason,
            status_since=since_date.isoformat() if since_date else None,
            evidence_count=len(evidence.get(row["id"], [])),
        )
        out.append(row)
    return out


def get_commitment(
    con: duckdb.DuckDBPyConnection, commitment_id: str, as_of: date | None = None
) -> dict | None:
    """One commitment with its mentions, evidence (with sentences) and reviews."""
    rows = [c for c in list_commitments(con, as_of=as_of) if c["id"].startswith(commitment_id)]
    if not rows:
        return None
    if len(rows) > 1:
        raise QueryError(f"commitment id prefix {commitment_id!r} is ambiguous")
    commitment = rows[0]
    doc_ids = [
        r[0]
        for r in con.execute(
            "SELECT doc_id FROM commitment_mentions WHERE commitment_id = ? UNION "
            "SELECT doc_id FROM evidence WHERE commitment_id = ?",
            [commitment["id"], commitment["id"]],
        ).fetchall()
    ]
    texts = dict(
        con.execute(
            "SELECT id, text FROM documents WHERE list_contains(?, id)", [doc_ids]
        ).fetchall()
    )
    commitment["mentions"] = [
        {
            "doc_id": d,
            "event_id": e,
            "start": s,
            "end": n,
            "date": t.isoformat() if t else None,
            "reason": r,
            "text": texts.get(d, "")[s:n],
        }
        for _, d, e, s, n, t, r in con.execute(
            "SELECT * FROM commitment_mentions WHERE commitment_id = ? ORDER BY date, doc_id",
            [commitment["id"]],
        ).fetchall()
    ]
    commitment["evidence"] = [
        {
            "id": i,
            "doc_id": d,
            "start": s,
            "end": n,
            "date": t.isoformat() if t else None,
            "implies": imp,
            "score": sc,
            "reason": r,
            "text": texts.get(d, "")[s:n],
        }
        for i, _, d, s, n, t, imp, sc, r in con.execute(
            "SELECT * FROM evidence WHERE commitment_id = ? ORDER BY date, doc_id, start",
            [commitment["id"]],
        ).fetchall()
    ]
    ids = [commitment["id"]] + [e["id"] for e in commitment["evidence"]]
    reviews = _reviews(con)
    commitment["reviews"] = [
        {**r, "at": r["at"].isoformat()} for i in ids for r in reviews.get(i, [])
    ]
    return commitment


def add_review(
    con: duckdb.DuckDBPyConnection,
    target_id: str,
    *,
    reviewer: str,
    action: str,
    new: str | None = None,
    note: str | None = None,
) -> dict:
    """Append a review of a commitment or an evidence link; never edits machine records."""
    if action not in REVIEW_ACTIONS:
        raise QueryError(f"review action must be one of {REVIEW_ACTIONS}, not {action!r}")
    if action == "override" and new not in STATUS_ORDER:
        raise QueryError(f"--status must be one of {', '.join(STATUS_ORDER)}")
    if not reviewer:
        raise QueryError("a review needs a reviewer name (--reviewer)")
    commitment = con.execute(
        "SELECT id FROM commitments WHERE starts_with(id, ?)", [target_id]
    ).fetchall()
    evidence = con.execute(
        "SELECT id FROM evidence WHERE starts_with(id, ?)", [target_id]
    ).fetchall()
    if len(commitment) + len(evidence) != 1:
        raise QueryError(
            f"{target_id!r} matches {len(commitment) + len(evidence)} commitments "
            "or evidence links; give a full id"
        )
    kind, full_id = ("commitment", commitment[0][0]) if commitment else ("evidence", evidence[0][0])
    old = None
    if kind == "commitment":
        old = next((c["status"] for c in list_commitments(con) if c["id"] == full_id), None)
    at = datetime.now()
    review_id = hashlib.sha256(f"{full_id}:{reviewer}:{at.isoformat()}".encode()).hexdigest()[:16]
    con.execute(
        "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [review_id, kind, full_id, reviewer, action, old, new, note, at],
    )
    return {
        "id": review_id,
        "target_kind": kind,
        "target_id": full_id,
        "action": action,
        "old": old,
        "new": new,
        "reviewer": reviewer,
        "note": note,
        "at": at.isoformat(),
    }


G7_SCORE = {"fulfilled": 1, "partially_fulfilled": 0, "in_progress": 0}


def compliance(commitments: list[dict]) -> dict[str, dict]:
    """Per party: share fulfilled, and the G7 Research Group score (+1 fulfilled, 0 partial or
    in progress, -1 otherwise) averaged over the party's commitments."""
    per_party: dict[str, list[str]] = {}
    for c in commitments:
        if c["status"] == "rejected":
            continue
        for party in c["parties"]:
            per_party.setdefault(party, []).append(c["status"])
    return {
        party: {
            "commitments": len(statuses),
            "fulfilled_share": round(statuses.count("fulfilled") / len(statuses), 3),
            "g7_score": round(sum(G7_SCORE.get(s, -1) for s in statuses) / len(statuses), 3),
        }
        for party, statuses in sorted(per_party.items())
    }
