"""Read-only views a saved index is made of: packed strings, a sorted vocabulary, lazily loaded events.

Strings (vocabulary terms, event ids) are stored as one UTF-8 blob plus offsets, so a million terms
load in no time and a lookup is a binary search (UTF-8 byte order is code-point order, the order
``TfidfVectorizer`` sorts its vocabulary in).

>>> packed = pack_strings(["board game", "chess", "hike"])
>>> terms = TermList(packed["blob"], packed["offsets"])
>>> len(terms), terms[1], Vocabulary(terms).get("hike"), Vocabulary(terms).get("golf")
(3, 'chess', 2, None)
>>> Vocabulary(TermList(**packed, prefix=prefix_keys(**packed))).get("chess")
1
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


def prefix_key(raw: bytes) -> int:
    """The first 8 bytes of ``raw`` (zero-padded) as a big-endian number: sorted strings have sorted
    keys, so the strings that share one lie side by side.

    >>> prefix_key(b"chess") < prefix_key(b"chess club") < prefix_key(b"chessboard") < prefix_key(b"hike")
    True
    """
    return int.from_bytes(raw[:8].ljust(8, b"\0"), "big")


def prefix_keys(blob: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """:func:`prefix_key` of every string packed in ``blob`` and ``offsets``, as uint64."""
    starts, lengths = offsets[:-1], np.diff(offsets)
    k = np.arange(8)
    inside = k < lengths[:, None]
    padded = np.zeros((len(starts), 8), np.uint8)
    padded[inside] = blob[(starts[:, None] + k)[inside]]
    return padded.view(">u8").ravel().astype(np.uint64)


class TermList(Sequence[str]):
    """Strings unpacked one at a time from a blob and offsets (see :func:`pack_strings`); ``prefix``,
    their :func:`prefix_keys` when the strings are sorted, narrows a :class:`Vocabulary` search."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, prefix: np.ndarray | None = None):
        # plain views of memory-mapped arrays: np.memmap indexes through Python, ten times slower
        self._blob, self._offsets = np.asarray(blob), np.asarray(offsets)
        self.prefix = None if prefix is None else np.asarray(prefix)

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
        i = self.get(term, -1)
        if i < 0:
            raise KeyError(term)
        return i

    def get(self, term: str, default=None):
        i = self._found.get(term)
        if i is None:
            i = self._find(term)
            if len(self._found) < _REMEMBERED:
                self._found[term] = i
        return default if i < 0 else i

    def _find(self, term: str) -> int:
        raw = term.encode("utf-8")
        lo, hi = 0, len(self._keys)
        prefix = self._terms.prefix
        if prefix is not None:  # a binary search of the few strings that share its first 8 bytes
            key = np.uint64(prefix_key(raw))
            lo, hi = int(prefix.searchsorted(key, "left")), int(prefix.searchsorted(key, "right"))
        i = bisect.bisect_left(self._keys, raw, lo, hi)
        return i if i < hi and self._keys[i] == raw else -1

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)


def prefetch(events: Sequence[Event], indices: Sequence[int]) -> None:
    """Read the events at ``indices`` in a few queries when ``events`` loads them lazily (a saved
    index's :class:`StoredEvents`, a window of one), so reading them one by one after costs nothing."""
    read = getattr(events, "prefetch", None)
    if read is not None:
        read([int(i) for i in indices])


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
