"""The reference case (DESIGN.md section 6): the seed commentary must yield these events.

The seed is read from ../shared/seed at test time and the test is skipped where it is absent.
"""

from __future__ import annotations

from datetime import date

import pytest

import dyad
from casefiles import SHARED

SEED_DIR = SHARED / "seed"
pytestmark = pytest.mark.skipif(not any(SEED_DIR.glob("*.txt")), reason="no ../shared/seed")


@pytest.fixture(scope="module")
def seed_events(tmp_path_factory, pipeline):
    db = str(tmp_path_factory.mktemp("seed") / "seed.duckdb")
    report = dyad.ingest(sorted(SEED_DIR.glob("*.txt")), db, default_date=date(2016, 12, 19))
    assert report.ok and report.added >= 1
    return dyad.events(db=db, between=("RUS", "JPN"))


def _counts(event):
    return {(q["value"], q["qualifier"]) for q in event["quantities"] if q["kind"] == "count"}


@pytest.mark.parametrize(
    ("value", "qualifier", "agent"),
    [(70, "at_least", "BUS"), (11, "exact", "GOV"), (1, "exact", "GOV")],
)
def test_seed_agreements_signed_with_counts(seed_events, value, qualifier, agent):
    signed = [e for e in seed_events if e["cameo"] == "057" and (value, qualifier) in _counts(e)]
    assert signed, f"no 057 event with count {value} ({qualifier})"
    pairs = {(e["source"][0], e["target"][0]) for e in signed}
    assert pairs == {("JPN" + agent, "RUS" + agent), ("RUS" + agent, "JPN" + agent)}
    assert all(e["modality"] == "occurred" and not e["negated"] for e in signed)


def test_seed_loan_to_novatek(seed_events):
    loans = [
        e
        for e in seed_events
        if any(
            q["kind"] == "money" and q["value"] == 200_000_000 and q["unit"] == "EUR"
            for q in e["quantities"]
        )
    ]
    assert loans, "no event carries the 200 million EUR loan"
    loan = loans[0]
    # a decided loan is a promise of economic aid (0331) until it is paid out (071)
    assert loan["cameo"][:2] in {"06", "07"} or loan["cameo"].startswith("033")
    assert loan["target"] == ["RUSBUS"]
    assert loan["source"][0].startswith("JPN")


def test_seed_revived_two_plus_two_format(seed_events):
    revived = [e for e in seed_events if e["trigger"].lower().startswith("reviv")]
    assert revived, "the revived 2+2 format is not coded"
    assert {e["source"][0][:3] for e in revived} == {"RUS", "JPN"}


def test_seed_abe_visit_to_vladivostok_is_planned(seed_events):
    # a planned visit is coded as the visit (042) or as the intent to meet (036)
    visits = [
        e for e in seed_events if e["cameo"] in {"042", "036"} and e["place"] == "Vladivostok"
    ]
    assert visits, "Abe's visit to Vladivostok is not coded"
    visit = visits[0]
    assert visit["source"] == ["JPNGOV"]
    assert visit["target"][0].startswith("RUS")
    assert visit["modality"] == "planned"
    assert visit["date"] == "2017"


def test_seed_sochi_event_dated_may_2016(seed_events):
    sochi = [e for e in seed_events if e["place"] == "Sochi"]
    assert sochi, "no event placed in Sochi"
    assert sochi[0]["date"] == "2016-05"
    assert sochi[0]["date_precision"] == "month"
    assert sochi[0]["source"] == ["JPNGOV"]
