"""The sources file: format, default location, and one clear error for every kind of mistake."""

from __future__ import annotations

import pytest

from recommender.core.config import Settings
from recommender.core.resources import data_file
from recommender.ingest.sources import (
    Source,
    SourcesError,
    default_sources_path,
    load_sources,
    parse_sources,
    resolve_sources_path,
)

GOOD = """
[[source]]
name = "birch"
url = "https://www.birchcommunitycentre.co.uk/events.ics"
kind = "ics"
tags = ["community", "crafts"]
city = "Manchester"
timezone = "Europe/London"

[[source]]
name = "queer-lit"
url = "https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483"
kind = "page"
follow = "/e/"
max_pages = 3
"""


def test_every_field_is_read():
    birch, lit = parse_sources(GOOD)
    assert birch == Source(
        "birch",
        "https://www.birchcommunitycentre.co.uk/events.ics",
        kind="ics",
        tags=("community", "crafts"),
        city="Manchester",
        timezone="Europe/London",
    )
    assert (lit.kind, lit.follow, lit.max_pages, lit.tags) == ("page", "/e/", 3, ())


def test_follow_rule_keeps_to_the_source_host():
    lit = parse_sources(GOOD)[1]
    assert lit.follows("https://www.eventbrite.co.uk/e/woolly-club-tickets-1034767436257")
    assert not lit.follows("https://www.eventbrite.co.uk/o/someone-else")
    assert not lit.follows("https://evil.example/e/1")
    assert not parse_sources(GOOD)[0].follows("https://www.birchcommunitycentre.co.uk/e/1")


@pytest.mark.parametrize(
    "text,message",
    [
        ("[[source]]\nname = 'x'\n", "url is required"),
        ("[[source]]\nurl = 'https://e.org'\n", "name is required"),
        (
            "[[source]]\nname = 'x'\nurl = 'https://e.org'\nkind = 'rss'\n",
            "kind must be one of auto, ics, page",
        ),
        ("[[source]]\nname = 'x'\nurl = 'https://e.org'\nfollow = '(('\n", "is not a regular expression"),
        (
            "[[source]]\nname = 'x'\nurl = 'https://e.org'\nmax_pages = -1\n",
            "max_pages must be a whole number",
        ),
        (
            "[[source]]\nname = 'x'\nurl = 'https://e.org'\ntags = 'hiking'\n",
            "tags must be a list of strings",
        ),
        ("[[source]]\nname = 'x'\nurl = 'https://e.org'\ntimezone = 'Mars/Base'\n", "unknown time zone"),
        ("[[source]]\nname = 'x'\nurl = 'https://e.org'\nfolow = 'x'\n", "unknown key(s) folow"),
        (
            "[[source]]\nname = 'x'\nurl = 'https://e.org'\n[[source]]\nname = 'x'\nurl = 'https://f.org'\n",
            "used twice",
        ),
        ("name = 'x'\n", "expected only [[source]] tables"),
        ("", "no [[source]] listed"),
        ("[[source]\nname = 'x'", "not valid TOML"),
    ],
)
def test_mistakes_get_one_error_naming_the_source(text, message):
    with pytest.raises(SourcesError, match=None) as info:
        parse_sources(text, where="my.toml")
    assert message in str(info.value) and str(info.value).startswith("my.toml: ")


def test_several_mistakes_are_listed_together():
    text = (
        "[[source]]\nname = 'a'\nurl = 'ftp://x'\n[[source]]\nname = 'b'\nurl = 'https://e.org'\nkind = 'x'\n"
    )
    message = str(pytest.raises(SourcesError, parse_sources, text).value)
    assert "source 1 ('a'): url must start with http" in message and "source 2 ('b'): kind must" in message


def test_default_location_is_the_user_config_folder(isolated_env):
    assert default_sources_path() == isolated_env / "xdg_config_home" / "kindred" / "sources.toml"
    with pytest.raises(
        SourcesError, match="no sources file at .*sources.toml; copy data/sources.example.toml"
    ):
        resolve_sources_path(None, None)
    default_sources_path().parent.mkdir(parents=True)
    default_sources_path().write_text(GOOD, encoding="utf-8")
    assert resolve_sources_path(None, None) == default_sources_path()


def test_option_beats_setting_beats_default(tmp_path):
    option, configured = tmp_path / "a.toml", tmp_path / "b.toml"
    option.write_text(GOOD), configured.write_text(GOOD)
    assert resolve_sources_path(option, configured) == option
    assert resolve_sources_path(None, configured) == configured
    env = {"KINDRED_SOURCES": str(configured), "KINDRED_CONFIG": str(tmp_path / "none.toml")}
    assert resolve_sources_path(None, Settings.load(env=env).sources) == configured


def test_shipped_example_is_valid_and_lists_real_meetup_group_feeds():
    sources = load_sources(data_file("sources.example.toml"))
    assert len(sources) >= 5
    meetup = [s for s in sources if "meetup.com" in s.url]
    assert meetup and all(s.url.endswith("/events/ical/") and s.kind == "ics" for s in meetup)


def test_shipped_toronto_file_starts_with_the_built_in_source_and_stays_in_toronto():
    from recommender.core.config import TORONTO_FEED
    from recommender.core.places import resolve_place
    from recommender.ranking.filters import haversine_km

    sources = load_sources(data_file("sources.toronto.toml"))
    assert sources[0].name == "toronto-open-data" and sources[0].url == TORONTO_FEED
    kinds = {"library": "torontopubliclibrary.ca", "meetup": "meetup.com/", "parks": "highparknature.org"}
    assert all(any(host in s.url for s in sources) for host in kinds.values())
    toronto = resolve_place("Toronto").point
    for s in sources:
        assert s.timezone == "America/Toronto" and haversine_km(*toronto, *resolve_place(s.city).point) < 40


def test_user_agent_contact_is_configurable(tmp_path):
    env = {"KINDRED_CONFIG": str(tmp_path / "none.toml")}
    assert "+https://github.com/kindred-events/kindred;" in Settings.load(env=env).http_user_agent()
    env["KINDRED_USER_AGENT_CONTACT"] = "https://example.org/my-kindred"
    agent = Settings.load(env=env).http_user_agent()
    assert agent.startswith("Kindred/") and "+https://example.org/my-kindred;" in agent
    env["KINDRED_USER_AGENT"] = "MyBot/1.0"
    assert Settings.load(env=env).http_user_agent() == "MyBot/1.0"


@pytest.mark.parametrize("key,value", [("KINDRED_FETCH_DELAY", "soon"), ("KINDRED_FETCH_TIMEOUT", "0")])
def test_bad_fetch_settings_are_config_errors(tmp_path, key, value):
    from recommender.core.config import ConfigError

    with pytest.raises(ConfigError, match=key.removeprefix("KINDRED_").lower()):
        Settings.load(env={"KINDRED_CONFIG": str(tmp_path / "none.toml"), key: value})
