"""`kindred digest` with its choosing in one process, on a Dask LocalCluster of 1 worker and of 2:
whole processes, end to end, on the embedded Toronto data and generated subscribers.

    .venv/bin/python -m benchmarks.dask_digest [--subscribers 2000] [--runs 3]

Each run starts from a fresh copy of the same store (so each sends the same digests), writes to
an outbox, and is timed as a whole process (wall and CPU of the process and its children). Prints
the machine, medians, and the speed-up of 2 workers over 1 and over one process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.people import synthetic_subscribers, write_subscribers
from benchmarks.run import machine

WEEK = "2025-W47"  # a week the embedded snapshot has events in
NOW = datetime.fromisoformat("2025-11-17T09:00:00-05:00")


def build(folder: Path, subscribers: int) -> Path:
    from recommender.store.event_store import Store
    from recommender.store.snapshot import load_snapshot

    db = folder / "base.db"
    store = Store(f"sqlite:///{db}")
    load_snapshot(store)
    ids = [e.id for e in store.events()]
    write_subscribers(store, list(synthetic_subscribers(subscribers, ids)), now=NOW)
    store.engine.dispose()
    return db


def run(base: Path, work: Path, extra: list[str], env: dict) -> dict:
    db = work / "run.db"
    shutil.copyfile(base, db)
    shutil.rmtree(work / "out", ignore_errors=True)
    cmd = [str(Path(sys.executable).parent / "kindred"), "--db", f"sqlite:///{db}", "digest",
           "--outbox", str(work / "out"), "--week", WEEK, *extra]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    sent = proc.stdout.count(": sent (")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "sent": sent}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kindred-dask-bench-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, KINDRED_SECRET="bench-only-secret-" + "x" * 24,
                   XDG_CACHE_HOME=str(work / "cache"), KINDRED_BASE_URL="http://127.0.0.1:8080",
                   KINDRED_NOW=NOW.isoformat())  # fmt: skip
        base = build(work, args.subscribers)
        run(base, work, [], env)  # builds the saved index once, as a first real run would
        setups = {
            "one process": [],
            "dask, 1 worker": ["--workers", "1"],
            "dask, 2 workers": ["--workers", "2"],
        }
        results = {}
        for name, extra in setups.items():
            runs = [run(base, work, extra, env) for _ in range(args.runs)]
            results[name] = {
                "wall_s": statistics.median(r["wall"] for r in runs),
                "cpu_s": statistics.median(r["cpu"] for r in runs),
                "sent": runs[0]["sent"],
            }
    m = machine()
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram']}, Python {m['python']}")
    print(f"{args.subscribers} subscribers on the embedded Toronto data, week {WEEK}, median of {args.runs}")
    for name, r in results.items():
        print(f"  {name:16} wall {r['wall_s']:6.2f} s  cpu {r['cpu_s']:6.2f} s  sent {r['sent']}")
    one, w1, w2 = (results[k]["wall_s"] for k in setups)
    print(f"  2 workers vs 1 worker: {w1 / w2:.2f}x; 2 workers vs one process: {one / w2:.2f}x")
    out = {"machine": m, "subscribers": args.subscribers, "runs": args.runs, "results": results}
    Path(__file__).with_name("RESULTS_dask.json").write_text(json.dumps(out, indent=1) + "\n")
    return out


if __name__ == "__main__":
    main()
