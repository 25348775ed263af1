"""What a refresh did, per source and in total (built by :mod:`recommender.ingest.refresh`).

>>> ok = SourceReport("choir", "https://example.org/choir.ics", fetched=3, new=2, unchanged=1)
>>> bad = SourceReport("quiz", "https://example.org/quiz", error="the server answered 500")
>>> summary = RefreshSummary([ok, bad])
>>> summary.all_failed, summary.failed == [bad]
(False, True)
>>> print(summary)
2 sources, 1 failed: 3 events read, 2 new, 0 updated, 0 cancelled, 0 skipped; failed: quiz
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from recommender.core.wording import plural


@dataclass
class SourceReport:
    """One source's refresh.

    ``fetched`` counts the events read (after de-duplication within the source), ``pages`` the
    documents downloaded. ``error`` is set when the source failed as a whole (nothing of it was
    stored this time); ``errors`` lists lesser failures (e.g. a followed page that could not be
    fetched); ``skipped`` lists one reason per event or page left out.
    """

    name: str
    url: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    pages: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error: str | None = None
    unreachable: bool = False  # it failed because its host did not resolve or refused to connect

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def error_count(self) -> int:
        return len(self.errors) + int(self.failed)

    def skip_reasons(self, limit: int = 5) -> list[str]:
        """Skip reasons, the same kind counted once ("3 x …"), at most ``limit`` lines."""
        counts = Counter(_reason_kind(r) for r in self.skipped)
        lines = [f"{n} x {kind}" if n > 1 else kind for kind, n in counts.most_common()]
        if len(lines) > limit:
            lines = [*lines[:limit], f"… and {len(lines) - limit} more kinds of reason"]
        return lines


def _reason_kind(reason: str) -> str:
    # "'Quiz' skipped: no startDate" and "'Choir' skipped: no startDate" are one kind of reason.
    return re.sub(r"^'[^']*' skipped: ", "skipped: ", reason)


@dataclass
class RefreshSummary:
    """Every source's report, in the order the sources were refreshed."""

    reports: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.reports if r.failed]

    @property
    def offline(self) -> bool:
        """True when every source failed and every failure was an unreachable host (no network?)."""
        return self.all_failed and all(r.unreachable for r in self.reports)

    @property
    def all_failed(self) -> bool:
        """True when there were sources and every one of them failed."""
        return bool(self.reports) and len(self.failed) == len(self.reports)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.reports)

    def __str__(self) -> str:
        head = plural(len(self.reports), "source") + (f", {len(self.failed)} failed" if self.failed else "")
        skipped = sum(len(r.skipped) for r in self.reports)
        counts = (
            f"{plural(self.total('fetched'), 'event')} read, {self.total('new')} new, "
            f"{self.total('updated')} updated, "
            f"{self.total('cancelled')} cancelled, {skipped} skipped"
        )
        tail = ", ".join(r.name for r in self.failed)  # each reason is in its report and the log
        return f"{head}: {counts}" + (f"; failed: {tail}" if tail else "")
