"""Resolve a large set of place names and save or compare the results: the check that the gazetteer
answers the same after a change to its data or code (e.g. a regenerated ``data/geonames_*`` extract).

The names: every city's own name and label, its other names (cities of ``OTHER_NAMES_FROM`` people
or more), each city with its country code, its country's name, its region (abbreviation and name,
where Kindred knows regions), a country it is not in, and "NAME COUNTRY" without the comma; the names
the tests use; misspellings; addresses for :func:`locate`; points for :func:`place_label`; and every
written form of a country or region. What each gives (a place, or the error and its candidates) is
saved as gzip'd JSON. Run it before a change and after::

    .venv/bin/python tests/gazetteer_resolutions.py save /tmp/before.json.gz
    .venv/bin/python tests/gazetteer_resolutions.py compare /tmp/before.json.gz

``compare`` resolves the names saved in the file and those of the data now, and lists every
difference (exit status 1 when there is one).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommender.core import gazetteer  # noqa: E402
from recommender.core.places import PlaceError, locate, place_label, resolve_place  # noqa: E402

# names the tests and docs use, and ones that are ambiguous or unknown
NAMED = [
    "Toronto", "toronto", "Toronto, ON", "Toronto, Ontario, Canada", "Brighton", "Brighton, UK",
    "Brighton UK", "Brighton, MA", "London", "London, ON", "St. Louis, MO", "Montreal", "New York",
    "Glasgow, Scotland", "Cambridge", "Cambridge, MA", "Cambridge, MA, United States",
    "Cambridge, England", "Springfield", "Springfield, IL", "Springfield, MO", "Portland", "Paris",
    "Paris, TX", "Birmingham", "Perth", "Perth, WA", "Vancouver, WA", "Munich", "Köln", "Sao Paulo",
    "São Paulo", "Mt Pleasant", "Ft Worth", "Ste-Foy", "St John's", "Torontoo", "Toronto, Narnia",
    "Toronto, UK", "Xqzzy", "north", "91,0", "43.65", "", " 43.65 , -79.38 ", "<script>alert(1)</script>",
    "\x00\u202e, , ,", "Victoria", "Victoria, BC", "Washington", "Washington, DC", "Georgia", "Nice",
    "Reading", "Bath", "Derby", "Kingston", "Hamilton", "Halifax", "Windsor", "Richmond", "Newcastle",
]  # fmt: skip
ADDRESSES = ["100 Queen St W, Toronto, ON M5H 2N2", "1 Main St, Springfield, IL", "221B Baker St, London, UK"]
COUNTS = {"misspelt": 150, "addresses": 3000, "points": 1500}


def _qualified(city: gazetteer.City, rng: random.Random, codes: list[str]) -> list[str]:
    country = gazetteer.country_name(city.country)
    names = [city.name, city.label, f"{city.name}, {city.country}", f"{city.name}, {country}"]
    region = gazetteer.REGIONS.get((city.country, city.admin1))
    if region or city.country == "US":
        abbr, full = region or (city.admin1, "")
        names += [f"{city.name}, {abbr}", f"{city.name}, {abbr}, {country}"]
        names += [f"{city.name}, {full}"] if full else []
    names += [f"{city.name}, {rng.choice(codes)}", f"{city.name} {city.country}"]
    return names


def names_to_resolve() -> dict[str, list[str]]:
    """What to look up, by the function that looks it up."""
    rng = random.Random(20261207)
    cities = gazetteer.all_cities()
    codes = sorted({c.country for c in cities})
    places = list(NAMED) + sorted(gazetteer._by_other_name())
    for city in cities:
        places += _qualified(city, rng, codes)
    for city in rng.sample(cities, COUNTS["misspelt"]):
        cut = rng.randrange(len(city.name))
        places.append(city.name[:cut] + city.name[cut + 1 :])
    addresses = list(ADDRESSES)
    for city in rng.sample(cities, COUNTS["addresses"]):
        addresses.append(f"1 Main St, {city.name}, {city.admin1} {city.country}")
    points = [f"{c.lat + rng.choice((0, 0.005, 0.02))},{c.lon}" for c in rng.sample(cities, COUNTS["points"])]
    forms = {*gazetteer._countries()[1], *gazetteer._regions()}
    return {
        "resolve_place": sorted(set(places)),
        "locate": sorted(set(addresses)),
        "place_label": sorted(set(points)),
        "qualifier": sorted(forms | set(codes)),
        "cities_named": sorted({c.name for c in cities}),
    }


def answer(kind: str, text: str):
    if kind == "resolve_place":
        try:
            place = resolve_place(text)
        except PlaceError as exc:
            return ["error", str(exc), exc.candidates]
        return [place.lat, place.lon, place.label, place.others]
    if kind == "locate":
        return locate(None, text)
    if kind == "place_label":
        return place_label(*(float(x) for x in text.split(",")))
    if kind == "qualifier":
        return [sorted(gazetteer.countries_for(text)), sorted(gazetteer.regions_for(text)),
                gazetteer.country_name(text)]  # fmt: skip
    return [[c.name, c.lat, c.lon, c.population, c.country, c.admin1] for c in gazetteer.cities_named(text)]


def resolve(names: dict[str, list[str]]) -> dict[str, dict[str, object]]:
    return {
        kind: {text: json.loads(json.dumps(answer(kind, text))) for text in texts}
        for kind, texts in names.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    names = names_to_resolve()
    if args.action == "compare":
        saved = json.loads(gzip.decompress(args.file.read_bytes()))
        names = {kind: sorted(set(names.get(kind, [])) | set(saved.get(kind, {}))) for kind in saved | names}
    results = resolve(names)
    total = sum(len(v) for v in results.values())
    if args.action == "save":
        args.file.write_bytes(gzip.compress(json.dumps(results, sort_keys=True).encode(), mtime=0))
        print(f"saved {total:,} answers to {args.file} in {time.monotonic() - started:.0f} s")
        return 0
    differ = []
    for kind, now in results.items():
        was = saved.get(kind, {})
        for text, answered in now.items():
            if text not in was or was[text] != answered:
                differ.append((kind, text, was.get(text, "<not saved>"), answered))
    for kind, text, was_then, is_now in differ[:50]:
        print(f"{kind}({text!r}): was {was_then!r}, now {is_now!r}")
    print(f"{len(differ):,} of {total:,} answers differ ({time.monotonic() - started:.0f} s)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
