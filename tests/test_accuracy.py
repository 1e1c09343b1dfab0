"""Regression guard: coding accuracy on dyad's own gold sentences must not drop.

tests/data/gold_dyad.jsonl holds 130 sentences written for dyad (all PLOVER types, no-event,
negated and statement cases). The floors are the figures reached when they were set, minus a
small margin for parser variation between model builds; see docs/evaluation.md.
"""

from __future__ import annotations

import pytest

from casefiles import DATA
from dyad.evaluation import evaluate, read_gold

# (with the learned fallback, rules only)
FLOORS = {
    "type_accuracy": (0.78, 0.68),
    "macro_f1": (0.78, 0.68),
    "source_accuracy": (0.87, 0.83),
    "target_accuracy": (0.79, 0.80),
    "no_event_recall": (0.70, 0.70),
    "negation_accuracy": (0.95, 0.95),
}


@pytest.fixture(scope="module")
def scores(pipeline):
    cases = read_gold(DATA / "gold_dyad.jsonl")
    assert len(cases) >= 100
    return evaluate(cases, lambda case: pipeline.code_text(case.text, case.date)), pipeline


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_on_own_gold_stays_above_floor(scores, metric):
    result, pipeline = scores
    floor = FLOORS[metric][0 if pipeline.uses_classifier else 1]
    value = getattr(result, metric)
    assert value is not None and value >= floor, f"{metric} {value} < {floor}"
