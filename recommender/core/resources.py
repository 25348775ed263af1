"""Kindred's shipped data files (``data/`` in the repository), found the same way however Kindred runs.

``data/`` is where people edit the lexicon, the business terms, the formats and the Toronto snapshot.
A wheel carries that folder as package data, ``recommender/data/`` (pyproject.toml maps the folder
there), so an installed Kindred reads it with :mod:`importlib.resources` from beside its own code:
in a venv, a ``pip install --user`` prefix or a container alike, and never from another package's
``site-packages/data/``. Run from a checkout (or an editable install, or an unpacked sdist) there is
no ``recommender/data/``, and the repository's own ``data/`` beside ``pyproject.toml`` is used.

>>> data_file("hobbies.toml").is_file()
True
>>> data_file("no-such-file.toml").is_file()
False
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from scrapers.errors import KindredError

PACKAGE = "recommender"
FOLDER = "data"


class DataMissingError(KindredError):
    """Kindred's own data files are nowhere to be found (a broken install)."""


def data_file(name: str) -> Traversable:
    """The shipped data file ``name`` (e.g. ``"hobbies.toml"``); it may not exist, check with
    ``is_file()``. Read it with ``read_bytes()`` or ``open("rb")``.

    >>> data_file("formats.toml").read_bytes().startswith(b"#")
    True
    """
    return data_folder() / name


@cache
def data_folder() -> Traversable:
    """The folder of shipped data files: the installed package data, else the checkout's ``data/``."""
    packaged = files(PACKAGE) / FOLDER
    if packaged.is_dir():
        return packaged
    checkout = Path(str(files(PACKAGE))).parent
    if (checkout / "pyproject.toml").is_file() and (checkout / FOLDER).is_dir():
        return checkout / FOLDER
    raise DataMissingError(
        f"Kindred's data files are missing (looked in {packaged} and {checkout / FOLDER}); reinstall Kindred"
    )
