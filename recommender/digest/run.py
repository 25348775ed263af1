"""Send this week's digest to every active subscriber — exactly once per subscriber per ISO week.

Subscribers go in batches of :data:`BATCH`. The run first *claims* each (subscriber, week) row in
``sends`` (a unique key, so two runs at once cannot both send; one transaction per batch), chooses
everyone's picks against the saved ranking (:class:`~recommender.digest.batch.Chooser`: the
answer of one-at-a-time ranking, each against their window), then composes and sends one message
at a time, marking its row ``handing_over`` just before the message goes out. The outcomes are
recorded, with the events each digest carried, in one transaction at the end of the batch (or as
soon as anything stops the run). A permanent refusal (5xx) is recorded as ``refused`` and not
retried; a transient failure as ``failed``, which the next run retries. A rerun sends only what was
not sent. A claim left by a crash is retried after :data:`~recommender.people.sends.STALE_CLAIM`;
a message handed over before a crash is never sent again automatically.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from recommender.calendars.feed import feed_tokens, feed_url
from recommender.core.config import Settings
from recommender.core.signing import SecretMissingError, require_secret
from recommender.digest.batch import Chooser, Person
from recommender.digest.choice import iso_week, picks_calendar, start_of_week
from recommender.digest.compose import DigestError, compose_digest, week_start
from recommender.mail.message import (
    DeliveryError,
    MailConfigError,
    PermanentDeliveryError,
    UncertainDeliveryError,
)
from recommender.mail.outbox import OutboxSender
from recommender.mail.smtp import SmtpSender
from recommender.people.feedback import of_subscribers
from recommender.people.sends import (
    Finish,
    claim_weeks,
    finish_weeks,
    mark_handover,
    release_weeks,
    sent_event_ids_of,
)
from recommender.people.subscribers import list_subscribers
from recommender.people.tables import Subscriber
from recommender.store.event_store import Store
from scrapers.errors import KindredError
from scrapers.zones import get_zone

log = logging.getLogger(__name__)
BATCH = 200  # subscribers claimed, read and recorded together


@dataclass
class Outcome:
    """What happened for one subscriber: ``sent``, ``nothing`` (no good match), ``skipped`` (already
    sent, refused or being sent this week), ``refused`` (5xx), ``failed`` (will be retried) or
    ``uncertain`` (the server took the message but its answer was lost: not resent automatically)."""

    email: str
    week: str
    status: str
    events: int = 0
    detail: str = ""


def run_digest(
    store: Store,
    sender,
    settings: Settings,
    *,
    now: datetime,
    week: str | None = None,
    only: str | None = None,
    retry_uncertain: bool = False,
    chooser=None,
) -> list[Outcome]:
    """Compose and send the digest to each active subscriber (or just ``only``).

    ``chooser`` chooses the picks (``choose_all(people)``); by default a
    :class:`~recommender.digest.batch.Chooser` in this process over the store's saved index, or a
    :class:`~recommender.digest.distributed.ClusterChooser` that hands them to a Dask cluster.
    Sending and recording stay here, whoever chose.

    ``week`` (``YYYY-Www``) composes as if sent at the start of that week in each subscriber's zone;
    otherwise the week is the one ``now`` falls in there. Raises :class:`MailConfigError`,
    :class:`SecretMissingError` or :class:`DigestError` (settings that fail for everyone: nothing is
    recorded, nothing more is sent); per-subscriber trouble is an outcome. A digest whose delivery is
    ``uncertain`` (the server took it but never confirmed) is sent again only with ``retry_uncertain``.
    """
    from recommender.ranking.saved_index import ranking_of  # slow to import; only a real run needs it

    require_secret(settings.secret)  # fail early, with the message that says how to set it
    subscribers = [s for s in list_subscribers(store, active_only=True) if only is None or s.email == only]
    if not subscribers:
        return []
    if chooser is None:
        chooser = Chooser(ranking_of(store) if store.count() else None)  # no events: every digest says so
    outcomes: list[Outcome] = []
    with sender:  # one connection to the mail server for the whole run
        for lo in range(0, len(subscribers), BATCH):
            batch = _Batch(store, sender, settings, now, retry_uncertain)
            outcomes += batch.run(subscribers[lo : lo + BATCH], chooser, week)
    return outcomes


def _moment(sub: Subscriber, now: datetime, week: str | None) -> datetime:
    if week is None:
        return now.astimezone(get_zone(sub.timezone))
    return start_of_week(week_start(week), sub.timezone)


class _Batch:
    """Up to :data:`BATCH` subscribers: claimed in one transaction, their feedback, sent events and
    feed tokens read in one query each, each message marked ``handing_over`` just before it goes
    out (its own commit: the at-most-once guarantee), and the outcomes recorded together at the end
    — or as soon as anything stops the run. A crash before that leaves a sent digest
    ``handing_over``, which is never sent again automatically (see :mod:`recommender.people.sends`)."""

    def __init__(self, store: Store, sender, settings: Settings, now: datetime, retry_uncertain: bool):
        self.store, self.sender, self.settings, self.now = store, sender, settings, now
        self.retry_uncertain = retry_uncertain
        self.finished: list[Finish] = []
        self.released: list[tuple[int, str]] = []

    def run(self, subs: Sequence[Subscriber], chooser: Chooser, week: str | None) -> list[Outcome]:
        moments = {s.id: _moment(s, self.now, week) for s in subs}
        weeks = {s.id: iso_week(moments[s.id]) for s in subs}
        slots = [(s.id, weeks[s.id]) for s in subs]
        claimed = claim_weeks(self.store, slots, self.now, retry_uncertain=self.retry_uncertain)
        todo = [s for s in subs if (s.id, weeks[s.id]) in claimed]
        outcomes = {
            s.id: Outcome(s.email, weeks[s.id], "skipped", detail="already sent (or being sent) this week")
            for s in subs
            if (s.id, weeks[s.id]) not in claimed
        }
        attempted: set[int] = set()
        try:
            feedback = of_subscribers(self.store, [s.id for s in todo])
            sent = sent_event_ids_of(self.store, {s.id: weeks[s.id] for s in todo})
            tokens = feed_tokens(self.store, self.settings.secret, todo)
            people = [
                Person(profile(sub), moments[sub.id], frozenset(sent[sub.id] | feedback[sub.id].dismissed),
                       feedback[sub.id])
                for sub in todo
            ]  # fmt: skip
            choices = chooser.choose_all(people)  # here, or on a cluster's workers (digest/distributed.py)
            for sub, person, choice in zip(todo, people, choices, strict=True):
                attempted.add(sub.id)
                outcomes[sub.id] = self.one(sub, weeks[sub.id], person, choice, tokens[sub.id])
        finally:  # whatever stops the run, what happened so far is recorded and the rest given back
            self.released += [(s.id, weeks[s.id]) for s in todo if s.id not in attempted]
            finish_weeks(self.store, self.finished, self.now)
            release_weeks(self.store, self.released)
        return [outcomes[s.id] for s in subs]

    def finish(self, sub: Subscriber, week: str, status: str, **kw) -> None:
        self.finished.append(Finish(sub.id, week, status, **kw))

    def one(self, sub: Subscriber, week: str, person: Person, chosen, feed_token: str) -> Outcome:
        store, settings, moment = self.store, self.settings, person.moment
        handed_over = False

        def handover() -> None:
            nonlocal handed_over
            mark_handover(store, sub.id, week)
            handed_over = True

        choice = None
        try:
            if isinstance(chosen, BaseException):
                raise chosen
            choice = chosen
            if not choice.picks:
                self.released.append((sub.id, week))
                return Outcome(sub.email, week, "nothing", detail="no upcoming event matched closely enough")
            msg = compose_digest(
                picks=choice.picks,
                pass_on=choice.pass_on,
                subscriber_email=sub.email,
                subscriber_name=sub.name,
                subscriber_id=sub.id,
                sender=settings.sender,
                base_url=settings.base_url,
                secret=settings.secret,
                week=week,
                now=moment,
                timezone=sub.timezone,
                ics_attachment=picks_calendar(choice.picks, now=moment),
                calendar_feed_url=feed_url(settings.base_url, feed_token),
                thin=choice.thin,
            )
            self.sender.send(msg, before_data=handover)
        except UncertainDeliveryError as exc:
            self.finish(sub, week, "uncertain", error=str(exc), carried=_roles(choice))
            log.warning("digest for %s may have been delivered (not resent): %s", sub.email, exc)
            return Outcome(sub.email, week, "uncertain", detail=str(exc))
        except (MailConfigError, SecretMissingError, DigestError):  # the same for everyone: stop
            self.released.append((sub.id, week))
            raise
        except PermanentDeliveryError as exc:
            self.finish(sub, week, "refused", error=str(exc))
            log.warning("digest for %s refused: %s", sub.email, exc)
            return Outcome(sub.email, week, "refused", detail=str(exc))
        except (DeliveryError, KindredError) as exc:
            self.finish(sub, week, "failed", error=str(exc))
            log.warning("digest for %s failed (will be retried): %s", sub.email, exc)
            return Outcome(sub.email, week, "failed", detail=str(exc))
        except BaseException:
            if handed_over:  # interrupted while the server had the message: maybe delivered
                self.finish(sub, week, "uncertain", error="interrupted", carried=_roles(choice))
            else:
                self.finish(sub, week, "failed", error="interrupted")
            raise
        self.finish(sub, week, "ok", message_id=msg["Message-ID"], carried=_roles(choice))
        return Outcome(sub.email, week, "sent", events=len(choice.picks) + len(choice.pass_on))


def profile(sub: Subscriber) -> SimpleNamespace:
    """What choosing needs of a subscriber (passions, place, distance, mode, friends), as plain data
    that can travel to another process."""
    return SimpleNamespace(
        passions=sub.passions,
        near=sub.near,
        within_km=sub.within_km,
        mode=sub.mode,
        friends=list(sub.friends or []),
    )


def _roles(choice) -> dict[str, str]:
    roles = {p.event.id: "pick" for p in choice.picks}
    roles.update({p.event.id: "pass_on" for _, _, p in choice.pass_on})
    return roles


def make_sender(settings, *, outbox: str | None = None, smtp: str | None = None):
    """The sender asked for, else the configured one (``KINDRED_OUTBOX``, ``KINDRED_SMTP_URL``)."""
    if outbox and smtp:
        raise MailConfigError("give either --outbox or --smtp, not both")
    if outbox:
        return OutboxSender(outbox)
    if smtp:
        return SmtpSender.from_url(smtp)
    if settings.outbox:
        return OutboxSender(settings.outbox)
    if settings.smtp_url:
        return SmtpSender.from_url(settings.smtp_url)
    raise MailConfigError(
        "nowhere to send the digest: pass --outbox DIR or --smtp URL, or set KINDRED_SMTP_URL"
    )
