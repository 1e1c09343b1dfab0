"""dyad's own spaCy components."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("dyad_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so headlines and captions stand alone.

    Single line breaks are left alone: hard-wrapped text (wire copy) breaks lines mid-sentence.
    Runs before the parser, which keeps boundaries that are already set.
    """
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc
