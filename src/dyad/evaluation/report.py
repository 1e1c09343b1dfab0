"""Render evaluation scores for people (a text report) and programs (JSON)."""

from __future__ import annotations

from dyad.evaluation.score import Scores

HEADLINE = (
    ("event-type accuracy (PLOVER)", "type_accuracy"),
    ("macro-F1 over PLOVER types", "macro_f1"),
    ("CAMEO root-code accuracy", "cameo_root_accuracy"),
    ("CAMEO exact-code accuracy", "cameo_exact_accuracy"),
    ("source country accuracy", "source_accuracy"),
    ("target country accuracy", "target_accuracy"),
    ("dyad accuracy", "dyad_accuracy"),
    ("no-event precision", "no_event_precision"),
    ("no-event recall", "no_event_recall"),
    ("negation agreement", "negation_accuracy"),
)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_report(scores: Scores, name: str, misses: int = 20) -> str:
    """A plain-text report: headline figures, per-type F1, confusion table, first misses."""
    lines = [
        f"dyad eval: {name}",
        f"cases {scores.cases}, with an event {scores.event_cases}, "
        f"retired type (INVESTIGATE) {scores.retired_cases}",
        "",
    ]
    width = max(len(label) for label, _ in HEADLINE)
    lines += [f"{label.ljust(width)}  {_fmt(getattr(scores, key))}" for label, key in HEADLINE]
    if scores.retired_cases:
        lines.append(
            f"{'retired-type sentences with an event'.ljust(width)}  "
            f"{_fmt(scores.retired_detected)}"
        )
    if scores.per_type:
        lines += ["", "type           precision  recall  f1     support"]
        for label, row in scores.per_type.items():
            lines.append(
                f"{label:<14} {row['precision']:<10.3f} {row['recall']:<7.3f} "
                f"{row['f1']:<6.3f} {row['support']}"
            )
    if scores.confusion:
        predicted = sorted({p for row in scores.confusion.values() for p in row})
        lines += ["", "confusion (rows gold, columns predicted)"]
        short = [p[:5] for p in predicted]
        lines.append(" " * 12 + " ".join(f"{s:>5}" for s in short))
        for gold, row in scores.confusion.items():
            lines.append(f"{gold[:11]:<12}" + " ".join(f"{row.get(p, 0):>5}" for p in predicted))
    if scores.misses and misses:
        lines += ["", f"misses (first {min(misses, len(scores.misses))} of {len(scores.misses)})"]
        for miss in scores.misses[:misses]:
            gold, pred = miss["gold"], miss["predicted"]
            g = "none" if gold is None else f"{gold['source']} {gold['plover']} {gold['target']}"
            p = (
                "none"
                if pred is None
                else (
                    f"{pred['source']} {pred['plover'] or pred['cameo']} "
                    f"{pred['target']} ({pred['trigger']})"
                )
            )
            lines.append(f"- {miss['id']}: gold {g} | got {p}")
            lines.append(f"  {miss['text'][:160]}")
    return "\n".join(lines) + "\n"
