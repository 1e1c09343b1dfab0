"""Load the actor dictionaries (bundled data files plus user ``--dict`` files).

Files (all in ``dyad/actors/data``, formats in docs/dictionaries.md):

- countries.tsv  ``iso3 names demonyms capitals``
- places.tsv     ``names iso3 kind``
- people.tsv     ``names code start end role``  (date ranges decide the role)
- organisations.tsv, companies.tsv, bodies.tsv ``names code start end note``
- agents.tsv     ``names agent note`` (generic nouns: "officials", "troops", "the two countries")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry

from dyad.errors import DictionaryError
from dyad.tsv import read_tsv, split_values

DATA_DIR = Path(__file__).parent / "data"
NAMED_FILES = {
    "organisations.tsv": "organisation",
    "companies.tsv": "company",
    "bodies.tsv": "body",
    "groups.tsv": "group",
}
EXTRA_COUNTRIES = {"XKX": "Kosovo"}
_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary meaning of a name.

    kind (str): country, demonym, capital, place, person, organisation, company, body, user.
    start, end (date | None): when the entry holds (people's terms of office).
    """

    code: str
    name: str
    kind: str
    start: date | None = None
    end: date | None = None
    role: str = ""

    @property
    def country(self) -> str:
        """The first three letters of the code: ISO alpha-3 or IGO/NGO."""
        return self.code[:3]

    @property
    def agent(self) -> str:
        """The agent part of the code after the country ("GOV" of "JPNGOV")."""
        return self.code[3:6]


@dataclass(slots=True)
class Dictionaries:
    """All actor names: ``names`` maps a surface form to its entries, ``agents`` generic nouns."""

    names: dict[str, list[ActorEntry]] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)

    def add(self, surface: str, entry: ActorEntry) -> None:
        """Register ``surface`` as a name of ``entry`` (several entries may share a name)."""
        self.names.setdefault(surface, []).append(entry)


def _date(cell: str, path: Path, line: int) -> date | None:
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError as exc:
        raise DictionaryError(str(path), line, f"bad date {cell!r}; use YYYY-MM-DD") from exc


def _check_code(code: str, path: Path, line: int) -> str:
    if not _CODE.match(code):
        raise DictionaryError(str(path), line, f"bad actor code {code!r}; expected e.g. JPNGOV")
    return code


def _load_countries(dicts: Dictionaries, path: Path) -> None:
    for line, row in read_tsv(path, ("iso3", "names", "demonyms", "capitals")):
        iso3 = row["iso3"]
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None and iso3 not in EXTRA_COUNTRIES:
            raise DictionaryError(str(path), line, f"{iso3!r} is not an ISO 3166 alpha-3 code")
        canonical = getattr(country, "common_name", None) or (
            country.name if country else EXTRA_COUNTRIES[iso3]
        )
        names = split_values(row["names"])
        display = names[0] if names else canonical
        dicts.country_names[iso3] = display
        official = [canonical] + ([country.name] if country else [])
        for surface in dict.fromkeys(names + official):
            dicts.add(surface, ActorEntry(iso3, display, "country"))
        for surface in split_values(row["demonyms"]):
            dicts.add(surface, ActorEntry(iso3, display, "demonym"))
        for surface in split_values(row["capitals"]):
            dicts.add(surface, ActorEntry(iso3 + "GOV", surface, "capital"))
            dicts.places.setdefault(surface, (iso3, "capital"))


def _load_places(dicts: Dictionaries, path: Path) -> None:
    for line, row in read_tsv(path, ("names", "iso3", "kind")):
        iso3 = _check_code(row["iso3"], path, line)
        names = split_values(row["names"])
        for surface in names:
            dicts.places.setdefault(surface, (iso3, row["kind"] or "place"))
            dicts.add(surface, ActorEntry(iso3, names[0], "place", role=row["kind"]))


def load_named(dicts: Dictionaries, path: Path, kind: str) -> None:
    """Load a ``names code start end ...`` file (people, organisations, companies, user dicts)."""
    for line, row in read_tsv(path, ("names", "code")):
        code = _check_code(row["code"], path, line)
        names = split_values(row["names"])
        if not names:
            raise DictionaryError(str(path), line, "no names given")
        start = _date(row.get("start", ""), path, line)
        end = _date(row.get("end", ""), path, line)
        role = row.get("role") or row.get("note") or ""
        for surface in names:
            dicts.add(surface, ActorEntry(code, names[0], kind, start, end, role))


def _load_agents(dicts: Dictionaries, path: Path) -> None:
    for line, row in read_tsv(path, ("names", "agent")):
        agent = row["agent"]
        if not re.fullmatch(r"(DYAD(:[A-Z]{3})?|[A-Z]{3})", agent):
            raise DictionaryError(
                str(path), line, f"bad agent {agent!r}; expected e.g. GOV or DYAD:GOV"
            )
        for surface in split_values(row["names"]):
            dicts.agents.setdefault(surface.lower(), agent)


def load_dictionaries(extra: tuple[str, ...] = ()) -> Dictionaries:
    """Return the bundled dictionaries plus user files in ``extra`` (``names code start end``)."""
    return _load_cached(tuple(str(Path(p).resolve()) for p in extra))


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> Dictionaries:
    dicts = Dictionaries()
    _load_countries(dicts, DATA_DIR / "countries.tsv")
    if (DATA_DIR / "places.tsv").exists():
        _load_places(dicts, DATA_DIR / "places.tsv")
    for path in sorted(DATA_DIR.glob("people*.tsv")):
        load_named(dicts, path, "person")
    for name, kind in NAMED_FILES.items():
        if (DATA_DIR / name).exists():
            load_named(dicts, DATA_DIR / name, kind)
    if (DATA_DIR / "agents.tsv").exists():
        _load_agents(dicts, DATA_DIR / "agents.tsv")
    for path in extra:
        load_named(dicts, Path(path), "user")
    return dicts


def pick_entry(entries: list[ActorEntry], when: date | None) -> tuple[ActorEntry, str]:
    """Choose the meaning of a name at date ``when``; returns the entry and a reason.

    A dated entry whose range contains ``when`` wins; then undated entries; a person
    known only from earlier terms becomes a former official (agent ELI).
    """
    user = [e for e in entries if e.kind == "user"]
    pool = user or entries
    if when is not None:
        current = [
            e
            for e in pool
            if e.start is not None and e.start <= when and (e.end is None or when <= e.end)
        ]
        if current:
            best = max(current, key=lambda e: e.start)
            return best, f"{best.kind} {best.role} {best.start}..{best.end or ''}".strip()
    undated = [e for e in pool if e.start is None and e.end is None]
    if undated:
        return undated[0], undated[0].kind
    if when is None:
        latest = max(pool, key=lambda e: e.start or date.min)
        return latest, f"{latest.kind} {latest.role} (no document date: latest term)"
    past = [e for e in pool if e.end is not None and e.end < when]
    if past:
        last = max(past, key=lambda e: e.end)
        former = ActorEntry(
            last.country + "ELI", last.name, last.kind, last.start, last.end, "former"
        )
        return former, f"former {last.role} (left office {last.end})"
    first = min(pool, key=lambda e: e.start or date.max)
    return ActorEntry(
        first.country, first.name, first.kind
    ), f"{first.kind} before office ({first.start})"
