"""The semantic extra: embeddings from the wordllama wheel fused with Kindred's lexical scores.

Tests marked ``needs_model`` run when the extra is installed (it is part of ``.[dev]``); the
others show what happens without it and run either way.
"""

from __future__ import annotations

import json
import socket
import sys
from datetime import datetime, timezone

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from recommender.cli.main import cli
from recommender.core.config import ConfigError, Settings
from recommender.ranking import semantic
from recommender.ranking.feedback import Feedback
from recommender.ranking.ranker import PassionRanker
from recommender.ranking.ranking import Ranking
from recommender.ranking.saved_index import load_or_fit
from recommender.ranking.semantic import Embedder, SemanticRanking, embed_events, fuse, semantic_ranking
from recommender.store.event_store import Store
from scrapers.event import Event

needs_model = pytest.mark.skipif(not semantic.available(), reason=f"no semantic extra: {semantic.INSTALL}")
T = datetime(2026, 6, 6, 19, tzinfo=timezone.utc)
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def ev(title, description=""):
    return Event(title=title, description=description, start=T)


EVENTS = [
    ev("Sourdough bread workshop", "Bake a loaf with a starter."),
    ev("Saturn and Jupiter through the big telescope", "Observatory open night on the roof."),
    ev("Salsa social", "Latin dance night, lessons at 8."),
    ev("Speed networking mixer", "Meet founders and investors, swap business cards, generate leads."),
    ev("Pub quiz for newcomers", "Teams of strangers, bring your stories; new faces welcome."),
    ev("Watercolour basics", "A relaxed painting class."),
    ev("Saturday trail run", "10 km on forest trails, all paces."),
    ev("Chess club", "Weekly games, all levels."),
    ev("Choir rehearsal", "Community choir sings Handel."),
    ev("Evening at the dance hall", "Salsa and bachata for beginners."),
    ev("Evening of card games", "Poker and bridge for fun."),
    ev(
        "Evening at the observatory", "Look through the telescopes at the planets, the craters and the rings."
    ),
]
OBSERVATORY = "Evening at the observatory"


def titles(picks):
    return [p.event.title for p in picks]


@pytest.fixture(scope="module")
def embedder():
    return Embedder.load()


@pytest.fixture(scope="module")
def fused(embedder):
    return SemanticRanking.fit(Ranking(EVENTS), embedder)


# --- fusion arithmetic (no model needed) ---------------------------------------------------------

scores = arrays(np.float64, (2, 6), elements=st.floats(0, 1))
cosines = arrays(np.float64, (2, 6), elements=st.floats(-1, 1))


@given(scores, cosines)
def test_weight_zero_is_the_lexical_score(lexical, cosine):
    assert np.array_equal(fuse(lexical, cosine, weight=0.0), lexical)


@given(scores, cosines, st.floats(0.01, 1))
def test_fusion_never_takes_from_the_lexical_share_and_rewards_meaning(lexical, cosine, weight):
    fused = fuse(lexical, cosine, weight=weight)
    assert np.all(fused >= (1 - weight) * lexical - 1e-12)
    closer = cosine.copy()
    closer[0, 0] += 0.5
    assert fuse(lexical, closer, weight=weight)[0, 0] >= fused[0, 0]


def test_an_event_only_as_similar_as_the_average_one_gets_nothing_from_meaning():
    lexical, cosine = np.full((1, 4), 0.1), np.array([[0.3, 0.3, 0.3, 0.9]])
    assert fuse(lexical, cosine, weight=0.5).tolist() == [[0.05, 0.05, 0.05, pytest.approx(0.275)]]


@needs_model
def test_meaning_proposes_for_a_passion_naming_no_hobby_though_a_stray_word_matches(embedder):
    ranking = SemanticRanking(Ranking(MANY), embedder, embed_events(embedder, MANY))
    statement = "stillness of the mind in a calm flow"  # "flow" is in one title; no hobby is named
    assert "Guided meditation evening" not in titles(Ranking(MANY).rank(statement))
    assert "Guided meditation evening" in titles(ranking.rank(statement))
    assert "Speed networking mixer" not in titles(ranking.rank("swapping cards in a calm flow"))


@given(scores, cosines, st.floats(0, 1))
def test_meaning_never_makes_a_match_where_no_word_does(lexical, cosine, weight):
    lexical[:, ::2] = 0.0
    assert not fuse(lexical, cosine, weight=weight)[:, ::2].any()


# --- the model -----------------------------------------------------------------------------------


@needs_model
def test_model_loads_and_embeds_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the semantic layer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    model = Embedder.load()
    vectors = model.embed(["board games night", "tabletop gaming evening", "tax return workshop", ""])
    assert vectors.shape == (4, model.dim)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()  # no token at all: a zero vector, not NaN
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@needs_model
def test_loading_the_model_leaves_logging_alone(monkeypatch):
    import logging

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # as in a program that has not set up logging
    level = root.level
    for name in [m for m in sys.modules if m.split(".")[0] == "wordllama"]:
        monkeypatch.delitem(sys.modules, name)  # imported afresh: its set-up code runs again
    Embedder.load()
    assert root.handlers == [] and root.level == level


