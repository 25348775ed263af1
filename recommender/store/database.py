"""Opening a database: the engine for a URL, SQLite's settings, and errors as one clear line.

>>> engine = make_engine("sqlite://")
>>> engine.dialect.name
'sqlite'
>>> make_engine("nosuchdb://x")
Traceback (most recent call last):
...
recommender.store.database.StoreError: cannot use database URL 'nosuchdb://x' ...
"""

from __future__ import annotations

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, ProgrammingError

from recommender.core.redact import redact_url
from scrapers.errors import KindredError


class StoreError(KindredError):
    """The store cannot be opened or used (bad URL, unreachable database, newer schema)."""


BUSY_TIMEOUT_MS = 10_000  # how long a SQLite writer waits for another one before saying so


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin, not by the driver
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # IMMEDIATE takes the write lock up front, waiting (busy_timeout) for another writer; a deferred
    # transaction that read first would fail at once when it came to write after another commit.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode. Errors say which URL and what to try."""
    try:
        parsed = make_url(url)
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StoreError(
            f"cannot use database URL {redact_url(url)!r} ({exc}); use e.g. sqlite:///path/to/kindred.db "
            "or postgresql://user@host/dbname"
        ) from exc
    except ImportError as exc:
        raise StoreError(
            f"database URL {redact_url(url)!r} needs a driver that is not installed ({exc}); for PostgreSQL "
            "install psycopg (pip install 'psycopg[binary]')"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    shown = parsed.render_as_string(hide_password=True)

    @event.listens_for(engine, "handle_error")
    def one_clear_line(context):
        # Conflicts are handled by the callers (upserts, claims) and SQL mistakes are bugs: let
        # those through; what the database itself says (busy, read-only, not a database, cannot
        # connect) becomes a StoreError, with the password never shown.
        error = context.sqlalchemy_exception
        if isinstance(error, DBAPIError) and not isinstance(error, IntegrityError | ProgrammingError):
            return StoreError(describe_database_error(shown, context.original_exception))
        return None

    return engine


def describe_database_error(shown_url: str, exc: BaseException) -> str:
    """One line on what went wrong with the database and what to do next.

    >>> describe_database_error("sqlite:///k.db", Exception("database is locked"))[:60]
    'the database sqlite:///k.db is busy (database is locked): an'
    """
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    low = reason.lower()
    if "locked" in low or "busy" in low:
        hint = "is busy ({}): another Kindred command is writing; try again in a moment"
    elif "readonly" in low or "read-only" in low:
        hint = "is read-only ({}): check the file's permissions or give another --db"
    elif "not a database" in low or "malformed" in low:
        hint = "cannot be read as a database ({}): is it a Kindred database? give another --db"
    else:
        hint = "failed ({}); check KINDRED_DB or --db and that the database server is up"
    return f"the database {shown_url} " + hint.format(reason.replace("\n", " "))
