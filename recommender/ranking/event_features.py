"""What a fit keeps of each event, gathered in one pass while the store's rows stream by.

:class:`PassionRanker.fit <recommender.ranking.ranker.PassionRanker.fit>` reads each event once:
:meth:`EventFeatures.tokens` yields the tokens of the text ``TfidfVectorizer`` would see
(:func:`event_text`) and, as it goes, keeps the event's id, business and ties scores, its *series*
(one number per distinct title-and-venue, the ranking's "same thing on another day") and its filter
columns. Nothing else of the event is kept, so a fit over the store streams rows instead of holding
every :class:`~scrapers.event.Event`.

:func:`tfidf` counts those tokens' terms as ``TfidfVectorizer(analyzer=analyzer)`` would,
without a Python step per term: each distinct raw token becomes its plural-folded word once, and
from there a text is a row of word numbers whose word pairs, vocabulary and counts NumPy computes a
chunk of texts at a time. The counts are laid out as scikit-learn lays out its own (a row's entries
in the order their terms were first met, columns in sorted term order, terms in more than
``max_df`` of the texts dropped), so the TF-IDF weights computed from them are the same to the bit
(tests/test_term_counts.py compares them with ``TfidfVectorizer``'s).

>>> from datetime import datetime, timezone
>>> from scrapers.event import Event
>>> t = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
>>> events = [Event(title="Chess club", start=t, venue="Library", id="a"),
...           Event(title="Chess Club!", start=t, venue="library", id="b"),
...           Event(title="Speed networking", start=t, id="c")]
>>> features = EventFeatures()
>>> [text.splitlines()[0] for text in features.texts(events)]
['Chess club', 'Chess Club!', 'Speed networking']
>>> features.ids, features.series.tolist(), features.business.tolist()
(['a', 'b', 'c'], [0, 0, 1], [0.0, 0.0, 1.0])
>>> counts, terms = count_terms(["Board games night", "board game"])
>>> list(terms), counts.toarray().astype(int).tolist()
(['board', 'board game', 'game', 'game night', 'night'], [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
"""

from __future__ import annotations

import ctypes
import gc
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np

from recommender.passions.stemming import kept_words, raw_tokens, stem, token_word
from recommender.ranking.event_columns import EventColumns
from recommender.ranking.series import series_key
from recommender.ranking.signals import group_key, signal_scores, with_group_share
from scrapers.event import Event

if TYPE_CHECKING:
    from scipy.sparse import csc_matrix, csr_matrix

# a sentence that forbids something names what the event is not: "Bicycles are not permitted."
_PROHIBITION = re.compile(
    r"\b(?:(?:are|is)\s+not\s+(?:permitted|allowed)|not\s+(?:permitted|allowed)|prohibited|forbidden|"
    r"(?:are|is)\s+banned|no\s+[\w-]+(?:\s+[\w-]+)?\s+(?:allowed|permitted))\b",
    re.IGNORECASE,
)
_PROHIBITING = ("permitted", "allowed", "prohibited", "forbidden", "banned")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def without_prohibitions(text: str) -> str:
    """``text`` without its sentences that forbid something.

    >>> without_prohibitions("A ravine walk. Bicycles are not permitted on the trail. Dogs welcome!")
    'A ravine walk. Dogs welcome!'
    """
    if text.isascii() and not any(word in text.lower() for word in _PROHIBITING):
        return text  # most descriptions: nothing to do (each prohibition has one of those words)
    if not _PROHIBITION.search(text):
        return text
    return " ".join(part for part in _SENTENCE.split(text) if not _PROHIBITION.search(part))


def event_text(ev: Event) -> str:
    """The text a ranker sees: title, tags, group (twice: a group's name says what it is about,
    often better than one event's title), venue ("… Museum", "… Dance Studio"), organiser and
    description (without sentences that forbid something: "bicycles are not permitted" is no
    cycling)."""
    return "\n".join(p for p in [*_head_parts(ev), without_prohibitions(ev.description)] if p)


def _head_parts(ev: Event) -> list[str]:
    group = ev.group or ""
    return [ev.title, " ".join(ev.tags), group, group, ev.venue or "", ev.organizer or ""]


@lru_cache(maxsize=1 << 16)  # titles, tags, groups and venues repeat: their tokens are read once
def _head_tokens(head: str) -> tuple[str, ...]:
    return tuple(raw_tokens(head))


