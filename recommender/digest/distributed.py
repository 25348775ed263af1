"""The weekly digest's choosing on a Dask cluster: partitions of subscribers, one task each.

Each task opens the store read-only by its URL, loads the saved index (the same key, so the same
ranking as one process; loaded once per worker process) and runs
:meth:`~recommender.digest.batch.Chooser.choose_all` on its partition. Only choosing moves:
claiming, sending and recording stay in :func:`~recommender.digest.run.run_digest`, so the
at-most-once rules are the same as in one process. Every worker must reach the store (a shared
PostgreSQL, or a SQLite file on the same machine) and its saved index (the cache folder).

Needs the ``dask`` extra (``pip install 'kindred-events[dask]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from recommender.digest.batch import Chooser, Person
from scrapers.errors import KindredError


class ClusterError(KindredError):
    """The Dask cluster cannot be started or reached, or the extra is not installed."""


@cache
def _worker_chooser(store_url: str) -> Chooser:
    from recommender.ranking.saved_index import ranking_of
    from recommender.store.event_store import Store

    store = Store(store_url)
    return Chooser(ranking_of(store) if store.count() else None)


def choose_partition(store_url: str, people: Sequence[Person]) -> list:
    """One task: the choices for ``people`` against the store's saved index (on a worker)."""
    return _worker_chooser(store_url).choose_all(people)


class ClusterChooser:
    """``choose_all`` over a Dask cluster: a LocalCluster of ``workers`` processes, or the scheduler
    at ``address``; use it as a context manager (the cluster it started is closed at the end)."""

    def __init__(self, store_url: str, *, workers: int | None = None, address: str | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError(
                "--workers/--scheduler need Dask: pip install 'kindred-events[dask]'"
            ) from None
        self.store_url = store_url
        self._cluster = None
        try:
            if address:
                self._client = Client(address, timeout=30)
            else:
                self._cluster = LocalCluster(
                    n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask cluster ({address or 'local'}): {exc}") from None
        self.partitions = max(1, len(self._client.scheduler_info()["workers"]))

    def choose_all(self, people: Sequence[Person]) -> list:
        """The choices of ``people``, in their order, each partition chosen on one worker."""
        size = -(-len(people) // self.partitions) or 1
        parts = [list(people[i : i + size]) for i in range(0, len(people), size)]
        futures = self._client.map(choose_partition, [self.store_url] * len(parts), parts, pure=False)
        return [choice for part in self._client.gather(futures) for choice in part]

    def __enter__(self) -> ClusterChooser:
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
