"""Likes and dismissals: Rocchio on the ranker, storage per profile, and the CLI commands."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from recommender.people.feedback import FeedbackError, load, record
from recommender.people.subscribers import add_subscriber
from recommender.ranking.feedback import Feedback
from recommender.ranking.ranking import Ranking
from scrapers.event import Event

T = datetime(2026, 6, 6, 19, tzinfo=timezone.utc)
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

# Three pottery events of different kinds and a kiln night that says "glaze" and "kiln" a lot.
POTTERY = [
    Event(title="Pottery market", description="Mugs, bowls and vases by local potters for sale.", start=T),
    Event(
        title="Pottery workshop: glazes",
        description="Glaze chemistry and kiln firing for potters.",
        start=T + timedelta(days=1),
    ),
    Event(
        title="Pottery wheel throwing", description="Centre clay on the wheel.", start=T + timedelta(days=2)
    ),
    Event(
        title="Kiln night",
        description="Load the kiln, test glazes, talk glaze recipes.",
        start=T + timedelta(days=3),
    ),
]
pytestmark = [pytest.mark.every_store, pytest.mark.store(memory=True, events=POTTERY, now=NOW)]


def titles(picks):
    return [p.event.title for p in picks]


def test_a_dismissed_event_never_returns():
    ranking = Ranking(POTTERY)
    before = titles(ranking.rank("pottery"))
    assert "Pottery market" in before
    gone = Feedback(dismissed=frozenset({POTTERY[0].id}))
    after = ranking.rank("pottery", feedback=gone, limit=50)
    assert "Pottery market" not in titles(after)
    assert len(after) == len(before) - 1


def test_a_like_moves_the_list_toward_similar_events():
    ranking = Ranking(POTTERY)
    plain = ranking.rank("pottery", limit=10)
    liked = ranking.rank("pottery", limit=10, feedback=Feedback(likes=frozenset({POTTERY[3].id})))
    before = {p.event.title: p.score for p in plain}
    after = {p.event.title: p for p in liked}
    glazes = after["Pottery workshop: glazes"]  # shares "glaze" and "kiln" with the liked event
    assert glazes.score > before["Pottery workshop: glazes"]
    assert glazes.breakdown["feedback"] > 0 and glazes.liked == "Kiln night"
    wheel = after["Pottery wheel throwing"]  # shares nothing with it
    assert wheel.score == pytest.approx(before["Pottery wheel throwing"]) and wheel.liked == ""
    assert titles(liked).index("Pottery workshop: glazes") < titles(liked).index("Pottery market")
    assert all(p.liked == "" for p in plain)


def test_a_dismissal_sinks_similar_events():
    ranking = Ranking(POTTERY)
    plain = {p.event.title: p.score for p in ranking.rank("pottery", limit=10)}
    pushed = ranking.rank("pottery", limit=10, feedback=Feedback(dismissed=frozenset({POTTERY[3].id})))
    scores = {p.event.title: p.score for p in pushed}
    assert scores["Pottery workshop: glazes"] < plain["Pottery workshop: glazes"]
    assert scores["Pottery wheel throwing"] == pytest.approx(plain["Pottery wheel throwing"], abs=1e-9)


def test_default_profile_records_once_and_like_undoes_dismiss(store):
    event_id = POTTERY[1].id
    assert record(store, event_id, "dismiss", now=NOW) is True
    assert record(store, event_id, "dismiss", now=NOW) is False
    assert load(store) == Feedback(dismissed=frozenset({event_id}))
    assert record(store, event_id, "like", now=NOW) is True
    assert load(store) == Feedback(likes=frozenset({event_id}))


def test_subscriber_feedback_is_theirs_alone(store):
    add_subscriber(store, "sam@example.org", passions="pottery", now=NOW)
    record(store, POTTERY[0].id, "dismiss", user="sam@example.org", now=NOW)
    assert load(store, "sam@example.org").dismissed == {POTTERY[0].id}
    assert not load(store)


def test_unknown_event_or_subscriber_is_a_clear_error_and_changes_nothing(store):
    with pytest.raises(FeedbackError, match="no event 'nope'"):
        record(store, "nope", "like", now=NOW)
    with pytest.raises(FeedbackError, match="must be one of"):
        record(store, POTTERY[0].id, "love", now=NOW)
    with pytest.raises(Exception, match="no subscriber"):
        record(store, POTTERY[0].id, "like", user="ghost@example.org", now=NOW)
    assert not load(store)


def test_cli_dismiss_then_query_never_shows_it(kindred, tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    feed = tmp_path / "pottery.jsonld"
    feed.write_text(
        json.dumps(
            [
                {
                    "@context": "https://schema.org",
                    "@type": "Event",
                    "name": e.title,
                    "description": e.description,
                    "startDate": e.start.isoformat(),
                    "url": f"https://example.org/pottery/{i}",
                }
                for i, e in enumerate(POTTERY)
            ]
        )
    )
    kindred("--db", db, "import", str(feed), check=True)
    args = ("--db", db, "query", "pottery", "--any-date", "--format", "json")
    first = json.loads(kindred(*args, check=True).stdout)
    target = next(r for r in first if r["title"] == "Pottery market")
    out = kindred("--db", db, "dismiss", target["id"], check=True).stdout
    assert "will not be suggested" in out and "Pottery market" in out
    again = json.loads(kindred(*args, check=True).stdout)
    assert target["id"] not in {r["id"] for r in again}
    assert len(again) == len(first) - 1
    bad = kindred("--db", db, "like", "ev-doesnotexist")
    assert (
        bad.returncode == 1 and "no event 'ev-doesnotexist'" in bad.stderr and "Traceback" not in bad.stderr
    )


@pytest.mark.usefixtures("snapshot_home")
def test_query_that_matches_nothing_suggests_related_hobbies(kindred):
    proc = kindred("query", "knittin", check=True)
    assert "No stored event matches knittin" in proc.stderr
    assert "Related hobbies to try: knitting" in proc.stderr


def test_a_subscribers_like_undoes_their_dismiss(store):
    add_subscriber(store, "kai@example.org", passions="pottery", now=NOW)
    record(store, POTTERY[2].id, "dismiss", user="kai@example.org", now=NOW)
    record(store, POTTERY[2].id, "like", user="kai@example.org", now=NOW)
    assert load(store, "kai@example.org") == Feedback(likes=frozenset({POTTERY[2].id}))
