"""Every pattern row carries an example sentence; the coder must code it as the row says."""

from __future__ import annotations

import pytest

from dyad.coding.intent import halt_code, intent_code, refusal_code, threat_code
from dyad.coding.patterns import all_patterns, read_patterns
from dyad.errors import DictionaryError

# Share of pattern examples that must code to the row's code, source and target. Rows can
# lose to a more specific row of another file, and the parser errs on a few sentences.
MIN_EXAMPLE_PASS_RATE = 0.97


def _recodings(code: str) -> set[str]:
    """The code, and what the clause rules may make of it (intent, threat, refusal, halt)."""
    return {
        code,
        intent_code(code),
        threat_code(code),
        threat_code(code, conditional=True),
        refusal_code(code),
        halt_code(code),
    }


def _example_countries(nlp_pipeline, example: str):
    coded = nlp_pipeline.code_text(example)
    countries = []
    for mention in sorted(coded.mentions, key=lambda m: m.start):
        if mention.country not in countries and mention.country not in {"IGO", "NGO"}:
            countries.append(mention.country)
    return coded, countries


def test_patterns_examples_code_as_their_rows(rules_pipeline):
    pipeline = rules_pipeline
    patterns = all_patterns()
    assert len(patterns) >= 1000
    failures = []
    for pattern in patterns:
        coded, countries = _example_countries(pipeline, pattern.example)
        if len(countries) < 2:
            failures.append((pattern.where, pattern.example, "fewer than two countries"))
            continue
        source, target = countries[0], countries[1]
        ok = any(
            e.cameo in _recodings(pattern.code)
            and e.source
            and e.source[0][:3] == source
            and e.target
            and e.target[0][:3] == target
            for e in coded.events
        )
        if not ok:
            got = [(e.source, e.cameo, e.target) for e in coded.events]
            failures.append((pattern.where, pattern.example, got))
    rate = 1 - len(failures) / len(patterns)
    report = "\n".join(map(str, failures[:40]))
    assert rate >= MIN_EXAMPLE_PASS_RATE, f"{rate:.3f} of examples pass; first failures:\n{report}"


def test_patterns_cover_every_cameo_root():
    roots = {p.code[:2] for p in all_patterns()}
    assert roots == {f"{n:02d}" for n in range(1, 21)}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("999\tV\tsign\t-\t-\t-\tx", "unknown CAMEO code"),
        ("057\tX\tsign\t-\t-\t-\tx", "pos must be V or N"),
        ("057\tV\tsign\t-\tnowhere\t-\tx", "unknown target slot"),
        ("057\tV\tsign\t-\t-\tloud\tx", "unknown flag"),
    ],
)
def test_patterns_bad_rows_name_file_and_line(tmp_path, row, message):
    path = tmp_path / "mine.tsv"
    path.write_text("code\tpos\ttrigger\tobject\ttarget\tflags\texample\n" + row + "\n", "utf-8")
    with pytest.raises(DictionaryError, match=message) as info:
        read_patterns(path)
    assert "mine.tsv:2" in str(info.value)
