"""Where a person is, as they write it: ``LAT,LON`` (e.g. ``43.65,-79.38``).

>>> parse_lat_lon(" 43.65, -79.38 ")
(43.65, -79.38)
>>> parse_lat_lon("north")
Traceback (most recent call last):
...
ValueError: 'north' is not LAT,LON; write e.g. 43.65,-79.38
"""

from __future__ import annotations

import math


def parse_lat_lon(text: str) -> tuple[float, float]:
    """``(lat, lon)`` from ``"LAT,LON"``, or :class:`ValueError` saying how to write it."""
    try:
        lat, lon = (float(x) for x in str(text).split(","))
    except ValueError:
        raise ValueError(f"{text!r} is not LAT,LON; write e.g. 43.65,-79.38") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{text!r} is out of range (latitude -90..90, longitude -180..180)")
    return lat, lon
