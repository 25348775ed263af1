"""A fitted ranker saved beside the store and reused until the store changes, so a query does not refit.

The index of a store lives in ``<user cache dir>/index/<hash of the store URL>/<key>/`` as plain
``.npy`` arrays (the TF-IDF matrix in CSC parts, the sorted vocabulary, idf, the per-event signals,
the event ids and :class:`~recommender.ranking.event_columns.EventColumns`) plus ``manifest.json``, written
last. They are opened memory-mapped, so a query reads only the matrix columns its words touch.

The ``key`` is a hash of everything the fitted state depends on: the store's
:meth:`~recommender.store.event_store.Store.last_change` token, the schema version, the ranker's
parameters, the
library versions and the source of the modules and data that shape the fit. Any change → a new key →
one refit. A new index is written to a temporary folder and renamed into place (concurrent queries
and writers never see half an index); an index that cannot be read is refitted, never fatal.

Examples
--------
>>> from datetime import datetime, timezone
>>> from recommender.store.event_store import Store
>>> from scrapers.event import Event
>>> import tempfile; folder = tempfile.mkdtemp()
>>> store = Store(f"sqlite:///{folder}/k.db")
>>> _ = store.upsert([Event(title="Chess club", start=datetime(2026, 5, 1, tzinfo=timezone.utc))],
...                  now=datetime(2026, 4, 1, tzinfo=timezone.utc))
>>> first = load_or_fit(store, cache_dir=folder)
>>> again = load_or_fit(store, cache_dir=folder)
>>> (first.reused, again.reused, [p.event.title for p in again.ranking.rank("chess")])
(False, True, ['Chess club'])
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from recommender.core.paths import user_cache_dir
from recommender.core.resources import data_file
from recommender.ranking.event_columns import EventColumns
from recommender.ranking.event_features import EventFeatures, paused_gc
from recommender.ranking.index_arrays import StoredEvents, TermList, Vocabulary, pack_strings, prefix_keys
from recommender.ranking.ranking import Ranking
from recommender.ranking.term_matrix import ColumnArrays
from recommender.store.rows import SCHEMA_VERSION

if TYPE_CHECKING:
    from recommender.store.event_store import Store

log = logging.getLogger(__name__)
FORMAT = 4  # 2: lat/lon columns place events without coordinates at their town; 3: each event's series
# saved; 4: the vocabulary's prefix keys saved
# what the fitted state depends on besides the events (their bytes go into the key)
_SOURCES = (
    "ranking/ranker.py",
    "passions/stemming.py",
    "passions/stop_words.py",
    "ranking/signals.py",
    "passions/expansion.py",
    "passions/lexicon.py",
    "ranking/saved_index.py",
    "ranking/index_arrays.py",
    "passions/event_formats.py",
    "ranking/event_features.py",
    "ranking/series.py",
    "store/rows.py",  # row_to_listing: what a fit reads of each row
    "store/sqlite_reader.py",  # read_listings: how it reads them on SQLite
)
_DATA = ("business_terms.toml", "hobbies.toml", "formats.toml")
# The built lexicon expander and event formats travel with the index: building them from the TOML
# costs more than the rest of a query. Written by this process into the user's own cache folder.
_BUILT = "lexicon.pickle"


@dataclass
class Loaded:
    """A ranking over a store, its filter columns, whether it came from the saved index, and that
    index's folder (None when nothing is saved: files that belong with the index go there)."""

    ranking: Ranking
    columns: EventColumns
    ids: Sequence[str]
    reused: bool
    folder: Path | None = None
    key: str = ""  # the index key the ranking was loaded or fitted for (see index_key)


def store_dir(store: Store, cache_dir: str | Path | None = None) -> Path:
    """Where indexes of ``store`` are kept."""
    base = Path(cache_dir) if cache_dir is not None else user_cache_dir() / "index"
    return base / hashlib.sha256(str(store.url).encode()).hexdigest()[:16]


