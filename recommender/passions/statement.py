"""From what a person writes ("I love board games, hiking and live jazz") to separate passions.

>>> split_passions("I love board games, hiking and live jazz")
['board games', 'hiking', 'live jazz']
>>> split_passions("Dungeons & Dragons\\nsalsa dancing")
['Dungeons & Dragons', 'salsa dancing']
>>> split_passions("family days out, my kids are 4 and 7")
['family days out', 'kids are 4 & 7']

What a person says they do *not* want is kept apart:

>>> split_statement("board games and hiking, but not networking events")
(['board games', 'hiking'], ['networking events'])
>>> split_statement("anything outdoors except team sports; no pub crawls")
(['anything outdoors'], ['team sports', 'pub crawls'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recommender.passions.audience import without_constraints
from scrapers.errors import KindredError


class PassionError(KindredError):
    """The passions text holds nothing to match on."""


# Lead-ins that say *that* someone likes something, not *what* they like.
_LEAD_INS = re.compile(
    r"^(?:(?:and|also|but|so|really|just|i|i'm|im|i am|i'd|we|we're|my|me|to|who|"
    r"love|loves|loving|like|likes|enjoy|enjoys|into|passionate about|interested in|fan of|"
    r"would love to|would like to|want to|wanna|get back into|getting into|learn|learning|"
    r"a|an|the|some|lots of|more)(?:\s+|$))+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:[,;/\n•|]+|\band\b|\bor\b|\bplus\b)\s*", re.IGNORECASE)
# Where a "not this" part starts; everything after it, up to the next sentence, is unwanted.
_NEGATION = re.compile(
    r"(?:\b(?:except(?: for)?|other than|apart from|anything but|not into|not interested in|"
    r"(?:i\s+)?(?:hate|dislike|can't stand|cannot stand|do\s+not\s+(?:like|want)|don'?t\s+(?:like|want))"
    r")|(?:^|\b(?:but|and|though)\s+|[,;(]\s*)(?:not|no|never))\s+",
    re.IGNORECASE,
)
_NUMBERS_AND = re.compile(r"(\d)\s+and\s+(?=\d)", re.IGNORECASE)
_BUT = re.compile(r"\s+but\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n]+")


def split_statement(text: str | Sequence[str]) -> tuple[list[str], list[str]]:
    """Passions and unwanted things ("…but not networking", "no pub crawls") in ``text`` (a
    statement, or several read as separate lines).

    Raises ``PassionError`` when no passion is left after removing lead-ins like "I love".
    """
    if not isinstance(text, str):
        text = "\n".join(text)
    text = without_constraints(text or "")  # "I don't drink", "weekends only": constraints, not passions
    wanted, unwanted = [], []
    for sentence in _SENTENCE_END.split(text or ""):
        rest = sentence.strip()
        while match := _NEGATION.search(rest):  # "not X" runs to the next "but" or sentence end
            wanted.append(rest[: match.start()])
            scope, *after = _BUT.split(rest[match.end() :], maxsplit=1)
            unwanted.append(scope)
            rest = after[0] if after else ""
        wanted.append(rest)
    return split_passions("\n".join(wanted)), _pieces("\n".join(unwanted), negated=True)


def _pieces(text: str, *, negated: bool = False) -> list[str]:
    """Distinct pieces of ``text`` between separators, lead-ins (and for ``negated``, a leading
    "no"/"not"/"except" and brackets) removed."""
    strip = " .!?:-\t()" if negated else " .!?:-\t"
    pieces: list[str] = []
    for piece in _SEPARATORS.split(text or ""):
        piece = piece.strip(strip)
        if negated:
            piece = re.sub(r"^(?:no|not|except)\s+", "", piece, flags=re.IGNORECASE)
        piece = _LEAD_INS.sub("", piece).strip(strip)
        if len(re.sub(r"\W", "", piece)) >= 2 and piece.lower() not in (p.lower() for p in pieces):
            pieces.append(piece)
    return pieces


def split_passions(text: str) -> list[str]:
    """Split free text into distinct passions (commas, semicolons, new lines, "and", "or").

    Raises ``PassionError`` when nothing is left after removing lead-ins like "I love".
    """
    passions = _pieces(_NUMBERS_AND.sub(r"\1 & ", text or ""))  # "my kids are 4 and 7" is one piece
    if not passions:
        raise PassionError(
            f'no passion found in {text!r}: name what you love, e.g. kindred query "board games, hiking"'
        )
    return passions
