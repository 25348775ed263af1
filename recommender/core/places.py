"""Where a person is, as they write it: a town ("Toronto", "Brighton, UK", "Cambridge, MA") or
``LAT,LON`` ("43.65,-79.38"). :func:`resolve_place` is the one reading of it that the command line,
the web app and the config file share.

A name is looked up offline in the gazetteer (:mod:`recommender.core.gazetteer`: towns of 15,000
people or more). What follows a comma narrows it to a region or country. When several places carry
the name, the biggest is taken only when it is at least :data:`DOMINANCE` times bigger than the next
("Toronto", "London", "Brighton" — the result says how many others there were); otherwise the name
is ambiguous and the error lists the candidates, biggest first ("Cambridge", "Springfield").

>>> resolve_place("Toronto")
Place(lat=43.70643, lon=-79.39864, label='Toronto, ON, Canada', others=0)
>>> resolve_place("Brighton, UK").label
'Brighton, England, United Kingdom'
>>> resolve_place(" 43.65, -79.38 ")
Place(lat=43.65, lon=-79.38, label='43.65,-79.38', others=0)
>>> resolve_place("Cambridge")
Traceback (most recent call last):
...
recommender.core.places.PlaceError: 'Cambridge' could be Cambridge, England, United Kingdom \
(145,674 people); Cambridge, ON, Canada (129,920); Cambridge, MA, United States (110,402); \
Cambridge, New Zealand (15,192); add the region or country (e.g. "Cambridge, England") or write LAT,LON
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from recommender.core import gazetteer
from recommender.core.gazetteer import City
from scrapers.errors import KindredError

DOMINANCE = 5  # the biggest place of a name wins when it is this many times bigger than the next
MAX_LISTED = 5
MAX_TEXT = 200
_NUMBERS = re.compile(r"^[-+\d.,\s]+$")  # meant as LAT,LON
_HOW = 'write a town such as "Toronto", "Toronto, ON" or "Brighton, UK", or LAT,LON such as 43.65,-79.38'


class PlaceError(KindredError, ValueError):
    """A place that cannot be read or found; ``candidates`` lists the places it could be."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Place:
    """A point and how to name it; ``others`` is how many smaller places share the name."""

    lat: float
    lon: float
    label: str
    others: int = 0

    @property
    def point(self) -> tuple[float, float]:
        return self.lat, self.lon


def parse_lat_lon(text: str) -> tuple[float, float]:
    """``(lat, lon)`` from ``"LAT,LON"``, or :class:`ValueError` saying how to write it.

    >>> parse_lat_lon("north")
    Traceback (most recent call last):
    ...
    ValueError: 'north' is not LAT,LON; write e.g. 43.65,-79.38
    """
    try:
        lat, lon = (float(x) for x in str(text).split(","))
    except ValueError:
        raise ValueError(f"{text!r} is not LAT,LON; write e.g. 43.65,-79.38") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text!r} is out of range (latitude -90..90, longitude -180..180)")
    return lat, lon


def resolve_place(text: str) -> Place:
    """The place ``text`` names (see the module notes), or :class:`PlaceError` saying why not."""
    text = " ".join(str(text or "").split())
    if not text:
        raise PlaceError(f"no place given; {_HOW}")
    if len(text) > MAX_TEXT:
        raise PlaceError(f"a place is a few words, not {len(text)} characters; {_HOW}")
    if _NUMBERS.match(text):
        try:
            lat, lon = parse_lat_lon(text)
        except ValueError as exc:
            raise PlaceError(str(exc)) from None
        return Place(lat, lon, f"{lat:g},{lon:g}")
    name, qualifiers = _split(text)
    unknown = [q for q in qualifiers if not gazetteer.known_qualifier(q)]
    if unknown:
        raise PlaceError(f"{unknown[0]!r} in {text!r} is not a country or region Kindred knows; {_HOW}")
    named = gazetteer.cities_named(name)
    found = [c for c in named if all(gazetteer.within(c, q) for q in qualifiers)]
    if not found and named:
        listed = [c.label for c in named[:MAX_LISTED]]
        where = ", ".join(qualifiers)
        raise PlaceError(f"no {name} in {where}; places called {name}: {'; '.join(listed)}", listed)
    if not found:
        similar = _similar(name)
        raise PlaceError(_unknown(text, similar), similar)
    if len(found) > 1 and found[0].population < DOMINANCE * found[1].population:
        listed = [c.label for c in found[:MAX_LISTED]]
        shown = [f"{found[0].label} ({found[0].population:,} people)"]
        shown += [f"{c.label} ({c.population:,})" for c in found[1:MAX_LISTED]]
        example = _example(found[0])
        raise PlaceError(
            f'{text!r} could be {"; ".join(shown)}; add the region or country (e.g. "{example}") or '
            "write LAT,LON",
            listed,
        )
    best = found[0]
    return Place(best.lat, best.lon, best.label, len(found) - 1)