def index_key(store: Store, params: dict) -> str:
    """The hash that names the index of ``store`` as it is now (see the module docstring)."""
    h = hashlib.sha256()
    h.update(json.dumps([_code_key(), store.last_change(), sorted(params.items())], default=str).encode())
    return h.hexdigest()[:24]


@functools.cache
def _code_key() -> str:
    """The part of the key that does not change while a process runs: format, schema, library
    versions and the bytes of the modules and data that shape the fit."""
    from importlib.metadata import version  # not `import sklearn`: that alone costs most of a second

    h = hashlib.sha256()
    parts = [FORMAT, SCHEMA_VERSION, np.__version__, version("scipy"), version("scikit-learn")]
    h.update(json.dumps(parts).encode())
    here = Path(__file__).resolve().parent.parent  # recommender/
    for path in [here / name for name in _SOURCES] + [data_file(name) for name in _DATA]:
        h.update(path.read_bytes() if path.exists() else b"-")
    return h.hexdigest()


def load_or_fit(store: Store, *, cache_dir: str | Path | None = None, save: bool = True) -> Loaded:
    """The ranking over every stored event: from the saved index when it matches the store, else fitted
    now (and saved when ``save``)."""
    from recommender.ranking.ranker import PassionRanker

    params = PassionRanker().get_params()
    key = index_key(store, params)
    if store.in_memory:  # nothing outlives the process: fit, don't save
        events = store.events()
        ids = [e.id for e in events]
        columns = EventColumns.from_events(events)
        return Loaded(Ranking(events, columns=columns, ids=ids), columns, ids, False, key=key)
    folder = store_dir(store, cache_dir) / key
    broken = False
    if (folder / "manifest.json").exists():
        try:
            ranker, columns = _read(folder, key, params, store)
            ids = ranker.events_.ids
            ranking = Ranking(ranker.events_, ranker=ranker, columns=columns, ids=ids)
            return Loaded(ranking, columns, ids, True, folder, key)
        except Exception as exc:  # noqa: BLE001 - any unreadable index is refitted, never fatal
            log.warning("index %s cannot be read (%s); refitting", folder, exc)
            broken = True
    features = EventFeatures()  # the events stream by; only their ids and filter columns stay
    ranker = PassionRanker(**params).fit(store.iter_listings(), count=store.count(), features=features)
    ids, columns = features.ids, features.columns
    ranker.events_ = StoredEvents(store, ids)
    ranking = Ranking(ranker.events_, ranker=ranker, columns=columns, ids=ids)
    saved = None
    if save and ids and index_key(store, params) == key:  # a writer changed the store meanwhile: skip
        try:
            _write(folder, key, ranker, ids, columns, replace=broken)
            saved = folder
        except OSError as exc:
            log.warning("cannot save the index in %s (%s); queries will refit", folder, exc)
    return Loaded(ranking, columns, ids, False, saved, key)


def ranking_of(store: Store) -> Ranking:
    """The ranking over every event in ``store``, from its saved index (see :func:`load_or_fit`):
    what ``kindred query``, ``export-ics``, the digest and the calendar feed rank with."""
    return load_or_fit(store).ranking


class CurrentRanking:
    """The store's ranking held by a long-running process (``kindred serve``), loaded again only when
    the store changes: each :meth:`get` costs the store's change token, not a load.

    >>> from datetime import datetime, timezone
    >>> from recommender.store.event_store import Store
    >>> from scrapers.event import Event
    >>> store = Store("sqlite://")
    >>> _ = store.upsert([Event(title="Chess club", start=datetime(2026, 5, 1, tzinfo=timezone.utc))],
    ...                  now=datetime(2026, 4, 1, tzinfo=timezone.utc))
    >>> current = CurrentRanking(store)
    >>> current.get() is current.get()
    True
    """

    def __init__(self, store: Store, *, cache_dir: str | Path | None = None):
        self.store, self.cache_dir = store, cache_dir
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    def get(self) -> Loaded:
        from recommender.ranking.ranker import PassionRanker

        key = index_key(self.store, PassionRanker().get_params())
        loaded = self._loaded
        if loaded is None or loaded.key != key:
            with self._lock:  # one load at a time; the others then find it loaded
                loaded = self._loaded
                if loaded is None or loaded.key != key:
                    loaded = self._loaded = load_or_fit(self.store, cache_dir=self.cache_dir)
        return loaded


