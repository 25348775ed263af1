"""Which listings are one thing in a ranked list: the same series, however it is retitled.

A list shows one entry per series: the same title at the same place, on one day or every week.
Titles are compared loosely (:func:`series_title`), as the set of their words: "&" is "and", "@"
is "at", stop words, apostrophes and plural endings do not count ("Farmer's Market" is "Farmers'
Market"), nor do weekdays, the place's own name ("Montgomery's Inn Indoor Farmers' Market" is
"Indoor Farmer's Market at Montgomery's Inn" there) or the numbers of a series' nights ("Comedy
Night #3", "Part 2", "Vol. 4", "2025").

>>> series_title("Yoga Mornings @ Soulpepper") == series_title("Yoga Mornings at Soulpepper")
True
>>> series_title("Farmer's Market") == series_title("The Farmers' Market")
True
>>> series_title("Comedy Showcase #12"), series_title("Open Mic - Night 3 (Part II)")
('comedy showcase', 'mic night open')
>>> a = series_title("Montgomery's Inn Indoor Farmer's Market", "Montgomery's Inn")
>>> a == series_title("Indoor Farmers' Market at Montgomery's Inn", "Montgomery's Inn")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from recommender.passions.stemming import stem
from recommender.passions.stop_words import ENGLISH_STOP_WORDS
from scrapers.event import Event, loose_text

# a marker word and its number ("Part 2", "Vol. IV", "Episode 12"), a "#3" or "No. 3", an ordinal
# ("3rd"), a number alone, or a Roman numeral alone after a separator ("Open Mic II")
_NUMBERED = re.compile(
    r"\b(?:(?:part|vol|volume|episode|ep|chapter|round|edition|no|number)\s+"
    r"(?:\d+|[ivxlc]+)\b)|#\s*\d+\b|\b\d+(?:st|nd|rd|th)?\b|\b(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)\b",
)

_WEEKDAYS = {stem(d) for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


@lru_cache(maxsize=1 << 16)  # titles and venues repeat
def _words(text: str) -> tuple[str, ...]:
    text = text.replace("@", " at ").replace("'", "").replace("’", "")
    return tuple(stem(w) for w in _NUMBERED.sub(" ", loose_text(text)).split())


def series_title(title: str, venue: str = "") -> str:
    """The form the titles of one series share (see the module notes): its words, plurals folded,
    sorted, without stop words, weekdays, numbers or the words of ``venue``."""
    words = _words(title)
    place = set(_words(venue))
    kept = [w for w in words if w not in place and w not in ENGLISH_STOP_WORDS and w not in _WEEKDAYS]
    kept = kept or words  # a title that is only its place stays whole
    return " ".join(sorted(set(kept)))


def series_key(event: Event) -> tuple[str, str]:
    """What makes two listings one entry of a list: the series title and the place."""
    venue = event.venue or ""
    return series_title(event.title, venue), " ".join(_words(venue))
