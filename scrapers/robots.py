"""Reading a robots.txt answer into rules, as RFC 9309 says (the fetching is done by scrapers.http).

The rules are matched by protego: the longest matching path wins (``Allow`` on a tie), ``*`` and
``$`` work as wildcards, and the group for the most specific user agent applies.

* ``2xx``: the file's rules apply.
* ``4xx`` other than 429 ("unavailable"): there are no rules, everything is allowed.
* ``429``, ``5xx`` or no answer at all ("unreachable"): everything is disallowed.

Examples
--------
>>> robots_txt = "User-agent: *\\nAllow: /\\nDisallow: /private\\nCrawl-delay: 3\\n"
>>> rules, problem = rules_from_answer(200, robots_txt)
>>> [rules.allows(f"https://example.org{p}", "Kindred") for p in ("/private/events.ics", "/")]
[False, True]
>>> rules.crawl_delay("Kindred"), problem
(3.0, None)
>>> rules, _ = rules_from_answer(200, "User-agent: *\\nDisallow: /\\nAllow: /events/\\nDisallow: /*.ics$\\n")
>>> [rules.allows(f"https://example.org{p}", "Kindred") for p in ("/events/june", "/about", "/feed.ics")]
[True, False, False]
>>> rules_from_answer(404, "")[0].allows("https://example.org/anything", "Kindred")
True
>>> rules, problem = rules_from_answer(503, "")
>>> rules.allows("https://example.org/", "Kindred"), problem
(False, 'robots.txt answered 503')
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

#: RFC 9309 2.5: crawlers should read at least the first 500 KiB; what follows is ignored.
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True)
class Rules:
    """A host's rules: protego's parse, or "allow all" / "disallow all" when there is no file to read."""

    parsed: Protego | None = None
    allow_all: bool = True

    def allows(self, url: str, agent: str) -> bool:
        if self.parsed is None:
            return self.allow_all
        return bool(self.parsed.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        """Seconds the rules ask between requests (``Crawl-delay`` or ``Request-rate``), else 0."""
        if self.parsed is None:
            return 0.0
        delays = [float(self.parsed.crawl_delay(agent) or 0)]
        rate = self.parsed.request_rate(agent)
        if rate and rate.requests:
            delays.append(rate.seconds / rate.requests)
        return max(delays)


def rules_from_answer(status: int, text: str) -> tuple[Rules, str | None]:
    """``(rules, problem)`` for a robots.txt response; ``problem`` is set when it means "disallow all"."""
    if status == 429 or status >= 500:
        return disallow_all(), f"robots.txt answered {status}"
    if status >= 400:
        return Rules(), None
    return Rules(Protego.parse(text[:MAX_ROBOTS_BYTES])), None


def disallow_all() -> Rules:
    """Rules that allow nothing (robots.txt could not be read)."""
    return Rules(allow_all=False)
