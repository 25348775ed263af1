"""One error path for every command: ``kindred: error: …`` on stderr, status 1 (2 for bad options and
arguments, with a hint), never click's ``Error:`` and never a traceback."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (
            ("digest", "--user", "nobody@example.org", "--outbox", "OUT"),
            1,
            "no subscriber 'nobody@example.org'",
        ),
        (("users", "remove", "nobody@example.org"), 1, "no subscriber 'nobody@example.org'"),
        (("like", "ev-0000000000000000"), 1, "no event 'ev-0000000000000000'"),
        (("import", "no-such-file.ics"), 1, "no such file"),
        (("query",), 2, "say what you love, e.g. kindred query"),
        (("query", "jazz", "--limit", "0"), 2, "Invalid value for '--limit'"),
        (("query", "jazz", "--near", "north"), 2, "Invalid value for '--near'"),
        (("events", "--format", "xml"), 2, "Invalid value for '--format'"),
        (("nosuch",), 2, "No such command 'nosuch'"),
        (("query", "jazz", "--bogus"), 2, "No such option '--bogus'"),
    ],
)
def test_errors_are_one_kindred_line(kindred, db, tmp_path, args, status, says):
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    proc = kindred("--db", db, *args, env={"KINDRED_SECRET": "x"})
    assert proc.returncode == status, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("kindred: error: ") and says in lines[0]
    assert "Traceback" not in proc.stderr and not any(line.startswith("Error:") for line in lines)
    if status == 2:
        assert lines[1].startswith("Try 'kindred") and lines[1].endswith("--help' for help.")
    else:
        assert len(lines) == 1


def test_help_and_version_still_exit_0(kindred):
    assert kindred("--help").returncode == 0
    assert kindred("query", "--help").returncode == 0
    assert kindred("--version").returncode == 0
