"""Filler: a clause of a statement that says how someone feels or lives, not what they love.

"I love pottery and want to get out of the house" holds one passion and one aside. A clause is
filler when it names no hobby and is two or more words, every one of them an everyday English
word (``data/everyday_words.txt``: frequent words that name no hobby), a stop word or one of the
lexicon's generic words that name no field ("class", "live": "whatever has a beginners' class";
not "art" or "games"). Filler never claims places in a list that other clauses fill; it may only
reorder them (see :meth:`~recommender.ranking.ranker.PassionRanker.rank`). A short unknown word ("Angular",
"Bollywood") or a rarer phrase ("panel discussions") is not filler: it may be a passion the
lexicon does not know.

>>> is_filler("get out of the house"), is_filler("don't know anyone"), is_filler("sit with people")
(True, True, True)
>>> is_filler("whatever has a beginners' class"), is_filler("live plays"), is_filler("public art")
(True, True, False)
>>> is_filler("panel discussions"), is_filler("music"), is_filler("Angular")
(False, False, False)
"""

from __future__ import annotations

import re
from functools import lru_cache

from recommender.core.resources import data_file
from recommender.passions.expansion import Expander, fold
from recommender.passions.stop_words import ENGLISH_STOP_WORDS

EVERYDAY_FILE = "everyday_words.txt"
# generic words that name a field, not a kind of event: "public art" or "street games" may be a passion
DOMAINS = frozenset({"art", "arts", "music", "game", "games", "sport", "sports", "party", "parties"})


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """The everyday words of ``data/everyday_words.txt`` (lines starting ``#`` are notes) and the
    lexicon's one-word generic words."""
    lines = data_file(EVERYDAY_FILE).read_text(encoding="utf-8").splitlines()
    everyday = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    generic = {w for w in Expander.default().lexicon.generic_words if " " not in w} - DOMAINS
    return frozenset(everyday | generic)


def is_filler(clause: str) -> bool:
    """True when ``clause`` is two or more words, all everyday or stop words (see the module notes).

    Whether it names a hobby is the caller's to check (an expansion's ``hobbies``)."""
    tokens = re.findall(r"[^\W_]+(?:'[^\W_]+)?", fold(clause).replace("’", "'"))
    everyday = everyday_words()
    return len(tokens) >= 2 and all(w in ENGLISH_STOP_WORDS or w in everyday for w in tokens)
