"""A throwaway PostgreSQL server on 127.0.0.1 for the store-facing tests.

``KINDRED_TEST_DB`` names a database to use instead (it is emptied first). Otherwise, when Debian's
PostgreSQL server binaries are installed (``.ci/run`` installs them), a cluster is made in a temporary
folder, started on a free port, and removed at the end of the run. Without either, the tests that
need PostgreSQL fail with a message that says how to get it: they are never silently skipped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

INSTALL = "apt-get install -y postgresql (or set KINDRED_TEST_DB=postgresql+psycopg://…)"


def server_binaries() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``, newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(found[0]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # The server refuses to run as root; Debian's package makes a "postgres" user for it.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    """A URL of an empty PostgreSQL database, for as long as the context lasts."""
    given = os.environ.get("KINDRED_TEST_DB")
    if given:
        yield given
        return
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(f"these tests need PostgreSQL: {INSTALL}")
    folder = Path(tempfile.mkdtemp(prefix="kindred-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "kindred"]), **run
    )
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
    start = [
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(folder / "log"),
        "-w",
        "start",
    ]
    subprocess.run(_as_postgres(start), **run)
    try:
        createdb = [
            str(binaries / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "kindred",
            "kindred",
        ]
        subprocess.run(createdb, **run)
        yield f"postgresql+psycopg://kindred@127.0.0.1:{port}/kindred"
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new empty database ``name`` on the server of ``url`` (dropped first if it exists)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def empty_schema(url: str) -> str:
    """``url`` with every table of the previous test gone (much quicker than a new database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
