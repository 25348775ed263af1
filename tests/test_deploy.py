"""The deployment files in deploy/: the systemd units verify and run real kindred commands with
secrets as credentials, the Compose file's services and secrets agree, the Dockerfile has a build
stage and an unprivileged runtime, and the image's build steps (deploy/image-steps.sh) run here,
without Docker, in a temporary folder."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from installed import link_dependencies, site_packages, source_tree, user_env

from recommender.core.config import SECRET_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
KINDRED = "/opt/kindred/bin/kindred"


def unit_entries(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file's ``Key=value`` entries by section, in order (keys may repeat in units)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"{path.name}: {line!r}"
        current.append((key, value))
    return sections


def _values(entries, key: str) -> list[str]:
    return [value for k, value in entries if k == key]


def _is_a_kindred_command(kindred, args: list[str]) -> None:
    """``args`` parse as a kindred command with its options (``--help`` after them, so nothing runs)."""
    proc = kindred(*args, "--help")
    assert proc.returncode == 0, (args, proc.stderr)


def test_there_are_units_for_serve_and_schedule() -> None:
    assert [u.name for u in UNITS] == ["kindred-schedule.service", "kindred-serve.service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_a_unit_upgrades_the_schema_first_and_runs_a_real_command(unit: Path, kindred) -> None:
    service = unit_entries(unit)["Service"]
    (pre,) = _values(service, "ExecStartPre")
    (start,) = _values(service, "ExecStart")
    assert shlex.split(pre) == [KINDRED, "db", "upgrade"]
    command = shlex.split(start)
    assert command[0] == KINDRED and command[1] == unit.stem.removeprefix("kindred-")
    _is_a_kindred_command(kindred, command[1:])
    assert _values(service, "User") == ["kindred"] and "NoNewPrivileges" in dict(service)


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_a_unit_hands_its_secrets_over_as_credential_files(unit: Path) -> None:
    service = unit_entries(unit)["Service"]
    credentials = {value.split(":")[0] for value in _values(service, "LoadCredential")}
    assignments = [a.split("=", 1) for line in _values(service, "Environment") for a in shlex.split(line)]
    files = {name: value for name, value in assignments if name.endswith("_FILE")}
    assert {"KINDRED_SECRET_FILE", "KINDRED_DB_FILE"} <= set(files)
    for name, value in files.items():
        assert name.removesuffix("_FILE") in SECRET_VARIABLES, name
        assert value.startswith("%d/") and value.removeprefix("%d/") in credentials, (name, value)
    secret_names = {name for name, _ in assignments} & set(SECRET_VARIABLES)
    assert not secret_names, f"secrets in the unit itself: {secret_names}"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze (Debian's systemd)")
def test_the_units_verify(tmp_path) -> None:
    # verify checks that the programs exist: point the copies at this venv's kindred
    here = str(Path(sys.executable).parent / "kindred")
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace(KINDRED, here), encoding="utf-8")
        copies.append(str(copy))
    proc = subprocess.run(
        ["systemd-analyze", "verify", *copies], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr


def test_compose_runs_the_upgrade_once_then_real_commands_with_file_secrets(kindred) -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services, secrets = compose["services"], compose["secrets"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    for name in ("serve", "schedule"):
        service = services[name]
        assert service["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        _is_a_kindred_command(kindred, service["command"])
        for variable, path in service["environment"].items():
            secret = path.removeprefix("/run/secrets/")
            assert variable.removesuffix("_FILE") in SECRET_VARIABLES
            assert secret in service["secrets"] and secret in secrets
    env_file = DEPLOY / services["serve"]["env_file"]
    names = {line.split("=")[0] for line in env_file.read_text().splitlines() if "=" in line}
    assert names and not names & set(SECRET_VARIABLES) - {"KINDRED_SMTP_USER", "KINDRED_SMTP_URL"}


def test_the_dockerfile_builds_in_one_stage_and_runs_unprivileged_in_another(kindred) -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and " AS " in stages[0]
    final = lines[lines.index(stages[1]) :]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    steps = [line.split()[2] for line in lines if line.startswith("RUN kindred-image-steps ")]
    script = (DEPLOY / "image-steps.sh").read_text()
    assert steps == ["wheels", "install", "prepare"]
    assert all(re.search(rf"^{step}\)$", script, re.M) for step in steps)
    (entrypoint,) = [line for line in final if line.startswith("ENTRYPOINT")]
    (cmd,) = [line for line in final if line.startswith("CMD")]
    assert entrypoint == 'ENTRYPOINT ["kindred"]'
    _is_a_kindred_command(kindred, yaml.safe_load(cmd.removeprefix("CMD ")))


@pytest.mark.slow
def test_the_image_build_steps_run_in_a_temporary_folder(tmp_path) -> None:
    """The Dockerfile's RUN steps, offline: Kindred's wheel only (``--no-deps``; in the image they
    also fetch the dependencies' wheels), a venv at PREFIX installed from that folder alone, and the
    embedded store with its saved index prepared as an ordinary user would have it."""
    script = str(DEPLOY / "image-steps.sh")
    wheels, prefix, home = tmp_path / "wheels", tmp_path / "opt" / "kindred", tmp_path / "home"
    offline = {"PIP_WHEEL_OPTIONS": "--no-deps --no-build-isolation --no-index"}
    offline["PIP_INSTALL_OPTIONS"] = "--no-deps"
    env = {**os.environ, "PYTHON": sys.executable, **offline}

    def step(*args, run_env=env):
        proc = subprocess.run(
            ["sh", script, *args], env=run_env, capture_output=True, text=True, timeout=600, cwd=tmp_path
        )
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
        return proc.stdout

    step("wheels", str(source_tree(tmp_path / "src")), str(wheels))
    step("install", str(wheels), str(prefix))
    link_dependencies(site_packages(prefix / "bin" / "python"))  # what --no-deps left out
    counted = step("prepare", str(prefix), run_env=user_env(home))
    assert int(counted.split()[-1]) > 1000  # the snapshot's events are in the store
    assert (home / "data" / "kindred" / "kindred.db").is_file()
    assert list((home / "cache" / "kindred" / "index").rglob("manifest.json"))
    assert (prefix / "bin" / "kindred").is_file()
