from __future__ import annotations

from datetime import date

import pytest

from casefiles import read_cases

CASES = read_cases("events.tsv")


def _matches(event, source: str, code: str, target: str) -> bool:
    src = event.source[0] if event.source else "-"
    tgt = event.target[0] if event.target else "-"
    return (
        (src.startswith(source) if source != "-" else src == "-")
        and (tgt.startswith(target) if target != "-" else tgt == "-")
        and event.cameo.startswith(code)
    )


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_events_coded_from_sentence(pipeline, case):
    coded = pipeline.code_text(case["text"], date.fromisoformat(case["date"]))
    found = [(e.source, e.cameo, e.target) for e in coded.events]
    if case["expect"] == "none":
        assert coded.events == [], found
        return
    expected = [triple.split() for triple in case["expect"].split(";")]
    firsts = []
    for source, code, target in expected:
        hits = [e for e in coded.events if _matches(e, source, code, target)]
        assert hits, f"no {source} {code} {target} among {found}"
        firsts.append(hits[0])
    event = firsts[0]
    if case["modality"] != "-":
        assert event.modality == case["modality"]
    if case["negated"] != "-":
        assert event.negated == (case["negated"] == "true")
    if case["date_value"] != "-":
        assert event.date == case["date_value"]
    if case["quantity"] != "-":
        kind, value, unit, qualifier = case["quantity"].split(":")
        got = {(q.kind, q.value, q.unit, q.qualifier) for q in event.quantities}
        assert (kind, float(value), unit, qualifier) in got
    if case["place"] != "-":
        assert event.place == case["place"]
    if case["attributed"] != "-":
        assert (event.attributed_to or "").startswith(case["attributed"])


@pytest.mark.parametrize(
    ("label", "expected_root"),
    [
        ("AGREE", "13"),  # intent is the rules' business: the planned hostile act stays a threat
        ("SANCTION", "16"),  # a confident classifier of another type still picks the main event
    ],
)
def test_confident_classifier_overrides_rule_events_except_with_intent(label, expected_root):
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(fast=True)
    pipeline.coder.classifier = lambda texts, rule_labels: [(label, 0.99)] * len(texts)
    coded = pipeline.code_text(
        "Canada announced on Monday that it will withdraw its ambassador from Saudi Arabia.",
        date(2018, 8, 6),
    )
    roots = [e.cameo for e in coded.events if e.root]
    assert roots and roots[0].startswith(expected_root), [(e.cameo, e.root) for e in coded.events]


# (sentence, trigger of the main event): events in background clauses (adverbial, relative)
# give way to the main clause's, wherever they stand in the text
MAIN_CLAUSE_CASES = [
    ("After Russian troops shelled a Ukrainian town, France condemned Russia.", "condemned"),
    ("Japan agreed to send engineers to Sudan, whose army attacked rebels last week.", "agreed"),
]


@pytest.mark.parametrize(("text", "trigger"), MAIN_CLAUSE_CASES)
def test_main_event_comes_from_the_main_clause(pipeline, text, trigger):
    from dyad.coding.events import main_event

    events = pipeline.code_text(text).events
    assert len(events) >= 2, events
    assert main_event(events).trigger == trigger


# (sentence, CAMEO root that must not be coded): an event kept from happening is no event
PREVENTED_CASES = [
    ("The government imposed a curfew in Kisumu to prevent attacks on Somali traders.", "19"),
    ("Egypt mediated between the two sides to avert a war over the dam.", "19"),
]


@pytest.mark.parametrize(("text", "absent"), PREVENTED_CASES)
def test_events_prevented_event_is_not_coded(pipeline, text, absent):
    coded = pipeline.code_text(text, date(2024, 3, 5))
    assert not [e for e in coded.events if e.cameo.startswith(absent)], coded.events
