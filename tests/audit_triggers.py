"""Audit the lexicon's one-word triggers against general English word frequency.

A trigger that is one word once stop words are gone and plurals folded fires whenever that word
appears in a statement. Common everyday words ("kind", "hand", "stars", "fresh") then misfire:
"I run a shop" is not running, "hunting for a bargain" is not hunting. This script lists the
one-word triggers ranked by ``wordfreq.zipf_frequency`` so a person can review the most common
ones and move the ambiguous ones to ``context`` (or into a longer phrase).
``tests/test_lexicon.py`` uses :func:`single_word_triggers` and :func:`zipf` to keep the list clean.

Run::

    .venv/bin/python tests/audit_triggers.py [--top 150] [--above 4.0]
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from wordfreq import zipf_frequency

from recommender.passions.expansion import fold, stems
from recommender.passions.lexicon import Lexicon


def single_word_triggers(lexicon: Lexicon) -> dict[str, list[tuple[str, str, str]]]:
    """Map each one-token ``terms``/``related`` stem to its ``(hobby, "term"|"related", phrase)``.

    One token once stop words are gone and plurals folded: "hikes" -> "hike". That includes
    phrases such as "going out" or "one-of-a-kind", which the expander does not let trigger a hobby
    (``recommender.passions.expansion.trigger_key``) but which are still searched in events as their one
    word ("going", "kind") at term or related weight, so they belong in ``context`` too.
    """
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for hobby in lexicon.hobbies():
        for kind, phrases in (("term", hobby.terms), ("related", hobby.related)):
            for phrase in phrases:
                key = stems(phrase)
                if len(key) == 1:
                    out[key[0]].append((hobby.name, kind, phrase))
    return dict(out)


def zipf(token: str, phrases: list[str] = ()) -> float:
    """English Zipf frequency of a trigger: the most common of its stem and written forms."""
    forms = {token, *(fold(p) for p in phrases)}
    return max(zipf_frequency(form, "en") for form in forms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=150, help="how many triggers to list")
    parser.add_argument("--above", type=float, default=0.0, help="only triggers above this zipf")
    args = parser.parse_args()
    found = single_word_triggers(Lexicon.load())
    ranked = sorted(
        ((zipf(tok, [p for _, _, p in hits]), tok, hits) for tok, hits in found.items()),
        reverse=True,
    )
    for freq, tok, hits in [r for r in ranked if r[0] > args.above][: args.top]:
        where = "; ".join(f"{p!r} {h} ({k})" for h, k, p in hits)
        print(f"{freq:5.2f}  {tok:<16} {where}")
    print(f"-- {len(found)} one-word terms/related in all")


if __name__ == "__main__":
    main()
