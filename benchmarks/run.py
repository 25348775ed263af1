"""``make bench``: the commands people use, timed as whole processes beside their peers, in one run.

* ``kindred query`` (warm, embedded data) against a bare ``rank_bm25`` script over the same
  listings and ``bm25s`` with a saved index, plus the floor (Python, NumPy, ten rows via sqlite3);
* index build (wall, CPU, peak memory) against bm25s, and in-process query latency against bm25s;
* ``kindred digest`` end to end: CPU per subscriber;
* ``kindred serve``: calendar-feed requests against preferences-page requests, over real HTTP.

It writes ``benchmarks/RESULTS.md`` and ``RESULTS.json`` (machine, medians, ratios, the targets).
Sizes are selectable: ``--sizes 100000,1000000`` (index builds), ``--digest 10000x100000``
(subscribers x events; its store also serves the latency, whole-process and feed figures).
``python -m benchmarks.run --quick --out /tmp/r.md`` runs everything tiny (a smoke test).
The peers come from ``benchmarks/requirements.txt`` (``make bench`` installs them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import numpy as np

from benchmarks.procs import ROOT, kindred, timed, warm
from benchmarks.report import QUERY, render

FULL = {
    "sizes": [100_000, 1_000_000],
    "digest": (10_000, 100_000),
    "runs": 7,
    "statements": 300,
    "feeds": 200,
}
QUICK = {"sizes": [3_000], "digest": (60, 3_000), "runs": 2, "statements": 20, "feeds": 12}
LATENCY_ROUNDS = 3
PARTS = ("query", "build", "latency", "digest", "feed")
WEEK, WEEK_START = "2026-W23", datetime(2026, 6, 1, 9, tzinfo=UTC)  # inside the synthetic listings' years
EMBEDDED = ROOT / "data" / "toronto_festivals_events.jsonld"


def _env(work: Path, **extra: str) -> dict:
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) would recompile Kindred's modules in every
    # run, which no installed copy does: pip compiles them, and a checkout caches them on first run
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KINDRED_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(XDG_DATA_HOME=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
    env.update(XDG_CACHE_HOME=str(work / "cache"), KINDRED_NOW=WEEK_START.isoformat(), KINDRED_SECRET="bench")
    return {**env, **extra}


def _py(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def query_part(work: Path, runs: int) -> dict:
    """Whole-process ``kindred query`` on the embedded data against the peers over the same listings."""
    env = _env(work / "embedded")
    out = {"kindred": warm(kindred("query", QUERY, "--limit", "10"), env=env, runs=runs)}
    out["rank_bm25"] = warm(
        _py("benchmarks.baselines", "rank-bm25", str(EMBEDDED), QUERY), env=env, runs=runs
    )
    texts, folder = work / "embedded-texts.jsonl", work / "embedded-bm25s"
    with texts.open("w", encoding="utf-8") as fh:
        for item in json.loads(EMBEDDED.read_text(encoding="utf-8")):
            fh.write(
                json.dumps(
                    [item.get("name") or "", f"{item.get('name') or ''}\n{item.get('description') or ''}"]
                )
                + "\n"
            )
    timed(_py("benchmarks.baselines", "bm25s-build", str(texts), str(folder)), env=env)
    out["bm25s"] = warm(_py("benchmarks.baselines", "bm25s-query", str(folder), QUERY), env=env, runs=runs)
    db = work / "embedded" / "data" / "kindred" / "kindred.db"
    out["floor"] = warm(_py("benchmarks.baselines", "floor", str(db)), env=env, runs=runs)
    for part in out.values():
        part.pop("stdout", None)
    k = out["kindred"]["wall_s"]
    out["ratios"] = {name: k / out[name]["wall_s"] for name in ("rank_bm25", "bm25s", "floor")}
    return out


def corpus(work: Path, n: int) -> tuple[str, Path, float]:
    """The store URL and peers' text file of ``n`` synthetic listings (written once per run)."""
    db, texts = work / f"store-{n}.db", work / f"texts-{n}.jsonl"
    t = time.perf_counter()
    if not db.exists():
        print(f"[bench] writing {n:,} synthetic listings …", file=sys.stderr, flush=True)
        timed(_py("benchmarks.corpus", "write", str(n), str(db), str(texts)))
    return f"sqlite:///{db}", texts, time.perf_counter() - t