# --- fusion on a small named corpus --------------------------------------------------------------


@needs_model
def test_meaning_reorders_the_events_that_share_a_word(fused):
    statement = "an evening under the moon"  # names no hobby; "evening" is in three titles
    assert not fused.ranker.expander_.expand(statement).hobbies
    assert titles(Ranking(EVENTS).rank(statement))[-1] == OBSERVATORY  # words alone put it last
    picks = fused.rank(statement)
    assert titles(picks)[0] == OBSERVATORY
    assert picks[0].why == ["evening"] and picks[0].breakdown["semantic"] > 0


@needs_model
@pytest.mark.parametrize("statement", ["the moon and the stars", "hopping on a plane"])
def test_meaning_alone_never_makes_a_match(fused, embedder, statement):
    cosine = embedder.embed([statement]) @ fused.embeddings.T
    assert cosine.max() > 0.1  # the model does find something closest...
    assert fused.rank(statement) == []  # ...but with no word in common it is not a match


@needs_model
def test_a_business_mixer_still_sinks_though_the_embedding_likes_it(fused, embedder):
    statement = "evenings meeting people and swapping cards"
    cosine = embedder.embed([statement]) @ fused.embeddings.T
    assert EVENTS[int(np.argmax(cosine))].title == "Speed networking mixer"  # alone, the model picks it
    assert "Speed networking mixer" not in titles(fused.rank(statement, limit=len(EVENTS)))
    no_penalty = Ranking(EVENTS, ranker=PassionRanker(business_penalty=0).fit(EVENTS))
    unguarded = SemanticRanking(no_penalty, embedder, fused.embeddings).rank(statement)
    assert "Speed networking mixer" in titles(unguarded)[:2]  # so it is the penalty that sinks it


@needs_model
def test_a_hobby_passion_still_needs_a_hobby_word(fused):
    # "salsa" names latin dance: events without a latin-dance word stay out whatever their meaning
    assert set(titles(fused.rank("salsa dancing", limit=len(EVENTS)))) == {
        "Salsa social",
        "Evening at the dance hall",
    }


@needs_model
def test_dismissed_events_never_return_and_avoid_still_subtracts(fused):
    observatory = next(e for e in EVENTS if e.title == OBSERVATORY)
    assert titles(fused.rank("an evening under the moon"))[0] == OBSERVATORY
    gone = fused.rank("an evening under the moon", feedback=Feedback(dismissed=frozenset({observatory.id})))
    assert OBSERVATORY not in titles(gone) and gone
    liked = fused.rank("bread and chess", feedback=Feedback(likes=frozenset({EVENTS[7].id})))
    assert liked[0].breakdown["feedback"] > 0
    avoided = fused.rank("bread and chess, but not board games or chess")
    assert "Chess club" not in titles(avoided)[:1]


@needs_model
def test_weight_zero_gives_the_lexical_ranking_exactly(embedder):
    lexical = Ranking(EVENTS)
    off = SemanticRanking(lexical, embedder, semantic.embed_events(embedder, EVENTS), weight=0.0)
    for statement in ("salsa dancing", "bread, chess and choirs", "trail running but not networking"):
        expected = [(p.event.title, round(p.score, 9)) for p in lexical.rank(statement)]
        assert [(p.event.title, round(p.score, 9)) for p in off.rank(statement)] == expected


# --- embeddings kept beside the saved index ------------------------------------------------------


def over(store, embedder, cache_dir):
    return semantic_ranking(load_or_fit(store, cache_dir=cache_dir), embedder=embedder)


@needs_model
def test_embeddings_are_saved_beside_the_index_and_reused_until_the_store_changes(
    tmp_path, embedder, monkeypatch
):
    store = Store(f"sqlite:///{tmp_path}/k.db")
    store.upsert(EVENTS, now=NOW)
    first = over(store, embedder, tmp_path)
    saved = list(tmp_path.glob(f"*/*/{embedder.name}.npy"))
    assert len(saved) == 1

    def no_embedding(*args):
        raise AssertionError("embedded again")

    monkeypatch.setattr(semantic, "embed_events", no_embedding)
    again = over(store, embedder, tmp_path)
    assert np.array_equal(np.asarray(again.embeddings), first.embeddings)
    assert titles(again.rank("an evening under the moon")) == titles(first.rank("an evening under the moon"))
    monkeypatch.undo()

    store.upsert([ev("Knitting circle", "Bring yarn and needles.")], now=NOW)
    changed = over(store, embedder, tmp_path)
    assert len(changed.embeddings) == len(EVENTS) + 1
    assert not saved[0].exists()  # dropped with the old index


