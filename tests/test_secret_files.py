"""Secrets from files: every KINDRED_* variable that may hold a secret also as <name>_FILE (systemd
credentials, Docker secrets), read by the settings, by ``--db`` and by the SMTP login alike."""

from __future__ import annotations

import json

import pytest
from digest_world import SECRET, WEEK, seed

from recommender.core.config import SECRET_VARIABLES, ConfigError, Settings, read_secret_files
from recommender.mail.smtp import SmtpSender


@pytest.fixture
def secret_file(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / "credentials" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_each_secret_variable_comes_from_its_file(secret_file) -> None:
    env = {f"{name}_FILE": str(secret_file(name.lower(), f"value of {name}\n")) for name in SECRET_VARIABLES}
    read_secret_files(env)
    assert all(env[name] == f"value of {name}" for name in SECRET_VARIABLES)


def test_the_settings_read_the_files(secret_file) -> None:
    env = {
        "KINDRED_CONFIG": "/nonexistent.toml",
        "KINDRED_SECRET_FILE": str(secret_file("secret", "  s3cret with spaces  \n")),
        "KINDRED_OLD_SECRETS_FILE": str(secret_file("old", "old-one,old-two")),
        "KINDRED_DB_FILE": str(secret_file("db", "postgresql+psycopg://kindred:pw@db/kindred\r\n")),
    }
    settings = Settings.load(env=env)
    assert settings.secret == "  s3cret with spaces  "  # only the line end is dropped
    assert settings.old_secrets == ("old-one", "old-two")
    assert settings.db == "postgresql+psycopg://kindred:pw@db/kindred"
    assert "KINDRED_SECRET" not in env  # the caller's mapping is left alone


def test_the_smtp_login_comes_from_files(secret_file) -> None:
    env = {
        "KINDRED_SMTP_USER_FILE": str(secret_file("user", "digest\n")),
        "KINDRED_SMTP_PASSWORD_FILE": str(secret_file("password", "pa55 word\n")),
    }
    read_secret_files(env)
    sender = SmtpSender.from_url("smtps://mail.example.org", env=env)
    assert (sender.username, sender.password) == ("digest", "pa55 word")


@pytest.mark.parametrize(
    "problem, env, message",
    [
        ("missing", {"KINDRED_SECRET_FILE": "{tmp}/nope"}, r"KINDRED_SECRET_FILE=.*/nope: cannot read it"),
        ("empty", {"KINDRED_SECRET_FILE": "{empty}"}, r"KINDRED_SECRET_FILE=.*: the file is empty"),
        ("both", {"KINDRED_SECRET_FILE": "{full}", "KINDRED_SECRET": "other"}, r"both KINDRED_SECRET and"),
    ],
)
def test_a_bad_secret_file_is_one_clear_error_without_the_secret(
    secret_file, tmp_path, problem, env, message
):
    paths = {"tmp": tmp_path, "empty": secret_file("empty", ""), "full": secret_file("full", "hunter2\n")}
    env = {k: v.format(**paths) for k, v in env.items()}
    with pytest.raises(ConfigError, match=message) as err:
        read_secret_files(env)
    assert "hunter2" not in str(err.value)


def test_the_same_value_both_ways_is_fine(secret_file) -> None:
    env = {"KINDRED_SECRET_FILE": str(secret_file("s", "same\n")), "KINDRED_SECRET": "same"}
    read_secret_files(env)
    assert env["KINDRED_SECRET"] == "same"


def test_the_command_line_takes_db_and_secret_from_files(kindred, secret_file, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'from-file.db'}"
    seed(url, users={"robin@example.org": {"passions": "pottery"}}).engine.dispose()
    env = {
        "KINDRED_DB_FILE": str(secret_file("db", url + "\n")),
        "KINDRED_SECRET_FILE": str(secret_file("secret", SECRET + "\n")),
    }
    listed = kindred("users", "list", "--format", "json", env=env, check=True)
    assert [u["email"] for u in json.loads(listed.stdout)] == ["robin@example.org"]
    sent = kindred("digest", "--outbox", str(tmp_path / "out"), "--week", WEEK, env=env, check=True)
    assert "robin@example.org" in sent.stdout
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1


def test_a_bad_secret_file_stops_the_command_with_one_line(kindred, tmp_path) -> None:
    proc = kindred("users", "list", env={"KINDRED_SECRET_FILE": str(tmp_path / "missing")})
    assert proc.returncode == 1
    assert proc.stderr.startswith("kindred: error: KINDRED_SECRET_FILE=") and "Traceback" not in proc.stderr
