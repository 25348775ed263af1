"""Where Kindred keeps things: the shipped data folder and the user's data and config folders.

>>> (data_dir() / "toronto_festivals_events.jsonld").exists()
True
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP = "kindred"
# In a source checkout or an editable install, data/ sits next to the recommender/ package.
_REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def data_dir() -> Path:
    """The embedded default data: ``data/`` beside the packages (source checkout or editable
    install), else ``<prefix>/share/kindred/data`` (wheel install)."""
    if _REPO_DATA.is_dir():
        return _REPO_DATA
    return Path(sys.prefix) / "share" / APP / "data"


def user_data_dir() -> Path:
    """Per-user data folder (the default store lives here); honours ``XDG_DATA_HOME``."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_config_dir() -> Path:
    """Per-user config folder (``config.toml``, ``sources.toml``); honours ``XDG_CONFIG_HOME``."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def user_cache_dir() -> Path:
    """Per-user cache folder (HTTP cache, fitted indexes); honours ``XDG_CACHE_HOME``."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
