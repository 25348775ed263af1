"""Logs go to stderr on every command, at the level ``kindred -v``/``-q`` set (``schedule`` and
``refresh`` have their own defaults; tests/test_schedule.py and tests/test_refresh.py read those)."""

from __future__ import annotations

import json
import logging

import pytest
from installed import LISTINGS

from recommender.core import logs
from recommender.core.paths import user_cache_dir

BROKEN = "kindred: WARNING recommender.ranking.saved_index: index"


def _break_the_saved_index() -> None:
    (manifest,) = (user_cache_dir() / "index").rglob("manifest.json")
    manifest.write_text("{not json")


@pytest.fixture
def small_store(kindred, tmp_path) -> list[str]:
    """``--db URL`` of a store of three listings whose index has been saved once."""
    db = ["--db", f"sqlite:///{tmp_path / 'small.db'}"]
    (tmp_path / "club.jsonld").write_text(json.dumps(LISTINGS), encoding="utf-8")
    kindred(*db, "import", str(tmp_path / "club.jsonld"), check=True)
    kindred(*db, "query", "board games", "--any-date", check=True)
    return db


@pytest.mark.parametrize("flags, shown", [((), True), (("-q",), False), (("-v",), True), (("-qq",), False)])
def test_a_warning_reaches_stderr_unless_quiet(kindred, small_store, flags, shown) -> None:
    _break_the_saved_index()
    proc = kindred(*flags, *small_store, "query", "board games", "--any-date", check=True)
    assert (BROKEN in proc.stderr) is shown, proc.stderr
    assert "Board game night" in proc.stdout  # refitted: the query still answers


def test_the_handler_is_taken_off_when_the_command_ends(kindred, tmp_path) -> None:
    kindred("-vv", "--db", f"sqlite:///{tmp_path / 'empty.db'}", "users", "list", check=True)
    assert not [h for h in logging.getLogger().handlers if isinstance(h, logs._Stderr)]
    assert logging.getLogger().level == logging.WARNING


def test_every_command_takes_the_options_at_the_front(kindred) -> None:
    helptext = kindred("--help", check=True).stdout
    assert "-v, --verbose" in helptext and "-q, --quiet" in helptext
    assert kindred("-v", "-v", "--version", check=True).stdout.startswith("kindred, version")