def build_part(work: Path, n: int) -> dict:
    url, texts, wrote = corpus(work, n)
    print(f"[bench] index build, {n:,} listings …", file=sys.stderr, flush=True)
    ours = timed(_py("benchmarks.kindred_index", "build", url), env=_env(work))
    theirs = timed(
        _py("benchmarks.baselines", "bm25s-build", str(texts), str(work / f"bm25s-{n}")), env=_env(work)
    )
    out = {"size": n, "corpus_write_s": wrote}
    for name, r in (("kindred", ours), ("bm25s", theirs)):
        out[name] = {k: r[k] for k in ("wall_s", "cpu_s", "peak_mb")} | json.loads(r["stdout"])
    out["ratios"] = {k: ours[k] / theirs[k] for k in ("wall_s", "cpu_s", "peak_mb")}
    return out


def latency_part(work: Path, n: int, statements: int) -> dict:
    from benchmarks.corpus import passion_statements

    url, texts, _ = corpus(work, n)
    folder = work / f"bm25s-{n}"
    if not folder.exists():
        timed(_py("benchmarks.baselines", "bm25s-build", str(texts), str(folder)), env=_env(work))
    listed = work / "statements.json"
    listed.write_text(json.dumps(passion_statements(statements)))
    print(f"[bench] query latency, {n:,} listings …", file=sys.stderr, flush=True)
    rounds: dict[str, list[dict]] = {"kindred": [], "bm25s": []}
    for _ in range(LATENCY_ROUNDS):  # turn about, so a burst of load on the machine hits both
        ours = _py("benchmarks.kindred_index", "latency", url, str(listed))
        rounds["kindred"].append(json.loads(timed(ours, env=_env(work))["stdout"]))
        theirs = _py("benchmarks.baselines", "bm25s-latency", str(folder), str(listed))
        rounds["bm25s"].append(json.loads(timed(theirs, env=_env(work))["stdout"]))
    ours, theirs = ({k: _median(r, k) for k in r[0]} | {"n": r[0]["n"]} for r in rounds.values())
    whole = warm(kindred("--db", url, "query", QUERY, "--limit", "10"), env=_env(work), runs=3)
    whole.pop("stdout")
    return {
        "size": n,
        "kindred": ours,
        "bm25s": theirs,
        "rounds": LATENCY_ROUNDS,
        "ratio_p50": ours["p50_ms"] / theirs["p50_ms"],
        "ratio_cpu_p50": ours["cpu_p50_ms"] / theirs["cpu_p50_ms"],
        "process": whole,
    }


def _median(rounds: list[dict], key: str) -> float:
    return float(np.median([r[key] for r in rounds]))


def people(work: Path, subscribers: int, n: int) -> tuple[str, int]:
    """The store of ``n`` listings with ``subscribers`` generated subscribers (added once), and how
    many listings the digest's window holds."""
    from benchmarks.people import synthetic_subscribers, write_subscribers
    from recommender.people.subscribers import list_subscribers
    from recommender.store.event_store import Store

    url, _, _ = corpus(work, n)
    store = Store(url)
    window = store.events(start_from=WEEK_START - timedelta(days=1), start_to=WEEK_START + timedelta(days=15))
    if not list_subscribers(store):
        write_subscribers(
            store, list(synthetic_subscribers(subscribers, [e.id for e in window])), now=WEEK_START
        )
    store.engine.dispose()
    return url, len(window)


