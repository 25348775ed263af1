"""Reading a robots.txt answer into rules, as RFC 9309 says (the fetching is done by scrapers.http).

* ``2xx``: the file's rules apply.
* ``4xx`` other than 429 ("unavailable"): there are no rules, everything is allowed.
* ``429``, ``5xx`` or no answer at all ("unreachable"): everything is disallowed.

Examples
--------
>>> rules, problem = rules_from_answer(200, "User-agent: *\\nDisallow: /private\\nCrawl-delay: 3\\n")
>>> rules.can_fetch("Kindred", "https://example.org/private/x"), rules.can_fetch("Kindred", "https://example.org/")
(False, True)
>>> crawl_delay(rules, "Kindred"), problem
(3.0, None)
>>> rules_from_answer(404, "")[0].can_fetch("Kindred", "https://example.org/anything")
True
>>> rules, problem = rules_from_answer(503, "")
>>> rules.can_fetch("Kindred", "https://example.org/"), problem
(False, 'robots.txt answered 503')
"""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


def rules_from_answer(status: int, text: str) -> tuple[RobotFileParser, str | None]:
    """``(rules, problem)`` for a robots.txt response; ``problem`` is set when it means "disallow all"."""
    if status == 429 or status >= 500:
        return disallow_all(), f"robots.txt answered {status}"
    parser = RobotFileParser()
    if status >= 400:
        parser.allow_all = True
    else:
        parser.parse(text.splitlines())
    return parser, None


def disallow_all() -> RobotFileParser:
    """Rules that allow nothing (robots.txt could not be read)."""
    parser = RobotFileParser()
    parser.disallow_all = True
    return parser


def crawl_delay(rules: RobotFileParser, agent: str) -> float:
    """Seconds the rules ask between requests (``Crawl-delay`` or ``Request-rate``), else 0."""
    delays = [float(rules.crawl_delay(agent) or 0)]
    rate = rules.request_rate(agent)
    if rate and rate.requests:
        delays.append(rate.seconds / rate.requests)
    return max(delays)
