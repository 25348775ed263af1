"""Tokens for matching: lowercase words, English stop words dropped, plurals folded, plus
bigrams — so "trails" in a passion meets "trail" in a listing.

Only plurals are folded. A full stemmer (Snowball, Porter) also merges words that mean different
things to people here: "musicals" and "music", "marketing" and "market", "anime", "animal" and
"animation", "running" (the hobby) and "run" (as in "I run a shop"). Other word forms ("hiking",
"hiker") come from the hobby lexicon, which lists them.

>>> analyzer("Hiking the trails, then live jazz!")
['hiking', 'trail', 'live', 'jazz', 'hiking trail', 'trail live', 'live jazz']
>>> [stem(w) for w in ("parties", "classes", "dishes", "boxes", "games", "class", "chorus", "tennis")]
['party', 'class', 'dish', 'box', 'game', 'class', 'chorus', 'tennis']
"""

from __future__ import annotations

import re
from functools import lru_cache

from recommender.passions.stop_words import ENGLISH_STOP_WORDS

# scikit-learn's English list minus words that name things people do or love ("fire" in fire
# spinning, "show", "back" in backcountry talk, "system", "call", "go" as the board game …).
KEEP = {
    "fire",
    "bill",
    "call",
    "system",
    "show",
    "front",
    "back",
    "side",
    "bottom",
    "fill",
    "find",
    "found",
    "give",
    "keep",
    "move",
    "name",
    "part",
    "interest",
    "mill",
    "thick",
    "thin",
    "full",
    "empty",
    "detail",
    "describe",
    "serious",
    "sincere",
    "first",
    "third",
    "last",
    "hundred",
    "top",
    "go",
    "con",
    "computer",
    "amount",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "forty",
    "fifty",
    "sixty",
    "up",
    "down",
    "well",
}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - KEEP)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_KEEP_S = ("ss", "us", "is", "ous", "'s")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The singular of an English plural (a light, predictable stemmer); other words unchanged."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def words(text: str) -> list[str]:
    """Lowercase word tokens with English stop words removed ("D&D" keeps its letters)."""
    text = text.lower()
    if "’" in text:  # the pattern treats ’ and ' alike, so replacing first keeps the same tokens
        text = text.replace("’", "'")
    tokens = _WORD.findall(text)
    if "'" in text:
        tokens = [t.removesuffix("'s") for t in tokens]
    return [t for t in tokens if t and t not in STOP_WORDS]


def raw_tokens(text: str) -> list[str]:
    """The word tokens of ``text`` before stop words go: :func:`words` keeps
    ``[t for t in map(token_word, raw_tokens(text)) if t]``, a text's tokens one at a time."""
    text = text.lower()
    return _WORD.findall(text.replace("’", "'") if "’" in text else text)


def token_word(token: str) -> str | None:
    """The word :func:`words` keeps of one of :func:`raw_tokens`, None for a stop word."""
    word = token.removesuffix("'s")
    return word if word and word not in STOP_WORDS else None


class _KeptWords(dict):
    """Raw token -> :func:`token_word` (None for a stop word), filled as tokens are met."""

    def __missing__(self, token: str) -> str | None:
        if len(self) > 1 << 20:  # hostile text cannot grow it without bound
            self.clear()
        self[token] = word = token_word(token)
        return word


_KEPT = _KeptWords()


def kept_words(tokens: list[str]) -> tuple[str, ...]:
    """``words(text)`` from ``raw_tokens(text)``: a dictionary look-up per token."""
    return tuple(filter(None, map(_KEPT.__getitem__, tokens)))


def shrinks_to_one_word(text: str) -> bool:
    """Several words that are one once stop words go: matched as that one word, they would mean
    something else ("going out" is not "going", "co-working" not "working").

    >>> shrinks_to_one_word("going out"), shrinks_to_one_word("co-working"), shrinks_to_one_word("hikes")
    (True, True, False)
    """
    return len(words(text)) == 1 and len(_WORD.findall(text.lower())) > 1


def analyzer(text: str) -> list[str]:
    """Stemmed unigrams and bigrams (the ``analyzer`` given to ``TfidfVectorizer``)."""
    stems = [stem(w) for w in words(text)]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]
