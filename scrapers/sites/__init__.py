"""Site adapters, registered by host; every other host gets the generic schema.org parser.

An adapter is a pure function ``parse(content, url, *, source, default_tz) -> ParseResult`` for
sites whose schema.org markup falls short (Meetup, Eventbrite). Register one with
:func:`register`; :func:`adapter_for` picks it by the URL's host (``www.`` and country domains
such as ``eventbrite.co.uk`` included).

An adapter may list, in ``ParseResult.follow``, event pages worth fetching to complete a listing
entry (e.g. one that only has a date); the refresh pipeline fetches them when the source allows.

Examples
--------
>>> adapter_for("https://www.meetup.com/python-spokane/events/298213205/").__module__
'scrapers.sites.meetup'
>>> adapter_for("https://www.eventbrite.co.uk/o/queer-lit-social-refuge-48062165483").__module__
'scrapers.sites.eventbrite'
>>> adapter_for("https://example.org/events") is None
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from urllib.parse import urlsplit

# host suffix -> "module:function"; modules are imported on first use.
ADAPTERS: dict[str, str] = {
    "meetup.com": "scrapers.sites.meetup:parse_meetup",
    "eventbrite.com": "scrapers.sites.eventbrite:parse_eventbrite",
    "eventbriteapi.com": "scrapers.sites.eventbrite:parse_eventbrite",
}
# Eventbrite serves the same site under many country domains.
_EVENTBRITE_TLDS = ("co.uk", "ca", "com.au", "ie", "de", "fr", "es", "it", "nl", "co.nz", "com.mx", "com.br")
for _tld in _EVENTBRITE_TLDS:
    ADAPTERS[f"eventbrite.{_tld}"] = ADAPTERS["eventbrite.com"]


def register(host: str, target: str) -> None:
    """Use ``target`` (``"package.module:function"``) for ``host`` and its subdomains."""
    ADAPTERS[host.lower().removeprefix("www.")] = target


def adapter_for(url: str) -> Callable | None:
    """The adapter for ``url``'s host, or ``None`` for the generic parser."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, target in ADAPTERS.items():
        if host == suffix or host.endswith("." + suffix):
            module, attr = target.split(":")
            return getattr(importlib.import_module(module), attr)
    return None
