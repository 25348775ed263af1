"""The current time, which ``KINDRED_NOW`` can fix (tests, reproducible runs, the demo).

>>> import os
>>> os.environ["KINDRED_NOW"] = "2026-11-23T09:00:00-05:00"
>>> now().isoformat()
'2026-11-23T09:00:00-05:00'
>>> del os.environ["KINDRED_NOW"]
>>> now().tzinfo is not None
True
"""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> datetime:
    """The current time (timezone-aware); ``KINDRED_NOW`` (ISO 8601) fixes it, naive meaning UTC."""
    fixed = os.environ.get("KINDRED_NOW")
    if fixed:
        value = datetime.fromisoformat(fixed)
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)
