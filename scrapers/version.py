"""Kindred's name on PyPI and the installed version, in one place (the ``User-Agent``, ``--version``).

The distribution is ``kindred-events`` (``kindred`` on PyPI is another project); the command is
still ``kindred`` and the import packages are ``recommender`` and ``scrapers``.

>>> DISTRIBUTION
'kindred-events'
>>> VERSION.count(".") >= 1 or VERSION == "0"
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "kindred-events"

try:
    VERSION = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0"