@needs_model
def test_an_unreadable_embeddings_file_is_embedded_again(tmp_path, embedder, caplog):
    store = Store(f"sqlite:///{tmp_path}/k.db")
    store.upsert(EVENTS, now=NOW)
    over(store, embedder, tmp_path)
    (path,) = tmp_path.glob(f"*/*/{embedder.name}.npy")
    path.write_bytes(b"not numpy")
    ranking = over(store, embedder, tmp_path)
    assert titles(ranking.rank("an evening under the moon"))[0] == OBSERVATORY
    assert "embedding again" in caplog.text
    assert np.load(path).shape == (len(EVENTS), embedder.dim)  # written back whole


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.slow  # three console-script runs that load the model
@needs_model
def test_query_semantic_on_the_command_line(kindred_script, tmp_path):
    kindred = kindred_script  # a real process: wordllama's logging set-up must not reach its stderr
    db = f"sqlite:///{tmp_path}/k.db"
    store = Store(db)
    store.upsert(EVENTS, now=NOW)
    ask = ("--db", db, "query", "an evening under the moon", "--any-date", "--format", "json")
    plain = kindred(*ask, check=True)
    assert json.loads(plain.stdout)[-1]["title"] == OBSERVATORY
    proc = kindred(*ask, "--semantic", "--explain")
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout)[0]
    assert first["title"] == OBSERVATORY and first["breakdown"]["semantic"] > 0
    by_env = kindred(*ask, env={"KINDRED_SEMANTIC": "1"})
    assert json.loads(by_env.stdout)[0]["title"] == OBSERVATORY
    assert "INFO" not in proc.stderr + by_env.stderr  # wordllama's logging set-up is kept out


@pytest.mark.parametrize("how", [["query", "--semantic"], ["query"]])
def test_semantic_without_the_extra_is_one_clear_error(monkeypatch, tmp_path, how):
    monkeypatch.setitem(sys.modules, "wordllama", None)  # as if not installed: importing it fails
    monkeypatch.setenv("KINDRED_SEMANTIC", "on")
    store = Store(f"sqlite:///{tmp_path}/k.db")
    store.upsert(EVENTS, now=NOW)
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path}/k.db", *how, "an evening under the moon"]
    )
    assert result.exit_code == 1
    assert "semantic extra is not installed" in result.output and semantic.INSTALL in result.output
    assert "Traceback" not in result.output


def test_no_semantic_overrides_the_setting_and_needs_no_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "wordllama", None)
    monkeypatch.setenv("KINDRED_SEMANTIC", "true")
    store = Store(f"sqlite:///{tmp_path}/k.db")
    store.upsert(EVENTS, now=NOW)
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path}/k.db", "query", "--no-semantic", "salsa", "--any-date"]
    )
    assert result.exit_code == 0, result.output
    assert "Salsa social" in result.output


@pytest.mark.parametrize("value, expected", [("1", True), ("Yes", True), ("off", False), ("0", False)])
def test_semantic_setting_from_the_environment(value, expected, tmp_path):
    env = {"KINDRED_SEMANTIC": value, "KINDRED_CONFIG": str(tmp_path / "none.toml")}
    assert Settings.load(env=env).semantic is expected


def test_semantic_setting_from_the_config_file_and_a_bad_value(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("semantic = true\n")
    assert Settings.load(env={"KINDRED_CONFIG": str(config)}).semantic is True
    assert Settings.load(env={"KINDRED_CONFIG": str(tmp_path / "none.toml")}).semantic is False
    with pytest.raises(ConfigError, match="not on or off"):
        Settings.load(env={"KINDRED_CONFIG": str(config), "KINDRED_SEMANTIC": "maybe"})


# --- issue 17, class 10: meaning finds what words miss -------------------------------------------------

MANY = [
    *(
        ev(t)
        for t in (
            "Sourdough bread workshop",
            "Chess club",
            "Choir rehearsal",
            "Saturday trail run",
            "Watercolour basics",
            "Pub quiz",
            "Salsa social",
            "Pottery wheel taster",
            "Jazz jam session",
            "Board game cafe",
            "Knitting circle",
            "Birdwatching walk",
            "Beach volleyball",
            "Improv comedy show",
            "Book club: new fiction",
            "Film screening: silent classics",
            "Rock climbing gym night",
            "Yoga flow",
            "Community garden workday",
            "Photography walk",
            "Cycling club ride",
            "Ukulele lessons",
            "Poetry open mic",
            "Astronomy night",
            "Kayak tour",
            "Cooking class: dumplings",
            "Wine tasting",
            "Craft beer festival",
            "Dog park meetup",
            "Tango milonga",
            "Farmers market",
            "Museum late night",
            "Running group",
            "Tennis drop-in",
            "Trivia night",
        )
    ),  # fmt: skip
    ev("Guided meditation evening", "Breathing and mindfulness in silence."),
    ev("Speed networking mixer", "Swap business cards, generate leads."),
]


@needs_model
def test_meaning_proposes_what_the_words_miss_and_dismissals_still_apply(embedder):
    ranking = SemanticRanking(Ranking(MANY), embedder, embed_events(embedder, MANY))
    statement = "stillness of the mind"  # no word of it in any event, and no hobby the lexicon knows
    assert Ranking(MANY).rank(statement) == []
    picks = ranking.rank(statement)
    assert titles(picks) == ["Guided meditation evening"]  # only what stands out in meaning
    assert ranking.rank("hopping on a plane") == []  # nothing stands out: nothing is proposed
    meditation = MANY[-2]
    assert ranking.rank(statement, feedback=Feedback(dismissed=frozenset({meditation.id}))) == []
