"""How fast the public sign-up answers: the real ``kindred serve`` on the embedded Toronto data.

Times, over HTTP on 127.0.0.1, the sign-up form, the live preview (``GET /subscribe/preview``, which
ranks the whole store the way the digest does) and a whole sign-up (``POST /subscribe``: the checks,
the rate limits in the store, the confirmation email written to an outbox), each as p50/p95.

    python -m benchmarks.signup [--runs 40] [--out result.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.measure import _stats, _timed

NOW = "2026-03-02T09:00:00-05:00"  # a week the embedded snapshot has events in (2026-W10)
STATEMENTS = ["pottery and live jazz", "board games, trail running", "choir singing", "I love film festivals",
              "dance classes but not networking", "kids' crafts and the library"]  # fmt: skip


def _ok(answer) -> None:
    assert answer.status_code == 200, answer.text[:200]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="kindred-signup-bench-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    env |= {f"XDG_{d}_HOME": str(home / d.lower()) for d in ("DATA", "CONFIG", "CACHE")}
    env |= {"KINDRED_SECRET": "bench", "KINDRED_OUTBOX": str(home / "outbox"), "KINDRED_NOW": NOW,
            "KINDRED_BASE_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    exe = Path(sys.executable).parent / "kindred"
    subprocess.run([str(exe), "query", "pottery", "--limit", "1"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(site, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        http = requests.Session()
        form = {"near": "43.65,-79.38", "within_km": "15", "mode": "any", "timezone": "America/Toronto"}
        http.get(f"{site}/subscribe/preview", params=form | {"passions": "pottery"}, timeout=30)  # warm-up
        runs = range(args.runs)
        result = {
            "form": _stats(_timed(lambda i: _ok(http.get(f"{site}/subscribe", timeout=30)), runs)),
            "preview": _stats(
                _timed(
                    lambda i: _ok(
                        http.get(
                            f"{site}/subscribe/preview",
                            params=form | {"passions": STATEMENTS[i % len(STATEMENTS)]},
                            timeout=30,
                        )
                    ),
                    runs,
                )
            ),  # fmt: skip
            # at most the per-client limit of sign-ups per hour, each to a new address
            "sign_up": _stats(
                _timed(
                    lambda i: _ok(
                        http.post(
                            f"{site}/subscribe",
                            data=form
                            | {
                                "action": "subscribe",
                                "email": f"p{i}@example.org",
                                "passions": STATEMENTS[i % len(STATEMENTS)],
                            },
                            timeout=30,
                        )
                    ),
                    range(10),
                )
            ),  # fmt: skip
        }
    finally:
        server.terminate()
        server.wait(10)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
