"""Links in a listing page, for sources that follow them to event pages (pure; no network).

>>> page = '''<a href="/e/quiz-1">Quiz</a> <a href="https://other.org/e/2">x</a>
...           <a href="/e/quiz-1#top">again</a>'''
>>> same_host_links(page, "https://events.example.org/listing")
['https://events.example.org/e/quiz-1']
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError


def same_host_links(html: str | bytes, base_url: str) -> list[str]:
    """Absolute http(s) links to pages on ``base_url``'s host, in page order, without repeats."""
    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):  # empty or unreadable markup has no links
        return []
    host = urlsplit(base_url).netloc.lower()
    base = urldefrag(base_url).url
    links: list[str] = []
    for href in root.xpath("//a/@href"):
        try:
            url = urldefrag(urljoin(base_url, str(href).strip())).url
            parts = urlsplit(url)
        except ValueError:  # a malformed href ("https://[host") links nowhere
            continue
        if (
            parts.scheme in ("http", "https")
            and parts.netloc.lower() == host
            and url != base
            and url not in links
        ):
            links.append(url)
    return links
