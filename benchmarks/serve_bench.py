"""Calendar feed against the preferences page, through ``kindred serve`` over real HTTP.

One client, one keep-alive connection, requests one after another; per subscriber: the
preferences page, the feed (first fetch: ranked and rendered), the feed again (unchanged: served
from the server's cache) and a conditional fetch with the ETag (answered 304). Medians are per
kind of request; requests/s is 1 / median.
"""

from __future__ import annotations

import socket
import subprocess
import time
from datetime import datetime

import numpy as np

from benchmarks.procs import ROOT, kindred


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kindred serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("kindred serve did not start")


def feed_vs_preferences(url: str, env: dict, *, subscribers: int, now: datetime) -> dict:
    import requests

    from recommender.calendars.feed import feed_tokens
    from recommender.core.signing import make_token
    from recommender.people.subscribers import list_subscribers
    from recommender.store.event_store import Store

    store = Store(url)
    subs = list_subscribers(store, active_only=True)[:subscribers]
    secret = env["KINDRED_SECRET"]
    feeds = feed_tokens(store, secret, subs)
    store.engine.dispose()
    port = _free_port()
    proc = subprocess.Popen(
        kindred("--db", url, "serve", "--port", str(port)), env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    times: dict[str, list[float]] = {"preferences": [], "feed": [], "feed_again": [], "feed_304": []}
    try:
        _wait_for(port, proc)
        base = f"http://127.0.0.1:{port}"
        http = requests.Session()

        def get(kind: str | None, path: str, expect: int, **headers) -> requests.Response:
            t = time.perf_counter()
            response = http.get(base + path, headers=headers, timeout=120)
            if kind:
                times[kind].append(time.perf_counter() - t)
            if response.status_code != expect:
                raise RuntimeError(f"{path[:40]}…: {response.status_code}, expected {expect}")
            return response

        warm = subs[-1]  # the first request loads the saved index; not measured
        get(None, f"/calendar/{feeds[warm.id]}.ics", 200)
        for sub in subs[:-1]:
            get("preferences", f"/preferences/{make_token(secret, sub.id, 'preferences', issued=now)}", 200)
            first = get("feed", f"/calendar/{feeds[sub.id]}.ics", 200)
            get("feed_again", f"/calendar/{feeds[sub.id]}.ics", 200)
            get("feed_304", f"/calendar/{feeds[sub.id]}.ics", 304, **{"If-None-Match": first.headers["ETag"]})
    finally:
        proc.terminate()
        proc.wait(30)
    out = {}
    for kind, seconds in times.items():
        ms = np.array(seconds) * 1000
        out[kind] = {"n": len(ms), "p50_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}
        out[kind]["per_s"] = 1000 / out[kind]["p50_ms"]
    prefs = out["preferences"]["p50_ms"]
    out["ratios"] = {kind: out[kind]["p50_ms"] / prefs for kind in ("feed", "feed_again", "feed_304")}
    return out
