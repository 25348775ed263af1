"""The ``kindred`` command through its entry point ``main()``: in this process (``kindred``), and
the import, a query on the embedded data and an error through the installed console script."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

PAGES = FIXTURES / "pages"


@pytest.mark.slow  # four console-script runs
def test_import_twice_leaves_events_unchanged(kindred_script, db):
    kindred = kindred_script
    files = [str(PAGES / "toronto_sample.jsonld"), str(PAGES / "outsavvy_organiser_sappho-events.html")]
    first = kindred("--db", db, "import", *files, check=True)
    assert "41 new" in first.stdout and "4 new" in first.stdout
    before = kindred("--db", db, "events", "--format", "json", check=True).stdout
    second = kindred(
        "--db", db, "import", *files, env={"KINDRED_NOW": "2026-12-24T00:00:00+00:00"}, check=True
    )
    assert "0 new, 0 updated, 41 unchanged" in second.stdout
    assert kindred("--db", db, "events", "--format", "json", check=True).stdout == before
    events = json.loads(before)
    assert len(events) == 45
    assert {"id", "title", "start", "end", "all_day", "status", "url", "tags"} <= set(events[0])


def test_events_formats_and_source_filter(kindred, db):
    kindred(
        "--db", db, "import", str(PAGES / "tovestyrke.html"), str(PAGES / "elysianfields.html"), check=True
    )
    csv_out = kindred(
        "--db", db, "events", "--format", "csv", "--source", "file:tovestyrke.html", check=True
    ).stdout
    lines = csv_out.strip().splitlines()
    assert lines[0].startswith("id,title,start") and len(lines) == 2 and "Tove Styrke" in lines[1]
    table = kindred("--db", db, "events", check=True).stdout
    assert "5 events" in table and max(len(line) for line in table.splitlines()) <= 80


def test_bad_files_are_reported_and_good_ones_still_imported(kindred, db, tmp_path):
    kindred("--db", db, "import", str(PAGES / "tovestyrke.html"), check=True)
    (tmp_path / "notes.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "empty.json").write_text('{"@type": "Person", "name": "x"}', encoding="utf-8")
    (tmp_path / "mixed.jsonld").write_text(
        json.dumps(
            [
                {"@type": "Event", "name": "Choir", "startDate": "2026-12-01T19:00Z"},
                {"@type": "Event", "name": "No date"},
                {"@type": "Event", "startDate": "2026-12-02T19:00Z"},
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    proc = kindred(
        "--db",
        db,
        "import",
        str(tmp_path / "missing.json"),
        str(tmp_path / "notes.json"),
        str(tmp_path / "empty.json"),
        str(tmp_path / "data.csv"),
        str(tmp_path / "mixed.jsonld"),
    )
    assert proc.returncode == 1
    err = proc.stderr
    assert "missing.json: no such file" in err
    assert "notes.json: malformed JSON" in err
    assert "empty.json: no schema.org Event found" in err
    assert "data.csv: unsupported file type .csv" in err
    assert "Traceback" not in err
    assert "mixed.jsonld: 1 event (1 new, 0 updated, 0 unchanged), 2 skipped" in proc.stdout
    titles = {e["title"] for e in json.loads(kindred("--db", db, "events", "--format", "json").stdout)}
    assert titles == {"Tove Styrke", "Choir"}


def test_unknown_db_scheme_is_one_clear_line(kindred_script):
    kindred = kindred_script
    proc = kindred("--db", "mongo://localhost/x", "events")
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0
    assert "mongo://localhost/x" in proc.stderr and "sqlite:///" in proc.stderr


@pytest.mark.usefixtures("snapshot_home")
def test_query_on_embedded_data_finds_music_with_why(kindred_script):
    kindred = kindred_script
    proc = kindred("query", "live jazz", "--any-date", "--format", "json", check=True)
    picks = json.loads(proc.stdout)
    assert len(picks) == 10
    for pick in picks:
        assert {"id", "title", "start", "url", "score", "why", "tags"} <= set(pick)
        assert pick["why"] and "jazz" in " ".join(pick["why"]).lower()
    assert sum("Music" in p["tags"] for p in picks) >= 8
    assert [p["score"] for p in picks] == sorted((p["score"] for p in picks), reverse=True)


@pytest.mark.usefixtures("snapshot_home")
def test_query_on_snapshot_only_shows_past_events_and_says_why(kindred):
    proc = kindred("query", "comedy", "--limit", "3", env={"KINDRED_NOW": "2027-01-10T12:00Z"}, check=True)
    assert "Showing past events because nothing upcoming matches comedy" in proc.stderr
    assert "only the Toronto open data is loaded, and its last event is on 2026-12-08" in proc.stderr
    assert "window: any date" in proc.stdout and proc.stdout.count("past") >= 3
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80


def test_query_default_window_is_next_30_days(kindred, db, tmp_path):
    doc = [
        {"@type": "Event", "name": "Trail run soon", "startDate": "2026-11-30T09:00Z"},
        {"@type": "Event", "name": "Trail run later", "startDate": "2027-02-01T09:00Z"},
        {"@type": "Event", "name": "Trail run past", "startDate": "2026-10-01T09:00Z"},
        {
            "@type": "Event",
            "name": "Trail run cancelled",
            "startDate": "2026-11-29T09:00Z",
            "eventStatus": "EventCancelled",
        },
    ]
    (tmp_path / "runs.json").write_text(json.dumps(doc), encoding="utf-8")
    kindred("--db", db, "import", str(tmp_path / "runs.json"), check=True)

    def titles(*args):
        out = kindred("--db", db, "query", "trail running", "--format", "json", *args, check=True).stdout
        return [p["title"] for p in json.loads(out)]

    assert titles() == ["Trail run soon"]
    assert sorted(titles("--any-date")) == ["Trail run later", "Trail run past", "Trail run soon"]
    assert titles("--from", "2027-01-01", "--to", "2027-02-01") == ["Trail run later"]


@pytest.mark.usefixtures("snapshot_home")
@pytest.mark.parametrize(
    "args,message",
    [
        (["query", "I love"], "no passion found"),
        (["query", "jazz", "--within", "10"], "--within needs a place"),
        (["query", "jazz", "--near", "Cambridge"], "could be Cambridge, England, United Kingdom"),
        (["query", "jazz", "--near", "Torontoo"], "did you mean Toronto, ON, Canada?"),
        (["query", "jazz", "--from", "2026-13-01"], "is not a date"),
        (["query", "jazz", "--from", "2026-12-10", "--to", "2026-12-01"], "before --from"),
    ],
)
def test_query_bad_input(kindred, args, message):
    proc = kindred(*args)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr


def test_every_command_has_help_with_an_example(kindred):
    for command in ("import", "events", "query"):
        out = kindred(command, "--help", check=True).stdout
        assert "Example" in out and f"kindred {command}" in out