def _write(folder: Path, key: str, ranker, ids: list[str], columns: EventColumns, *, replace: bool) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        matrix = ranker.matrix_
        terms = list(ranker.terms_)
        if any(a >= b for a, b in zip(terms, terms[1:], strict=False)):
            raise OSError("vocabulary is not sorted")  # sklearn sorts it; refuse rather than mis-read
        packed = pack_strings(terms)
        arrays = {
            "data": matrix.data,
            "indices": matrix.indices,
            "indptr": matrix.indptr,
            "idf": ranker.idf_,
            "business": ranker.business_,
            "ties": ranker.ties_,
            "series": ranker.series_,
            **{f"terms_{k}": v for k, v in packed.items()},
            "terms_prefix": prefix_keys(**packed),
            **{f"ids_{k}": v for k, v in pack_strings(ids).items()},
            **{f"col_{k}": v for k, v in columns.arrays().items()},
        }
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        with open(tmp / _BUILT, "wb") as out:
            pickle.dump((ranker.expander_, ranker.formats_), out, protocol=pickle.HIGHEST_PROTOCOL)
        manifest = {"format": FORMAT, "key": key, "shape": list(matrix.shape), "arrays": sorted(arrays)}
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        if folder.exists():
            if not replace:  # another process saved this very index meanwhile: keep theirs
                return
            shutil.rmtree(folder, ignore_errors=True)  # the unreadable one we found
        try:
            os.rename(tmp, folder)
        except OSError:  # another process saved the same index first
            return
        for old in folder.parent.iterdir():
            if old != folder and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read(folder: Path, key: str, params: dict, store: Store):
    from recommender.passions.event_formats import Formats
    from recommender.passions.expansion import Expander
    from recommender.ranking.ranker import PassionRanker

    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("format") != FORMAT or manifest.get("key") != key:
        raise ValueError("manifest does not match")
    arr = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        for name in manifest["arrays"]
    }
    n_events, n_terms = manifest["shape"]
    ranker = PassionRanker(**params)
    # plain views: np.memmap indexes through Python
    matrix = [np.asarray(arr[name]) for name in ("data", "indices", "indptr")]
    ranker.matrix_ = ColumnArrays(*matrix, (n_events, n_terms))
    ranker.terms_ = TermList(arr["terms_blob"], arr["terms_offsets"], arr["terms_prefix"])
    ranker.vocabulary_ = Vocabulary(ranker.terms_)
    ranker.idf_ = np.asarray(arr["idf"])
    ranker.business_ = np.asarray(arr["business"])
    ranker.ties_ = np.asarray(arr["ties"])
    ranker.series_ = np.asarray(arr["series"])
    try:
        # paused: its many small sets and dicts would set off collections midway
        with open(folder / _BUILT, "rb") as built, paused_gc():
            ranker.expander_, ranker.formats_ = pickle.load(built)  # noqa: S301 - our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        ranker.expander_, ranker.formats_ = Expander.default(), Formats.default()
    if not isinstance(ranker.expander_, Expander) or not isinstance(ranker.formats_, Formats):
        raise ValueError("the saved lexicon is not one")
    ids = TermList(arr["ids_blob"], arr["ids_offsets"])
    columns = EventColumns(**{f[4:]: np.asarray(v) for f, v in arr.items() if f.startswith("col_")})
    sizes = {len(ids), len(columns), len(ranker.business_), len(ranker.ties_), len(ranker.series_)}
    if sizes != {n_events} or len(ranker.terms_) != n_terms or len(ranker.idf_) != n_terms:
        raise ValueError("index arrays disagree in size")
    ranker.events_ = StoredEvents(store, ids)
    return ranker, columns
