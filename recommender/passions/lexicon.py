"""Load the curated hobby lexicon and the business-term list.

``data/hobbies.toml`` maps the words people use for what they love to canonical hobbies, each with
``terms`` (same thing: trigger the hobby, searched at full weight), ``related`` (closely related:
trigger it, searched at lower weight) and ``context`` (ambiguous: searched at the lowest weight
once the hobby is known, never a trigger). ``data/business_terms.toml`` weighs the vocabulary of
"doing networking". Both files document their schema at the top; this module reads them, checks
them and raises one :class:`LexiconError` naming the file and the fix when they are malformed.

Examples
--------
>>> lexicon = Lexicon.load()
>>> lexicon.triggers()["bouldering"]
[('climbing', 'term')]
>>> "play" in lexicon.triggers()  # generic words never trigger a hobby
False
>>> BusinessTerms.load().weights["speed networking"]
1.0
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import NoReturn

from recommender.core.resources import data_file
from recommender.passions.stemming import shrinks_to_one_word
from scrapers.errors import KindredError

TERM = "term"
RELATED = "related"
_HOBBY_KEYS = ("name", "category", "terms", "related", "context")


class LexiconError(KindredError):
    """The hobby lexicon or business-term file is missing or malformed."""


@dataclass(frozen=True)
class Hobby:
    """One hobby or interest of the lexicon.

    Examples
    --------
    >>> Hobby("chess", "games", terms=("chess", "ajedrez"), related=("blitz chess",)).terms
    ('chess', 'ajedrez')
    """

    name: str
    category: str
    terms: tuple[str, ...]
    related: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


class Lexicon:
    """The hobbies of a lexicon file, with look-ups by name and by trigger phrase.

    Parameters
    ----------
    hobbies : iterable of Hobby
        In file order; names must be unique.
    categories : mapping of str to str
        The allowed categories and what belongs in each.
    generic_words : iterable of str
        Words too vague to trigger a hobby on their own (documentation for callers).
    idioms : iterable of str
        Everyday phrases that look like a hobby word but are not one ("hunting for", "I run a"):
        they use up their words so nothing inside them triggers a hobby.
    source : Path, optional
        The file the lexicon was read from.

    Examples
    --------
    >>> lex = Lexicon([Hobby("chess", "games", ("chess",), ("blitz",))], {"games": "board games"})
    >>> lex.triggers()
    {'chess': [('chess', 'term')], 'blitz': [('chess', 'related')]}
    >>> lex.by_name("Chess").category
    'games'
    """

    def __init__(
        self,
        hobbies: Iterable[Hobby],
        categories: Mapping[str, str],
        generic_words: Iterable[str] = (),
        source: Path | None = None,
        idioms: Iterable[str] = (),
    ) -> None:
        self._hobbies = tuple(hobbies)
        self._by_name = {h.name: h for h in self._hobbies}
        if len(self._by_name) != len(self._hobbies):
            raise ValueError("hobby names must be unique")
        self._categories = dict(categories)
        self.generic_words = frozenset(generic_words)
        self.idioms = tuple(idioms)
        self.source = source
        self._triggers: dict[str, list[tuple[str, str]]] | None = None

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """Read and check a lexicon file (default: the shipped ``data_file("hobbies.toml")``).

        Raises
        ------
        LexiconError
            If the file is missing, is not TOML or breaks the schema documented at its top.
        """
        path, doc = read_data_file(
            path, "hobbies.toml", "hobby lexicon", ("generic_words", "idioms", "categories", "hobby")
        )
        categories = doc.get("categories")
        if not isinstance(categories, dict) or not categories:
            _fail(path, "the file", "needs a non-empty [categories] table (name = description)")
        for name, description in categories.items():
            _check_phrase(path, "[categories]", "a category name", name)
            if not isinstance(description, str):
                _fail(path, f"category {name!r}", "needs a text description")
        generic = _phrase_list(path, "generic_words", doc.get("generic_words", []), "generic_words")
        idioms = _phrase_list(path, "idioms", doc.get("idioms", []), "idioms")
        entries = doc.get("hobby")
        if not isinstance(entries, list) or not entries:
            _fail(path, "the file", "has no [[hobby]] tables")
        hobbies: list[Hobby] = []
        seen: set[str] = set()
        for number, entry in enumerate(entries, start=1):
            hobby = _parse_hobby(path, number, entry, categories, frozenset(generic))
            if hobby.name in seen:
                _fail(path, f"hobby #{number} ({hobby.name!r})", "repeats a name used earlier")
            seen.add(hobby.name)
            hobbies.append(hobby)
        return cls(hobbies, categories, generic, source=path, idioms=idioms)

    def hobbies(self) -> tuple[Hobby, ...]:
        """All hobbies, in file order."""
        return self._hobbies

    def by_name(self, name: str) -> Hobby:
        """The hobby called ``name`` (case and surrounding spaces ignored).

        Raises
        ------
        KeyError
            If no hobby has that name.
        """
        try:
            return self._by_name[name.strip().lower()]
        except KeyError:
            raise KeyError(f"no hobby named {name!r} in the lexicon") from None

    def triggers(self) -> dict[str, list[tuple[str, str]]]:
        """Map each trigger phrase to the hobbies it names, as ``(hobby name, "term"|"related")``.

        Context words are absent: they never trigger a hobby. A fresh dict is returned each time.
        """
        if self._triggers is None:
            table: dict[str, list[tuple[str, str]]] = {}
            for hobby in self._hobbies:
                for kind, phrases in ((TERM, hobby.terms), (RELATED, hobby.related)):
                    for phrase in phrases:
                        table.setdefault(phrase, []).append((hobby.name, kind))
            self._triggers = table
        return {phrase: list(hits) for phrase, hits in self._triggers.items()}

    def categories(self) -> dict[str, str]:
        """The documented categories, name to description, in file order."""
        return dict(self._categories)

    def __len__(self) -> int:
        return len(self._hobbies)

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} hobbies from {self.source})"


@dataclass(frozen=True)
class BusinessTerms:
    """Weighted "doing networking" vocabulary and the phrases that mean someone wants it.

    Attributes
    ----------
    weights : dict of str to float
        Phrase to how strongly it marks an event as business networking, in (0, 1].
    passion_triggers : tuple of str
        Phrases that, in a person's own statement, ask for business / career events.

    Examples
    --------
    >>> terms = BusinessTerms.load()
    >>> terms.weights["b2b"], "networking" in terms.passion_triggers
    (1.0, True)
    """

    weights: dict[str, float]
    passion_triggers: tuple[str, ...] = ()
    source: Path | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> BusinessTerms:
        """Read and check a business-term file (default: the shipped ``data_file("business_terms.toml")``).

        Raises
        ------
        LexiconError
            If the file is missing, is not TOML or breaks the schema documented at its top.
        """
        path, doc = read_data_file(
            path, "business_terms.toml", "business-term list", ("business_passion_triggers", "weights")
        )
        table = doc.get("weights")
        if not isinstance(table, dict) or not table:
            _fail(path, "the file", "needs a non-empty [weights] table (phrase = weight)")
        weights: dict[str, float] = {}
        for phrase, weight in table.items():
            _check_phrase(path, "[weights]", "a phrase", phrase)
            _check_not_one_word(path, "[weights]", phrase)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
                _fail(path, f"weight of {phrase!r}", f"is {weight!r}; use a number in (0, 1]")
            weights[phrase] = float(weight)
        triggers = doc.get("business_passion_triggers", [])
        triggers = _phrase_list(path, "business_passion_triggers", triggers, "business_passion_triggers")
        for phrase in triggers:
            _check_not_one_word(path, "business_passion_triggers", phrase)
        return cls(weights, tuple(triggers), source=path)


def read_data_file(
    path: str | Path | None, default: str, what: str, allowed: tuple[str, ...]
) -> tuple[Traversable, dict]:
    """The path (the shipped ``data_file(default)`` when None) and top-level table of a TOML data
    file whose keys must be among ``allowed``; a :class:`LexiconError` naming the file otherwise."""
    path = Path(path) if path is not None else data_file(default)
    doc = _read_toml(path, what=what)
    _check_keys(path, "the file", doc, allowed=allowed)
    return path, doc


def _read_toml(path: Traversable, what: str) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise LexiconError(
            f"{path}: {what} not found; pass the path of an existing file or reinstall Kindred"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: not valid TOML ({exc}); fix the syntax at that spot") from None
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the {what} ({exc.strerror})") from None


def _fail(path: Path, where: str, problem: str) -> NoReturn:
    raise LexiconError(f"{path}: {where} {problem}; fix the file (its schema is documented at the top)")


def _check_keys(path: Path, where: str, table: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        _fail(path, where, f"has unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")


def _check_phrase(path: Path, where: str, role: str, phrase: object) -> None:
    if not isinstance(phrase, str) or not phrase.strip():
        _fail(path, where, f"has {role} that is not a non-empty text: {phrase!r}")
    if phrase != phrase.lower() or phrase != " ".join(phrase.split()):
        _fail(path, where, f"has {role} {phrase!r} that is not lowercase with single spaces")


def _check_not_one_word(path: Path, where: str, phrase: str) -> None:
    """Business phrases match exactly, word by word, after stop words go: "co-working" would be
    "working" and "be your own boss" just "boss"."""
    if shrinks_to_one_word(phrase.replace("&", " and ")):
        _fail(path, where, f"has {phrase!r}, one word once stop words go; write a phrase that keeps two")


def _phrase_list(path: Path, where: str, value: object, field_name: str) -> list[str]:
    if not isinstance(value, list):
        _fail(path, where, f"'{field_name}' must be a list of phrases")
    for phrase in value:
        _check_phrase(path, where, f"in '{field_name}' an entry", phrase)
    duplicates = sorted({p for p in value if value.count(p) > 1})
    if duplicates:
        _fail(path, where, f"repeats {', '.join(map(repr, duplicates))} in '{field_name}'")
    return list(value)


def _parse_hobby(
    path: Path, number: int, entry: object, categories: Mapping[str, str], generic: frozenset[str]
) -> Hobby:
    where = f"hobby #{number}"
    if not isinstance(entry, dict):
        _fail(path, where, "is not a table")
    name = entry.get("name")
    _check_phrase(path, where, "a name", name)
    where = f"hobby #{number} ({name!r})"
    _check_keys(path, where, entry, allowed=_HOBBY_KEYS)
    category = entry.get("category")
    if category not in categories:
        _fail(path, where, f"has category {category!r}, not one of: {', '.join(categories)}")
    lists = {key: _phrase_list(path, where, entry.get(key, []), key) for key in _HOBBY_KEYS[2:]}
    if not lists["terms"]:
        _fail(path, where, "needs at least one phrase in 'terms'")
    for key in ("terms", "related"):
        vague = [p for p in lists[key] if p in generic]
        if vague:
            _fail(path, where, f"lists generic word(s) {vague} in '{key}'; move them to 'context'")
    seen: set[str] = set()
    for key, phrases in lists.items():
        for phrase in phrases:
            if phrase in seen:
                _fail(path, where, f"lists {phrase!r} more than once (again in '{key}')")
            seen.add(phrase)
    return Hobby(name, category, *(tuple(lists[key]) for key in ("terms", "related", "context")))
