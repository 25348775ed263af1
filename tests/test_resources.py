"""The shipped data files: found beside the running ``recommender`` package (installed: its package
data; checkout: data/ beside pyproject.toml), never another package's folder; and the embedded
snapshot's event ids do not depend on where its file is."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import recommender.core.resources as resources
from recommender.core.links import web_url
from recommender.core.resources import DataMissingError, data_file, data_folder
from recommender.store.event_store import Store
from recommender.store.snapshot import SNAPSHOT_FILE, load_snapshot

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """An importable package ``kindred_fake`` in ``tmp_path/site`` that data_folder() looks beside."""
    package = tmp_path / "site" / "kindred_fake"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(resources, "PACKAGE", "kindred_fake")
    data_folder.cache_clear()
    yield package
    sys.modules.pop("kindred_fake", None)  # the next test's package is another folder
    data_folder.cache_clear()


def test_the_checkout_uses_its_own_data_folder() -> None:
    assert data_folder() == ROOT / "data"
    assert data_file("hobbies.toml").read_bytes() == (ROOT / "data" / "hobbies.toml").read_bytes()


def test_an_installed_package_reads_its_package_data(fake_package) -> None:
    (fake_package / "data").mkdir()
    (fake_package / "data" / "hobbies.toml").write_text("# packaged\n")
    (fake_package.parent / "data").mkdir()  # another package's site-packages/data/: never used
    (fake_package.parent / "data" / "hobbies.toml").write_text("# someone else's\n")
    assert data_file("hobbies.toml").read_text() == "# packaged\n"


def test_a_site_packages_data_folder_never_stands_in_for_missing_package_data(fake_package) -> None:
    (fake_package.parent / "data").mkdir()
    (fake_package.parent / "data" / "hobbies.toml").write_text("# someone else's\n")
    with pytest.raises(DataMissingError, match="reinstall Kindred"):
        data_file("hobbies.toml")


def test_a_checkout_is_a_data_folder_beside_pyproject(fake_package) -> None:
    (fake_package.parent / "pyproject.toml").write_text("")
    (fake_package.parent / "data").mkdir()
    assert data_folder() == fake_package.parent / "data"


def _snapshot_ids(folder: Path, monkeypatch) -> list[str]:
    monkeypatch.setattr(resources, "data_folder", lambda: folder)
    store = Store("sqlite://")
    load_snapshot(store)
    return sorted(e.id for e in store.events())


def test_snapshot_ids_do_not_depend_on_where_the_file_is(tmp_path, monkeypatch) -> None:
    # a listing with a URL, one with a scheme-less URL (resolved against the file's address) and one
    # without: the last two took their ids from the checkout's path once
    listings = [
        {"@type": "Event", "name": name, "startDate": "2026-05-02T19:00:00-04:00", **extra}
        for name, extra in [
            ("Choir night", {"url": "https://example.org/e/choir"}),
            ("Gallery tour", {"url": "www.gallery.example"}),
            ("Park cleanup", {}),
        ]
    ]
    for place in ("a", "b/deeper"):
        (tmp_path / place).mkdir(parents=True)
        (tmp_path / place / SNAPSHOT_FILE).write_text(json.dumps(listings))
    first = _snapshot_ids(tmp_path / "a", monkeypatch)
    assert len(first) == 3
    assert first == _snapshot_ids(tmp_path / "b" / "deeper", monkeypatch)
    store = Store("sqlite://")
    load_snapshot(store)
    assert sorted(web_url(e.url) or "-" for e in store.events()) == ["-", "-", "https://example.org/e/choir"]


def test_the_shipped_snapshot_keeps_its_ids_when_moved(tmp_path, monkeypatch) -> None:
    shutil.copy(ROOT / "data" / SNAPSHOT_FILE, tmp_path / SNAPSHOT_FILE)
    assert _snapshot_ids(tmp_path, monkeypatch) == _snapshot_ids(ROOT / "data", monkeypatch)
