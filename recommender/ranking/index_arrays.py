"""Read-only views a saved index is made of: packed strings, a sorted vocabulary, lazily loaded events.

Strings (vocabulary terms, event ids) are stored as one UTF-8 blob plus offsets, so a million terms
load in no time and a lookup is a binary search (UTF-8 byte order is code-point order, the order
``TfidfVectorizer`` sorts its vocabulary in).

>>> packed = pack_strings(["board game", "chess", "hike"])
>>> terms = TermList(packed["blob"], packed["offsets"])
>>> len(terms), terms[1], Vocabulary(terms).get("hike"), Vocabulary(terms).get("golf")
(3, 'chess', 2, None)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from scrapers.event import Event

_CHUNK = 500
_REMEMBERED = 200_000  # vocabulary lookups kept per loaded index


def pack_strings(strings: Sequence[str]) -> dict[str, np.ndarray]:
    """``{"blob": uint8 array, "offsets": int64 array}`` holding ``strings`` in order."""
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return {"blob": np.frombuffer(b"".join(encoded), np.uint8), "offsets": offsets}


class TermList(Sequence[str]):
    """Strings unpacked one at a time from a blob and offsets (see :func:`pack_strings`)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        # plain views of memory-mapped arrays: np.memmap indexes through Python, ten times slower
        self._blob, self._offsets = np.asarray(blob), np.asarray(offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def raw(self, i: int) -> bytes:
        return self._blob[self._offsets[i] : self._offsets[i + 1]].tobytes()

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.raw(i).decode("utf-8")


class _RawKeys:
    def __init__(self, terms: TermList):
        self.terms = terms

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, i: int) -> bytes:
        return self.terms.raw(i)


class Vocabulary(Mapping[str, int]):
    """Term → column by binary search over a sorted :class:`TermList`: a loaded ranker's ``vocabulary_``."""

    def __init__(self, terms: TermList):
        self._terms = terms
        self._keys = _RawKeys(terms)
        self._found: dict[str, int] = {}  # terms looked up before: a long-lived process asks again

    def __getitem__(self, term: str) -> int:
        i = self._column(term)
        if i < 0:
            raise KeyError(term)
        return i

    def get(self, term: str, default=None):
        """The column of ``term``, or ``default`` (without raising inside: most lookups miss)."""
        i = self._column(term)
        return default if i < 0 else i

    def _column(self, term: str) -> int:
        i = self._found.get(term)
        if i is None:
            raw = term.encode("utf-8")
            i = bisect.bisect_left(self._keys, raw)
            if not (i < len(self._keys) and self._keys[i] == raw):
                i = -1
            if len(self._found) < _REMEMBERED:
                self._found[term] = i
        return i

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)


class StoredEvents(Sequence[Event]):
    """The events of a saved index, in index order, read from the store only when asked for."""

    def __init__(self, store, ids: Sequence[str]):
        self.store, self.ids = store, ids
        self._cache: dict[int, Event] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if i not in self._cache:
            self.prefetch([i])
        return self._cache[i]

    def prefetch(self, indices: Sequence[int]) -> None:
        """Read the events at ``indices`` that were not read yet, in one query per :data:`_CHUNK`."""
        wanted = list(dict.fromkeys(i for i in indices if i not in self._cache))
        for lo in range(0, len(wanted), _CHUNK):
            part = wanted[lo : lo + _CHUNK]
            found = self.store.events_by_id([self.ids[i] for i in part])
            for i in part:
                event = found.get(self.ids[i])
                if event is None:
                    raise LookupError(f"event {self.ids[i]!r} left the store; run the query again")
                self._cache[i] = event

    def __iter__(self) -> Iterator[Event]:
        for lo in range(0, len(self), _CHUNK):
            wanted = [self.ids[i] for i in range(lo, min(lo + _CHUNK, len(self)))]
            found = self.store.events_by_id(wanted)
            yield from (found[i] for i in wanted)
