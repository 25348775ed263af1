"""Fitting counts terms as integers, scans signal phrases by their first word and reads SQLite rows
with plain SQL: each gives what the straightforward code gives, to the bit, on hostile text."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from test_sqlite_reader import events as stored_events

from recommender.passions.stemming import analyzer, raw_tokens, token_word, words
from recommender.ranking import signals
from recommender.ranking.event_features import (
    _PROHIBITION,
    _SENTENCE,
    EventFeatures,
    count_terms,
    without_prohibitions,
)
from recommender.ranking.event_features import tfidf as weighed
from recommender.ranking.ranker import PassionRanker
from recommender.store.event_store import Store
from scrapers.event import Event

T = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)
# words that fold, pair, stop, carry apostrophes, accents, final sigmas, ligatures and "&"
PIECES = [
    "games", "game", "the", "and", "it's", "d’Artagnan's", "Café", "CAFE", "ΣΑΣ", "ﬁne", "İstanbul",
    "x&'s", "AT&T", "speed", "networking", "business", "clean-up", "community", "garden", "weekly",
    "every", "week", "all", "welcome", "not", "permitted", "PROHIBITED", "no", "dogs", "allowed", "ſ",
    "KELVIN", "K", "_", "1st", "2", "classes", "parties", "a", "b", ".", "!", "\n", " ", "  ", "’",
    "'", "-", "Mixer", "mixers", "founders",
]  # fmt: skip
text = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=30).map(" ".join)
hostile = text | st.text(max_size=80)


@given(hostile)
def test_raw_tokens_give_the_words(t):
    assert [w for w in map(token_word, raw_tokens(t)) if w] == words(t)


def _stock(texts, max_df):
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, max_df=max_df, dtype=np.float32)
    return vectorizer, vectorizer.fit_transform(texts)


def _same_matrix(a, b) -> None:
    for name in ("data", "indices", "indptr"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), name


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(hostile, min_size=1, max_size=25),
    chunk=st.integers(1, 7),
    max_df=st.sampled_from([1.0, 0.5, 0.3, 2]),
)
def test_counts_weigh_as_tfidf_vectorizers_to_the_bit(texts, chunk, max_df):
    try:
        vectorizer, expected = _stock(texts, max_df)
    except ValueError as exc:  # only stop words, or nothing left after pruning: the same error
        with pytest.raises(ValueError, match=str(exc)[:20]):
            count_terms(texts, max_df=max_df, chunk=chunk)
        return
    counts, terms = count_terms(texts, max_df=max_df, chunk=chunk)
    assert list(terms) == list(vectorizer.get_feature_names_out())
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    assert tfidf.idf_.tobytes() == vectorizer.idf_.tobytes()
    got = tfidf.transform(counts, copy=False)
    _same_matrix(got, expected)  # the layout too: a row's entries in the order scikit-learn keeps them
    _same_matrix(got.tocsc(), expected.tocsc())
    matrix, idf, names = weighed(map(raw_tokens, texts), max_df=max_df, sublinear_tf=True, chunk=chunk)
    _same_matrix(matrix, expected.tocsc())
    assert idf.tobytes() == vectorizer.idf_.tobytes() and list(names) == list(terms)


def test_counts_beyond_a_byte_and_chunks_of_every_size_weigh_the_same():
    texts = ["jazz " * 300 + "choir", "choir night", "jazz " * 70_000, "night"] * 3
    vectorizer, expected = _stock(texts, 1.0)
    for chunk in (1, 2, 5, 100):
        matrix, idf, names = weighed(map(raw_tokens, texts), max_df=1.0, sublinear_tf=True, chunk=chunk)
        _same_matrix(matrix, expected.tocsc())
        assert list(names) == list(vectorizer.get_feature_names_out())


def test_a_fit_has_the_stock_vocabulary_matrix_and_idf():
    events = [
        Event(title=f"{w} night", start=T, description=f"Weekly {w} with the {v} club.")
        for w in ("jazz", "chess", "pottery", "board games", "salsa")
        for v in ("friendly", "local", "newcomers'", "café")
    ] * 4
    ranker = PassionRanker().fit(events)
    vectorizer, expected = _stock(list(EventFeatures().texts(events)), 0.5)
    assert list(ranker.terms_) == list(vectorizer.get_feature_names_out())
    assert ranker.vocabulary_ == vectorizer.vocabulary_
    assert ranker.idf_.tobytes() == vectorizer.idf_.tobytes()
    _same_matrix(ranker.matrix_, expected.tocsc())


# The phrase scans as they were: every phrase tried against every event.
def _old_contains(tokens, phrase):
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def _old_business(ev):
    terms, _ = signals._business_terms()
    head = signals.tokens_of(" ".join([ev.title, ev.group or "", ev.organizer or ""]))
    body = signals.tokens_of(ev.description[:2000])
    present = set(head) | set(body)
    keep = 1.0
    for phrase, weight in terms.items():
        if phrase[0] not in present:
            continue
        if _old_contains(head, phrase):
            keep *= 1 - weight
        elif _old_contains(body, phrase):
            keep *= 1 - weight / 2
    return 1.0 - keep


def _old_ties(ev):
    tokens = signals.tokens_of(" ".join([ev.title, ev.description[:1000]]))
    present = set(tokens)
    score = 0.0
    for name, (cues, weight) in signals.TIES_CUES.items():
        cues = [signals.tokens_of(c) for c in cues]
        recurring_group = name == "recurring" and bool(ev.group)
        if recurring_group or any((not c or c[0] in present) and _old_contains(tokens, c) for c in cues):
            score += weight
    return min(score, 1.0)


business_words = st.sampled_from(sorted({w for p in signals._business_terms()[0] for w in p}))
phrasing = st.lists(business_words | st.sampled_from(PIECES) | st.text(max_size=5), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=phrasing.filter(str.strip),
    description=phrasing | st.text(max_size=40),
    group=st.none() | phrasing,
    organizer=st.none() | phrasing,
    long=st.sampled_from([0, 990, 1990, 2500]),
)
def test_signal_scans_score_as_every_phrase_tried(title, description, group, organizer, long):
    description = "x " * (long // 2) + description  # around the 1000 and 2000 characters read
    ev = Event(title=title, start=T, description=description, group=group, organizer=organizer)
    old = (_old_business(ev), _old_ties(ev))
    assert (signals.business_score(ev), signals.ties_score(ev)) == old
    assert signals.signal_scores(ev) == old


forbidding = st.sampled_from([*PIECES, "are", "is", "banned", "forbidden", "ALLOWED", "permİtted"])


@given(st.lists(forbidding, max_size=20).map(" ".join) | st.text(max_size=40))
def test_prohibitions_drop_as_the_pattern_says(t):
    expected = t
    if _PROHIBITION.search(t):
        expected = " ".join(part for part in _SENTENCE.split(t) if not _PROHIBITION.search(part))
    assert without_prohibitions(t) == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            lambda title, description, group, venue, tags, long: Event(
                title=title,
                start=T,
                description="x " * long + description,
                group=group,
                venue=venue,
                tags=tags,
            ),
            title=phrasing.filter(str.strip),
            description=phrasing | forbidding.map(str) | st.text(max_size=40),
            group=st.none() | phrasing,
            venue=st.none() | st.sampled_from(PIECES),
            tags=st.lists(st.sampled_from(PIECES), max_size=3),
            long=st.sampled_from([0, 600, 1100]),
        ),
        max_size=6,
    )
)
def test_tokens_are_the_texts_tokens_and_keep_the_same_features(events):
    by_text, by_tokens = EventFeatures(), EventFeatures()
    assert [raw_tokens(t) for t in by_text.texts(events)] == list(by_tokens.tokens(events))
    assert by_text.ids == by_tokens.ids
    assert by_text.business.tobytes() == by_tokens.business.tobytes()
    assert by_text.ties.tobytes() == by_tokens.ties.tobytes()
    assert by_text.series.tolist() == by_tokens.series.tolist()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60) | text.filter(str.isascii))
def test_plain_text_folds_to_its_own_words(t):
    assert signals.tokens_of(t) == tuple(words(t))  # "&" becomes "and", a stop word


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(stored_events, min_size=1, max_size=10))
def test_a_fit_over_the_stores_listings_keeps_what_it_keeps_of_its_events(tmp_path_factory, batch):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('f') / 'k.db'}")
    store.upsert(batch, now=T)
    of_events, of_listings = EventFeatures(), EventFeatures()
    assert list(of_events.tokens(store.events())) == list(of_listings.tokens(store.iter_listings()))
    for name in ("ids", "business", "ties", "series"):
        assert np.array_equal(getattr(of_events, name), getattr(of_listings, name)), name
    expected, got = of_events.columns.arrays(), of_listings.columns.arrays()
    assert all(expected[k].tobytes() == got[k].tobytes() for k in expected)
    store.engine.dispose()


def test_the_collector_is_paused_for_a_fit_and_left_as_it_was():
    import gc

    from recommender.ranking.event_features import paused_gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # someone else paused it: they resume it
    finally:
        gc.enable()


def test_features_keep_one_stream_and_let_go_of_what_only_it_needed():
    events = [Event(title="Chess club", start=T, group="Chess", venue="Hall"), Event(title="Choir", start=T)]
    features = EventFeatures()
    assert len(list(features.tokens(events))) == 2
    assert features.series.tolist() == [0, 1] and len(features.business) == 2
    assert not features._series_of and not features._groups
    with pytest.raises(RuntimeError):
        list(features.texts(events))
