"""From one passion, in the person's words, to a weighted bag of things to look for in events.

1. **Triggers.** Lexicon phrases are matched in the passion longest first, on stemmed tokens, and a
   matched phrase uses up its words ("martial arts" never also triggers "art"). Ambiguous words
   (the lexicon's ``context`` lists) never trigger a hobby, and neither does a phrase that is one
   word once its stop words are gone ("going out" is not "going", "one-of-a-kind" not "kind").
2. **Hobby weight.** A triggered hobby weighs by how much of the statement triggered it:
   the share of the passion's content words its phrases used (``related`` phrases count
   ``RELATED_TRIGGER``), so "hiking" is all hiking while a passing "beer" in a long sentence
   about hiking adds beer only a little.
3. **Expansion.** Each triggered hobby adds its ``terms`` at ``TERM_WEIGHT``, ``related`` at
   ``RELATED_WEIGHT`` and ``context`` at ``CONTEXT_WEIGHT`` (times the hobby weight) — several
   times the weight of the person's own words (``OWN_WEIGHT``), because the lexicon knows which
   words mean the hobby while a sentence also holds words like "trying" or "fellow".

4. **Evidence.** A passion that names a hobby only matches events holding *evidence* of it: a
   strong feature that is not *loose*. Loose are generic words ("night", "open house") and vague
   pieces of longer phrases — another hobby's phrase ("stand up" of "stand-up paddleboarding" is
   stand-up comedy's) or a pair with a stop word ("pick up" of "pick-up basketball"). They add to
   the score only of events that hold evidence.

Multi-word phrases are matched in events as phrases (their word bigrams), never word by word.

>>> exp = Expander.default().expand("tabletop strategy games")
>>> exp.hobbies
{'board games': 1.0}
>>> exp.weights["game night"] > exp.weights["tabletop"] / 3
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from recommender.passions.lexicon import Lexicon
from recommender.passions.stemming import shrinks_to_one_word, stem, words
from recommender.passions.stop_words import ENGLISH_STOP_WORDS

OWN_WEIGHT = 1.0
TERM_WEIGHT = 4.0
RELATED_WEIGHT = 2.0
CONTEXT_WEIGHT = 0.5
RELATED_TRIGGER = 0.7
COMPANY_WEIGHT = 0.5  # most a hobby named only in the company one wants can weigh
_COMPANY = re.compile(r"\bwith\s+(?:other|others|fellow|like-minded|likeminded)\b")


def fold(text: str) -> str:
    """Lowercase, accents removed, ``&`` spelled out: the same on lexicon and statement side."""
    if text.isascii():  # nothing to decompose (most listings): same result, several times faster
        return text.replace("&", " and ").lower()
    text = unicodedata.normalize("NFKD", text.replace("&", " and "))
    return text.translate(_COMBINING_MARKS).lower()


class _CombiningMarks(dict):
    """A ``str.translate`` table dropping code points with a combining class, filled as they are met."""

    def __missing__(self, cp: int) -> int | None:
        self[cp] = None if unicodedata.combining(chr(cp)) else cp
        return self[cp]


_COMBINING_MARKS = _CombiningMarks()


def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(fold(text)))


def trigger_key(phrase: str) -> tuple[str, ...]:
    """The stems a lexicon phrase triggers on, or ``()`` when it cannot trigger a hobby alone.

    A phrase that is one word only once its stop words are gone names nothing by itself, whether
    its words are spaced or hyphenated: "going out" is not "going", "one-of-a-kind" not "kind".

    >>> trigger_key("hikes"), trigger_key("one-of-a-kind"), trigger_key("board games")
    (('hike',), (), ('board', 'game'))
    """
    return () if shrinks_to_one_word(fold(phrase)) else stems(phrase)


@lru_cache(maxsize=100_000)  # the lexicon's phrases are asked for again in every expansion
def phrase_features(phrase: str) -> tuple[str, ...]:
    """Features a phrase is matched by: its stem for one word, its stem bigrams for several.

    >>> phrase_features("board games"), phrase_features("hikes")
    (('board game',), ('hike',))
    """
    s = stems(phrase)
    if len(s) == 1:
        return (s[0],)
    return tuple(f"{a} {b}" for a, b in zip(s, s[1:], strict=False))


@dataclass
class Expansion:
    """A passion's weighted features (stemmed uni/bigrams) and the hobbies it triggered."""

    passion: str
    weights: dict[str, float] = field(default_factory=dict)  # readable phrase -> weight
    features: dict[str, float] = field(default_factory=dict)  # analyzer feature -> weight
    labels: dict[str, str] = field(default_factory=dict)  # analyzer feature -> readable phrase
    hobbies: dict[str, float] = field(default_factory=dict)  # hobby -> weight (0..1]
    own: set[str] = field(default_factory=set)  # features from the person's own words
    strong: set[str] = field(default_factory=set)  # features from a triggered hobby or its trigger
    core: set[str] = field(default_factory=set)  # the strong ones that are not ambiguous context
    loose: set[str] = field(default_factory=set)  # strong, yet no evidence alone (see Expander.expand)
    terms: set[str] = field(default_factory=set)  # the core ones that name the hobby itself (its terms)

    def label_in(self, feat: str, present: set[str]) -> str:
        """How to name ``feat`` to a person, given the features an event holds: the phrase it came
        from when the event holds all of that phrase, else the feature's own words ("stand up",
        never "stand up paddleboarding" for a comedy night).

        >>> exp = Expansion("x")
        >>> exp.add("observatory open house", 1.0)
        >>> exp.label_in("open house", {"open house"}), exp.label_in("open house", set(exp.features))
        ('open house', 'observatory open house')
        """
        label = self.labels.get(feat, feat)
        if set(phrase_features(label)) <= present:
            return label
        whole = [p for p in self.weights if feat in (fs := set(phrase_features(p))) and fs <= present]
        return max(whole, key=len) if whole else feat

    @property
    def evidence(self) -> set[str]:
        """Features that alone tie an event to the passion's hobbies: the strong ones that are not
        loose ("stand up" of "stand-up paddleboarding" is stand-up comedy's word, not evidence)."""
        return self.strong - self.loose

    def add(
        self, phrase: str, weight: float, *, own: bool = False, strong: bool = False, core: bool = False
    ) -> None:
        feats = phrase_features(phrase)
        if not feats or weight <= 0:
            return
        self.weights[phrase] = max(self.weights.get(phrase, 0.0), weight)
        for feat in feats:
            self.features[feat] = max(self.features.get(feat, 0.0), weight / len(feats) ** 0.5)
            self.labels.setdefault(feat, phrase)
            if own:
                self.own.add(feat)
            if strong or core:
                self.strong.add(feat)
            if core:
                self.core.add(feat)

    def copy(self) -> Expansion:
        """A copy whose dicts and sets are its own."""
        return Expansion(
            self.passion, dict(self.weights), dict(self.features), dict(self.labels), dict(self.hobbies),
            set(self.own), set(self.strong), set(self.core), set(self.loose), set(self.terms),
        )  # fmt: skip

    def merge(self, other: Expansion) -> None:
        """Fold an elaboration ("…with fellow hop heads") into this passion."""
        for feat, weight in other.features.items():
            self.features[feat] = max(self.features.get(feat, 0.0), weight)
            self.labels.setdefault(feat, other.labels.get(feat, feat))
        self.own |= other.own
        evidence = self.evidence | other.evidence
        self.strong |= other.strong
        self.core |= other.core
        self.terms |= other.terms
        self.loose = (self.loose | other.loose) - evidence
        self.weights.update({k: max(v, self.weights.get(k, 0.0)) for k, v in other.weights.items()})
        for hobby, weight in other.hobbies.items():
            self.hobbies[hobby] = max(self.hobbies.get(hobby, 0.0), weight)


