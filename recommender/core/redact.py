"""Addresses with their secrets taken out, for every message and log line that shows one.

>>> redact_url("postgresql://kindred:s3cret@db.example/kindred")
'postgresql://kindred:***@db.example/kindred'
>>> redact_url("smtps://digest:p%40ss@mail.example.org:465"), redact_url("sqlite:///k.db")
('smtps://digest:***@mail.example.org:465', 'sqlite:///k.db')
"""

from __future__ import annotations

import re

_PASSWORD = re.compile(r"(//[^:/@]*):[^@/]*@")


def redact_url(url: str | None) -> str:
    """``url`` with any password in it replaced by ``***`` (the user name stays: it helps)."""
    return _PASSWORD.sub(r"\1:***@", url or "")
