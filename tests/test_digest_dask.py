"""The weekly digest with its choosing on a Dask LocalCluster of 2 worker processes: exactly the
digests of the one-process run (same outcomes, same events sent to the same people)."""

from __future__ import annotations

import pytest
from deadline import within
from digest_world import SECRET, WEEK, seed
from sqlalchemy import select
from test_digest_delivery import LATER

from recommender.core.config import Settings
from recommender.digest.run import run_digest
from recommender.mail.outbox import OutboxSender
from recommender.people.tables import SentEvent, Subscriber
from recommender.ranking.saved_index import load_or_fit

pytestmark = pytest.mark.slow  # a cluster of two processes starts in a few seconds

LOVES = ["pottery", "live jazz", "chess", "pottery and jazz", "underwater basket weaving", "raku firing",
         "jazz, but not brunch", "board games and chess"]  # fmt: skip


def people() -> dict[str, dict]:
    out = {}
    for i in range(40):
        options = {"passions": LOVES[i % len(LOVES)]}
        if i % 5 == 0:
            options["friends"] = [{"name": "Ana", "loves": LOVES[(i + 3) % len(LOVES)]}]
        out[f"p{i:02d}@example.org"] = options
    return out


def sent_by_person(store) -> dict[str, set]:
    with store.session() as session:
        emails = {s.id: s.email for s in session.scalars(select(Subscriber))}
        rows = session.scalars(select(SentEvent)).all()
        out: dict[str, set] = {}
        for row in rows:
            out.setdefault(emails[row.subscriber_id], set()).add((row.event_id, row.role))
        return out


def test_digest_on_two_dask_workers_equals_the_one_process_run(tmp_path):
    from recommender.digest.distributed import ClusterChooser

    settings = Settings(secret=SECRET, base_url="https://kindred.example", sender="d@kindred.example")
    alone = seed(f"sqlite:///{tmp_path / 'alone.db'}", users=people())
    shared = seed(f"sqlite:///{tmp_path / 'shared.db'}", users=people())
    with within(120):
        expected = run_digest(alone, OutboxSender(tmp_path / "alone"), settings, now=LATER, week=WEEK)
        load_or_fit(shared)  # as `kindred digest --workers` does: the workers only load it
        with ClusterChooser(shared.url, workers=2) as chooser:
            assert chooser.partitions == 2
            got = run_digest(shared, OutboxSender(tmp_path / "shared"), settings, now=LATER, week=WEEK,
                             chooser=chooser)  # fmt: skip
    assert [(o.email, o.week, o.status, o.events) for o in got] == [
        (o.email, o.week, o.status, o.events) for o in expected
    ]
    assert {o.status for o in got} == {"sent", "nothing"}
    assert sent_by_person(shared) == sent_by_person(alone) != {}
    assert len(list((tmp_path / "shared").glob("*.eml"))) == len(list((tmp_path / "alone").glob("*.eml")))


def test_workers_need_a_store_other_processes_can_open(kindred):
    run = kindred("--db", "sqlite://", "digest", "--outbox", "out", "--workers", "2",
                  env={"KINDRED_SECRET": "s" * 40})  # fmt: skip
    assert run.returncode != 0 and "other processes can open" in run.stderr
    assert "Traceback" not in run.stderr
