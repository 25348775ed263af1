"""``kindred import`` of several files, one of them hostile: the others are imported, the bad one is
one line, and nothing prints a traceback."""

from __future__ import annotations

from conftest import FIXTURES

from recommender.store.event_store import Store

GOOD_PAGE = FIXTURES / "pages" / "toronto_sample.jsonld"  # 41 events
GOOD_FEED = FIXTURES / "ics" / "birchcommunitycentre_events.ics"  # 50 events


def test_a_bad_file_between_good_ones_costs_only_itself(kindred, db, tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text("[" * 100_000 + "]" * 100_000)  # nested past any parser's recursion limit
    garbage = tmp_path / "binary.ics"
    garbage.write_bytes(bytes(range(256)) * 64)
    proc = kindred("--db", db, "import", str(GOOD_PAGE), str(deep), str(garbage), str(GOOD_FEED))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr + proc.stdout
    assert "toronto_sample.jsonld: 41 events (41 new" in proc.stdout
    assert "birchcommunitycentre_events.ics: 50 events (50 new" in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("kindred: error:")]
    assert len(errors) == 2 and "deep.jsonld" in errors[0] and "binary.ics" in errors[1]
    assert Store(db).count() == 91


def test_a_huge_file_is_refused_without_being_read(kindred, db, tmp_path, monkeypatch):
    import recommender.ingest.files as files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.jsonld"
    big.write_text("[" + ",".join(["{}"] * 1000) + "]")
    proc = kindred("--db", db, "import", str(big))
    assert proc.returncode == 1 and "is more than a listing file holds" in proc.stderr
