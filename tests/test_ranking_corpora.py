"""Passion-first ranking on small named corpora (issue: living networking over doing networking)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from recommender.ranking.filters import EventFilter
from recommender.ranking.ranking import Ranking
from recommender.ranking.signals import business_score, is_business_passion
from scrapers.event import Event

T = datetime(2026, 6, 6, 19, tzinfo=timezone.utc)


def ev(title, description="", **kw):
    return Event(title=title, description=description, start=kw.pop("start", T), **kw)


GAME_NIGHT_VS_MIXER = [
    ev("Board game night at the library", "Catan, Carcassonne and co-op games. Beginners welcome."),
    ev(
        "Speed networking mixer",
        "Meet founders and investors, swap business cards, generate leads. Games too!",
    ),
    ev("Watercolour basics", "A relaxed painting class."),
    ev("Saturday trail run", "10 km on forest trails, all paces."),
]

MANY_PASSIONS = [
    *[
        ev(
            f"Board game cafe evening #{i}",
            "Strategy board games and tabletop fun.",
            start=T + timedelta(days=i),
        )
        for i in range(8)
    ],
    *[
        ev(f"Jazz jam session #{i}", "Live jazz standards, bring your horn.", start=T + timedelta(days=i))
        for i in range(8)
    ],
    ev("Pottery wheel taster", "Throw your first bowl in clay at the ceramics studio."),
    ev("Career fair for tech sales", "Recruiters, B2B sales jobs and networking."),
]


def titles(picks):
    return [p.event.title for p in picks]


def test_tabletop_statement_ranks_game_night_above_the_mixer():
    picks = Ranking(GAME_NIGHT_VS_MIXER).rank("I'm into tabletop strategy games", limit=5)
    assert titles(picks)[0] == "Board game night at the library"
    assert "Speed networking mixer" not in titles(picks)[:1]
    assert picks[0].why  # says why: words of the lexicon expansion (e.g. board game, catan)


def test_mixer_is_scored_as_business_and_a_business_passion_gets_it():
    mixer = GAME_NIGHT_VS_MIXER[1]
    assert business_score(mixer) > 0.8 > business_score(GAME_NIGHT_VS_MIXER[0])
    assert is_business_passion("networking with founders and investors")
    picks = Ranking(GAME_NIGHT_VS_MIXER).rank("networking with founders and investors", limit=3)
    assert titles(picks)[0] == "Speed networking mixer"


def test_three_passions_all_appear_in_the_top_10():
    picks = Ranking(MANY_PASSIONS).rank("board games, live jazz and pottery", limit=10)
    got = " ".join(titles(picks))
    assert "Board game" in got and "Jazz" in got and "Pottery" in got
    assert {p.passion for p in picks} == {"board games", "live jazz", "pottery"}
    assert "Career fair for tech sales" not in got


def test_same_title_same_day_collapses_into_one_entry():
    twice = [
        ev("Salsa social", "Salsa dancing all night.", venue="Lula Lounge"),
        ev("Salsa Social!", "Salsa dancing, all levels.", venue="Lula Lounge"),
        ev("Salsa social", "Salsa dancing, every week.", venue="Lula Lounge", start=T + timedelta(days=7)),
        ev("Salsa social", "Salsa dancing in the park.", venue="Trinity Bellwoods"),
        # the same listing submitted again, written a little differently
        ev("The Salsa Social", "Salsa dancing, all levels.", venue="Lula Lounge & Bar"),
        ev("Salsa social", "Salsa dancing, all levels.", venue="Lula Lounge and Bar"),
    ]
    picks = Ranking(twice).rank("salsa dancing", limit=10)
    # one entry per series (same title, same venue, any day); another venue is another event
    venues = sorted(p.event.venue for p in picks)
    assert venues in (
        ["Lula Lounge", "Lula Lounge & Bar", "Trinity Bellwoods"],
        ["Lula Lounge", "Lula Lounge and Bar", "Trinity Bellwoods"],
    )


def test_near_within_excludes_far_events():
    toronto = ev("Hike the Don Valley", "A ravine hike.", lat=43.70, lon=-79.36)
    montreal = ev("Hike Mont Royal", "A city hike.", lat=45.50, lon=-73.58)
    online = ev("Hiking trip planning call", "Plan hikes together.", attendance="online")
    events = [toronto, montreal, online]
    flt = EventFilter(near=(43.65, -79.38), within_km=25)
    picks = Ranking(events).rank("hiking", mask=[flt(e) for e in events])
    assert set(titles(picks)) == {"Hike the Don Valley", "Hiking trip planning call"}


def test_martial_arts_does_not_trigger_art():
    events = [
        ev("Karate for adults", "Martial arts class, all belts."),
        ev("Art gallery opening", "New paintings."),
    ]
    picks = Ranking(events).rank("martial arts", limit=5)
    assert titles(picks) == ["Karate for adults"]


GIGS = [
    ev("Jazz trio at the corner bar", "Live music: jazz standards by a local band, all night."),
    ev("Indie rock gig", "Three local bands, live music from 8."),
    ev("Folk night", "Live acoustic music and a singalong."),
]


def test_what_a_person_does_not_want_sinks_out_of_the_list():
    ranking = Ranking(GIGS)
    plain = [p.event.title for p in ranking.rank("live music")]
    assert "Jazz trio at the corner bar" in plain
    picks = ranking.rank("live music, but not jazz")
    assert "Jazz trio at the corner bar" not in [p.event.title for p in picks]
    assert {"Indie rock gig", "Folk night"} <= {p.event.title for p in picks}
    assert all(p.breakdown["avoid"] <= 0 for p in picks)


def test_saying_no_to_networking_keeps_the_business_penalty():
    ranking = Ranking(GAME_NIGHT_VS_MIXER)
    titles = [p.event.title for p in ranking.rank("board games, not speed networking")]
    assert titles[0] == "Board game night at the library"
    assert "Speed networking mixer" not in titles


def test_a_hobby_passion_needs_a_hobby_word_not_a_stray_one():
    events = [
        ev("A long evening of chamber music", "Three long sonatas."),
        ev("Ridge hike", "A 15 km hike with great views."),
    ]
    assert [p.event.title for p in Ranking(events).rank("long hikes")] == ["Ridge hike"]
