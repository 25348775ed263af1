"""Where Kindred keeps the user's things: data, config and cache folders (XDG on Linux).

The files Kindred ships (lexicon, snapshot, …) are read through :mod:`recommender.core.resources`.

>>> user_config_dir().name
'kindred'
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "kindred"


def user_data_dir() -> Path:
    """Per-user data folder (the default store lives here); honours ``XDG_DATA_HOME``."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_config_dir() -> Path:
    """Per-user config folder (``config.toml``, ``sources.toml``); honours ``XDG_CONFIG_HOME``."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def user_cache_dir() -> Path:
    """Per-user cache folder (HTTP cache, fitted indexes); honours ``XDG_CACHE_HOME``."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