class EventFeatures:
    """Per-event fit features, filled by iterating :meth:`texts` or :meth:`tokens` (see the module
    docstring)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._business = array("d")  # flat arrays, not a Python object per event and feature
        self._groups: list[str | None] = []
        self._ties = array("d")
        self._series = array("q")
        self._series_of: dict[str, int] = {}  # series key (title and place, one string) -> number
        self._raw_series: dict[tuple[str, str], int] = {}  # a cache: (title, venue) -> number
        self._events_for_columns: list[Event] = []
        self._columns: list[EventColumns] = []
        self._business_shared: np.ndarray | None = None  # set when the stream ends
        self._ended = False

    def texts(self, events: Iterable[Event], *, chunk: int = 2_000) -> Iterator[str]:
        """Each event's :func:`event_text`, keeping its other features on the way."""
        self._start()
        for ev in events:
            self._keep(ev, signal_scores(ev), chunk)
            yield event_text(ev)
        self._end()

    def tokens(self, events: Iterable[Event], *, chunk: int = 2_000) -> Iterator[list[str]]:
        """Each event's ``raw_tokens(event_text(ev))``, keeping its other features on the way; the
        description is read once for both."""
        self._start()
        for ev in events:
            description = without_prohibitions(ev.description)
            body = raw_tokens(description)
            # the signals' words of a plain description are its kept tokens ("&" only adds "and")
            plain = description is ev.description and len(description) <= 2000 and description.isascii()
            self._keep(ev, signal_scores(ev, kept_words(body) if plain else None), chunk)
            # words never span the line breaks that join the parts: the text's tokens are theirs
            head = _head_tokens("\n".join(filter(None, _head_parts(ev))))
            yield [*head, *body]
        self._end()

    def _start(self) -> None:
        if self._ended:
            raise RuntimeError("an EventFeatures keeps the features of one stream of events")

    def _end(self) -> None:
        """What only the stream needed goes (at a million listings, hundreds of megabytes)."""
        self._flush()
        self._business_shared = self.business
        self._groups, self._series_of, self._raw_series = [], {}, {}
        self._ended = True

    def _keep(self, ev: Event, signals: tuple[float, float], chunk: int) -> None:
        self.ids.append(ev.id)
        self._business.append(signals[0])
        self._groups.append(group_key(ev))
        self._ties.append(signals[1])
        self._series.append(self._series_number(ev))
        self._events_for_columns.append(ev)
        if len(self._events_for_columns) >= chunk:
            self._flush()

    def _series_number(self, ev: Event) -> int:
        # titles and venues repeat (a weekly series, a busy venue): fold each distinct one once
        raw = (ev.title, ev.venue or "")
        number = self._raw_series.get(raw)
        if number is None:
            if len(self._raw_series) >= 1 << 17:  # a cache: bounded, a million listings need not fill it
                self._raw_series.clear()
            key = "\n".join(series_key(ev))  # neither part holds a line break
            number = self._raw_series[raw] = self._series_of.setdefault(key, len(self._series_of))
        return number

    def _flush(self) -> None:
        if self._events_for_columns:
            self._columns.append(EventColumns.from_events(self._events_for_columns))
            self._events_for_columns = []

    @property
    def business(self) -> np.ndarray:
        """Business scores, each at least its share of its group's (see ``signals.business_scores``)."""
        if self._business_shared is not None:
            return self._business_shared
        return with_group_share(np.array(self._business, dtype=float), self._groups)

    @property
    def ties(self) -> np.ndarray:
        return np.array(self._ties, dtype=float)

    @property
    def series(self) -> np.ndarray:
        return np.array(self._series, dtype=np.int64)

    @property
    def columns(self) -> EventColumns:
        self._flush()
        return EventColumns.concat(self._columns)


_STEP = 1 << 22  # entries renumbered at a time
_RIGHT = (1 << 32) - 1  # a word pair's code: left word number << 32 | right word number


class _WordNumbers(dict):
    """Raw token -> the number of its stemmed word (-1: a stop word), filled as tokens are met;
    words are numbered in the order they are first met."""

    def __init__(self) -> None:
        super().__init__()
        self.words: dict[str, int] = {}

    def __missing__(self, token: str) -> int:
        word = token_word(token)
        number = -1 if word is None else self.words.setdefault(stem(word), len(self.words))
        self[token] = number
        return number


