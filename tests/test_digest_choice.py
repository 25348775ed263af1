"""Choosing what goes in a digest: window, filters, exclusions, limits and "pass it on"."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from digest_world import at, make_events

from recommender.digest.choice import HORIZON_DAYS, MAX_PICKS, choose_digest
from recommender.ranking.picks import why_line
from recommender.ranking.ranking import Ranking
from scrapers.event import Event

NOW = at(23, 0)  # Monday of 2026-W48, Toronto


def person(passions, friends=(), **kw):
    return SimpleNamespace(
        passions=passions, near=kw.get("near"), within_km=kw.get("within_km"), mode=kw.get("mode", "any"),
        friends=[{"name": n, "loves": loves} for n, loves in friends],
    )  # fmt: skip


@pytest.fixture(scope="module")
def ranking():
    return Ranking(make_events())


def titles(picks):
    return [p.event.title for p in picks]


def test_only_upcoming_scheduled_events_in_the_window(ranking):
    choice = choose_digest(ranking, person("pottery and jazz"), now=NOW)
    assert set(titles(choice.picks)) == {
        "<script>alert(1)</script> Pottery wheel night", "Raku pottery firing", "Jazz jam session"
    }  # fmt: skip
    for pick in choice.picks:
        assert NOW <= pick.event.start < NOW + timedelta(days=HORIZON_DAYS)
        assert pick.why.startswith("You love ") and pick.passion in pick.why


def test_sent_and_dismissed_events_are_excluded(ranking):
    first = choose_digest(ranking, person("pottery"), now=NOW)
    again = choose_digest(ranking, person("pottery"), now=NOW, exclude=first.event_ids[:1])
    assert first.event_ids[0] not in again.event_ids and len(again.picks) == len(first.picks) - 1


def test_nothing_worth_sending_sends_nothing(ranking):
    choice = choose_digest(ranking, person("underwater basket weaving", friends=[("Ana", "chess")]), now=NOW)
    assert choice.picks == [] and choice.pass_on == []
    assert choose_digest(None, person("pottery"), now=NOW).picks == []


def test_at_most_max_picks_spread_over_passions():
    # twelve places each (numbered nights at one place are one series and show once)
    places = [f"Studio {letter}" for letter in "BCDEFGHJKLMN"]
    events = [Event(title="Pottery class", start=at(24, 10 + i % 10), venue=v) for i, v in enumerate(places)]
    events += [Event(title="Jazz night", start=at(25, 10 + i % 10), venue=v) for i, v in enumerate(places)]
    choice = choose_digest(Ranking(events), person("pottery, jazz"), now=NOW)
    assert len(choice.picks) == MAX_PICKS
    assert {p.passion for p in choice.picks} == {"pottery", "jazz"}


def test_pass_it_on_one_event_per_friend_never_an_own_pick(ranking):
    friends = [("Ana", "chess"), ("Lee", "pottery"), ("Kim", "skydiving")]
    choice = choose_digest(ranking, person("pottery", friends=friends), now=NOW)
    own = set(choice.event_ids[: len(choice.picks)])
    gifts = {friend: pick.event.title for friend, _, pick in choice.pass_on}
    assert gifts == {"Ana": "Chess club open evening"}  # Lee's pottery events are all the subscriber's
    assert not own & {pick.event.id for _, _, pick in choice.pass_on}


def test_distance_and_mode_filters_apply():
    near = Event(title="Pottery near", start=at(24, 10), lat=43.65, lon=-79.38)
    far = Event(title="Pottery far", start=at(24, 11), lat=45.50, lon=-73.57)
    online = Event(title="Pottery online demo", start=at(24, 12), attendance="online")
    ranking = Ranking([near, far, online])
    local = choose_digest(ranking, person("pottery", near=(43.66, -79.39), within_km=10), now=NOW)
    assert set(titles(local.picks)) == {"Pottery near", "Pottery online demo"}
    only_online = choose_digest(ranking, person("pottery", mode="online"), now=NOW)
    assert titles(only_online.picks) == ["Pottery online demo"]


def test_why_line():
    assert why_line("live jazz", ["jazz", "jazz", "live"]) == "You love live jazz: it mentions jazz, live."


def test_window_follows_the_send_time(ranking):
    three_weeks_on = at(14, 9, month=12)
    choice = choose_digest(ranking, person("pottery"), now=three_weeks_on)
    assert titles(choice.picks) == ["Pottery market next month"]


def test_an_ambiguous_word_alone_is_not_enough_for_the_digest():
    events = [
        Event(title="K-pop night", description="Party games, game prizes and more games.", start=at(24, 20)),
        Event(title="Board game cafe evening", description="Catan and co-op games.", start=at(25, 19)),
        *[
            Event(
                title="Pottery class",
                description="Clay and glazes.",
                start=at(26, 10 + i),
                venue=f"Studio {v}",
            )
            for i, v in enumerate("BCDE")
        ],
    ]
    ranking = Ranking(events)
    shown = {p.event.title: p.sure for p in ranking.rank("board games")}
    assert shown == {"Board game cafe evening": True}  # "games" alone is no evidence of board games
    choice = choose_digest(ranking, person("board games"), now=NOW)
    assert titles(choice.picks) == ["Board game cafe evening"]


def test_a_like_moves_the_digest_toward_similar_events(ranking):
    from recommender.ranking.feedback import Feedback

    plain = choose_digest(ranking, person("pottery"), now=NOW)
    last = plain.picks[-1].event
    liked = choose_digest(ranking, person("pottery"), now=NOW, feedback=Feedback(likes=frozenset({last.id})))
    assert titles(liked.picks).index(last.title) < titles(plain.picks).index(last.title)
