"""Send this week's digest to every active subscriber — exactly once per subscriber per ISO week.

For each subscriber the run first *claims* the (subscriber, week) row in ``sends`` (a unique key, so two
runs at once cannot both send), then composes and sends, then records the outcome: on success the send
and the events it carried are recorded in one transaction, right after that one send. A permanent
refusal (5xx) is recorded as ``refused`` and not retried; a transient failure as ``failed``, which the
next run retries. A rerun sends only what was not sent. A claim left by a crash is retried after
:data:`~recommender.people.sends.STALE_CLAIM`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from recommender.calendars.feed import feed_token, feed_url
from recommender.core.config import Settings
from recommender.core.signing import SecretMissingError, require_secret
from recommender.digest.choice import choose_digest, iso_week, picks_calendar, start_of_week
from recommender.digest.compose import DigestError, compose_digest, week_start
from recommender.mail.message import (
    DeliveryError,
    MailConfigError,
    PermanentDeliveryError,
    UncertainDeliveryError,
)
from recommender.mail.outbox import OutboxSender
from recommender.mail.smtp import SmtpSender
from recommender.people.feedback import of_subscriber
from recommender.people.sends import claim_week, finish_week, mark_handover, release_week, sent_event_ids
from recommender.people.subscribers import list_subscribers
from recommender.people.tables import Subscriber
from recommender.store.event_store import Store
from scrapers.errors import KindredError
from scrapers.zones import get_zone

log = logging.getLogger(__name__)


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
) -> list[Outcome]:
    """Compose and send the digest to each active subscriber (or just ``only``).

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
    moments = {s.email: _moment(s, now, week) for s in subscribers}
    ranking = ranking_of(store) if store.count() else None  # no events: every digest says so
    with sender:  # one connection to the mail server for the whole run
        return [
            _one(store, sender, settings, s, ranking, moments[s.email], now, retry_uncertain)
            for s in subscribers
        ]


def _moment(sub: Subscriber, now: datetime, week: str | None) -> datetime:
    if week is None:
        return now.astimezone(get_zone(sub.timezone))
    return start_of_week(week_start(week), sub.timezone)


def _one(store, sender, settings, sub: Subscriber, ranking, moment, now, retry_uncertain) -> Outcome:
    week = iso_week(moment)
    if not claim_week(store, sub.id, week, now, retry_uncertain=retry_uncertain):
        return Outcome(sub.email, week, "skipped", detail="already sent (or being sent) this week")
    handed_over = False

    def handover() -> None:
        nonlocal handed_over
        mark_handover(store, sub.id, week)
        handed_over = True

    choice = None
    try:
        feedback = of_subscriber(store, sub.id)
        exclude = sent_event_ids(store, sub.id, besides_week=week) | feedback.dismissed
        choice = choose_digest(ranking, sub, now=moment, exclude=exclude, feedback=feedback)
        if not choice.picks:
            release_week(store, sub.id, week)
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
            calendar_feed_url=feed_url(settings.base_url, feed_token(store, settings.secret, sub.email)),
            thin=choice.thin,
        )
        sender.send(msg, before_data=handover)
    except UncertainDeliveryError as exc:
        finish_week(store, sub.id, week, now, "uncertain", error=str(exc), carried=_roles(choice))
        log.warning("digest for %s may have been delivered (not resent): %s", sub.email, exc)
        return Outcome(sub.email, week, "uncertain", detail=str(exc))
    except (MailConfigError, SecretMissingError, DigestError):  # the same for everyone: stop
        release_week(store, sub.id, week)
        raise
    except PermanentDeliveryError as exc:
        finish_week(store, sub.id, week, now, "refused", error=str(exc))
        log.warning("digest for %s refused: %s", sub.email, exc)
        return Outcome(sub.email, week, "refused", detail=str(exc))
    except (DeliveryError, KindredError) as exc:
        finish_week(store, sub.id, week, now, "failed", error=str(exc))
        log.warning("digest for %s failed (will be retried): %s", sub.email, exc)
        return Outcome(sub.email, week, "failed", detail=str(exc))
    except BaseException:
        if handed_over:  # interrupted while the server had the message: maybe delivered
            finish_week(store, sub.id, week, now, "uncertain", error="interrupted", carried=_roles(choice))
        else:
            finish_week(store, sub.id, week, now, "failed", error="interrupted")
        raise
    finish_week(store, sub.id, week, now, "ok", message_id=msg["Message-ID"], carried=_roles(choice))
    return Outcome(sub.email, week, "sent", events=len(choice.picks) + len(choice.pass_on))


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
