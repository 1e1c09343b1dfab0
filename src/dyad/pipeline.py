"""The only module that knows the stage order.

    ingest -> nlp (tokenise; spaCy's full pipeline only on sentences naming an actor)
           -> actors -> events (rules, then the classifier cascade) -> records

``Pipeline.code`` takes ``Document`` records and yields ``CodedDocument`` records (plain
data: the document, its mentions and events). Store writing and batching live in
``dyad.api``; this module opens no files and no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from dyad import __version__
from dyad.actors.dictionaries import load_dictionaries
from dyad.actors.resolve import ActorResolver, to_mentions
from dyad.coding.events import EventCoder
from dyad.coding.fallback import encoder_available, load_default_classifier
from dyad.coding.patterns import pattern_index
from dyad.errors import ModelError
from dyad.nlp.build import bound_caches, load_model, model_name
from dyad.nlp.selective import SelectiveParser
from dyad.types import CodedDocument, Document

# Documents coded inside one spaCy memory zone.
ZONE_DOCUMENTS = 256


class Pipeline:
    """Builds the stages once (model, dictionaries, patterns) and codes documents in batches.

    dict_files (tuple[str, ...]): user actor dictionaries (``names code start end``).
    pattern_files (tuple[str, ...]): user pattern files (docs/patterns.md).
    """

    def __init__(
        self,
        dict_files: tuple[str, ...] = (),
        pattern_files: tuple[str, ...] = (),
        lang: str = "en",
        batch_size: int = 32,
        classifier: bool | None = None,
        exhaustive: bool = False,
        fast: bool = False,
    ) -> None:
        self.settings = {
            "dict_files": tuple(dict_files),
            "pattern_files": tuple(pattern_files),
            "lang": lang,
            "batch_size": batch_size,
            "classifier": classifier,
            "exhaustive": exhaustive,
            "fast": fast,
        }
        self.lang = lang
        self.batch_size = batch_size
        self.nlp = load_model(lang)
        self.resolver = ActorResolver(self.nlp, load_dictionaries(tuple(dict_files)))
        self.parser = SelectiveParser(self.nlp, self.resolver.marks, exhaustive=exhaustive)
        # classifier: None = rules + lexical model + the fine-tuned MiniLM where it can change
        # the answer, when the embed extra is installed (default); True = the same, but the
        # encoder is required; False = rules only. fast = rules + lexical model only.
        # exhaustive = MiniLM on every sentence with an actor.
        self.exhaustive = exhaustive
        required = classifier is not False and (bool(classifier) or exhaustive)
        wants_encoder = required or (classifier is None and not fast and encoder_available())
        sentence_classifier = (
            load_default_classifier(wants_encoder, exhaustive) if classifier is not False else None
        )
        if required and (sentence_classifier is None or sentence_classifier.encoder is None):
            from dyad.learn.encoder import INSTALL_HINT

            raise ModelError(f"the sentence encoder is not available: {INSTALL_HINT}")
        self.classifier = sentence_classifier
        self.uses_classifier = sentence_classifier is not None
        self.coder = EventCoder(
            pattern_index(tuple(pattern_files)),
            self.version,
            classifier=sentence_classifier,
            threshold=sentence_classifier.fill_threshold if sentence_classifier else 0.0,
            override_threshold=(
                sentence_classifier.override_threshold if sentence_classifier else 1.0
            ),
        )

    @property
    def version(self) -> str:
        """The coder version recorded on every event: dyad version + model (+ classifier)."""
        suffix = f"+{self.classifier.name}" if self.classifier else ""
        return f"dyad-{__version__}/{model_name(self.nlp)}{suffix}"

    def code(self, documents: Iterable[Document], n_process: int = 1) -> Iterator[CodedDocument]:
        """Yield one ``CodedDocument`` per input document, in input order.

        n_process (int): worker processes, forked from this pipeline where the platform
            allows, else each building its own (``dyad.parallel``).
        """
        if n_process > 1:
            from dyad.parallel import code_in_processes

            yield from code_in_processes(self.settings, documents, n_process, pipeline=self)
            return
        iterator = iter(documents)
        while chunk := list(islice(iterator, ZONE_DOCUMENTS)):
            # strings spaCy learns from a chunk's texts are forgotten after it, so a long
            # stream does not grow the vocabulary without bound; only plain records leave
            with self.nlp.memory_zone():
                coded = list(self._code_chunk(chunk))
            bound_caches(self.nlp)
            yield from coded

    def _code_chunk(self, documents: list[Document]) -> Iterator[CodedDocument]:
        pairs = ((doc.text, doc) for doc in documents)
        for parsed, document in self.parser.pipe(pairs, batch_size=self.batch_size):
            spans = self.resolver.find(parsed, document.published)
            yield CodedDocument(
                document=document,
                mentions=to_mentions(parsed, document.id, spans),
                events=self.coder.code(parsed, document.id, spans, document.published),
                sentences=[(s.start_char, s.end_char) for s in parsed.sents],
            )

    def code_text(self, text: str, published=None) -> CodedDocument:
        """Code one text (convenience for the Python API and tests)."""
        from dyad.readers.sources import make_document

        item = make_document(text, "<text>", published=published)
        if not isinstance(item, Document):
            raise item
        return next(self.code([item]))
