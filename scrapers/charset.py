"""Bytes of a page or feed to text, as a browser decodes them.

The order is the WHATWG one: a byte-order mark wins, then the HTTP ``Content-Type`` charset, then
what the document declares (``<?xml … encoding>``, ``<meta charset>``), then a guess: UTF-8 when
the bytes are valid UTF-8, else Windows-1252 (which is also what ``ISO-8859-1`` labels mean on the
web). The work is done by *w3lib* (Scrapy's encoding rules).

Examples
--------
>>> decode_document(b"<p>Caf\\xe9</p>", "ISO-8859-1")
'<p>Café</p>'
>>> decode_document(b'<meta charset="windows-1252"><p>Caf\\xe9</p>')
'<meta charset="windows-1252"><p>Café</p>'
>>> decode_document("Café".encode("utf-16"))
'Café'
>>> decode_document(b"Caf\\xe9")  # no declaration and not UTF-8: Windows-1252
'Café'
"""

from __future__ import annotations

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)


def _guess(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode_document(data: bytes | str, charset: str | None = None) -> str:
    """``data`` as text (see the module notes); ``charset`` is the HTTP header's, if any.

    Text is returned unchanged (without a leading BOM). Bytes that do not fit the chosen encoding
    become U+FFFD; an unknown ``charset`` name is ignored.
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    data = bytes(data)
    bom, bom_bytes = read_bom(data)
    if bom:
        return to_unicode(data[len(bom_bytes) :], bom)
    header = f"text/plain; charset={charset.strip()}" if charset and charset.strip() else None
    for found in (http_content_type_encoding(header) if header else None, html_body_declared_encoding(data)):
        if found and resolve_encoding(found):
            return to_unicode(data, resolve_encoding(found)).removeprefix("\ufeff")
    return to_unicode(data, _guess(data)).removeprefix("\ufeff")
