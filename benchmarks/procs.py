"""Running a benchmark step as its own process and measuring it: wall time, CPU time, peak memory.

>>> r = timed([sys.executable, "-c", "print(sum(range(10**6)))"])
>>> r["returncode"], r["stdout"].strip(), r["wall_s"] > 0
(0, '499999500000', True)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], *, env: dict | None = None, check: bool = True) -> dict:
    """Run ``cmd`` to the end: ``wall_s``, ``cpu_s`` (user + system of that process), ``peak_mb``
    (its peak resident memory), ``returncode`` and ``stdout``."""
    with tempfile.TemporaryFile("w+") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        err = proc.stderr.read() if proc.stderr else ""
        out.seek(0)
        stdout = out.read()
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} … exited {code}: {err[-2000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "returncode": code,
        "stdout": stdout,
        "stderr": err,
    }


def per_call(fn, items) -> dict:
    """``fn(item)`` timed in process for each of ``items``: p50 and p95 wall, p50 CPU (the
    process's, so threads count), in ms. The first call pages the index in and is left out.

    >>> per_call(len, ["a", "bb", "ccc"])["n"]
    2
    """
    walls, cpus = [], []
    for item in items:
        w, c = time.perf_counter(), time.process_time()
        fn(item)
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    wall, cpu = np.array(walls[1:] or walls) * 1000, np.array(cpus[1:] or cpus) * 1000
    return {
        "n": len(wall),
        "p50_ms": float(np.median(wall)),
        "p95_ms": float(np.percentile(wall, 95)),
        "cpu_p50_ms": float(np.median(cpu)),
    }


def kindred(*args: str) -> list[str]:
    """The ``kindred`` command of this Python."""
    return [str(Path(sys.executable).parent / "kindred"), *args]


def warm(cmd: list[str], *, env: dict | None, runs: int) -> dict:
    """One cold run, then the median wall and CPU time of ``runs`` warm ones."""
    cold = timed(cmd, env=env)
    rest = [timed(cmd, env=env) for _ in range(runs)]
    return {
        "cold_s": cold["wall_s"],
        "wall_s": float(np.median([r["wall_s"] for r in rest])),
        "cpu_s": float(np.median([r["cpu_s"] for r in rest])),
        "runs": runs,
        "stdout": rest[-1]["stdout"],
    }