class _Counter:
    """The counts of texts fed a chunk at a time (see :func:`count_terms`)."""

    def __init__(self) -> None:
        self.numbers = _WordNumbers()
        self.docs = 0
        self.position = 0  # of the next term in the stream of every text's terms, in analyzer order
        self.terms = 0  # terms met so far, numbered in the order they were first met
        self.word_term = np.zeros(0, np.int64)  # word number -> term number
        self.pair_codes = np.zeros(0, np.int64)  # the word pairs met, sorted, and their term numbers
        self.pair_terms = np.zeros(0, np.int64)
        self.left: list[np.ndarray] = []  # term number -> its (first) word number, by chunk
        self.right: list[np.ndarray] = []  # term number -> its second word number (-1: one word)
        # the counts as CSR arrays, grown in place (resized, not copied): a row's terms by number
        self.row_ends: list[np.ndarray] = []
        self.indices = np.zeros(0, np.int32)
        self.counts = np.zeros(0, np.uint8)  # in the fewest bytes that hold them (one, mostly)
        self.nnz = 0

    def add(self, raw: np.ndarray, lengths: array) -> None:
        n = len(lengths)
        known_words = len(self.word_term)
        doc = np.repeat(np.arange(n, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
        kept = raw >= 0
        words, doc = raw[kept], doc[kept]
        pair = doc[1:] == doc[:-1]
        codes = (words[:-1][pair] << 32) | words[1:][pair]
        pair_doc = doc[1:][pair]
        # where each term stands in the analyzer's stream: a text's words, then its pairs
        n_words = np.bincount(doc, minlength=n)
        n_pairs = np.bincount(pair_doc, minlength=n)
        start = self.position + _starts(n_words + n_pairs)
        word_at = start[doc] + np.arange(len(words)) - _starts(n_words)[doc]
        pair_at = start[pair_doc] + n_words[pair_doc] + np.arange(len(codes)) - _starts(n_pairs)[pair_doc]
        self.position += int((n_words + n_pairs).sum())
        self.docs += n

        new_words = np.arange(known_words, len(self.numbers.words))
        first_word = np.full(len(new_words), np.iinfo(np.int64).max)
        fresh = words >= known_words
        np.minimum.at(first_word, words[fresh] - known_words, word_at[fresh])
        pairs, first_index, inverse = np.unique(codes, return_index=True, return_inverse=True)
        at = np.searchsorted(self.pair_codes, pairs)
        known = at < len(self.pair_codes)
        known[known] = self.pair_codes[at[known]] == pairs[known]
        new = ~known
        # new terms are numbered in the order they were first met
        first = np.concatenate([first_word, pair_at[first_index[new]]])
        order = np.argsort(first, kind="stable")
        numbered = np.empty(len(first), np.int64)
        numbered[order] = self.terms + np.arange(len(first))
        self.terms += len(first)
        self.word_term = np.concatenate([self.word_term, numbered[: len(new_words)]])
        pair_term = np.empty(len(pairs), np.int64)
        pair_term[known] = self.pair_terms[at[known]]
        pair_term[new] = numbered[len(new_words) :]
        self.pair_codes = np.insert(self.pair_codes, at[new], pairs[new])
        self.pair_terms = np.insert(self.pair_terms, at[new], pair_term[new])
        self.left.append(np.concatenate([new_words, pairs[new] >> 32])[order])
        self.right.append(np.concatenate([np.full(len(new_words), -1), pairs[new] & _RIGHT])[order])

        rows = np.concatenate([doc, pair_doc])
        cols = np.concatenate([self.word_term[words], pair_term[inverse]])
        ones = np.ones(len(rows), dtype=np.int32)
        from scipy import sparse  # only fitting needs SciPy

        part = sparse.coo_matrix((ones, (rows, cols)), shape=(n, max(self.terms, 1))).tocsr()
        part.sum_duplicates()  # canonical: a row's terms sorted by number, each once
        self._append(part.indptr, part.indices, part.data)

    def _append(self, indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray) -> None:
        end = self.nnz + len(indices)
        if end > len(self.indices):
            size = max(end, len(self.indices) * 5 // 4, 1 << 16)
            self.indices.resize(size, refcheck=False)
            self.counts.resize(size, refcheck=False)
        if len(counts) and counts.max() > np.iinfo(self.counts.dtype).max:
            self.counts = self.counts.astype(np.min_scalar_type(counts.max()))
        self.indices[self.nnz : end] = indices
        self.counts[self.nnz : end] = counts
        self.row_ends.append(self.nnz + indptr[1:].astype(np.int64))
        self.nnz = end

    def finish(self, max_df: float, min_df: float) -> tuple[csr_matrix, Callable[[], np.ndarray]]:
        """The counts of the terms kept, and what names those terms (called once the counts are
        weighed: a million texts' terms need not be held beside two copies of their matrix)."""
        if not self.terms:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        high = max_df if isinstance(max_df, Integral) else max_df * self.docs
        low = min_df if isinstance(min_df, Integral) else min_df * self.docs
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        df = np.zeros(self.terms, np.int64)
        for lo in range(0, self.nnz, _STEP):
            df += np.bincount(self.indices[lo : min(lo + _STEP, self.nnz)], minlength=self.terms)
        kept = np.flatnonzero((df <= high) & (df >= low))
        if not len(kept):
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        left, right = np.concatenate(self.left), np.concatenate(self.right)
        names = list(self.numbers.words)
        rank = np.empty(len(names), np.int64)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        # "a b" sorts as the pair (a, b), after the word "a" alone: no word holds a character < " "
        second = np.where(right[kept] < 0, -1, rank[np.maximum(right[kept], 0)])
        sorted_kept = kept[np.lexsort((second, rank[left[kept]]))]
        column = np.full(self.terms, -1, np.int64)
        column[sorted_kept] = np.arange(len(sorted_kept))
        first, then = left[sorted_kept], right[sorted_kept]

        def terms() -> np.ndarray:
            pairs = zip(first.tolist(), then.tolist(), strict=True)
            return np.array([names[a] if b < 0 else f"{names[a]} {names[b]}" for a, b in pairs], dtype=object)

        return self._matrix(column, len(sorted_kept)), terms

    def _matrix(self, column: np.ndarray, n_terms: int) -> csr_matrix:
        """The counts with columns renumbered (``column``: -1 drops a term), each row keeping its
        order, renumbered and compacted in place."""
        from scipy import sparse

        index_dtype = np.int64 if self.nnz > np.iinfo(np.int32).max else np.int32
        dropped, done = [], 0
        for lo in range(0, self.nnz, _STEP):
            hi = min(lo + _STEP, self.nnz)
            renumbered = column[self.indices[lo:hi]]
            kept = renumbered >= 0
            k = int(kept.sum())
            self.counts[done : done + k] = self.counts[lo:hi][kept]  # done <= lo: never ahead of the reads
            self.indices[done : done + k] = renumbered[kept]
            dropped.append(lo + np.flatnonzero(~kept))
            done += k
        ends = np.concatenate([[0], *self.row_ends]) if self.row_ends else np.zeros(1, np.int64)
        indptr = (ends - np.searchsorted(np.concatenate(dropped or [[]]), ends)).astype(index_dtype)
        data = self.counts[:done].astype(np.float32)
        self.counts = np.zeros(0, np.uint8)
        indices, self.indices = self.indices, np.zeros(0, np.int32)
        indices.resize(done, refcheck=False)
        return sparse.csr_matrix(
            (data, indices.astype(index_dtype, copy=False), indptr), shape=(self.docs, n_terms)
        )


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a fit makes millions of short-lived lists and tuples
    (unpickling the lexicon, many sets and dicts), and each collection would walk every object made
    so far (any cycles are collected after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _starts(sizes: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of ``sizes`` starts."""
    out = np.zeros(len(sizes), np.int64)
    np.cumsum(sizes[:-1], out=out[1:])
    return out


def count_terms(
    texts: Iterable[str], *, max_df: float = 1.0, min_df: float = 1, chunk: int = 10_000
) -> tuple[csr_matrix, np.ndarray]:
    """The count matrix (texts × terms, float32) and the sorted terms of ``texts``, as
    ``TfidfVectorizer(analyzer=analyzer, max_df=max_df, min_df=min_df, dtype=np.float32)`` counts
    them before weighting (see the module docstring), ``chunk`` texts at a time."""
    counts, terms = _count(map(raw_tokens, texts), chunk).finish(max_df, min_df)
    return counts, terms()


def tfidf(
    texts: Iterable[list[str]], *, max_df: float, sublinear_tf: bool, chunk: int = 10_000
) -> tuple[csc_matrix, np.ndarray, np.ndarray]:
    """``TfidfVectorizer(analyzer=analyzer, sublinear_tf=…, max_df=…, dtype=np.float32)``'s
    ``fit_transform(texts).tocsc()``, ``idf_`` and ``get_feature_names_out()``, for texts given as
    their ``raw_tokens``: their counts (see :func:`count_terms`) weighed by its TfidfTransformer."""
    from sklearn.feature_extraction.text import TfidfTransformer  # only fitting needs scikit-learn

    counts, terms = _count(texts, chunk).finish(max_df, 1)
    _return_free_memory()  # the counting's freed heap, before two copies of the matrix coexist
    weights = TfidfTransformer(sublinear_tf=sublinear_tf).fit(counts)
    matrix = weights.transform(counts, copy=False).tocsc()
    del counts
    return matrix, weights.idf_, terms()


def _return_free_memory() -> None:
    """Hand the C library's free heap pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing): at a million listings the counting leaves hundreds of megabytes free but held."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _count(texts: Iterable[list[str]], chunk: int) -> _Counter:
    counter = _Counter()
    word_number = counter.numbers.__getitem__
    numbers: list[int] = []
    lengths = array("q")
    for tokens in texts:
        lengths.append(len(tokens))
        numbers.extend(map(word_number, tokens))
        if len(lengths) == chunk:
            counter.add(np.array(numbers, dtype=np.int64), lengths)
            numbers, lengths = [], array("q")
    if lengths:
        counter.add(np.array(numbers, dtype=np.int64), lengths)
    return counter