ELABORATION_WORDS = 4  # a fragment this long that names no hobby elaborates its neighbour


def group_passions(exps: list[Expansion]) -> list[Expansion]:
    """Merge fragments that name no hobby and run to several words into the passion before them.

    "Brewery tours and trying new IPAs with fellow hop heads" is one passion, not two; a short
    unmatched fragment ("Bollywood", "anime") stays a passion of its own.
    """
    groups: list[Expansion] = []
    for exp in exps:
        long_unmatched = not exp.hobbies and len(stems(exp.passion)) >= ELABORATION_WORDS
        if groups and long_unmatched:
            groups[-1].merge(exp)
        elif groups and not groups[-1].hobbies and len(stems(groups[-1].passion)) >= ELABORATION_WORDS:
            exp.merge(groups[-1])
            exp.passion = f"{groups[-1].passion}; {exp.passion}"
            groups[-1] = exp
        else:
            groups.append(exp)
    return groups


@lru_cache(maxsize=8192)  # a digest run expands each subscriber's and friend's passions; many repeat
def _expanded(expander: Expander, passion: str) -> Expansion:
    return expander._expand(passion)


class Expander:
    """Lexicon-driven passion expansion; see the module docstring."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._by_name = {h.name: h for h in lexicon.hobbies()}
        index: dict[str, list[tuple[tuple[str, ...], str, float]]] = defaultdict(list)
        for hobby in lexicon.hobbies():
            for kind_weight, phrases in ((1.0, hobby.terms), (RELATED_TRIGGER, hobby.related)):
                for phrase in phrases:
                    key = trigger_key(phrase)
                    if key:
                        index[key[0]].append((key, hobby.name, kind_weight))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._index = dict(index)
        # a one-feature phrase -> the hobbies that list it (terms, related or context)
        claims: dict[str, set[str]] = defaultdict(set)
        for hobby in lexicon.hobbies():
            for phrase in (*hobby.terms, *hobby.related, *hobby.context):
                if len(feats := phrase_features(phrase)) == 1:
                    claims[feats[0]].add(hobby.name)
        self._claims = dict(claims)
        self._generic = {f for w in lexicon.generic_words for f in phrase_features(w)}
        idioms = sorted((fold(i) for i in lexicon.idioms), key=len, reverse=True)
        self._idioms = re.compile(r"\b(?:" + "|".join(map(re.escape, idioms)) + r")\b") if idioms else None

    def _plain(self, passion: str) -> str:
        """The passion folded, with everyday idioms ("hunting for", "I run a") taken out.

        >>> Expander.default()._plain("Hunting for vintage finds")
        '  vintage finds'
        """
        text = fold(passion)
        return self._idioms.sub(" ", text) if self._idioms else text

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Expander:
        return cls(Lexicon.load())

    def category(self, hobby: str) -> str:
        """The lexicon category of ``hobby`` ("" for a name the lexicon does not hold)."""
        found = self._by_name.get(hobby)
        return found.category if found else ""

    def suggest(self, passion: str, n: int = 5) -> list[str]:
        """Hobbies to try when ``passion`` found nothing: its hobbies' neighbours in the lexicon
        (same category), else hobbies whose words are spelled close to the passion's words.

        >>> Expander.default().suggest("knittin")[:1]
        ['knitting']
        >>> "bachata" in Expander.default().suggest("salsa")
        True
        """
        hobbies, _ = self.triggers(passion)
        if hobbies:
            categories = {self._by_name[h].category for h in hobbies}
            return [
                h.name for h in self.lexicon.hobbies() if h.category in categories and h.name not in hobbies
            ][:n]
        found: dict[str, float] = {}
        for word in set(stems(passion)):
            for close in difflib.get_close_matches(word, self._index, n=3, cutoff=0.8):
                for key, name, _weight in self._index[close]:
                    if len(key) == 1 or all(k in stems(passion) or k == close for k in key[:2]):
                        found[name] = max(
                            found.get(name, 0.0), difflib.SequenceMatcher(None, word, close).ratio()
                        )
        return sorted(found, key=lambda h: (-found[h], h))[:n]

    def triggers(self, passion: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
        """Hobbies a passion triggers with their weights, and the token spans their phrases used."""
        tokens = stems(self._plain(passion))
        used: dict[str, float] = defaultdict(float)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            match = None
            for key, hobby, kind_weight in self._index.get(tokens[i], ()):
                if tuple(tokens[i : i + len(key)]) == key:
                    if match is None or len(key) > len(match[0]):
                        match = (key, [(hobby, kind_weight)])
                    elif len(key) == len(match[0]):
                        match[1].append((hobby, kind_weight))
            if match is None:
                i += 1
                continue
            for hobby, kind_weight in match[1]:
                used[hobby] += kind_weight * len(match[0]) / len(match[1])
            spans.append((i, i + len(match[0])))
            i += len(match[0])
        total = max(len(tokens), 1)
        return {h: min(1.0, w / total) for h, w in used.items()}, spans

    def company(self, passion: str) -> set[str]:
        """Hobbies named only in the company a passion wants, after another hobby: "hiking with
        other dog owners" is hiking, among dog owners (not dog shows).

        >>> Expander.default().company("hiking with other dog owners")
        {'dogs'}
        """
        text = self._plain(passion)
        found = _COMPANY.search(text)
        if found is None:
            return set()
        before, _ = self.triggers(text[: found.start()])
        return set(self.triggers(text[found.end() :])[0]) - set(before) if before else set()

    def expand(self, passion: str) -> Expansion:
        """``passion``'s features and hobbies (a fresh copy: callers may merge into it)."""
        return _expanded(self, passion).copy()

    def _expand(self, passion: str) -> Expansion:
        hobbies, spans = self.triggers(passion)
        top = max(hobbies.values(), default=0.0)
        exp = Expansion(passion, hobbies={h: w / top for h, w in hobbies.items()} if top else {})
        company = self.company(passion) & exp.hobbies.keys()
        if company:  # the activity leads: it weighs 1, the company at most COMPANY_WEIGHT
            lead = max(w for h, w in exp.hobbies.items() if h not in company)
            exp.hobbies = {
                h: min(w / lead, COMPANY_WEIGHT) if h in company else w / lead for h, w in exp.hobbies.items()
            }
        surface = words(self._plain(passion))
        consumed = {i for a, b in spans for i in range(a, b)}
        for a, b in spans:  # a matched phrase counts as a phrase, never word by word
            exp.add(" ".join(surface[a:b]), OWN_WEIGHT, own=True, core=True)
        run: list[str] = []
        for i, word in enumerate([*surface, None]):
            if word is not None and i not in consumed:
                run.append(word)
                continue
            for w in run:
                exp.add(w, OWN_WEIGHT, own=True)
            for pair in zip(run, run[1:], strict=False):
                exp.add(" ".join(pair), OWN_WEIGHT, own=True)
            run = []
        for name, weight in exp.hobbies.items():
            hobby = self._by_name[name]
            for phrases, base in (
                (hobby.terms, TERM_WEIGHT),
                (hobby.related, RELATED_WEIGHT),
                (hobby.context, CONTEXT_WEIGHT),
            ):
                for phrase in phrases:
                    exp.add(phrase, base * weight, strong=True, core=phrases is not hobby.context)
            exp.terms.update(f for phrase in hobby.terms for f in phrase_features(phrase))
        exp.loose = self._loose(exp, spans, surface)
        if company:  # who one wants to be with counts only beside the activity itself
            exp.loose |= (self._features(company) - self._features(exp.hobbies.keys() - company)) & exp.strong
        exp.terms -= exp.loose
        return exp

    def _features(self, names) -> set[str]:
        """Every feature of the phrases of the hobbies ``names``."""
        hobbies = [self._by_name[n] for n in names]
        return {f for h in hobbies for p in (*h.terms, *h.related, *h.context) for f in phrase_features(p)}

    def _vague_piece(self, feat: str, exp: Expansion) -> bool:
        """A piece of a longer phrase that says little alone: another hobby's whole phrase
        ("stand up"), or a pair with a stop word or a generic word in it ("pick up")."""
        if self._claims.get(feat, set()) - exp.hobbies.keys():
            return True
        return any(w in ENGLISH_STOP_WORDS or w in self._generic for w in feat.split())

    def _loose(self, exp: Expansion, spans: list[tuple[int, int]], surface: list[str]) -> set[str]:
        """The strong features that are no evidence alone: a generic word ("night", "open house")
        or a vague piece of a longer phrase (:meth:`_vague_piece`). They still count, but only in
        events that hold evidence; when nothing else would be evidence, none is loose.

        >>> sorted(Expander.default().expand("stand-up paddleboarding").loose)[:2]
        ['stand up', 'up paddle']
        """
        whole: set[str] = set()
        for name in exp.hobbies:
            hobby = self._by_name[name]
            for phrase in (*hobby.terms, *hobby.related, *hobby.context):
                if len(feats := phrase_features(phrase)) == 1:
                    whole.add(feats[0])
        for a, b in spans:
            if len(feats := phrase_features(" ".join(surface[a:b]))) == 1:
                whole.add(feats[0])
        loose = {
            f for f in exp.strong if f in self._generic or (f not in whole and self._vague_piece(f, exp))
        }
        return loose if exp.core - loose else set()
