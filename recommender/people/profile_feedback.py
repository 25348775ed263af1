"""The likes and dismissals of whoever runs ``kindred query`` without ``--user`` (the ``default``
profile) as the ranker reads them, and read through the plain SQLite reader a warm query opens
(:mod:`recommender.people.feedback` reads and writes them through the full store).

>>> as_feedback([("ev-1", "like"), ("ev-2", "dismiss")]).dismissed
frozenset({'ev-2'})
"""

from __future__ import annotations

import sqlite3

from recommender.ranking.feedback import Feedback
from recommender.store.sqlite_reader import SqliteReader

DEFAULT_PROFILE = "default"


def as_feedback(rows) -> Feedback:
    """``(event id, kind)`` rows as :class:`Feedback`."""
    return Feedback(
        frozenset(e for e, k in rows if k == "like"), frozenset(e for e, k in rows if k == "dismiss")
    )


def read_default(reader: SqliteReader) -> Feedback:
    """The default profile's feedback, read through ``reader``."""
    try:
        rows = reader.connection.execute(
            "SELECT event_id, kind FROM profile_feedback WHERE profile = ?", (DEFAULT_PROFILE,)
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        rows = []  # nobody has liked or dismissed anything here yet
    return as_feedback(rows)
