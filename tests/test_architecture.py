"""The layering in pyproject.toml's import-linter contracts holds, and breaking it is caught."""

from __future__ import annotations

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
