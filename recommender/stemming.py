"""Tokens for matching: lowercase words, English stop words dropped, Snowball-stemmed, plus
bigrams — so "hiking" in a passion meets "hikes" in a listing.

>>> analyzer("Hiking the trails, then live jazz!")
['hike', 'trail', 'live', 'jazz', 'hike trail', 'trail live', 'live jazz']
>>> surface_forms("Hiking the trails")
{'hike': 'hiking', 'trail': 'trails', 'hike trail': 'hiking trails'}
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Lowercase word tokens with stop words and one-letter tokens removed."""
    out = []
    for token in _WORD.findall(text.lower()):
        token = token.replace("’", "'").removesuffix("'s")
        if len(token) > 1 and token not in ENGLISH_STOP_WORDS:
            out.append(token)
    return out


def analyzer(text: str) -> list[str]:
    """Stemmed unigrams and bigrams (the ``analyzer`` given to ``TfidfVectorizer``)."""
    stems = [stem(w) for w in words(text)]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


def surface_forms(text: str) -> dict[str, str]:
    """Map each stem (and stem bigram) in ``text`` to the words as written, for explanations."""
    tokens = words(text)
    stems = [stem(w) for w in tokens]
    forms = dict(zip(stems, tokens, strict=True))
    for i in range(len(stems) - 1):
        forms.setdefault(f"{stems[i]} {stems[i + 1]}", f"{tokens[i]} {tokens[i + 1]}")
    return forms
