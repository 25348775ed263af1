"""From what a person writes ("I love board games, hiking and live jazz") to separate passions.

>>> split_passions("I love board games, hiking and live jazz")
['board games', 'hiking', 'live jazz']
>>> split_passions("Dungeons & Dragons\\nsalsa dancing")
['Dungeons & Dragons', 'salsa dancing']
"""

from __future__ import annotations

import re

from scrapers.errors import KindredError


class PassionError(KindredError):
    """The passions text holds nothing to match on."""


# Lead-ins that say *that* someone likes something, not *what* they like.
_LEAD_INS = re.compile(
    r"^(?:(?:and|also|but|so|really|just|i|i'm|im|i am|i'd|we|we're|my|me|to|"
    r"love|loves|loving|like|likes|enjoy|enjoys|into|passionate about|interested in|fan of|"
    r"would love to|would like to|want to|wanna|get back into|getting into|learn|learning|"
    r"a|an|the|some|lots of|more)(?:\s+|$))+",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:[,;/\n•|]+|\band\b|\bor\b|\bplus\b)\s*", re.IGNORECASE)


def split_passions(text: str) -> list[str]:
    """Split free text into distinct passions (commas, semicolons, new lines, "and", "or").

    Raises ``PassionError`` when nothing is left after removing lead-ins like "I love".
    """
    passions: list[str] = []
    for piece in _SEPARATORS.split(text or ""):
        piece = _LEAD_INS.sub("", piece.strip(" .!?:-\t")).strip(" .!?:-\t")
        if len(re.sub(r"\W", "", piece)) >= 2 and piece.lower() not in (p.lower() for p in passions):
            passions.append(piece)
    if not passions:
        raise PassionError(
            f'no passion found in {text!r}: name what you love, e.g. kindred query "board games, hiking"'
        )
    return passions
