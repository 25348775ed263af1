"""Kindred built and installed the way a user gets it, away from this checkout (for tests/test_installed.py).

:func:`build` makes an sdist from a copy of the source tree (the checkout stays untouched) and the
wheel from that unpacked sdist, as ``python -m build`` does; no network (``--no-isolation``: the
test venv's setuptools builds). :func:`install_venv` and :func:`install_user` install that wheel with
``--no-deps`` into a fresh venv and into a ``pip install --user`` prefix. The third-party
dependencies are not installed again: a ``.pth`` file in the new site folder appends the test venv's
site-packages after it. A plain path in a ``.pth`` file adds that folder only (its own ``.pth``
files, such as the editable install's finder, are not run), so ``recommender``, ``scrapers``, their
data files and templates can come from the wheel alone; :func:`Install.where` says where they came
from, so a test can check it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What is never part of a source tree to build from (caches, venvs, build output, local results).
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".hypothesis", "demo", "artifacts", ".cache", ".ipynb_checkpoints",
)  # fmt: skip
# Three listings in ISO week 2026-W48, as a club's page would publish them.
LISTINGS = [
    {"@context": "https://schema.org", "@type": "Event", "name": name, "startDate": start,
     "url": f"https://example.org/e/{slug}", "description": text,
     "location": {"@type": "Place", "name": "Community Hall", "address": "1 Main St, Toronto"}}
    for name, slug, start, text in [
        ("Board game night", "games", "2026-11-25T19:00:00-05:00", "Strategy board games for all."),
        ("Long hike in the valley", "hike", "2026-11-28T09:00:00-05:00", "A long hike, 20 km."),
        ("Speed networking mixer", "mixer", "2026-11-26T18:00:00-05:00", "Business cards and pitches."),
    ]
]  # fmt: skip
_WHERE = (
    "import json, recommender, scrapers; from recommender.core.resources import data_folder; "
    "print(json.dumps([recommender.__file__, scrapers.__file__, str(data_folder())]))"
)


@dataclass(frozen=True)
class Built:
    sdist: Path
    unpacked: Path  # the sdist, unpacked
    wheel: Path


@dataclass(frozen=True)
class Install:
    python: Path  # the interpreter that runs the installed kindred
    kindred: Path  # its console script
    site: Path  # where the wheel's packages went
    env: dict[str, str]

    def run(self, *args: str, cwd: Path, env: dict | None = None, timeout: float = 180):
        """``kindred ARGS`` from this install, in ``cwd``."""
        return subprocess.run(
            [str(self.kindred), *args], cwd=cwd, env={**self.env, **(env or {})}, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip

    def run_python(self, script: str, *args: str, cwd: Path, timeout: float = 180):
        """``python -c SCRIPT ARGS`` with this install's interpreter, in ``cwd``."""
        return subprocess.run(
            [str(self.python), "-c", script, *args], cwd=cwd, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip

    def where(self, cwd: Path) -> list[Path]:
        """Where ``recommender``, ``scrapers`` and the data files are imported from, run in ``cwd``."""
        proc = self.run_python(_WHERE, cwd=cwd, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return [Path(p) for p in json.loads(proc.stdout)]


def _pip(*args: str, cwd: Path, env: dict | None = None) -> None:
    """The test venv's pip (``--python X`` makes it install for interpreter X, pip or no pip there)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
        cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def source_tree(folder: Path) -> Path:
    """A copy of the checkout's sources (no venvs, caches or build output) at ``folder``."""
    return Path(shutil.copytree(ROOT, folder, ignore=_NOT_SOURCE, symlinks=True))


def build(tmp: Path) -> Built:
    """The sdist (from a copy of the checkout) and the wheel built from the unpacked sdist."""
    tree = source_tree(tmp / "tree")
    dist = tmp / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--outdir", str(dist), str(tree)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp / "unpacked", filter="data")
    (unpacked,) = (tmp / "unpacked").iterdir()
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(unpacked), cwd=tmp)
    (wheel,) = dist.glob("*.whl")
    return Built(sdist, unpacked, wheel)


def user_env(home: Path) -> dict[str, str]:
    """A user's environment: a home of its own, nothing of Kindred's or of this checkout's."""
    # KINDRED_NOW: the test's fixed "now" (tests/conftest.py), never today's date
    kept = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "KINDRED_NOW")
    keep = {k: v for k, v in os.environ.items() if k in kept}
    xdg = {f"XDG_{kind.upper()}_HOME": str(home / kind) for kind in ("data", "config", "cache")}
    return {**keep, **xdg, "HOME": str(home), "COLUMNS": "80"}


def link_dependencies(site: Path) -> None:
    """Append the test venv's site-packages (the dependencies) after ``site``."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "zz_kindred_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")


def site_packages(python: Path) -> Path:
    """The site-packages folder of the venv whose interpreter is ``python``."""
    script = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    proc = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True, timeout=60)
    return Path(proc.stdout.strip())


def install_venv(wheel: Path, tmp: Path) -> Install:
    """``wheel`` installed into a fresh venv (``pip install --no-deps``)."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    _pip("--python", str(python), "install", "--no-deps", "--no-index", str(wheel), cwd=tmp)
    site = site_packages(python)
    link_dependencies(site)
    return Install(python, venv / "bin" / "kindred", site, user_env(tmp / "home"))


def install_user(wheel: Path, tmp: Path) -> Install:
    """``wheel`` installed with ``pip install --user`` by the base interpreter, ``PYTHONUSERBASE`` in
    ``tmp`` (the case whose data files once landed under the user base, out of Kindred's reach)."""
    base = Path(getattr(sys, "_base_executable", sys.executable))
    env = {**user_env(tmp / "home"), "PYTHONUSERBASE": str(tmp / "userbase")}
    _pip(
        "--python", str(base), "install", "--user", "--no-deps", "--no-index", "--break-system-packages",
        str(wheel), cwd=tmp, env={"PYTHONUSERBASE": env["PYTHONUSERBASE"]},
    )  # fmt: skip
    site = Path(
        subprocess.run(
            [str(base), "-c", "import site; print(site.getusersitepackages())"],
            env=env, capture_output=True, text=True, check=True, timeout=60,
        ).stdout.strip()
    )  # fmt: skip
    link_dependencies(site)
    return Install(base, tmp / "userbase" / "bin" / "kindred", site, env)
