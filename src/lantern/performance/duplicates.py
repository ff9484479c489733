"""One figure per measure: telling when two measures count the same thing.

Lantern computes a figure when it holds the records (DESIGN rule 5), so a partner must not also
type it in under another name. Two measures count the same thing when their names, read as sets
of significant words (abbreviations spelled one way, plurals folded, words like "held" or
"at period end" dropped), are equal, or when a computed measure's words are all in a typed
one's ("Return home interviews held" and "Return home interviews following a missing
episode"). Two computed measures are never flagged on containment: "Contacts about CSE" and
"Contacts about CSE leading to a referral" are a measure and a part of it, both computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Ways the documents write the same thing, folded to one form before words are compared.
SYNONYMS = [
    (r"\bchild(ren)? sexual exploitation\b", "cse"),
    (r"\bchild exploitation\b", "cse"),
    (r"\bcse\b", "cse"),
    (r"\bcawns?\b", "child abduction warning notice"),
    (r"\b(child )?abduction (warning )?notices?\b", "child abduction warning notice"),
    (r"\brunaways?\b|\brunning away\b", "missing"),
    (r"\bincidences?\b", "incident"),
]
# Words that say when or how a figure was counted, not what it counts.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "and",
        "or",
        "about",
        "with",
        "as",
        "end",
        "period",
        "number",
        "total",
        "held",
        "served",
        "made",
        "completed",
        "following",
        "during",
        "reported",
        "recorded",
    ]
)
COMPUTED = "computed"


@dataclass(frozen=True)
class Named:
    """A measure as the check sees it: its name, unit and where its figures come from."""

    code: str
    name: str
    unit: str
    kind: str


@lru_cache(maxsize=4096)
def significant_words(name: str) -> frozenset[str]:
    """The words of a measure's name that say what it counts (cached: a summary compares
    every pair of its rows)."""
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    for pattern, replacement in SYNONYMS:
        text = re.sub(pattern, replacement, text)
    words = set()
    for word in re.findall(r"[a-z0-9]+", text):
        if word in STOP_WORDS:
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return frozenset(words)


def count_the_same_thing(a: Named, b: Named) -> bool:
    """Whether two measures are one figure under two names (see the module's docstring)."""
    if a.unit != b.unit:
        return False
    words_a, words_b = significant_words(a.name), significant_words(b.name)
    if not words_a or not words_b:
        return False
    if words_a == words_b:
        return True
    if (a.kind == COMPUTED) == (b.kind == COMPUTED):
        return False
    computed, typed = (words_a, words_b) if a.kind == COMPUTED else (words_b, words_a)
    return len(computed) >= 2 and computed < typed


def duplicate_pairs(measures: Iterable[Named]) -> list[tuple[Named, Named]]:
    """Every pair of measures that count the same thing, in the order given."""
    listed = list(measures)
    return [
        (a, b) for i, a in enumerate(listed) for b in listed[i + 1 :] if count_the_same_thing(a, b)
    ]


def computed_twin(name: str, unit: str, computed: Iterable[Named]) -> Named | None:
    """The computed measure a new typed-in measure called `name` would duplicate, if any."""
    typed = Named("", name, unit, "entered")
    return next((c for c in computed if count_the_same_thing(typed, c)), None)
