"""``make bench``: measure Kindred at 10k, 100k and 1M events and write ``benchmarks/RESULTS.md``.

Each corpus size runs in its own process (:mod:`benchmarks.measure`) so peak memory is that size's own;
``kindred query`` is timed as a whole process on the embedded data and on the 100k corpus (cold: the
first query builds and saves the index; warm: later queries reuse it); parse throughput runs the
scrapers over the saved pages and feeds in ``tests/fixtures``.

``python -m benchmarks.run --quick --out /tmp/r.md`` runs everything tiny (a smoke test, seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from benchmarks.report import render

ROOT = Path(__file__).resolve().parent.parent
FULL = {"sizes": [10_000, 100_000, 1_000_000], "queries": 300, "subscribers": 10_000, "process_size": 100_000}
QUICK = {"sizes": [300, 600], "queries": 12, "subscribers": 20, "process_size": 300}


def run_size(size: int, cfg: dict, work: Path, *, quick: bool) -> dict:
    out = work / f"size-{size}.json"
    big = size >= 1_000_000
    cmd = [sys.executable, "-m", "benchmarks.measure", str(size), str(out)]
    cmd += ["--queries", str(20 if big else cfg["queries"])]
    cmd += ["--baseline-queries", "0" if big else str(min(30, cfg["queries"]))]
    cmd += ["--naive-queries", "0" if big else ("2" if size >= 100_000 else "3")]
    if size == cfg["process_size"]:
        cmd += ["--subscribers", str(cfg["subscribers"]), "--db", str(work / f"store-{size}.db")]
    print(f"[bench] {size:,} events …", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def time_process(args: list[str], env: dict, runs: int) -> dict:
    exe = str(Path(sys.executable).parent / "kindred")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([exe, *args], check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - t)
    return {"cold_s": times[0], "warm_p50_s": float(np.median(times[1:])), "warm_runs": runs - 1}


# one warm query in a fresh process, split into importing, opening the store and answering
_SPLIT = """
import json, time
t0 = time.perf_counter()
from recommender.store.snapshot import open_store
from recommender.ranking.query import QueryOptions, find
import recommender.cli.query
t1 = time.perf_counter()
store = open_store(None)
t2 = time.perf_counter()
from recommender.core.clock import now
find(store, "board games and long hikes", QueryOptions(), now=now())
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "open_store": t2 - t1, "find": t3 - t2}))
"""


def process_timings(work: Path, cfg: dict, *, runs: int) -> dict:
    base = dict(os.environ, KINDRED_NOW="2026-06-01T12:00:00+00:00")
    base.pop("KINDRED_DB", None)
    query = ["query", "board games and long hikes", "--limit", "10"]
    out = {}
    env = dict(base, XDG_DATA_HOME=str(work / "data"), XDG_CACHE_HOME=str(work / "cache-embedded"))
    env["XDG_CONFIG_HOME"] = str(work / "config")
    out["embedded"] = time_process(query, env, runs)
    split = subprocess.run(
        [sys.executable, "-c", _SPLIT], check=True, env=env, capture_output=True, text=True
    )
    out["split_s"] = json.loads(split.stdout)
    out["help_s"] = time_process(["--help"], env, 3)["warm_p50_s"]
    db = work / f"store-{cfg['process_size']}.db"
    env = dict(env, XDG_CACHE_HOME=str(work / "cache-big"), KINDRED_DB=f"sqlite:///{db}")
    out["corpus"] = {**time_process([*query, "--any-date"], env, runs), "size": cfg["process_size"]}
    imports = {}
    for module in (
        "recommender.cli.main",
        "sqlalchemy.orm",
        "scipy.sparse",
        "sklearn.base",
        "recommender.ranking.ranker",
    ):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        imports[module] = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    imports["(python itself)"] = time.perf_counter() - t
    out["imports_s"] = imports
    return out


def parse_throughput(repeat: int) -> dict:
    from scrapers import parse
    from scrapers.errors import KindredError

    files = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.html"))
    files += sorted((ROOT / "tests" / "fixtures" / "ics").glob("*.ics"))
    blobs = [(f.read_bytes(), f.as_uri()) for f in files]
    out = {}
    for kind, suffix in (("pages", ".html"), ("feeds", ".ics")):
        chosen = [(b, u) for b, u in blobs if u.endswith(suffix)]
        events = errors = 0
        t = time.perf_counter()
        for _ in range(repeat):
            for blob, url in chosen:
                try:
                    events += len(parse(blob, url))
                except KindredError:
                    errors += 1
        seconds = time.perf_counter() - t
        n = len(chosen) * repeat
        size = sum(len(b) for b, _ in chosen) * repeat
        out[kind] = {
            "files": len(chosen),
            "per_s": n / seconds,
            "mb_per_s": size / seconds / 1e6,
            "events_per_s": events / seconds,
            "errors": errors,
        }
    return out


def machine() -> dict:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    mem = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    versions = {}
    for dist in ("numpy", "scipy", "scikit-learn", "SQLAlchemy", "rank-bm25"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test in seconds")
    parser.add_argument("--sizes", help="comma-separated corpus sizes, e.g. 10000,100000")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["process", "parse"], help="skip a part"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = parser.parse_args(argv)
    cfg = dict(QUICK if args.quick else FULL)
    if args.sizes:
        cfg["sizes"] = [int(s) for s in args.sizes.split(",")]
        cfg["process_size"] = min(cfg["sizes"], key=lambda s: abs(s - cfg["process_size"]))
    started, load_before = time.perf_counter(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        work = Path(tmp)
        sizes = [run_size(size, cfg, work, quick=args.quick) for size in cfg["sizes"]]
        process = None
        if "process" not in args.skip:
            print("[bench] whole-process kindred query …", file=sys.stderr, flush=True)
            process = process_timings(work, cfg, runs=3 if args.quick else 6)
    parsing = None
    if "parse" not in args.skip:
        print("[bench] parse throughput …", file=sys.stderr, flush=True)
        parsing = parse_throughput(1 if args.quick else 5)
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "machine": machine(),
        "sizes": sizes,
        "process": process,
        "parse": parsing,
        "config": cfg,
        "wall_s": time.perf_counter() - started,
        "load": [load_before, os.getloadavg()],
    }
    Path(args.out).write_text(render(results))
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
    print(f"[bench] wrote {args.out} in {results['wall_s']:.0f} s", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
