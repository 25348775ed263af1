"""Headless Chromium opens the preferences page and a rendered digest; screenshots go to tests/artifacts/.

Needs Debian's ``chromium``. Without it these tests are skipped locally and fail under CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from digest_world import SECRET, WEEK, seed
from matplotlib.image import imread
from test_mail import Recorder, Sleeps, smtp_server
from web_server import serve

from recommender.core.config import Settings
from recommender.core.signing import make_token
from recommender.digest.run import run_digest
from recommender.mail.smtp import SmtpSender

ARTIFACTS = Path(__file__).parent / "artifacts"
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium")
    if exe is None:
        message = "Debian's chromium is not installed: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return exe


def screenshot(chromium, url: str, name: str, tmp_path: Path) -> np.ndarray:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    out.unlink(missing_ok=True)
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--screenshot={out}", "--window-size=1000,1400",
         url],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    image = imread(out)
    assert image.shape[:2] == (1400, 1000)
    return image


def looks_drawn(image: np.ndarray) -> bool:
    """More than a blank page: many distinct colours (text, buttons, background)."""
    pixels = (image[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    return len(np.unique(pixels, axis=0)) > 20


def test_preferences_page_in_chromium(chromium, tmp_path):
    store = seed(f"sqlite:///{tmp_path / 'b.db'}", users={"robin@example.org": {"passions": "pottery, jazz"}})
    token = make_token(SECRET, "robin@example.org", "preferences", issued=NOW - timedelta(hours=1))
    with serve(store, Settings(secret=SECRET), clock=lambda: NOW) as site:
        image = screenshot(chromium, f"{site}/preferences/{token}", "preferences.png", tmp_path)
    assert looks_drawn(image)


def test_rendered_digest_in_chromium(chromium, tmp_path):
    robin = {"passions": "pottery and live jazz", "friends": ["Ana: chess"]}
    store = seed(f"sqlite:///{tmp_path / 'b.db'}", users={"robin@example.org": robin})
    handler = Recorder()
    settings = Settings(secret=SECRET, base_url="https://kindred.example", sender="digest@kindred.example")
    with smtp_server(handler) as server:
        sender = SmtpSender.from_url(f"smtp://127.0.0.1:{server.port}", env={}, sleep=Sleeps())
        run_digest(store, sender, settings, now=NOW, week=WEEK)
    html = handler.delivered[0]["message"].get_body(("html",)).get_content()
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    image = screenshot(chromium, page.as_uri(), "digest.png", tmp_path)
    assert looks_drawn(image)