def digest_part(work: Path, subscribers: int, n: int) -> dict:
    url, in_window = people(work, subscribers, n)
    env = _env(work)
    timed(kindred("--db", url, "query", QUERY, "--limit", "1"), env=env)  # the index is warm, as on a server
    outbox = work / "outbox"
    print(
        f"[bench] kindred digest, {subscribers:,} subscribers × {n:,} listings …", file=sys.stderr, flush=True
    )
    r = timed(kindred("--db", url, "digest", "--outbox", str(outbox), "--week", WEEK), env=env, check=False)
    if r["returncode"] not in (0, 75):  # 75: some deliveries failed and will be retried (counted below)
        raise RuntimeError(f"kindred digest exited {r['returncode']}: {r['stderr'][-2000:]}")
    statuses = [line.rsplit(": ", 1)[-1].split(" ")[0] for line in r["stdout"].splitlines() if ": " in line]
    shutil.rmtree(outbox, ignore_errors=True)
    return {
        "subscribers": subscribers,
        "size": n,
        "events_in_window": in_window,
        "wall_s": r["wall_s"],
        "cpu_s": r["cpu_s"],
        "peak_mb": r["peak_mb"],
        "cpu_ms_per_subscriber": 1000 * r["cpu_s"] / subscribers,
        "sent": statuses.count("sent"),
        "nothing": statuses.count("nothing"),
        "failed": statuses.count("failed"),
    }


def feed_part(work: Path, n: int, subscribers: int, feeds: int) -> dict:
    from benchmarks.serve_bench import feed_vs_preferences

    url, _ = people(work, subscribers, n)
    print(f"[bench] kindred serve: feed vs preferences, {n:,} listings …", file=sys.stderr, flush=True)
    return {"size": n, **feed_vs_preferences(url, _env(work), subscribers=feeds, now=WEEK_START)}


def machine() -> dict:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    cpu = next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "")
    mem = ""
    if Path("/proc/meminfo").exists():
        mem = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.1f} GiB"
    versions = {}
    for dist in ("numpy", "scipy", "scikit-learn", "SQLAlchemy", "rank-bm25", "bm25s", "waitress"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "ram": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--sizes", help="index-build sizes, comma-separated, e.g. 100000,1000000")
    parser.add_argument("--digest", help="SUBSCRIBERSxEVENTS for the digest, latency and feed parts")
    parser.add_argument("--skip", action="append", default=[], choices=PARTS, help="skip a part")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = parser.parse_args(argv)
    cfg = dict(QUICK if args.quick else FULL)
    if args.sizes:
        cfg["sizes"] = [int(s) for s in args.sizes.split(",")]
    if args.digest:
        cfg["digest"] = tuple(int(x) for x in args.digest.lower().split("x"))
    subscribers, n = cfg["digest"]
    started, load_before = time.perf_counter(), os.getloadavg()
    results: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "quick": args.quick}
    results |= {"machine": machine(), "config": {**cfg, "skip": args.skip}}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        work = Path(tmp)

        def save() -> None:  # after each part: a failure later keeps what was measured
            Path(args.out).with_suffix(".partial.json").write_text(json.dumps(results, indent=1))

        if "query" not in args.skip:
            print("[bench] kindred query (whole process) and its peers …", file=sys.stderr, flush=True)
            results["query"] = query_part(work, cfg["runs"])
            save()
        if "build" not in args.skip:
            results["build"] = []
            for size in cfg["sizes"]:
                results["build"].append(build_part(work, size))
                save()
        if "latency" not in args.skip:
            results["latency"] = latency_part(work, n, cfg["statements"])
            save()
        if "digest" not in args.skip:
            results["digest"] = digest_part(work, subscribers, n)
            save()
        if "feed" not in args.skip:
            results["feed"] = feed_part(work, n, subscribers, cfg["feeds"])
            save()
    results["wall_s"] = time.perf_counter() - started
    results["load"] = [load_before, os.getloadavg()]
    Path(args.out).write_text(render(results))
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
    Path(args.out).with_suffix(".partial.json").unlink(missing_ok=True)  # the whole run is written
    print(f"[bench] wrote {args.out} in {results['wall_s']:.0f} s", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
