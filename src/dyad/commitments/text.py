"""Light text features of a sentence for commitment matching: named things, topic words."""

from __future__ import annotations

import re

STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "nor",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "them",
        "he",
        "she",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "than",
        "then",
        "there",
        "here",
        "also",
        "more",
        "most",
        "other",
        "such",
        "into",
        "over",
        "under",
        "after",
        "before",
        "about",
        "between",
        "during",
        "since",
        "until",
        "said",
        "says",
        "say",
        "told",
        "according",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "today",
        "yesterday",
        "tomorrow",
        "new",
        "two",
        "three",
        "one",
        "first",
        "last",
        "next",
        "some",
        "all",
        "both",
        "each",
        "any",
        "many",
        "much",
        "very",
        "well",
        "just",
        "only",
        "even",
        "still",
        "already",
        "yet",
        "again",
        "further",
        "per",
        "cent",
        "percent",
        "mr",
        "ms",
    ]
)
# Words that name what a commitment is about (sectors and kinds of project).
SECTORS = {
    "energy",
    "oil",
    "gas",
    "lng",
    "pipeline",
    "nuclear",
    "coal",
    "power",
    "wind",
    "solar",
    "fisheries",
    "fish",
    "seafood",
    "farming",
    "agriculture",
    "greenhouse",
    "tourism",
    "health",
    "healthcare",
    "medicine",
    "pharmaceutical",
    "pharmaceutics",
    "recycling",
    "waste",
    "environment",
    "infrastructure",
    "railway",
    "port",
    "airport",
    "shipbuilding",
    "automotive",
    "engine",
    "engines",
    "car",
    "cars",
    "plant",
    "factory",
    "investment",
    "trade",
    "visa",
    "security",
    "defence",
    "defense",
    "military",
    "treaty",
    "border",
    "islands",
    "loan",
    "credit",
    "aid",
    "forum",
    "summit",
    "talks",
    "consultations",
    "dialogue",
    "zone",
}
# British and American spellings count as one word.
SPELLINGS = {"defence": "defense", "programme": "program", "centre": "center", "labour": "labor"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'+-]*|\d+\+\d+")
_NAME = re.compile(r"(?:[A-Z][\w'+-]*|\d\+\d)(?:\s+(?:of\s+|de\s+)?[A-Z][\w'+-]*|\s+\d\+\d)*")


def keywords(text: str) -> set[str]:
    """Lower-case content words of ``text`` (crudely singularised), without stopwords."""
    out = set()
    found = _WORD.findall(text)
    # "visa-free" also counts as "visa" and "free"
    found += [part for word in found if "-" in word for part in word.split("-") if part]
    for word in found:
        w = word.lower().strip("'")
        if w in STOPWORDS or len(w) < 3 and "+" not in w:
            continue
        w = SPELLINGS.get(w, w)
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            w = w[:-1]
        out.add(w)
    return out


def named_things(text: str, actor_words: set[str] = frozenset()) -> list[str]:
    """Capitalised multi-word names and formats ("Yamal LNG", "Eastern Economic Forum", "2+2"),
    leaving out the first word of the sentence and names of actors."""
    found = []
    for match in _NAME.finditer(text):
        name = match.group(0).strip()
        if match.start() == 0 and " " not in name:
            continue
        lowered = name.lower()
        if lowered in STOPWORDS or any(word in lowered for word in actor_words if len(word) > 3):
            continue
        if " " in name or "+" in name or any(c.isupper() for c in name[1:]):
            found.append(name)
    return list(dict.fromkeys(found))


def sectors(words: set[str]) -> list[str]:
    """The sector and project words among ``words``."""
    return sorted(w for w in words if w in SECTORS)
