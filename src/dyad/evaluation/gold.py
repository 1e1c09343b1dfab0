"""Gold data readers: dyad's own JSONL format and the PLOVER gold-standard JSON.

dyad format (one JSON object a line)::

    {"id": "...", "text": "...", "date": "2016-12-16",
     "events": [{"source": ["JPN"], "target": ["RUS"], "cameo": "057", "plover": "SUPPORT",
                 "negated": false}]}

``"events": []`` means the sentence holds no event. ``cameo`` or ``plover`` may be absent.

PLOVER gold standard (a JSON array; the first element documents the file): each record has
``text``, ``date``, ``event`` (v0.5b1 labels, mapped to current PLOVER: DEMAND -> REQUEST,
DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT; INVESTIGATE has no current type and is scored apart),
``source``/``target`` lists of ``{actorText, code, sector}``, and ``textInfo.markup`` where
``SRC/TAR`` marks reciprocal actors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dyad.coding.cameo import plover_of
from dyad.errors import InputError

LEGACY_PLOVER = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
RETIRED_PLOVER = {"INVESTIGATE"}
# Country codes of older CAMEO releases that differ from ISO 3166 alpha-3.
LEGACY_COUNTRY_CODES = {"JAP": "JPN", "ITL": "ITA"}


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One expected event. ``reciprocal``: source and target may be swapped."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    cameo: str | None = None
    plover: str | None = None
    negated: bool = False
    reciprocal: bool = False


@dataclass(frozen=True, slots=True)
class GoldCase:
    """A sentence (or short text), its date, and the events it must yield (empty: none)."""

    id: str
    text: str
    date: date | None
    events: tuple[GoldEvent, ...]


def _codes(actors) -> tuple[str, ...]:
    if not actors:
        return ()
    if isinstance(actors, str):
        prefix = actors[:3].upper()
        return (LEGACY_COUNTRY_CODES.get(prefix, prefix),)
    out = []
    for actor in actors:
        code = actor.get("code", "") if isinstance(actor, dict) else str(actor)
        if code:
            prefix = code[:3].upper()
            out.append(LEGACY_COUNTRY_CODES.get(prefix, prefix))
    return tuple(dict.fromkeys(out))


def _date(value, item: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(item, f"bad date {value!r}") from exc


def plover_type(label: str | None) -> str | None:
    """Map a v0.5b1 PLOVER label to the current type (INVESTIGATE stays as it is)."""
    if not label:
        return None
    label = label.upper()
    return LEGACY_PLOVER.get(label, label)


def _read_plover_gsr(records: list, path: Path) -> list[GoldCase]:
    cases = []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or record.get("event") == "DOCUMENT":
            continue
        item = f"{path}:{record.get('id', index)}"
        if not record.get("text"):
            continue
        info = record.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
        source, target = _codes(record.get("source")), _codes(record.get("target"))
        reciprocal = "SRC/TAR" in markup or (not target and len(source) > 1)
        if reciprocal and not target:
            target = source
        event = GoldEvent(
            source, target, None, plover_type(record.get("event")), reciprocal=reciprocal
        )
        cases.append(
            GoldCase(
                str(record.get("id", index)),
                record["text"].strip(),
                _date(record.get("date"), item),
                (event,),
            )
        )
    return cases


def _read_dyad_jsonl(lines, path: Path) -> list[GoldCase]:
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(item, f"invalid JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(item, "expected an object with a text field")
        events = []
        for raw in record.get("events") or []:
            cameo = raw.get("cameo")
            plover = plover_type(raw.get("plover")) or (plover_of(cameo) if cameo else None)
            source, target = _codes(raw.get("source")), _codes(raw.get("target"))
            events.append(
                GoldEvent(
                    source,
                    target,
                    cameo,
                    plover or None,
                    bool(raw.get("negated")),
                    reciprocal=bool(source) and set(source) == set(target),
                )
            )
        cases.append(
            GoldCase(
                str(record.get("id", number)),
                record["text"],
                _date(record.get("date"), item),
                tuple(events),
            )
        )
    return cases


def read_gold(path: str | Path) -> list[GoldCase]:
    """Read a gold file in dyad's JSONL format or the PLOVER gold-standard JSON array."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    if content.lstrip().startswith("["):
        try:
            records = json.loads(content)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        return _read_plover_gsr(records, path)
    return _read_dyad_jsonl(content.splitlines(), path)
