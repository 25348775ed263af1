"""The layering in pyproject.toml's import-linter contracts holds, and breaking it is caught."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_contracts_are_kept():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.fixture
def copy_of_code(tmp_path):
    for name in ("recommender", "scrapers"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text() + "\n\n" + code + "\n")


@pytest.mark.parametrize(
    ("module", "code", "broken"),
    [
        # a lower layer reaching up, even from inside a function
        (
            "recommender/ranking/topk.py",
            "def _up():\n    from recommender.digest import choice  # noqa: F401",
            "recommender.ranking is not allowed to import recommender.digest",
        ),
        # siblings on one row stay independent
        (
            "recommender/people/sends.py",
            "from recommender.mail import message  # noqa: F401,E402",
            "recommender.people is not allowed to import recommender.mail",
        ),
        # the parsers never fetch
        (
            "scrapers/schemaorg.py",
            "from scrapers import http  # noqa: F401,E402",
            "scrapers.schemaorg is not allowed to import scrapers.http",
        ),
        # frameworks stay at the edges
        (
            "recommender/digest/choice.py",
            "import click  # noqa: F401,E402",
            "recommender.digest is not allowed to import click",
        ),
        (
            "recommender/ranking/query.py",
            "import sqlalchemy  # noqa: F401,E402",
            "recommender.ranking is not allowed to import sqlalchemy",
        ),
        # no cycle inside a layer either
        (
            "recommender/ranking/topk.py",
            "def _later():\n    from recommender.ranking import ranker  # noqa: F401",
            "No cycles are allowed in recommender.ranking",
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(copy_of_code, module, code, broken):
    _append(copy_of_code / module, code)
    proc = lint_imports(copy_of_code)
    assert proc.returncode != 0
    assert broken in " ".join(proc.stdout.split()), proc.stdout


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else None]


def test_readme_how_kindred_is_built_names_only_real_paths():
    section = _section((ROOT / "README.md").read_text(), "## How Kindred is built")
    named = {}
    for row in section.splitlines():
        if row.startswith("| `") and "/` |" in row:  # a package row: its modules are relative to it
            package = row.split("`")[1]
            modules = re.findall(r"`([\w/]+(?:\.py|/))`", row.split("|")[2])
            named.update({package + m: row for m in modules})
    named.update(
        {p: "text" for p in re.findall(r"`((?:recommender|scrapers|tests|data|docs)/[\w/.]+)`", section)}
    )
    assert len(named) > 60
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, missing


def test_every_subpackage_is_in_the_readme_and_the_layers():
    section = _section((ROOT / "README.md").read_text(), "## How Kindred is built")
    layers = (ROOT / "pyproject.toml").read_text()
    for package in sorted(p.name for p in (ROOT / "recommender").iterdir() if (p / "__init__.py").exists()):
        assert f"`recommender/{package}/`" in section, package
        assert f"recommender.{package}" in layers, package
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "recommender").rglob("*.py")}
    modules = {m for m in modules if not m.endswith("__init__.py") and "/migrations/" not in m}  # Alembic's
    described = {
        f"{row.split('`')[1]}{m}"
        for row in section.splitlines()
        if row.startswith("| `recommender/")
        for m in re.findall(r"`([\w/]+\.py)`", row.split("|")[2])
    }
    assert modules <= described, sorted(modules - described)
