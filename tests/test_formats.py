"""Event formats: the file's checks, what a statement names, and the lift they give in ranking."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from recommender.passions.event_formats import Formats, LexiconError
from recommender.ranking.ranker import PassionRanker
from scrapers.event import Event

T = datetime(2026, 5, 1, 18, tzinfo=timezone.utc)

# Every event is about birds; the first two say the same, in a different format and place.
BIRDS = [
    Event(
        title="Warblers of spring migration",
        start=T,
        venue="Nature Centre",
        description="An evening birdwatching lecture with slides.",
    ),
    Event(
        title="Warblers of spring migration",
        start=T,
        venue="High Park",
        description="An evening birdwatching walk with binoculars.",
    ),
    Event(title="Owl prowl", start=T, description="Birdwatching after dark."),
    Event(title="Sunday ravine walk", start=T, description="A gentle stroll by the creek."),
]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("birdwatching walks", {"tour"}),
        ("hands-on pottery classes", {"workshop"}),
        ("lectures and panel discussions", {"talk"}),
        ("holiday markets and craft fairs", {"market"}),
        ("improv shows", {"performance"}),
        ("board games", set()),
        ("I walked past", set()),  # a word form the file does not list is not a format
    ],
)
def test_formats_named_in_a_statement(statement, expected):
    assert Formats.default().of(statement) == expected


LECTURE, WALK = BIRDS[0], BIRDS[1]


def test_the_named_format_lifts_its_events_among_matches():
    ranker = PassionRanker().fit(BIRDS)
    walks = [p.event for p in ranker.rank(["birdwatching walks"])]
    talks = [p.event for p in ranker.rank(["birdwatching talks"])]
    assert walks.index(WALK) < walks.index(LECTURE)
    assert talks.index(LECTURE) < talks.index(WALK)


def test_a_format_never_makes_a_match_on_its_own():
    picks = PassionRanker().fit(BIRDS).rank(["birdwatching walks"])
    assert "Sunday ravine walk" not in [p.event.title for p in picks]


def test_the_lift_is_in_the_breakdown_and_off_when_disabled():
    pick = PassionRanker().fit(BIRDS).rank(["birdwatching walks"])[0]
    assert pick.event is WALK
    assert pick.breakdown["format"] > 0
    assert pick.score == pytest.approx(sum(pick.breakdown.values()), abs=1e-6)
    plain = PassionRanker(format_boost=0).fit(BIRDS).rank(["birdwatching walks"])
    assert all("format" not in p.breakdown for p in plain)
    assert plain[0].score < pick.score


def test_no_lift_without_a_named_format():
    picks = PassionRanker().fit(BIRDS).rank(["birdwatching"])
    assert picks and all("format" not in p.breakdown for p in picks)


def _write(tmp_path, text):
    path = tmp_path / "formats.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[format]]\nname = "tour"\nterms = ["hands-on"]\n', "one word once stop words go"),
        ('[[format]]\nname = "tour"\nterms = ["Tour"]\n', "not lowercase"),
        ('[[format]]\nname = "tour"\nterms = []\n', "at least one phrase"),
        ('[[format]]\nname = "a"\nterms = ["x"]\n[[format]]\nname = "a"\nterms = ["y"]\n', "repeats a name"),
        ('[[format]]\nname = "tour"\nterms = ["walk"]\ncolour = "red"\n', "unknown key"),
        ("format = 1\n", "no [[format]] tables"),
        ("[[format]\n", "not valid TOML"),
    ],
)
def test_a_broken_formats_file_says_where_and_what(tmp_path, text, message):
    with pytest.raises(LexiconError, match="formats.toml") as err:
        Formats.load(_write(tmp_path, text))
    assert message in str(err.value)


def test_a_missing_formats_file_is_one_clear_error(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        Formats.load(tmp_path / "nope.toml")


def test_the_shipped_file_loads_and_every_term_names_one_format_or_a_deliberate_few():
    formats = Formats.load()
    assert len(formats.terms) >= 15
    shared = {t for t in formats.phrases(formats.terms) if len(formats.of(t)) > 1}
    assert shared <= {"showcase", "premiere"}
