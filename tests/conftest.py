"""Shared test set-up.

* Every test gets private data/config/cache folders and a clean KINDRED_* env (``isolated_env``).
* ``kindred`` runs the command line in this process, through the console entry point
  ``recommender.cli.main:main`` (so its error handling is the one exercised); ``kindred_script`` runs
  the installed console script as a subprocess, for the few tests that are about the real process.
* ``snapshot_home`` gives a test the embedded default store and its saved index, built once per
  session by the real code path and copied into the test's own folders.
* ``db`` and ``store`` are the one definition of "a fresh store for this test" (see ``store``).
* Hypothesis: the ``ci`` profile (derandomised, no deadline) when ``CI`` is set, else ``dev``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
XDG_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")

# Both start from Hypothesis's own defaults (not from whatever profile it loaded by itself). `ci`:
# the same examples on every run, as many as today (100, Hypothesis's default), no timing checks
# (deadline, too_slow) that a busy 2-core machine can fail, no example database, and a failure
# prints the blob that reproduces it. `dev`: random examples as usual, no deadline.
# An explicit @settings on a test still wins over the profile (several ask for more examples).
_BASE = settings.get_profile("default")
settings.register_profile(
    "ci",
    _BASE,
    derandomize=True,
    max_examples=100,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", _BASE, max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config):
    config.addinivalue_line("markers", "store(**how): what the `store` fixture holds (see tests/conftest.py)")


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for key in list(os.environ):
        if key.startswith("KINDRED_"):
            monkeypatch.delenv(key)
    for var in XDG_VARS:
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("KINDRED_NOW", NOW.isoformat())
    # The built-in Toronto source is on the internet: tests that refresh it point it at a local server;
    # every other test gets an address that refuses at once (port 9, discard), never the real one.
    monkeypatch.setenv("KINDRED_TORONTO_FEED", "http://127.0.0.1:9/all.jsonld")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    _isolate(monkeypatch, tmp_path)
    return tmp_path


# --- running the command line ----------------------------------------------------------------------


def run_kindred(
    *args: str, env: dict | None = None, check: bool | None = None
) -> subprocess.CompletedProcess:
    """Run the installed ``kindred`` console script (the real entry point) as a subprocess."""
    exe = Path(sys.executable).parent / "kindred"
    full_env = dict(os.environ, COLUMNS="80", **(env or {}))
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env, timeout=120)
    if check is True:
        assert proc.returncode == 0, proc.stderr
    return proc


def _as_text(data: bytes) -> str:
    """Bytes read back the way ``subprocess.run(..., text=True)`` reads a pipe (universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


def invoke_kindred(
    *args: str, env: dict | None = None, check: bool | None = None
) -> subprocess.CompletedProcess:
    """Run ``kindred ARGS`` in this process through the console entry point ``main()``, with the same
    environment, ``sys.argv`` and exit-status rules as :func:`run_kindred`, and give back the same
    kind of result: an uncaught exception becomes a traceback on stderr and status 1, as in Python.
    """
    from click.testing import CliRunner

    from recommender.cli.main import main

    runner = CliRunner()
    old_argv = sys.argv
    with runner.isolation(env={"COLUMNS": "80", **(env or {})}) as (out, err, _):
        sys.argv = ["kindred", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:  # what the interpreter does with it at exit
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:  # noqa: BLE001 - an uncaught error, shown as the interpreter would
            traceback.print_exc()
            code = 1
        finally:
            sys.argv = old_argv
            sys.stdout.flush()
            sys.stderr.flush()
        proc = subprocess.CompletedProcess(
            ["kindred", *args], code, _as_text(out.getvalue()), _as_text(err.getvalue())
        )
    if check is True:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def kindred():
    """``kindred(*args, env=None, check=None)``: the command line, run in this process."""
    return invoke_kindred


@pytest.fixture
def kindred_script():
    """``kindred_script(*args, env=None, check=None)``: the installed console script, as a subprocess."""
    return run_kindred


# --- the embedded default store, built once ------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    data: Path  # <XDG_DATA_HOME>/kindred: the default store
    index: Path  # <XDG_CACHE_HOME>/kindred/index/<hash of the store URL>/<key>: its saved index


@pytest.fixture(scope="session")
def _snapshot_build(tmp_path_factory) -> _Snapshot:
    """What the first ``kindred query`` on a fresh machine builds: the default store (the embedded
    snapshot imported) and its saved index, made once per session by the real code."""
    from recommender.core.paths import user_data_dir
    from recommender.ranking.saved_index import load_or_fit
    from recommender.store.snapshot import open_store

    home = tmp_path_factory.mktemp("snapshot-home")
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp, home)
        store = open_store(None)
        loaded = load_or_fit(store)
        store.engine.dispose()
        assert not loaded.reused and loaded.folder is not None
        return _Snapshot(data=user_data_dir(), index=loaded.folder)


@pytest.fixture
def snapshot_home(_snapshot_build, isolated_env) -> Path:
    """This test's XDG folders hold its own copy of the default store and of its saved index, as if
    a first ``kindred`` command had just built them; returns the store's folder.

    The index folder is named after the store URL, which holds this test's path, so the copy goes
    under the name this test's store gets: the next command reuses it instead of refitting
    (tests/test_index.py checks that)."""
    from recommender.core.paths import user_data_dir
    from recommender.ranking.saved_index import store_dir
    from recommender.store.event_store import Store
    from recommender.store.snapshot import default_store_url

    shutil.copytree(_snapshot_build.data, user_data_dir())
    store = Store(default_store_url())
    try:
        shutil.copytree(_snapshot_build.index, store_dir(store) / _snapshot_build.index.name)
    finally:
        store.engine.dispose()
    return user_data_dir()


# --- a store for the test ------------------------------------------------------------------------


@pytest.fixture
def db(request, tmp_path) -> str:
    """The URL of a fresh, empty store (nothing created yet): a SQLite file in the test's folder, and,
    in modules marked ``every_store``, also a new database on the test PostgreSQL server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        from postgres_server import empty_schema

        return empty_schema(request.getfixturevalue("pg_database"))
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(scope="session")
def pg_database(pg_server) -> str:
    """This test process's own database on the PostgreSQL server, emptied before each test that uses it."""
    from postgres_server import fresh_database

    return fresh_database(pg_server, f"k{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this run (see tests/postgres_server.py)."""
    from postgres_server import postgres_url

    with postgres_url() as url:
        yield url


def pytest_generate_tests(metafunc):
    marked = metafunc.definition.get_closest_marker
    if "db" in metafunc.fixturenames and marked("every_store") and not marked("sqlite_only"):
        metafunc.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def store(request, db):
    """A fresh store. By default an empty SQLite file store at ``db``; a module or a test says what
    it holds with ``@pytest.mark.store(...)``:

    * ``memory=True``: in memory (``sqlite://``) instead of at ``db``;
    * ``events=[...]``, ``now=...``: these events upserted at ``now`` (default: NOW);
    * ``users={email: options}``: digest_world's events and these subscribers (``digest_world.seed``).
    """
    from recommender.store.event_store import Store

    mark = request.node.get_closest_marker("store")
    how = dict(mark.kwargs) if mark else {}
    url = "sqlite://" if how.pop("memory", False) else db
    users, events, now = how.pop("users", None), how.pop("events", None), how.pop("now", NOW)
    assert not how and not (users is not None and events is not None), f"bad store options {mark}"
    if users is not None:
        from digest_world import seed

        return seed(url, users=users)
    store = Store(url)
    if events is not None:
        store.upsert(events, now=now)
    return store
