"""The persisted index: same rankings as a fresh fit, refitted when the store changes or the file breaks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from recommender.ranking.event_columns import EventColumns
from recommender.ranking.filters import EventFilter
from recommender.ranking.query import QueryOptions, find
from recommender.ranking.ranker import PassionRanker
from recommender.ranking.ranking import Ranking
from recommender.ranking.saved_index import load_or_fit, store_dir
from recommender.store.event_store import Store
from recommender.store.snapshot import load_snapshot
from scrapers.event import Event

NOW = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
PASSIONS = [
    "board games and long hikes",
    "live jazz",
    "I love pottery, salsa dancing and birdwatching",
    "comedy",
    "volunteering in community gardens",
    "film festivals and theatre",
]


def ids(picks):
    return [(p.event.id, round(p.score, 12), p.passion, p.why) for p in picks]


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'k.db'}")
    load_snapshot(store, now=NOW)
    return store


def small_events(n=60, seed=3):
    rng = random.Random(seed)
    words = ["hike", "jazz", "chess", "pottery", "choir", "trail", "networking", "salsa", "garden", "club"]
    return [
        Event(
            id=f"e{i}",
            title=" ".join(rng.sample(words, 2)).title(),
            description=" ".join(rng.choices(words, k=8)),
            start=NOW + timedelta(hours=rng.randrange(24 * 60)),
            lat=43.6 + rng.uniform(-0.2, 0.2) if rng.random() < 0.8 else None,
            lon=-79.4 + rng.uniform(-0.2, 0.2),
            attendance=rng.choice(["in_person", "online", "mixed"]),
            status=rng.choice(["scheduled", "scheduled", "cancelled", "moved_online"]),
            is_free=rng.choice([True, False, None]),
        )
        for i in range(n)
    ]


def test_saved_index_ranks_the_embedded_data_like_a_fresh_fit(snapshot_store, tmp_path):
    fresh = Ranking(snapshot_store.events())
    cold = load_or_fit(snapshot_store, cache_dir=tmp_path)
    warm = load_or_fit(snapshot_store, cache_dir=tmp_path)
    assert (cold.reused, warm.reused) == (False, True)
    for passions in PASSIONS:
        expected = ids(fresh.rank(passions, limit=10))
        assert expected, passions
        assert ids(warm.ranking.rank(passions, limit=10)) == expected
        assert [p.event for p in warm.ranking.rank(passions)] == [p.event for p in fresh.rank(passions)]


def test_find_gives_the_same_answer_cold_and_warm(snapshot_store):
    options = QueryOptions(any_date=True, limit=8, near=(43.65, -79.38), within_km=5)
    cold = find(snapshot_store, "live music and theatre", options, now=NOW)
    warm = find(snapshot_store, "live music and theatre", options, now=NOW)
    assert ids(cold.picks) == ids(warm.picks) and cold.picks


def test_small_corpus_with_filters(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    events = small_events()
    store.upsert(events, now=NOW)
    fresh = Ranking(store.events())
    loaded = load_or_fit(store, cache_dir=tmp_path)
    loaded = load_or_fit(store, cache_dir=tmp_path)
    assert loaded.reused
    flt = EventFilter(start=NOW + timedelta(days=3), end=NOW + timedelta(days=40), mode="in-person")
    mask = np.array([flt(e) for e in fresh.events])
    assert loaded.columns.mask(flt).tolist() == mask.tolist()
    for passions in ("hiking trails", "jazz, chess", "pottery and choir"):
        assert ids(loaded.ranking.rank(passions, mask=mask)) == ids(fresh.rank(passions, mask=mask))


@pytest.mark.parametrize("seed", range(12))
def test_vectorised_filter_equals_the_filter(seed):
    rng = random.Random(seed)
    events = small_events(seed=seed)
    flt = EventFilter(
        start=NOW + timedelta(days=rng.randrange(30)) if rng.random() < 0.7 else None,
        end=NOW + timedelta(days=rng.randrange(20, 60)) if rng.random() < 0.7 else None,
        near=(43.6, -79.4) if rng.random() < 0.6 else None,
        within_km=rng.uniform(1, 30),
        mode=rng.choice(["any", "in-person", "online"]),
        free_only=rng.random() < 0.3,
        include_cancelled=rng.random() < 0.3,
        exclude_ids=frozenset(rng.sample([e.id for e in events], 5)),
    )
    expected = [flt(e) for e in events]
    got = EventColumns.from_events(events).mask(flt, [e.id for e in events]).tolist()
    assert got == expected


def test_an_upsert_that_changes_the_store_invalidates_the_index(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.upsert(small_events(), now=NOW)
    assert load_or_fit(store, cache_dir=tmp_path).reused is False
    assert load_or_fit(store, cache_dir=tmp_path).reused is True
    store.upsert(small_events(), now=NOW + timedelta(days=1))  # same content: nothing changed
    assert load_or_fit(store, cache_dir=tmp_path).reused is True
    # a change stamped *earlier* than the newest row still counts (the generation token moves)
    store.upsert([Event(id="e1", title="Moonlight kayak paddle", start=NOW)], now=NOW - timedelta(days=9))
    after = load_or_fit(store, cache_dir=tmp_path)
    assert after.reused is False
    assert [p.event.id for p in after.ranking.rank("kayaking")] == ["e1"]
    assert len(list(store_dir(store, tmp_path).iterdir())) == 1  # the stale index was removed


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete", "manifest"])
def test_a_corrupt_index_is_refitted_not_fatal(tmp_path, damage):
    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.upsert(small_events(), now=NOW)
    expected = ids(Ranking(store.events()).rank("jazz and chess"))
    load_or_fit(store, cache_dir=tmp_path)
    (folder,) = store_dir(store, tmp_path).iterdir()
    target = folder / ("manifest.json" if damage == "manifest" else "indptr.npy")
    if damage == "garbage" or damage == "manifest":
        target.write_bytes(b"\x00not an index")
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:40])
    else:
        target.unlink()
    again = load_or_fit(store, cache_dir=tmp_path)
    assert again.reused is False
    assert ids(again.ranking.rank("jazz and chess")) == expected
    assert load_or_fit(store, cache_dir=tmp_path).reused is True  # and the index was written anew


def test_index_knows_every_fitted_attribute():
    fitted = {k for k in vars(PassionRanker().fit(small_events())) if k.endswith("_")}
    persisted = {"events_", "matrix_", "vocabulary_", "idf_", "terms_", "business_", "ties_", "series_"}
    persisted |= {"expander_", "formats_"}
    assert fitted - {"vectorizer_"} == persisted, (
        "teach recommender/ranking/saved_index.py to save the new fitted state"
    )


def test_concurrent_first_queries_both_succeed_and_leave_one_index(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = Store(f"sqlite:///{tmp_path / 'k.db'}")
    store.upsert(small_events(), now=NOW)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: load_or_fit(store, cache_dir=tmp_path / "c"), range(4)))
    expected = ids(Ranking(store.events()).rank("salsa and garden"))
    assert all(ids(r.ranking.rank("salsa and garden")) == expected for r in results)
    folders = list(store_dir(store, tmp_path / "c").iterdir())
    assert len(folders) == 1 and (folders[0] / "manifest.json").exists()
    assert load_or_fit(store, cache_dir=tmp_path / "c").reused


def test_an_in_memory_store_is_fitted_and_never_saved(tmp_path):
    store = Store("sqlite://")
    store.upsert(small_events(), now=NOW)
    assert not load_or_fit(store, cache_dir=tmp_path).reused
    assert not load_or_fit(store, cache_dir=tmp_path).reused
    assert not any(tmp_path.iterdir())


def test_the_copied_default_store_reuses_its_copied_index(snapshot_home):
    """conftest's snapshot_home copies a store and index built once per session: the copy is this
    test's own default store, and the saved index is found under its URL and reused, not refitted."""
    from recommender.store.snapshot import default_store_url, only_snapshot, open_store

    store = open_store(None)
    assert store.url == default_store_url() and str(snapshot_home) in store.url
    assert only_snapshot(store) and len(store.events()) > 1000
    loaded = load_or_fit(store)
    assert loaded.reused and loaded.folder.parent == store_dir(store)


def test_a_saved_vocabulary_answers_get_as_a_dict_does():
    from recommender.ranking.index_arrays import TermList, Vocabulary, pack_strings

    terms = ["board game", "chess", "hike", "é"]
    packed = pack_strings(terms)
    vocabulary = Vocabulary(TermList(packed["blob"], packed["offsets"]))
    plain = {t: i for i, t in enumerate(terms)}
    for term in [*terms, "golf", "", "chess club", "a"]:
        for _ in range(2):  # the second time from what it remembers
            assert vocabulary.get(term) == plain.get(term) and vocabulary.get(term, -7) == plain.get(term, -7)
            assert (term in vocabulary) == (term in plain)


def test_every_module_the_index_key_names_exists():
    # a renamed or moved module would silently drop out of the key (read as "-") and a change to
    # it would no longer refit the saved index
    from pathlib import Path

    import recommender
    from recommender.ranking.saved_index import _SOURCES

    here = Path(recommender.__file__).parent
    assert [name for name in _SOURCES if not (here / name).is_file()] == []
    assert {"store/rows.py", "store/sqlite_reader.py"} <= set(_SOURCES)  # what a fit reads of each row
