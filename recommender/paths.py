"""Where Kindred's shipped data files (hobby lexicon, business terms, ...) live."""

from __future__ import annotations

import sys
from pathlib import Path

# In a source checkout or an editable install, data/ sits next to the recommender/ package.
_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """Return the folder that holds Kindred's data files.

    That is the repository's ``data/`` folder next to the packages when it exists (source checkout,
    editable install), otherwise ``sys.prefix/share/kindred/data``, where a regular install puts
    the files (``[tool.setuptools.data-files]`` in pyproject.toml).

    Examples
    --------
    >>> (data_dir() / "hobbies.toml").is_file()
    True
    """
    if _REPO_DATA.is_dir():
        return _REPO_DATA
    return Path(sys.prefix) / "share" / "kindred" / "data"