def place_label(lat: float, lon: float) -> str:
    """The town at ``(lat, lon)`` (within 2 km of its centre, as :func:`resolve_place` gives it),
    else the point as ``LAT,LON``: how a stored place is shown back to a person.

    >>> place_label(43.70643, -79.39864), place_label(43.0, -30.0)
    ('Toronto, ON, Canada', '43,-30')
    """
    best, nearest = None, 2.0
    for city in gazetteer.all_cities():
        if abs(city.lat - lat) > 0.05:
            continue
        km = haversine_km(lat, lon, city.lat, city.lon)
        if km <= nearest:
            best, nearest = city, km
    return best.label if best else f"{lat:g},{lon:g}"


@lru_cache(maxsize=4096)
def locate(city: str | None, address: str | None = None) -> tuple[float, float] | None:
    """Town-level coordinates for an event that has a city or address but no coordinates, or None.

    The city (else each part of the address after the first) is looked up like :func:`resolve_place`
    does, narrowed by any region or country the address names; an ambiguous name stays unplaced.

    >>> locate("Toronto"), locate(None, "100 Queen St W, Toronto, ON M5H 2N2"), locate("Springfield")
    ((43.70643, -79.39864), (43.70643, -79.39864), None)
    """
    parts = [p.strip() for p in (address or "").split(",") if p.strip()]
    hints = [h for p in parts for h in (p, *p.split()) if gazetteer.known_qualifier(h)]
    for name in [city] if city else parts[1:] or parts:
        name, qualifiers = _split(name)
        found = gazetteer.cities_named(name)
        for hint in [*qualifiers, *hints]:
            narrowed = [c for c in found if gazetteer.within(c, hint)]
            found = narrowed or found
        if found and (len(found) == 1 or found[0].population >= DOMINANCE * found[1].population):
            return found[0].lat, found[0].lon
    return None


def _split(text: str) -> tuple[str, list[str]]:
    """``"Toronto, ON"`` -> ``("Toronto", ["ON"])``; ``"Brighton UK"`` -> ``("Brighton", ["UK"])``
    when "Brighton UK" is no town's name but ends with a known region or country."""
    name, *qualifiers = [p.strip() for p in text.split(",")]
    qualifiers = [q for q in qualifiers if q]
    words = name.split()
    if not qualifiers and len(words) > 1 and not gazetteer.cities_named(name):
        for cut in (1, 2):
            head, tail = " ".join(words[:-cut]), " ".join(words[-cut:])
            if head and gazetteer.known_qualifier(tail) and gazetteer.cities_named(head):
                return head, [tail]
    return name, qualifiers


def _unknown(text: str, similar: list[str]) -> str:
    nearest = "try the nearest town of 15,000+ people, or "
    hint = f"did you mean {'; '.join(similar)}? Or " if similar else nearest
    return f"no town called {text!r} in Kindred's gazetteer; {hint}write LAT,LON such as 43.65,-79.38"


def _similar(name: str) -> list[str]:
    key = gazetteer.normalise(name)
    by_name = {gazetteer.normalise(c.name): c for c in reversed(gazetteer.all_cities())}
    close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.8)
    return [by_name[k].label for k in close]


def _example(city: City) -> str:
    region = city.label.split(", ")
    return ", ".join(region[:2]) if len(region) > 2 else city.label


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(haversine_km(43.6532, -79.3832, 45.5019, -73.5674))  # Toronto to Montreal
    504
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
