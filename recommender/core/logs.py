"""Kindred's log: one handler on the root logger, writing to stderr, at a level from ``-v``/``-q``.

Every command takes ``kindred -v …`` (more: info, then debug) and ``kindred -q …`` (less: errors
only, then nothing but critical); a command may have its own default (``schedule`` logs its jobs at
info, ``refresh`` only errors, since its summary already lists failures). Under systemd or Docker,
stderr is the journal or the container log, which add their own timestamps.

>>> import logging
>>> [logging.getLevelName(level_for(n)) for n in (-2, -1, 0, 1, 2, 3)]
['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG', 'DEBUG']
>>> [logging.getLevelName(level_for(n, default=logging.ERROR)) for n in (0, 1)]
['ERROR', 'INFO']
"""

from __future__ import annotations

import logging
import sys

LEVELS = (logging.CRITICAL, logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG)
FORMAT = "kindred: %(levelname)s %(name)s: %(message)s"


class _Stderr(logging.StreamHandler):
    """A handler for whatever ``sys.stderr`` is when a record comes (click and tests swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(FORMAT))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ sets it; the property always wins
        pass


def level_for(verbosity: int, default: int = logging.WARNING) -> int:
    """The level for ``verbosity`` (the count of ``-v`` minus the count of ``-q``): ``default`` at
    0, else counted from WARNING."""
    if verbosity == 0:
        return default
    index = LEVELS.index(logging.WARNING) + verbosity
    return LEVELS[min(max(index, 0), len(LEVELS) - 1)]


def configure(level: int) -> None:
    """Log to stderr at ``level`` (once: calling it again only changes the level)."""
    root = logging.getLogger()
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        root.addHandler(_Stderr())
    root.setLevel(level)


def reset() -> None:
    """Take Kindred's handler off again and restore the default level (when a command ends)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
