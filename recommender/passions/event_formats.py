"""Event formats: the kind of event a person asks for ("walks", "classes", "shows", "markets").

People name a hobby *and* a format: "birdwatching walks", "hands-on pottery classes", "improv
shows", "holiday markets". The hobby lexicon handles the first half; ``data/formats.toml`` lists
the words for each format, which are the same in statements and in listings. The ranker gives the
events of a named format a mild lift among the events that already match (``format_boost``).

Examples
--------
>>> formats = Formats.load()
>>> sorted(formats.of("Gardening, native plant sales and birdwatching walks"))
['market', 'tour']
>>> formats.of("board games")
set()
>>> "guided tour" in formats.phrases({"tour"})
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from recommender.passions.expansion import stems, trigger_key
from recommender.passions.lexicon import (
    LexiconError,
    _check_keys,
    _check_phrase,
    _fail,
    _phrase_list,
    read_data_file,
)

__all__ = ["Formats", "LexiconError"]


class Formats:
    """The formats of a formats file and the look-up of the ones a text names.

    Parameters
    ----------
    formats : mapping of str to iterable of str
        Format name to its terms (lowercase phrases; plurals are folded when matching).

    Examples
    --------
    >>> Formats({"tour": ["tour", "guided walk"]}).of("Guided walks in the ravine")
    {'tour'}
    """

    def __init__(self, formats: Mapping[str, Iterable[str]]):
        self.terms = {name: tuple(terms) for name, terms in formats.items()}
        index: dict[tuple[str, ...], set[str]] = {}
        for name, terms in self.terms.items():
            for term in terms:
                index.setdefault(stems(term), set()).add(name)
        self._index = index
        self._longest = max((len(k) for k in index), default=0)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Formats:
        """Read and check a formats file (default: the shipped ``data_file("formats.toml")``); a
        :class:`LexiconError` names the file and the fix when it is missing or malformed."""
        path, doc = read_data_file(path, "formats.toml", "formats file", ("format",))
        entries = doc.get("format")
        if not isinstance(entries, list) or not entries:
            _fail(path, "the file", "has no [[format]] tables")
        formats: dict[str, list[str]] = {}
        for number, entry in enumerate(entries, start=1):
            where = f"format #{number}"
            if not isinstance(entry, dict):
                _fail(path, where, "is not a table")
            _check_keys(path, where, entry, allowed=("name", "terms"))
            name = entry.get("name")
            _check_phrase(path, where, "a name", name)
            if name in formats:
                _fail(path, f"{where} ({name!r})", "repeats a name used earlier")
            terms = _phrase_list(path, f"{where} ({name!r})", entry.get("terms", []), "terms")
            if not terms:
                _fail(path, f"{where} ({name!r})", "needs at least one phrase in 'terms'")
            vague = [t for t in terms if not trigger_key(t)]
            if vague:
                _fail(
                    path,
                    f"{where} ({name!r})",
                    f"has {vague}, one word once stop words go; write the word itself or a longer phrase",
                )
            formats[name] = terms
        return cls(formats)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Formats:
        return cls.load()

    def of(self, text: str) -> set[str]:
        """The formats ``text`` names, longest phrase first ("art show" is an exhibition, not a show).

        >>> Formats.default().of("art shows and song circles") == {"exhibition", "jam"}
        True
        """
        tokens = stems(text)
        found: set[str] = set()
        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                names = self._index.get(tuple(tokens[i : i + n]))
                if names:
                    found |= names
                    i += n
                    break
            else:
                i += 1
        return found

    def phrases(self, names: Iterable[str]) -> set[str]:
        """Every term of the formats ``names``."""
        return {term for name in names for term in self.terms.get(name, ())}

    def __repr__(self) -> str:
        return f"Formats({', '.join(self.terms)})"
