"""Shared test set-up: every test gets private data/config/cache folders and a clean KINDRED_* env."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith("KINDRED_"):
            monkeypatch.delenv(key)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("KINDRED_NOW", NOW.isoformat())
    return tmp_path


def run_kindred(
    *args: str, env: dict | None = None, check: bool | None = None
) -> subprocess.CompletedProcess:
    """Run the installed ``kindred`` console script (the real entry point)."""
    exe = Path(sys.executable).parent / "kindred"
    full_env = dict(os.environ, COLUMNS="80", **(env or {}))
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env, timeout=120)
    if check is True:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def kindred():
    return run_kindred
