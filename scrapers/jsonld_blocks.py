"""The structured data of a page, read one block at a time so one broken block costs only itself.

A page's JSON-LD ``<script>`` blocks are read separately, mending what publishers commonly break
(PHP-style ``\\'`` escapes, trailing commas, ``//`` and ``<!-- -->`` comment lines, several values
in one block); a block that stays broken is one line in ``problems``. A JSON document that is an
array is read element by element the same way. Microdata comes from *extruct* on the same tree.

Examples
--------
>>> page = '''<script type="application/ld+json">{"@type": "Event", "name": "Quiz",}</script>
... <script type="application/ld+json"></script>
... <script type="application/ld+json">{"@type": "Event", "name": </script>'''
>>> items, problems = page_items(page, "https://example.org/")
>>> items
[{'@type': 'Event', 'name': 'Quiz'}]
>>> problems
['JSON-LD block 3 unreadable: Expecting value at line 1 column 27']
>>> json_items('[{"a": 1}, {"b": \\'x\\'}, {"c": 3}]')
([{'a': 1}, {'c': 3}], ['record 2 unreadable: Expecting value at line 1 column 7'])
"""

from __future__ import annotations

import json
import re
from typing import Any

_COMMENT_LINE = re.compile(r"^\s*(//.*|<!--.*-->)\s*$", re.M)
_WRAPPERS = re.compile(
    r"^\s*(<!--|//\s*<!\[CDATA\[|/\*\s*<!\[CDATA\[\s*\*/)|(-->|//\s*\]\]>|/\*\s*\]\]>\s*\*/)\s*$"
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_PHP_QUOTE = re.compile(r"(?<!\\)((?:\\\\)*)\\'")


def load_block(text: str) -> tuple[list[Any], str | None]:
    r"""The JSON values in one block, and why it is unreadable (``None`` when it was read).

    An empty block holds nothing and is no problem. Returns every value when a block holds
    several (``{…}{…}`` or ``{…},{…}``).

    >>> load_block("{'a': 1}")[1]
    'Expecting property name enclosed in double quotes at line 1 column 2'
    >>> load_block(r'{"title": "Rock \'n\' roll"}')
    ([{'title': "Rock 'n' roll"}], None)
    """
    text = _WRAPPERS.sub("", text.strip()).strip().rstrip(";").strip()
    if not text:
        return [], None
    first_error = None
    for candidate in _mended(text):
        try:
            return _values(candidate), None
        except json.JSONDecodeError as exc:
            first_error = first_error or f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        except RecursionError:
            return [], "nested too deeply to read"
    return [], first_error


def _mended(text: str):
    yield text
    mended = _COMMENT_LINE.sub("", text)
    mended = _TRAILING_COMMA.sub(r"\1", mended)
    yield mended
    yield _PHP_QUOTE.sub(r"\1'", mended)


def _values(text: str) -> list[Any]:
    decoder = json.JSONDecoder(strict=False)
    values, pos = [], 0
    while pos < len(text):
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)
        while pos < len(text) and (text[pos].isspace() or text[pos] in ",;"):
            pos += 1
    return values


def array_elements(text: str) -> list[str] | None:
    """The source text of each element of a top-level JSON array, or ``None`` if it is not one.

    The scan is iterative and string-aware, so it copes with any nesting depth; a truncated array
    gives its complete elements and then the broken rest.

    >>> array_elements('[1, {"a": "]"}, [2, 3]]')
    ['1', '{"a": "]"}', '[2, 3]']
    >>> array_elements('[{"a": 1}, {"b": ')
    ['{"a": 1}', '{"b":']
    """
    text = text.strip()
    if not text.startswith("["):
        return None
    elements, depth, start, in_string, escaped = [], 0, 1, False, False
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                elements.append(text[start:i])
                break
        elif char == "," and depth == 1:
            elements.append(text[start:i])
            start = i + 1
    else:
        elements.append(text[start:])
    return [e.strip() for e in elements if e.strip()]


def json_items(text: str) -> tuple[list[Any], list[str]]:
    """The values of a JSON(-LD) document: a whole object, or an array read element by element."""
    values, problem = load_block(text)
    if problem is None:
        return values, []
    elements = array_elements(text)
    if elements is None:
        return [], [f"JSON unreadable: {problem}"]
    items, problems = [], []
    for number, element in enumerate(elements, 1):
        values, problem = load_block(element)
        items += values
        if problem:
            problems.append(f"record {number} unreadable: {problem}")
    return items, problems


def _is_json_ld(script) -> bool:
    kind = (script.get("type") or "").split(";")[0].strip().lower()
    return kind == "application/ld+json"


def page_items(html: str, url: str = "") -> tuple[list[Any], list[str]]:
    """JSON-LD values, then microdata items, of an HTML page; and one line per unreadable part.

    Raises ``ValueError`` when the page has no parseable markup at all.
    """
    import lxml.html  # heavy imports, only needed for pages

    tree = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    items, problems = [], []
    for number, script in enumerate((s for s in tree.iter("script") if _is_json_ld(s)), 1):
        values, problem = load_block(script.text or "")
        items += values
        if problem:
            problems.append(f"JSON-LD block {number} unreadable: {problem}")
    items += _microdata(tree, url, problems)
    return items, problems


def _microdata(tree, url: str, problems: list[str]) -> list[Any]:
    import extruct

    try:  # errors="strict": extruct raises (and logs nothing), so a bad part is one line here
        data = extruct.extract(
            tree, base_url=url or None, syntaxes=["microdata"], uniform=True, errors="strict"
        )
    except Exception as exc:  # extruct raises many types on broken markup
        problems.append(f"microdata unreadable: {type(exc).__name__}: {exc}")
        return []
    return list(data.get("microdata", []))
