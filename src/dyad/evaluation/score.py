"""Score coded events against gold cases (the rules are in docs/evaluation.md)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from dyad.coding.events import main_event
from dyad.evaluation.gold import RETIRED_PLOVER, GoldCase, GoldEvent
from dyad.types import CodedDocument, Event

NONE = "NONE"


@dataclass(slots=True)
class Scores:
    """Accuracy figures of one evaluation run; ``None`` where the gold set cannot say."""

    cases: int = 0
    event_cases: int = 0
    retired_cases: int = 0
    type_accuracy: float | None = None
    macro_f1: float | None = None
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    cameo_root_accuracy: float | None = None
    cameo_exact_accuracy: float | None = None
    source_accuracy: float | None = None
    target_accuracy: float | None = None
    dyad_accuracy: float | None = None
    no_event_precision: float | None = None
    no_event_recall: float | None = None
    negation_accuracy: float | None = None
    retired_detected: float | None = None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the figures as a JSON-ready dict."""
        return asdict(self)


def _country(codes: tuple[str, ...]) -> str | None:
    return codes[0][:3] if codes else None


def _actor_hits(gold: GoldEvent, pred: Event) -> tuple[bool | None, bool | None, bool | None]:
    """Whether the predicted source, target and dyad are right (None: gold does not say)."""
    ps, pt = _country(pred.source), _country(pred.target)
    if gold.reciprocal:
        pool = set(gold.source) | set(gold.target)
        src = ps in pool if gold.source else None
        tgt = pt in pool if gold.target else None
        dyad = (ps in pool and pt in pool and ps != pt) if gold.source and gold.target else None
        return src, tgt, dyad
    src = ps in gold.source if gold.source else None
    tgt = pt in gold.target if gold.target else None
    dyad = None
    if gold.source and gold.target:
        straight = ps in gold.source and pt in gold.target
        dyad = straight
    return src, tgt, dyad


def _mean(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def evaluate(
    cases: list[GoldCase], code: Callable[[GoldCase], CodedDocument], max_misses: int = 1000
) -> Scores:
    """Code every gold case with ``code`` and return the scores."""
    scores = Scores(cases=len(cases))
    type_hits, roots, exacts, sources, targets, dyads, negations = [], [], [], [], [], [], []
    retired_hits = []
    gold_none = pred_none = both_none = 0
    pairs: list[tuple[str, str]] = []
    confusion: dict[str, Counter] = defaultdict(Counter)
    for case in cases:
        coded = code(case)
        pred = main_event(coded.events)
        pred_type = (pred.plover or pred.cameo) if pred else NONE
        if pred is None:
            pred_none += 1
        if not case.events:
            gold_none += 1
            both_none += pred is None
            confusion[NONE][pred_type] += 1
            if pred is not None:
                scores.misses.append(_miss(case, None, pred))
            continue
        gold = case.events[0]
        if gold.plover in RETIRED_PLOVER:
            scores.retired_cases += 1
            retired_hits.append(pred is not None)
            continue
        scores.event_cases += 1
        gold_type = gold.plover or NONE
        pairs.append((gold_type, pred_type))
        confusion[gold_type][pred_type] += 1
        hit = pred_type == gold_type if gold.plover else None
        if hit is not None:
            type_hits.append(hit)
        if gold.cameo:
            roots.append(bool(pred) and pred.cameo[:2] == gold.cameo[:2])
            exacts.append(bool(pred) and pred.cameo == gold.cameo)
        if pred is not None:
            src, tgt, dyad = _actor_hits(gold, pred)
            negations.append(pred.negated == gold.negated)
        else:
            src = False if gold.source else None
            tgt = False if gold.target else None
            dyad = False if gold.source and gold.target else None
        for bucket, value in ((sources, src), (targets, tgt), (dyads, dyad)):
            if value is not None:
                bucket.append(value)
        if hit is False or src is False or tgt is False:
            scores.misses.append(_miss(case, gold, pred))
    scores.type_accuracy = _mean(type_hits)
    scores.per_type, scores.macro_f1 = _f1(pairs)
    scores.cameo_root_accuracy = _mean(roots)
    scores.cameo_exact_accuracy = _mean(exacts)
    scores.source_accuracy = _mean(sources)
    scores.target_accuracy = _mean(targets)
    scores.dyad_accuracy = _mean(dyads)
    scores.negation_accuracy = _mean(negations)
    scores.retired_detected = _mean(retired_hits)
    if gold_none:
        scores.no_event_recall = round(both_none / gold_none, 4)
        scores.no_event_precision = round(both_none / pred_none, 4) if pred_none else None
    scores.confusion = {g: dict(c) for g, c in sorted(confusion.items())}
    scores.misses = scores.misses[:max_misses]
    return scores


def _f1(pairs: list[tuple[str, str]]) -> tuple[dict[str, dict[str, float]], float | None]:
    labels = sorted({g for g, _ in pairs if g != NONE})
    per_type: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    macro = round(sum(v["f1"] for v in per_type.values()) / len(per_type), 4) if per_type else None
    return per_type, macro


def _miss(case: GoldCase, gold: GoldEvent | None, pred: Event | None) -> dict:
    return {
        "id": case.id,
        "text": case.text,
        "gold": None
        if gold is None
        else {
            "source": list(gold.source),
            "target": list(gold.target),
            "plover": gold.plover,
            "cameo": gold.cameo,
        },
        "predicted": None
        if pred is None
        else {
            "source": list(pred.source),
            "target": list(pred.target),
            "plover": pred.plover,
            "cameo": pred.cameo,
            "trigger": pred.trigger,
        },
    }
